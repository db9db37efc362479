package io.crmconnect.warehouse.source.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * The change-capture settings both warehouse connectors share, defined once (names, docs, validators) and added to
 * each connector's ConfigDef.
 */
public final class CaptureConfig {
    public static final String TABLES = "tables";
    public static final String MODE = "mode";
    public static final String TOPIC_FORMAT = "topic.format";
    public static final String COLUMN_NAME_CASE = "column.name.case";
    public static final String CHUNK_ROWS = "snapshot.chunk.rows";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String CHANGES_LAG_MS = "changes.lag.ms";
    public static final String CHANGES_GRID_MS = "changes.grid.ms";
    public static final String REPLAY_WINDOW_MS = "changes.replay.window.ms";
    public static final String WATERMARK_DELAY_MS = "watermark.delay.ms";
    public static final String RETENTION_ACTION = "retention.exceeded.action";
    public static final String RETRY_BUDGET_MS = "retry.budget.ms";
    public static final String TASK_TABLES = "task.tables";
    public static final String GROUP = "Change capture";

    /** Names as the warehouse returns them, or lower-cased. */
    public enum NameCase {
        LOWER,
        AS_IS
    }

    private CaptureConfig() {}

    /** Adds the shared keys; {@code lagDefault} and {@code caseDefault} differ per warehouse. */
    public static ConfigDef define(
            ConfigDef def, String system, long lagDefault, NameCase caseDefault, List<CaptureMode> modes) {
        int order = 0;
        def.define(
                TABLES,
                Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE,
                new TablesValidator(),
                Importance.HIGH,
                "Tables to capture, each name:key_column with composite keys as key1+key2 and, for mode watermark, "
                        + "the watermark column after @ (e.g. ANALYTICS.PUBLIC.USERS:ID@UPDATED_AT). The key is the "
                        + "record key and the order of snapshot and change chunks.",
                GROUP,
                ++order,
                Width.LONG,
                "Tables");
        def.define(
                MODE,
                Type.STRING,
                modes.get(0).name().toLowerCase(Locale.ROOT),
                new EnumValidator(modes),
                Importance.HIGH,
                "changes: snapshot as of t0, then every insert, update and delete as net change "
                        + "sets between consecutive points (needs change tracking). append_only: snapshot, then "
                        + "inserted rows only. watermark: rows ordered by (watermark column, key) up to the "
                        + "server's time minus watermark.delay.ms; no deletes; for tables without change tracking.",
                GROUP,
                ++order,
                Width.SHORT,
                "Mode",
                new EnumValidator(modes));
        def.define(
                TOPIC_FORMAT,
                Type.STRING,
                system + ".${table}",
                Importance.MEDIUM,
                "Topic per table; ${table} is the table's last name part in lower case.",
                GROUP,
                ++order,
                Width.MEDIUM,
                "Topic format");
        def.define(
                COLUMN_NAME_CASE,
                Type.STRING,
                caseDefault.name().toLowerCase(Locale.ROOT),
                new EnumValidator(Arrays.asList(NameCase.values())),
                Importance.LOW,
                "Field names of the records: lower (Snowflake returns unquoted names in upper case) or as_is.",
                GROUP,
                ++order,
                Width.SHORT,
                "Column name case");
        def.define(
                CHUNK_ROWS,
                Type.INT,
                50_000,
                ConfigDef.Range.between(2, 10_000_000),
                Importance.MEDIUM,
                "Rows per snapshot or change query (LIMIT); every chunk is one query.",
                GROUP,
                ++order,
                Width.SHORT,
                "Chunk rows");
        def.define(
                POLL_INTERVAL_MS,
                Type.LONG,
                10_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Pause between change reads of a table once it has caught up.",
                GROUP,
                ++order,
                Width.SHORT,
                "Poll interval");
        def.define(
                CHANGES_LAG_MS,
                Type.LONG,
                lagDefault,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "A change interval ends this long before the warehouse's current time.",
                GROUP,
                ++order,
                Width.SHORT,
                "Changes lag");
        def.define(
                CHANGES_GRID_MS,
                Type.LONG,
                1_000L,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Change intervals end on multiples of this; after a restart the first changes.replay.window.ms "
                        + "are re-read one step at a time so no delete is hidden inside a wider interval.",
                GROUP,
                ++order,
                Width.SHORT,
                "Changes grid");
        def.define(
                REPLAY_WINDOW_MS,
                Type.LONG,
                300_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "After a restart, how much time after the committed position is re-read step by step (cover "
                        + "the worker's offset.flush.interval.ms with margin).",
                GROUP,
                ++order,
                Width.SHORT,
                "Replay window");
        def.define(
                WATERMARK_DELAY_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Mode watermark: rows are read up to the server's time minus this. A transaction that commits "
                        + "later than this after stamping its rows is missed; set it above your longest writer.",
                GROUP,
                ++order,
                Width.SHORT,
                "Watermark delay");
        def.define(
                RETENTION_ACTION,
                Type.STRING,
                "fail",
                new EnumValidator(Arrays.asList(RetentionAction.values())),
                Importance.MEDIUM,
                "When the stored position is older than the table's time travel: fail (the task stops and says so) "
                        + "or resnapshot (read the table again; rows deleted meanwhile get no tombstone).",
                GROUP,
                ++order,
                Width.SHORT,
                "Retention exceeded",
                new EnumValidator(Arrays.asList(RetentionAction.values())));
        def.define(
                RETRY_BUDGET_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "How long transient warehouse errors are retried with backoff before the task reports a "
                        + "retriable error to Connect.",
                GROUP,
                ++order,
                Width.SHORT,
                "Retry budget");
        def.defineInternal(TASK_TABLES, Type.LIST, "", Importance.LOW);
        return def;
    }

    public static List<TableSpec> tables(AbstractConfig c, String key) {
        List<TableSpec> out = new ArrayList<>();
        for (String e : c.getList(key)) {
            out.add(TableSpec.parse(key, e));
        }
        return out;
    }

    public static CaptureSettings settings(AbstractConfig c) {
        return new CaptureSettings(
                CaptureMode.valueOf(c.getString(MODE).trim().toUpperCase(Locale.ROOT)),
                c.getInt(CHUNK_ROWS),
                Duration.ofMillis(c.getLong(CHANGES_LAG_MS)),
                Duration.ofMillis(c.getLong(WATERMARK_DELAY_MS)),
                Duration.ofMillis(c.getLong(POLL_INTERVAL_MS)),
                RetentionAction.valueOf(c.getString(RETENTION_ACTION).trim().toUpperCase(Locale.ROOT)),
                Duration.ofMillis(c.getLong(CHANGES_GRID_MS)),
                Duration.ofMillis(c.getLong(REPLAY_WINDOW_MS)));
    }

    public static String topic(AbstractConfig c, TableSpec t) {
        return c.getString(TOPIC_FORMAT).replace("${table}", t.shortName().toLowerCase(Locale.ROOT));
    }

    public static boolean lowerCase(AbstractConfig c) {
        return c.getString(COLUMN_NAME_CASE).trim().equalsIgnoreCase("lower");
    }

    /** Every entry parses; in mode watermark each names its watermark column. */
    static final class TablesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (!(value instanceof List<?> l) || l.isEmpty()) {
                throw new ConfigException(name, value, "name at least one table");
            }
            for (Object o : l) {
                TableSpec.parse(name, String.valueOf(o));
            }
        }

        @Override
        public String toString() {
            return "list of table:key[+key...][@watermark_column]";
        }
    }

    /** Case-insensitive enum validator that also recommends the values (the JDBC sink's style). */
    static final class EnumValidator implements ConfigDef.Validator, ConfigDef.Recommender {
        private final List<String> values;

        EnumValidator(List<? extends Enum<?>> constants) {
            this.values = constants.stream()
                    .map(e -> e.name().toLowerCase(Locale.ROOT))
                    .toList();
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !values.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "must be one of " + values);
            }
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return new ArrayList<>(values);
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }

        @Override
        public String toString() {
            return String.join(", ", values) + " (case-insensitive)";
        }
    }
}
