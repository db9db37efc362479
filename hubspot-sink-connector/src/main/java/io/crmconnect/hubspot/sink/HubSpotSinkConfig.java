package io.crmconnect.hubspot.sink;

import io.crmconnect.common.EnumValidator;
import io.crmconnect.common.Redact;
import io.crmconnect.hubspot.client.HubSpotConnectionConfig;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the HubSpot sink connector. */
public final class HubSpotSinkConfig extends AbstractConfig {
    public static final String BASE_URL = HubSpotConnectionConfig.BASE_URL;
    public static final String ACCESS_TOKEN = HubSpotConnectionConfig.ACCESS_TOKEN;

    public static final String OBJECT = "object";
    public static final String WRITE_MODE = "write.mode";
    public static final String DELETE_MODE = "delete.mode";
    public static final String BATCH_SIZE = "batch.size";
    public static final String IN_FLIGHT = "batch.max.in.flight";
    public static final String CREATE_READBACK_DELAY_MS = "create.readback.delay.ms";

    public static final String ID_FIELD = "id.field";
    public static final String UNIQUE_PROPERTY = "unique.property";
    public static final String UNIQUE_FIELD = "unique.field";
    public static final String MATCH_TIERS = "match.tiers";
    public static final String MATCH_NORMALIZERS = "match.normalizers";
    public static final String MATCH_DATE_FORMATS = "match.date.formats";
    public static final String MATCH_REQUIRE_EMAIL = "match.create.requires.email";
    public static final String MATCH_SEARCH_RECORDS = "match.search.records.max";
    public static final String MATCH_STRATEGY = "match.strategy";
    public static final String MATCH_INDEX_REFRESH_MS = "match.index.refresh.ms";

    public static final String FIELD_MAPPING = "field.mapping";
    public static final String PROTECTED = "properties.protected";
    public static final String FILL_IF_MISSING = "properties.fill.if.missing";
    public static final String SKIP_IF = "skip.if";
    public static final String NULL_HANDLING = "null.handling";
    public static final String TIMEZONE = "timezone";
    public static final String ENUM_CHECK = "enumeration.check";

    public static final String ASSOCIATIONS = "associations";

    static final String G_TARGET = "Target and identity";
    static final String G_MATCH = "Tiered matching";
    static final String G_FIELDS = "Field rules";
    static final String G_ASSOC = "Associations";
    static final String G_PRIVACY = "Privacy";

    /** What happens to a record with / without an existing HubSpot record. */
    public enum WriteMode {
        UPSERT,
        UPDATE_ONLY,
        CREATE_ONLY
    }

    /** What a tombstone (null value) does. */
    public enum DeleteMode {
        ARCHIVE,
        IGNORE
    }

    /** How non-unique match tiers find candidates. */
    public enum MatchStrategy {
        SEARCH,
        INDEX
    }

    /** What a null field value does to HubSpot's value. */
    public enum NullHandling {
        SKIP,
        CLEAR
    }

    public static final ConfigDef CONFIG = configDef();

    private static ConfigDef configDef() {
        ConfigDef d = new ConfigDef();
        // credentials, base URL, tier, budget shares, retries, timeouts: shared by every HubSpot plugin
        HubSpotConnectionConfig.define(d);

        int o = 0;
        d.define(
                OBJECT,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Target object: a standard object name (contacts, companies, deals, tickets, ...), an object type "
                        + "id (0-1, 2-1234567) or a custom object's name / fullyQualifiedName.",
                G_TARGET,
                ++o,
                Width.MEDIUM,
                "Object");
        d.define(
                WRITE_MODE,
                Type.STRING,
                "upsert",
                new EnumValidator(WriteMode.class),
                Importance.HIGH,
                "upsert: update the identified record, else create it. update_only: records with "
                        + "no existing HubSpot record go to the DLQ (NOT_FOUND). create_only: records that already "
                        + "exist are skipped.",
                G_TARGET,
                ++o,
                Width.SHORT,
                "Write mode",
                new EnumValidator(WriteMode.class));
        d.define(
                DELETE_MODE,
                Type.STRING,
                "ignore",
                new EnumValidator(DeleteMode.class),
                Importance.MEDIUM,
                "Tombstones (null value): archive the identified object (key = HubSpot id or unique value) or "
                        + "ignore them. Operations on one key apply in offset order (an upsert then a tombstone of "
                        + "the same key in one batch leaves it archived).",
                G_TARGET,
                ++o,
                Width.SHORT,
                "Delete mode",
                new EnumValidator(DeleteMode.class));
        d.define(
                BATCH_SIZE,
                Type.INT,
                100,
                ConfigDef.Range.between(1, 100),
                Importance.LOW,
                "Inputs per batch call (HubSpot's limit is 100).",
                G_TARGET,
                ++o,
                Width.SHORT,
                "Batch size");
        d.define(
                IN_FLIGHT,
                Type.INT,
                3,
                ConfigDef.Range.between(1, 10),
                Importance.LOW,
                "Batch calls of one put() sent concurrently (records of one identity stay in order; the rate "
                        + "budget paces all of them).",
                G_TARGET,
                ++o,
                Width.SHORT,
                "Calls in flight");
        d.define(
                CREATE_READBACK_DELAY_MS,
                Type.LONG,
                5_000L,
                ConfigDef.Range.between(0, 120_000),
                Importance.LOW,
                "A plain create (no unique key to upsert by) whose answer was lost (timeout, reset, 5xx) may have "
                        + "been committed: it is never sent again blindly. The sink waits this long for HubSpot's "
                        + "search index, then looks the records up by their match tiers; only those not found are "
                        + "created. Keep it above the portal's search index lag.",
                G_TARGET,
                ++o,
                Width.SHORT,
                "Create read-back delay");
        d.define(
                ID_FIELD,
                Type.STRING,
                "",
                Importance.HIGH,
                "Record field holding the HubSpot record id (hs_object_id), or _key for the record key. Tried "
                        + "first; an id that no longer exists falls through to the next identity.",
                G_TARGET,
                ++o,
                Width.MEDIUM,
                "Id field");
        d.define(
                UNIQUE_PROPERTY,
                Type.STRING,
                "",
                Importance.HIGH,
                "A HubSpot property with unique values (hasUniqueValue; email for contacts) used as identity "
                        + "(batch upsert with idProperty). With match tiers it is also the write-back key: the "
                        + "record's value is written to it after a match, so later writes take the fast path.",
                G_TARGET,
                ++o,
                Width.MEDIUM,
                "Unique property");
        d.define(
                UNIQUE_FIELD,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Record field holding the unique value (default: the field mapped to unique.property).",
                G_TARGET,
                ++o,
                Width.MEDIUM,
                "Unique field");

        o = 0;
        d.define(
                MATCH_TIERS,
                Type.STRING,
                "",
                Importance.HIGH,
                "Ordered match tiers over HubSpot properties, tiers separated by ';', properties of a tier by ',' "
                        + "(e.g. email;firstname,lastname,date_of_birth;address,address2,city,state,zip). Each "
                        + "property is compared after normalization; the first tier with exactly one hit wins, more "
                        + "than one hit is AMBIGUOUS (DLQ), no hit moves to the next tier. Matching is batched "
                        + "(batch read for unique properties, IN searches for the rest).",
                G_MATCH,
                ++o,
                Width.LONG,
                "Match tiers");
        d.define(
                MATCH_NORMALIZERS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "property:normalizer pairs (email, name, date, address, postal_code, phone, text). Default by "
                        + "property: email -> email, date properties -> date, zip/postal -> postal_code, "
                        + "address* -> address, everything else -> name.",
                G_MATCH,
                ++o,
                Width.LONG,
                "Normalizers");
        d.define(
                MATCH_DATE_FORMATS,
                Type.LIST,
                "",
                Importance.LOW,
                "Date patterns accepted for date match keys (default: ISO, US month-first, day-first).",
                G_MATCH,
                ++o,
                Width.LONG,
                "Date formats");
        d.define(
                MATCH_STRATEGY,
                Type.STRING,
                "search",
                new EnumValidator(MatchStrategy.class),
                Importance.MEDIUM,
                "How non-unique tiers find candidates. search: batched IN searches over the "
                        + "records' blocking values (5 searches/s; best for trickles into a big portal). index: "
                        + "the portal's match keys are listed once (100 records per general call) and kept fresh "
                        + "with a last-modified search per batch and this task's own writes (best for bulk "
                        + "first-time matching).",
                G_MATCH,
                ++o,
                Width.SHORT,
                "Match strategy",
                new EnumValidator(MatchStrategy.class));
        d.define(
                MATCH_INDEX_REFRESH_MS,
                Type.LONG,
                30_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "match.strategy=index: how often changes made in HubSpot by others are read into the index (one "
                        + "last-modified search; 0 = before every batch). This task's own writes apply at once.",
                G_MATCH,
                ++o,
                Width.SHORT,
                "Index refresh");
        d.define(
                MATCH_SEARCH_RECORDS,
                Type.INT,
                500,
                ConfigDef.Range.between(1, 1000),
                Importance.LOW,
                "Most records whose candidates are searched with one IN search (also bounded by HubSpot's "
                        + "3,000-character body limit, which is usually reached first).",
                G_MATCH,
                ++o,
                Width.SHORT,
                "Records per search");
        d.define(
                MATCH_REQUIRE_EMAIL,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Contacts with match tiers: a record with no email that matches nothing is quarantined (DLQ "
                        + "NO_EMAIL_NO_MATCH) instead of creating a contact nobody can find again.",
                G_MATCH,
                ++o,
                Width.SHORT,
                "Require email to create");

        o = 0;
        d.define(
                FIELD_MAPPING,
                Type.LIST,
                "",
                Importance.HIGH,
                "recordField:property pairs (nested fields with dots). Empty = every top-level field to the "
                        + "property of the same name. Fields not listed are not written.",
                G_FIELDS,
                ++o,
                Width.LONG,
                "Field mapping");
        d.define(
                PROTECTED,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Properties never written (edited only by HubSpot users).",
                G_FIELDS,
                ++o,
                Width.LONG,
                "Protected");
        d.define(
                FILL_IF_MISSING,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Properties written only when HubSpot's current value is empty.",
                G_FIELDS,
                ++o,
                Width.LONG,
                "Fill if missing");
        d.define(
                SKIP_IF,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Guards on the current HubSpot record: a record whose target matches any guard is skipped "
                        + "(counted, not written). A guard is one condition or several joined by & that must all "
                        + "hold: property=value (case-insensitive), property!=value, property=* (has a value), "
                        + "property!=* (has none); e.g. processing_status=Processed&processing_datetime=*.",
                G_FIELDS,
                ++o,
                Width.LONG,
                "Skip guards");
        d.define(
                NULL_HANDLING,
                Type.STRING,
                "skip",
                new EnumValidator(NullHandling.class),
                Importance.MEDIUM,
                "Null field values: skip (leave HubSpot's value) or clear (write an empty value).",
                G_FIELDS,
                ++o,
                Width.SHORT,
                "Nulls");
        d.define(
                TIMEZONE,
                Type.STRING,
                "UTC",
                new ConfigDef.Validator() {
                    @Override
                    public void ensureValid(String name, Object value) {
                        try {
                            ZoneId.of((String) value);
                        } catch (DateTimeException | NullPointerException e) {
                            throw new ConfigException(name, value, "not a time zone id (e.g. America/New_York)");
                        }
                    }

                    @Override
                    public String toString() {
                        return "a time zone id, e.g. UTC or America/New_York";
                    }
                },
                Importance.MEDIUM,
                "Zone of local dates and times in records: local date-times are read in this zone, "
                        + "timestamps become dates in this zone, then dates are sent as midnight UTC epoch millis.",
                G_FIELDS,
                ++o,
                Width.MEDIUM,
                "Time zone");
        d.define(
                ENUM_CHECK,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Check enumeration values against the property's options before sending (DLQ INVALID_OPTION).",
                G_FIELDS,
                ++o,
                Width.SHORT,
                "Check enumerations");

        d.define(
                ASSOCIATIONS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Association rules, each field>toObject.toProperty[/label] (e.g. patient_email>contacts.email/Patient"
                        + " or company_id>companies.hs_object_id). The field's value finds the target by id or "
                        + "unique property; the label (or the default type when omitted) is created.",
                G_ASSOC,
                1,
                Width.LONG,
                "Associations");
        Redact.define(d, G_PRIVACY, 1);
        return d;
    }

    /** One association rule. */
    public record AssociationRule(String field, String toObject, String toProperty, String label) {
        static AssociationRule parse(String s) {
            int gt = s.indexOf('>');
            int dot = s.indexOf('.', gt + 1);
            if (gt <= 0 || dot <= gt + 1 || dot == s.length() - 1) {
                throw new ConfigException(ASSOCIATIONS, s, "expected field>toObject.toProperty[/label]");
            }
            String rest = s.substring(dot + 1);
            int slash = rest.indexOf('/');
            return new AssociationRule(
                    s.substring(0, gt).trim(),
                    s.substring(gt + 1, dot).trim(),
                    (slash < 0 ? rest : rest.substring(0, slash)).trim(),
                    slash < 0 ? null : rest.substring(slash + 1).trim());
        }
    }

    private final HubSpotConnectionConfig connection;

    public HubSpotSinkConfig(Map<String, String> props) {
        super(CONFIG, props);
        connection = new HubSpotConnectionConfig(this);
        mapping();
        tiers();
        associations();
        skipGuards();
        normalizers();
    }

    public HubSpotConnectionConfig connection() {
        return connection;
    }

    public String object() {
        return getString(OBJECT).trim();
    }

    public WriteMode writeMode() {
        return EnumValidator.parse(WriteMode.class, getString(WRITE_MODE));
    }

    public DeleteMode deleteMode() {
        return EnumValidator.parse(DeleteMode.class, getString(DELETE_MODE));
    }

    public MatchStrategy matchStrategy() {
        return EnumValidator.parse(MatchStrategy.class, getString(MATCH_STRATEGY));
    }

    public NullHandling nullHandling() {
        return EnumValidator.parse(NullHandling.class, getString(NULL_HANDLING));
    }

    public ZoneId zone() {
        return ZoneId.of(getString(TIMEZONE));
    }

    /** recordField -> property, in order; empty = identity mapping. */
    public Map<String, String> mapping() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : getList(FIELD_MAPPING)) {
            int c = s.indexOf(':');
            if (c <= 0 || c == s.length() - 1) {
                throw new ConfigException(FIELD_MAPPING, s, "expected recordField:property");
            }
            m.put(s.substring(0, c).trim(), s.substring(c + 1).trim());
        }
        return m;
    }

    /** Tiers of property names. */
    public List<List<String>> tiers() {
        List<List<String>> out = new ArrayList<>();
        String v = getString(MATCH_TIERS).trim();
        if (v.isEmpty()) {
            return out;
        }
        for (String t : v.split(";")) {
            List<String> props = new ArrayList<>();
            for (String p : t.split(",")) {
                if (!p.isBlank()) {
                    props.add(p.trim());
                }
            }
            if (props.isEmpty()) {
                throw new ConfigException(MATCH_TIERS, v, "a tier has no property");
            }
            out.add(props);
        }
        return out;
    }

    public Map<String, String> normalizers() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : getList(MATCH_NORMALIZERS)) {
            int c = s.indexOf(':');
            String n = c < 0 ? "" : s.substring(c + 1).trim();
            if (c <= 0 || !MatchKeys.NORMALIZERS.contains(n)) {
                throw new ConfigException(
                        MATCH_NORMALIZERS,
                        s,
                        "expected property:normalizer with normalizer one of " + MatchKeys.NORMALIZERS);
            }
            m.put(s.substring(0, c).trim(), n);
        }
        return m;
    }

    public List<AssociationRule> associations() {
        List<AssociationRule> out = new ArrayList<>();
        for (String s : getList(ASSOCIATIONS)) {
            out.add(AssociationRule.parse(s.trim()));
        }
        return out;
    }

    /** The skip guards: any one that matches the current HubSpot record skips the incoming record. */
    List<SkipGuard> skipGuards() {
        List<SkipGuard> out = new ArrayList<>();
        for (String s : getList(SKIP_IF)) {
            out.add(SkipGuard.parse(SKIP_IF, s));
        }
        return out;
    }
}
