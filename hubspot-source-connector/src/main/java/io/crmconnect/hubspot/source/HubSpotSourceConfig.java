package io.crmconnect.hubspot.source;

import io.crmconnect.common.EnumValidator;
import io.crmconnect.hubspot.client.HubSpotConnectionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the HubSpot source connector. */
public final class HubSpotSourceConfig extends AbstractConfig {
    public static final String BASE_URL = HubSpotConnectionConfig.BASE_URL;
    public static final String ACCESS_TOKEN = HubSpotConnectionConfig.ACCESS_TOKEN;
    public static final String OAUTH_REFRESH_TOKEN = HubSpotConnectionConfig.OAUTH_REFRESH_TOKEN;
    public static final String PORTAL_ID = "hubspot.portal.id";
    public static final String OBJECTS_INCLUDE = "objects.include";
    public static final String OBJECTS_EXCLUDE = "objects.exclude";
    public static final String PROPERTIES_EXCLUDE = "properties.exclude";
    public static final String ASSOCIATIONS = "associations";
    public static final String TOPIC_FORMAT = "topic.format";
    public static final String NUMBER_MAPPING = "number.mapping";
    public static final String DECIMAL_SCALE = "number.decimal.scale";
    public static final String MULTICHECKBOX_MAPPING = "multicheckbox.mapping";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String INDEX_LAG_OVERLAP_MS = "search.index.lag.overlap.ms";
    public static final String SEARCH_PAGE_SIZE = "search.page.size";
    public static final String DELETES_INTERVAL_MS = "deletes.interval.ms";
    public static final String ARCHIVED_EVENTS = "deletes.archived.event";
    public static final String RECONCILE_INTERVAL_MS = "reconcile.interval.ms";
    public static final String PROPERTIES_REFRESH_MS = "properties.refresh.interval.ms";
    public static final String SNAPSHOT_INTERVAL_MS = "snapshot.interval.ms";
    public static final String PROPERTY_HISTORY = "property.history";
    public static final String RECONCILE_CHECKPOINT_MS = "reconcile.checkpoint.interval.ms";
    public static final String CUSTOM_OBJECTS_REFRESH_MS = "custom.objects.refresh.interval.ms";
    public static final String TASK_STREAMS = "task.streams";
    public static final String TASK_COUNT = "task.count";

    static final String GROUP_OBJECTS = "Objects and topics";
    static final String GROUP_MAPPING = "Data mapping";
    static final String GROUP_CHANGES = "Changes and deletes";
    static final String GROUP_SNAPSHOTS = "Snapshots and refreshes";

    /** How HubSpot number properties become Connect fields. */
    public enum NumberMapping {
        DECIMAL,
        DOUBLE
    }

    /** How multiple-checkbox properties become Connect fields. */
    public enum MultiCheckboxMapping {
        ARRAY,
        STRING
    }

    /** Every standard CRM object the connector reads by default. */
    public static final List<String> STANDARD_OBJECTS = List.of(
            "contacts",
            "companies",
            "deals",
            "tickets",
            "line_items",
            "products",
            "calls",
            "emails",
            "meetings",
            "notes",
            "tasks");
    /** Pseudo objects: owners, pipelines of deals and tickets, and every custom object from the schemas API. */
    public static final List<String> META_OBJECTS = List.of("owners", "pipelines", "custom");

    /** Entries of {@link #PROPERTY_HISTORY}: object.property, object.* or *.property. */
    static final ConfigDef.Validator HISTORY_ENTRIES = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            for (Object o : (List<?>) value) {
                String h = String.valueOf(o).trim();
                int dot = h.indexOf('.');
                if (dot <= 0 || dot == h.length() - 1 || h.equals("*.*")) {
                    throw new ConfigException(name, o, "each entry must be object.property, object.* or *.property");
                }
            }
        }

        @Override
        public String toString() {
            return "object.property, object.* or *.property";
        }
    };

    public static final ConfigDef CONFIG = configDef();

    private static ConfigDef configDef() {
        ConfigDef d = new ConfigDef();
        // credentials, base URL, tier, budget shares, retries, timeouts: shared by every HubSpot plugin
        HubSpotConnectionConfig.define(d);

        int o = 0;
        d.define(
                OBJECTS_INCLUDE,
                Type.LIST,
                "",
                Importance.HIGH,
                "Objects to read (empty = all standard objects, owners, pipelines and custom objects). "
                        + "Standard: " + STANDARD_OBJECTS + "; also owners, pipelines, custom (every custom "
                        + "object) or a custom object's name / objectTypeId.",
                GROUP_OBJECTS,
                ++o,
                Width.LONG,
                "Objects to read");
        d.define(
                OBJECTS_EXCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Objects to skip.",
                GROUP_OBJECTS,
                ++o,
                Width.LONG,
                "Objects to skip");
        d.define(
                PROPERTIES_EXCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Properties to skip, as object.property (e.g. contacts.notes_last_contacted) or *.property.",
                GROUP_OBJECTS,
                ++o,
                Width.LONG,
                "Properties to skip");
        d.define(
                ASSOCIATIONS,
                Type.LIST,
                "contacts:companies,deals:contacts,deals:companies,tickets:contacts",
                Importance.MEDIUM,
                "Association pairs from:to read as their own topics (v4, with labels). " + "Empty = none.",
                GROUP_OBJECTS,
                ++o,
                Width.LONG,
                "Association pairs");
        d.define(
                TOPIC_FORMAT,
                Type.STRING,
                "hubspot.${object}",
                Importance.MEDIUM,
                "Topic name; ${object} is the object name (contacts, owners, pipelines, "
                        + "associations.contacts.companies, custom object name).",
                GROUP_OBJECTS,
                ++o,
                Width.MEDIUM,
                "Topic format");
        d.define(
                PORTAL_ID,
                Type.STRING,
                "",
                Importance.LOW,
                "HubSpot portal (account) id written to the hubspot.portal header.",
                GROUP_OBJECTS,
                ++o,
                Width.SHORT,
                "Portal id");
        d.define(
                PROPERTY_HISTORY,
                Type.LIST,
                "",
                HISTORY_ENTRIES,
                Importance.MEDIUM,
                "Properties whose change history is sent (one record per change) to the topic of object "
                        + "<object>.property_history (e.g. hubspot.contacts.property_history), as object.property "
                        + "(contacts.lifecyclestage), object.* (every selected property of the object; costly on "
                        + "wide objects) or *.property. Empty = no property history. Costs one extra call per 50 "
                        + "records read, in the initial load and for changed records.",
                GROUP_OBJECTS,
                ++o,
                Width.LONG,
                "Property history");

        o = 0;
        d.define(
                NUMBER_MAPPING,
                Type.STRING,
                "decimal",
                new EnumValidator(NumberMapping.class),
                Importance.MEDIUM,
                "HubSpot number properties as Connect Decimal (decimal: exact, fixed scale) or double.",
                GROUP_MAPPING,
                ++o,
                Width.SHORT,
                "Numbers",
                new EnumValidator(NumberMapping.class));
        d.define(
                DECIMAL_SCALE,
                Type.INT,
                6,
                ConfigDef.Range.between(0, 18),
                Importance.LOW,
                "Scale of Decimal number fields (values with more digits are rounded half-even).",
                GROUP_MAPPING,
                ++o,
                Width.SHORT,
                "Decimal scale");
        d.define(
                MULTICHECKBOX_MAPPING,
                Type.STRING,
                "array",
                new EnumValidator(MultiCheckboxMapping.class),
                Importance.MEDIUM,
                "Multiple-checkbox properties as array<string> (array) or the ';'-joined string.",
                GROUP_MAPPING,
                ++o,
                Width.SHORT,
                "Multiple checkboxes",
                new EnumValidator(MultiCheckboxMapping.class));

        o = 0;
        d.define(
                POLL_INTERVAL_MS,
                Type.LONG,
                10_000L,
                ConfigDef.Range.atLeast(100),
                Importance.MEDIUM,
                "How often each object is searched for changes once the initial load is done.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Poll interval (ms)");
        d.define(
                INDEX_LAG_OVERLAP_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Search index lag covered by re-reading this much of the past on every incremental pass "
                        + "(records already sent are not sent again while the task runs). Tombstones are "
                        + "delayed by the same amount so a lagging index cannot resurrect a deleted record.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Index lag overlap (ms)");
        d.define(
                SEARCH_PAGE_SIZE,
                Type.INT,
                200,
                ConfigDef.Range.between(10, 200),
                Importance.LOW,
                "Search page size.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Search page size");
        d.define(
                DELETES_INTERVAL_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(100),
                Importance.MEDIUM,
                "How often the archived (deleted) records of each object are listed for tombstones.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Delete scan interval (ms)");
        d.define(
                ARCHIVED_EVENTS,
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Also send the archived record (archived=true) right before its tombstone.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Archived records");
        d.define(
                RECONCILE_INTERVAL_MS,
                Type.LONG,
                6 * 3_600_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.MEDIUM,
                "How often all ids of each object are compared with the previous id set, "
                        + "catching deletes outside the 90-day recycle bin, GDPR deletes and merged-away ids.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Reconciliation interval (ms)");
        d.define(
                RECONCILE_CHECKPOINT_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often the set of record ids in each object topic is saved in the connector's offsets "
                        + "(compressed) when it changed, so reconciliation after a restart still knows every id "
                        + "sent before it. Also saved after the initial load and after every reconciliation.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Id checkpoint interval (ms)");

        o = 0;
        d.define(
                PROPERTIES_REFRESH_MS,
                Type.LONG,
                600_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often property definitions are re-read; new properties become new optional fields.",
                GROUP_SNAPSHOTS,
                ++o,
                Width.SHORT,
                "Property refresh (ms)");
        d.define(
                SNAPSHOT_INTERVAL_MS,
                Type.LONG,
                300_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often owners, pipelines and associations are re-read (changes only are sent).",
                GROUP_SNAPSHOTS,
                ++o,
                Width.SHORT,
                "Snapshot interval (ms)");
        d.define(
                CUSTOM_OBJECTS_REFRESH_MS,
                Type.LONG,
                300_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often the connector re-reads the custom object schemas when custom objects are selected: a "
                        + "custom object created (or archived) in HubSpot starts (or stops) being read without a "
                        + "restart, through a reconfiguration of the tasks.",
                GROUP_SNAPSHOTS,
                ++o,
                Width.SHORT,
                "Custom object refresh (ms)");
        d.defineInternal(TASK_STREAMS, Type.LIST, "", Importance.LOW);
        d.defineInternal(TASK_COUNT, Type.INT, 1, Importance.LOW);
        return d;
    }

    private final HubSpotConnectionConfig connection;

    public HubSpotSourceConfig(Map<String, String> props) {
        super(CONFIG, props);
        connection = new HubSpotConnectionConfig(this);
        if (!getString(TOPIC_FORMAT).contains("${object}")) {
            throw new ConfigException(TOPIC_FORMAT, getString(TOPIC_FORMAT), "must contain ${object}");
        }
    }

    HubSpotConnectionConfig connection() {
        return connection;
    }

    String topic(String object) {
        return getString(TOPIC_FORMAT).replace("${object}", object);
    }

    NumberMapping numberMapping() {
        return EnumValidator.parse(NumberMapping.class, getString(NUMBER_MAPPING));
    }

    MultiCheckboxMapping multiCheckboxMapping() {
        return EnumValidator.parse(MultiCheckboxMapping.class, getString(MULTICHECKBOX_MAPPING));
    }

    /** Association pairs from:to. */
    List<String[]> associationPairs() {
        List<String[]> out = new ArrayList<>();
        for (String s : getList(ASSOCIATIONS)) {
            String[] p = s.trim().split(":");
            if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
                throw new ConfigException(ASSOCIATIONS, s, "each pair must be from:to, e.g. contacts:companies");
            }
            out.add(new String[] {p[0].trim(), p[1].trim()});
        }
        return out;
    }

    boolean propertyExcluded(String object, String property) {
        for (String e : getList(PROPERTIES_EXCLUDE)) {
            String t = e.trim();
            if (t.equals(object + "." + property) || t.equals("*." + property)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The properties of an object whose history is read: {@code all} among the given (selected) ones for
     * {@code object.*}, else those named as {@code object.p} or {@code *.p}. Empty = no history for this object.
     */
    List<String> historyProperties(String object, List<String> selected) {
        List<String> out = new ArrayList<>();
        for (String p : selected) {
            for (String e : getList(PROPERTY_HISTORY)) {
                String t = e.trim();
                if (t.equals(object + ".*") || t.equals(object + "." + p) || t.equals("*." + p)) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /** Whether an object (or pseudo object) is selected by the include/exclude lists. */
    boolean selected(String object, String alias) {
        List<String> inc = getList(OBJECTS_INCLUDE);
        List<String> exc = getList(OBJECTS_EXCLUDE);
        if (exc.contains(object) || (alias != null && exc.contains(alias))) {
            return false;
        }
        return inc.isEmpty() || inc.contains(object) || (alias != null && inc.contains(alias));
    }
}
