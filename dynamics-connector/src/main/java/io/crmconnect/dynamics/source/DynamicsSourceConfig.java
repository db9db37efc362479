package io.crmconnect.dynamics.source;

import io.crmconnect.common.EnumValidator;
import io.crmconnect.dynamics.connection.DynamicsConnection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** Every setting of the Dynamics 365 source, declared once: docs, groups, validators and recommenders. */
public final class DynamicsSourceConfig extends AbstractConfig {
    public static final String OVERVIEW = "Reads Dynamics 365 / Dataverse tables into Kafka topics as typed records "
            + "(key = row id): a complete initial load with server-driven paging, then changes through change "
            + "tracking (deletes as tombstones), or a modifiedon watermark for tables without it.";

    public static final String TABLES = "tables";
    public static final String TOPIC_FORMAT = "topic.format";
    public static final String COLUMNS_EXCLUDE = "columns.exclude";
    public static final String CHANGE_MODE = "change.mode";
    public static final String PAGE_SIZE = "page.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String WATERMARK_OVERLAP_MS = "watermark.overlap.ms";
    public static final String RECONCILE_INTERVAL_MS = "reconcile.interval.ms";
    public static final String IDS_CHECKPOINT_MS = "ids.checkpoint.interval.ms";
    public static final String METADATA_REFRESH_MS = "metadata.refresh.interval.ms";
    public static final String TASK_TABLES = "task.tables";
    public static final String TASK_COUNT = "task.count";

    static final String GROUP_TABLES = "Tables and topics";
    static final String GROUP_CHANGES = "Changes";

    /** How a table's changes are read. */
    public enum ChangeMode {
        /** Change tracking when the table has it enabled, else the watermark. */
        AUTO,
        /** Change tracking only; a table without it fails the task with what to do. */
        CHANGE_TRACKING,
        /** The modifiedon + id watermark, even for tables with change tracking. */
        WATERMARK
    }

    public static final ConfigDef CONFIG = configDef();

    private static ConfigDef configDef() {
        ConfigDef d = DynamicsConnection.define(new ConfigDef());
        int o = 0;
        d.define(
                TABLES,
                Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE,
                new TablesValidator(),
                Importance.HIGH,
                "Tables to read, by logical name (contact, account, lead, opportunity, cr123_project). "
                        + "Every readable column is read unless excluded.",
                GROUP_TABLES,
                ++o,
                Width.LONG,
                "Tables");
        d.define(
                TOPIC_FORMAT,
                Type.STRING,
                "dynamics.${table}",
                new TopicFormatValidator(),
                Importance.MEDIUM,
                "Topic of a table; ${table} is its logical name.",
                GROUP_TABLES,
                ++o,
                Width.MEDIUM,
                "Topic format");
        d.define(
                COLUMNS_EXCLUDE,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Columns not read, as table.column or *.column (the primary id is always read).",
                GROUP_TABLES,
                ++o,
                Width.LONG,
                "Excluded columns");
        d.define(
                PAGE_SIZE,
                Type.INT,
                5_000,
                ConfigDef.Range.between(1, 5_000),
                Importance.LOW,
                "Rows per page (odata.maxpagesize; Dataverse's maximum and default is 5,000).",
                GROUP_TABLES,
                ++o,
                Width.SHORT,
                "Page size");
        o = 0;
        d.define(
                CHANGE_MODE,
                Type.STRING,
                "auto",
                new EnumValidator(ChangeMode.class),
                Importance.HIGH,
                "auto: change tracking (deletes included) for tables that have it enabled, the watermark for the "
                        + "rest. change_tracking: only change tracking. watermark: modifiedon + id for every table "
                        + "(deletes found by reconciliation only).",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Change mode",
                new EnumValidator(ChangeMode.class));
        d.define(
                POLL_INTERVAL_MS,
                Type.LONG,
                10_000L,
                ConfigDef.Range.atLeast(100),
                Importance.MEDIUM,
                "How often each table is asked for changes once its initial load is done.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Poll interval (ms)");
        d.define(
                WATERMARK_OVERLAP_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Watermark tables: every pass re-reads this much time before the watermark, so rows committed late "
                        + "or stamped by a web server whose clock lags are still read; rows already sent with the "
                        + "same version are not sent again while the task runs. Change tracking tables: the same "
                        + "overlap is read once after the initial load, for rows changed while it ran.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Watermark overlap (ms)");
        d.define(
                RECONCILE_INTERVAL_MS,
                Type.LONG,
                6 * 3_600_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Watermark tables: how often every id of the table is listed and compared with the ids sent, so "
                        + "deleted rows become tombstones (0 = never).",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Reconcile interval (ms)");
        d.define(
                IDS_CHECKPOINT_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often the ids of the rows in each topic are saved in the connector's offsets when they "
                        + "changed, so a re-snapshot after a restart can still tombstone rows deleted meanwhile.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Id checkpoint interval (ms)");
        d.define(
                METADATA_REFRESH_MS,
                Type.LONG,
                600_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How often table metadata is read again; new columns become new optional fields.",
                GROUP_CHANGES,
                ++o,
                Width.SHORT,
                "Metadata refresh (ms)");
        d.defineInternal(TASK_TABLES, Type.LIST, "", Importance.LOW);
        d.defineInternal(TASK_COUNT, Type.INT, 1, Importance.LOW);
        return d;
    }

    public DynamicsSourceConfig(Map<String, String> props) {
        super(CONFIG, props);
        for (String c : getList(COLUMNS_EXCLUDE)) {
            if (c.trim().indexOf('.') <= 0 || c.trim().endsWith(".")) {
                throw new ConfigException(COLUMNS_EXCLUDE, c, "expected table.column or *.column");
            }
        }
    }

    public DynamicsConnection connection() {
        return DynamicsConnection.of(this);
    }

    List<String> tables() {
        return getList(TABLES).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    String topic(String table) {
        return getString(TOPIC_FORMAT).replace("${table}", table);
    }

    ChangeMode changeMode() {
        return EnumValidator.parse(ChangeMode.class, getString(CHANGE_MODE));
    }

    boolean excluded(String table, String column) {
        for (String e : getList(COLUMNS_EXCLUDE)) {
            String t = e.trim();
            if (t.equals(table + "." + column) || t.equals("*." + column)) {
                return true;
            }
        }
        return false;
    }

    /** At least one table logical name. */
    static final class TablesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof List<?> l)
                    || l.stream().allMatch(t -> t == null || t.toString().isBlank())) {
                throw new ConfigException(name, value, "name at least one table by its logical name");
            }
        }

        @Override
        public String toString() {
            return "comma-separated table logical names, e.g. contact,account";
        }
    }

    /** A topic format that names each table's topic. */
    static final class TopicFormatValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !value.toString().contains("${table}")) {
                throw new ConfigException(name, value, "must contain ${table}");
            }
        }

        @Override
        public String toString() {
            return "a topic name containing ${table}";
        }
    }
}
