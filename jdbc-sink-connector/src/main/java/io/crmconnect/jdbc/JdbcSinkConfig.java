package io.crmconnect.jdbc;

import io.crmconnect.common.EnumValidator;
import io.crmconnect.common.Redact;
import io.crmconnect.jdbc.dialect.Timeouts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Every setting of the JDBC sink, declared once: docs, groups, validators and recommenders. */
public final class JdbcSinkConfig extends AbstractConfig {

    public static final String OVERVIEW = "Writes Kafka records into PostgreSQL or MariaDB tables: typed upserts "
            + "through a bulk stage (COPY on PostgreSQL, LOAD DATA LOCAL INFILE on MariaDB) and one merge statement, "
            + "automatic table creation and evolution, schemaless JSON values, hard or soft deletes, and optional "
            + "SCD2 history and change-log tables kept beside each current-state table.";

    // ---- Connection
    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
    public static final String STATEMENT_TIMEOUT_MS = "statement.timeout.ms";
    public static final String LOCK_TIMEOUT_MS = "lock.timeout.ms";

    // ---- Writes
    public static final String INSERT_MODE = "insert.mode";
    public static final String DELETE_MODE = "delete.mode";
    public static final String BATCH_SIZE = "batch.size";

    // ---- Data mapping
    public static final String PK_MODE = "pk.mode";
    public static final String PK_FIELDS = "pk.fields";
    public static final String TABLE_NAME_FORMAT = "table.name.format";
    public static final String COLUMN_PREFIX = "column.prefix";
    public static final String METADATA_COLUMNS = "metadata.columns";
    public static final String METADATA_COLUMN_PREFIX = "metadata.column.prefix";
    public static final String SCHEMALESS_MODE = "schemaless.mode";
    public static final String SCHEMALESS_JSON_COLUMN = "schemaless.json.column";
    public static final String RECORD_SHAPE_ENABLED = "record.shape.enabled";
    public static final String PROPERTY_COLUMN_PREFIX = "property.column.prefix";
    public static final String HEADER_COLUMNS = "header.columns";
    public static final String CHILD_TABLES = "child.tables";

    // ---- DDL
    public static final String AUTO_CREATE = "auto.create";
    public static final String AUTO_EVOLVE = "auto.evolve";
    public static final String UPDATED_AT_FIELD = "updated.at.field";
    public static final String TABLE_INDEXES = "table.indexes";
    public static final String SYNC_STATE_TABLE = "sync.state.table";

    // ---- History
    public static final String HISTORY_SCD2_ENABLED = "history.scd2.enabled";
    public static final String HISTORY_SCD2_SUFFIX = "history.scd2.table.suffix";
    public static final String HISTORY_SCD2_TRACKED_FIELDS = "history.scd2.tracked.fields";
    public static final String HISTORY_CHANGELOG_ENABLED = "history.changelog.enabled";
    public static final String HISTORY_CHANGELOG_SUFFIX = "history.changelog.table.suffix";

    // ---- Retries
    public static final String RETRY_MAX_ATTEMPTS = "retry.max.attempts";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String RETRY_BUDGET_MS = "retry.budget.ms";

    static final String GROUP_CONNECTION = "Connection";
    static final String GROUP_WRITES = "Writes";
    static final String GROUP_MAPPING = "Data mapping";
    static final String GROUP_DDL = "DDL";
    static final String GROUP_HISTORY = "History";
    static final String GROUP_RETRIES = "Retries";

    public enum InsertMode {
        UPSERT,
        INSERT,
        UPDATE
    }

    public enum DeleteMode {
        NONE,
        HARD,
        SOFT
    }

    public enum PkMode {
        RECORD_KEY,
        RECORD_VALUE,
        KAFKA,
        NONE
    }

    public enum SchemalessMode {
        INFER,
        JSON
    }

    public enum MetadataColumn {
        SYNCED_AT,
        KAFKA_TOPIC,
        KAFKA_PARTITION,
        KAFKA_OFFSET
    }

    public static final ConfigDef CONFIG_DEF = buildConfigDef();

    public JdbcSinkConfig(Map<String, ?> props) {
        super(CONFIG_DEF, props);
    }

    private static ConfigDef buildConfigDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                CONNECTION_URL,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new JdbcUrlValidator(),
                Importance.HIGH,
                "JDBC URL of the target database: jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db. "
                        + "The dialect follows from the URL. The MariaDB driver is always given allowLocalInfile=true "
                        + "(the bulk path streams LOAD DATA LOCAL INFILE from memory, never from a file).",
                GROUP_CONNECTION,
                ++order,
                Width.LONG,
                "JDBC URL");
        def.define(
                CONNECTION_USER,
                Type.STRING,
                null,
                Importance.HIGH,
                "Database user. Needs CREATE (when auto.create/auto.evolve are on), INSERT, UPDATE, DELETE and "
                        + "temporary-table rights.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "User");
        def.define(
                CONNECTION_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.HIGH,
                "Database password.",
                GROUP_CONNECTION,
                ++order,
                Width.MEDIUM,
                "Password");
        def.define(
                CONNECTION_TIMEOUT_MS,
                Type.INT,
                10_000,
                ConfigDef.Range.between(1_000, 120_000),
                Importance.LOW,
                "Connect and login timeout in milliseconds; also bounds the live check in validate(). Must be "
                        + "below retry.budget.ms; when not set, half of a retry.budget.ms below 20000 (at least 1000).",
                GROUP_CONNECTION,
                ++order,
                Width.SHORT,
                "Connection timeout (ms)");
        def.define(
                STATEMENT_TIMEOUT_MS,
                Type.INT,
                30_000,
                ConfigDef.Range.between(1_000, 600_000),
                Importance.LOW,
                "Longest a statement may run (DDL, the bulk load of a chunk, the merge): the server cancels it "
                        + "(PostgreSQL statement_timeout, MariaDB max_statement_time) and the chunk is retried. The "
                        + "driver's socket read timeout is this plus 1 to 5 s, so a server that stops answering is "
                        + "noticed too. Together with that margin it must be below retry.budget.ms; when not set, half "
                        + "of a retry.budget.ms below 60000 (at least 1000). Raise it with very large batch.size "
                        + "values.",
                GROUP_CONNECTION,
                ++order,
                Width.SHORT,
                "Statement timeout (ms)");
        def.define(
                LOCK_TIMEOUT_MS,
                Type.INT,
                10_000,
                ConfigDef.Range.between(100, 600_000),
                Importance.LOW,
                "Longest a statement waits for a lock, e.g. an ALTER TABLE behind a long-running reader or a row "
                        + "another writer holds (PostgreSQL lock_timeout; MariaDB lock_wait_timeout and "
                        + "innodb_lock_wait_timeout, in whole seconds). Then the chunk is retried. At most "
                        + "statement.timeout.ms; when not set, 10000 or the statement timeout if that is smaller.",
                GROUP_CONNECTION,
                ++order,
                Width.SHORT,
                "Lock timeout (ms)");

        order = 0;
        def.define(
                INSERT_MODE,
                Type.STRING,
                "upsert",
                new EnumValidator(InsertMode.class),
                Importance.HIGH,
                "upsert: insert new keys and update existing ones (ON CONFLICT DO UPDATE / ON DUPLICATE KEY "
                        + "UPDATE). insert: insert new keys; with a primary key, rows whose key exists are left "
                        + "unchanged (idempotent on replay). update: update existing rows only.",
                GROUP_WRITES,
                ++order,
                Width.SHORT,
                "Insert mode",
                new EnumValidator(InsertMode.class));
        def.define(
                DELETE_MODE,
                Type.STRING,
                "hard",
                new EnumValidator(DeleteMode.class),
                Importance.MEDIUM,
                "What a tombstone (null value) does. hard: DELETE the row. soft: keep the row and set the deleted "
                        + "flag and deleted-at columns (<metadata.column.prefix>deleted, ..._deleted_at). none: "
                        + "tombstones are skipped and counted. hard and soft need pk.mode=record_key.",
                GROUP_WRITES,
                ++order,
                Width.SHORT,
                "Delete mode",
                new EnumValidator(DeleteMode.class));
        def.define(
                BATCH_SIZE,
                Type.INT,
                10_000,
                ConfigDef.Range.between(1, 1_000_000),
                Importance.MEDIUM,
                "Most records staged and merged in one transaction. Raise consumer.override.max.poll.records "
                        + "to the same value to get full batches.",
                GROUP_WRITES,
                ++order,
                Width.SHORT,
                "Batch size");

        order = 0;
        def.define(
                PK_MODE,
                Type.STRING,
                "record_key",
                new EnumValidator(PkMode.class),
                Importance.HIGH,
                "Where the primary key comes from. record_key: the record key (a primitive becomes one column "
                        + "named by pk.fields, default 'id'; a Struct or Map gives its fields, filtered by pk.fields). "
                        + "record_value: the value fields named in pk.fields. kafka: topic, partition, offset. "
                        + "none: no key (insert mode only).",
                GROUP_MAPPING,
                ++order,
                Width.MEDIUM,
                "Primary key mode",
                new EnumValidator(PkMode.class));
        def.define(
                PK_FIELDS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Primary key field names. Required for pk.mode=record_value; optional for record_key.",
                GROUP_MAPPING,
                ++order,
                Width.LONG,
                "Primary key fields");
        def.define(
                TABLE_NAME_FORMAT,
                Type.STRING,
                "${topic}",
                new TableFormatValidator(),
                Importance.MEDIUM,
                "Table name for a topic; ${topic} is replaced by the topic name with every character other than "
                        + "letters, digits and '_' turned into '_'. A '.' in the format separates the schema "
                        + "(PostgreSQL) or database (MariaDB) from the table, e.g. hubspot.${topic}; it is created "
                        + "when missing (with auto.create). Names are always quoted, so mixed case and reserved words "
                        + "(e.g. 'Order') work as written. To drop a topic prefix (hubspot.contacts -> table "
                        + "contacts), put Kafka's RegexRouter before the sink.",
                GROUP_MAPPING,
                ++order,
                Width.MEDIUM,
                "Table name format");
        def.define(
                COLUMN_PREFIX,
                Type.STRING,
                "",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Prefix for every column taken from the value of records that do not describe their shape (see "
                        + "record.shape.enabled). Key columns from the record key are not prefixed.",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Column prefix");
        def.define(
                METADATA_COLUMNS,
                Type.LIST,
                "synced_at",
                new MetadataColumnsValidator(),
                Importance.LOW,
                "Metadata columns to write: synced_at (time of the write, column <prefix>synced, like Fivetran's "
                        + "_fivetran_synced), kafka_topic, kafka_partition, kafka_offset (columns <prefix>kafka_topic "
                        + "...). delete.mode=soft adds <prefix>deleted and <prefix>deleted_at by itself.",
                GROUP_MAPPING,
                ++order,
                Width.LONG,
                "Metadata columns",
                new MetadataColumnsValidator());
        def.define(
                METADATA_COLUMN_PREFIX,
                Type.STRING,
                "_crmconnect_",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Prefix of the columns the sink adds itself: _crmconnect_synced, _crmconnect_deleted, "
                        + "_crmconnect_deleted_at, _crmconnect_kafka_offset, and the bookkeeping columns of history "
                        + "tables (_crmconnect_valid_from ...).",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Metadata column prefix");
        def.define(
                SCHEMALESS_MODE,
                Type.STRING,
                "infer",
                new EnumValidator(SchemalessMode.class),
                Importance.MEDIUM,
                "Values without a schema (JSON maps). infer: one column per top-level field, types inferred "
                        + "(integers bigint, fractions double, nested objects/arrays JSON) and widened safely "
                        + "(an integer column becomes numeric when a fraction arrives; never narrowed). json: the "
                        + "whole value goes into one JSON column (schemaless.json.column) beside the key columns.",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Schemaless values",
                new EnumValidator(SchemalessMode.class));
        def.define(
                SCHEMALESS_JSON_COLUMN,
                Type.STRING,
                "payload",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Column that holds the whole value when schemaless.mode=json.",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Schemaless JSON column",
                new VisibleWhen(SCHEMALESS_MODE, "json"));
        def.define(
                RECORD_SHAPE_ENABLED,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Follow the layout a CRM source describes in its value schema (parameters crmconnect.metadata.fields, "
                        + "crmconnect.integer.fields, crmconnect.key.field, set by the HubSpot source), as Fivetran "
                        + "lays out HubSpot tables: record metadata fields become unprefixed snake_case columns "
                        + "(createdAt -> created_at, archived), the other fields (CRM properties) get "
                        + "property.column.prefix (property_email), text ids become BIGINT columns, and so does the "
                        + "key column when the value's id field repeats the key (id BIGINT). Records without these "
                        + "parameters are not affected. false: every value field gets column.prefix and keeps its name.",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Record shape");
        def.define(
                PROPERTY_COLUMN_PREFIX,
                Type.STRING,
                "property_",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Prefix of the columns of CRM property fields of records that describe their shape (see "
                        + "record.shape.enabled), e.g. property_email. column.prefix applies to other records.",
                GROUP_MAPPING,
                ++order,
                Width.SHORT,
                "Property column prefix",
                new VisibleWhen(RECORD_SHAPE_ENABLED, "true"));

        def.define(
                HEADER_COLUMNS,
                Type.LIST,
                "",
                new PairListValidator("header:column"),
                Importance.LOW,
                "Record headers written to columns, as header:column pairs, e.g. hubspot.portal:portal_id (the "
                        + "HubSpot source writes its hubspot.portal.id to the hubspot.portal header). The column holds "
                        + "the header's text, NULL when a record has no such header.",
                GROUP_MAPPING,
                ++order,
                Width.LONG,
                "Header columns");

        def.define(
                CHILD_TABLES,
                Type.LIST,
                "",
                new ChildTablesValidator(),
                Importance.LOW,
                "Value fields holding arrays of structs written as rows of a table beside the parent's, named "
                        + "<table>_<field> (a HubSpot pipeline's stages: child.tables=stages:pipeline_id gives "
                        + "hubspot_pipelines_stages). Entries are field or field:parent_column; the child table has "
                        + "the parent key (column parent_column, default parent_<key column>), then the element's "
                        + "fields (snake_case with record.shape.enabled), keyed by the parent key and the element's id "
                        + "(or a position column). A parent's rows are replaced in the parent's transaction; a hard "
                        + "delete of the parent deletes them.",
                GROUP_MAPPING,
                ++order,
                Width.LONG,
                "Child tables");

        order = 0;
        def.define(
                AUTO_CREATE,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Create missing tables with types from the record schema, the primary key, and an index on "
                        + "updated.at.field when set.",
                GROUP_DDL,
                ++order,
                Width.SHORT,
                "Auto create");
        def.define(
                AUTO_EVOLVE,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Add a nullable column for each new field. Columns are never dropped or narrowed.",
                GROUP_DDL,
                ++order,
                Width.SHORT,
                "Auto evolve");
        def.define(
                UPDATED_AT_FIELD,
                Type.STRING,
                "",
                Importance.LOW,
                "Value field holding the object's last-modified time (e.g. 'updatedAt'). When set, auto.create "
                        + "adds an index on its column.",
                GROUP_DDL,
                ++order,
                Width.MEDIUM,
                "Updated-at field");

        def.define(
                TABLE_INDEXES,
                Type.LIST,
                "",
                new IndexListValidator(),
                Importance.MEDIUM,
                "Indexes users query by, created on every table that has their columns (when the table is created, "
                        + "or when the columns appear; CREATE INDEX IF NOT EXISTS once per task). Each entry names a "
                        + "value field (hubspot_owner_id, createdAt: the column it lands in is used) or a column "
                        + "(created_at); a+b is one index over both. E.g. hubspot_owner_id,createdAt,updatedAt,"
                        + "fromId,toId for HubSpot objects and association tables.",
                GROUP_DDL,
                ++order,
                Width.LONG,
                "Table indexes");

        def.define(
                SYNC_STATE_TABLE,
                Type.STRING,
                "_crmconnect_sync_state",
                new IdentifierPartValidator(64),
                Importance.LOW,
                "Table (created when missing) with one row per table the connector writes: table_name, "
                        + "last_synced_at (last committed write), rows_upserted and rows_deleted (since the row was "
                        + "created), records_rejected (sent to the DLQ), status (ok, rejected_records), last_error "
                        + "and last_error_at (the reason of the last rejection, names only, never values). Counts are "
                        + "written in the transaction of the rows they count. Empty: no sync-state table.",
                GROUP_DDL,
                ++order,
                Width.MEDIUM,
                "Sync-state table");

        order = 0;
        def.define(
                HISTORY_SCD2_ENABLED,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Keep an SCD2 history table beside each table: one row per version with valid_from, valid_to, "
                        + "is_current; a version is added only when tracked values change; deletes close the current "
                        + "version with a deleted marker. Idempotent on replay (each version remembers the Kafka "
                        + "topic/partition/offset that made it).",
                GROUP_HISTORY,
                ++order,
                Width.SHORT,
                "SCD2 history");
        def.define(
                HISTORY_SCD2_SUFFIX,
                Type.STRING,
                "_history",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Suffix of the SCD2 history table name.",
                GROUP_HISTORY,
                ++order,
                Width.SHORT,
                "SCD2 table suffix",
                new VisibleWhen(HISTORY_SCD2_ENABLED, "true"));
        def.define(
                HISTORY_SCD2_TRACKED_FIELDS,
                Type.LIST,
                "",
                Importance.LOW,
                "Value fields whose change creates a new version. Empty: every value field.",
                GROUP_HISTORY,
                ++order,
                Width.LONG,
                "SCD2 tracked fields",
                new VisibleWhen(HISTORY_SCD2_ENABLED, "true"));
        def.define(
                HISTORY_CHANGELOG_ENABLED,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Keep an append-only change-log table beside each table: one row per record (op u or d) keyed by "
                        + "Kafka topic/partition/offset, so replays add nothing.",
                GROUP_HISTORY,
                ++order,
                Width.SHORT,
                "Change log");
        def.define(
                HISTORY_CHANGELOG_SUFFIX,
                Type.STRING,
                "_changelog",
                new IdentifierPartValidator(),
                Importance.LOW,
                "Suffix of the change-log table name.",
                GROUP_HISTORY,
                ++order,
                Width.SHORT,
                "Change-log table suffix",
                new VisibleWhen(HISTORY_CHANGELOG_ENABLED, "true"));

        order = 0;
        def.define(
                RETRY_MAX_ATTEMPTS,
                Type.INT,
                8,
                ConfigDef.Range.between(1, 100),
                Importance.LOW,
                "Attempts for a batch that meets a transient fault (connection lost, deadlock, serialization "
                        + "failure, server shutting down) before put() gives up with a RetriableException.",
                GROUP_RETRIES,
                ++order,
                Width.SHORT,
                "Retry attempts");
        def.define(
                RETRY_BACKOFF_MS,
                Type.LONG,
                500L,
                ConfigDef.Range.between(0, 60_000),
                Importance.LOW,
                "First retry delay; doubles each attempt, with jitter.",
                GROUP_RETRIES,
                ++order,
                Width.SHORT,
                "Retry backoff (ms)");
        def.define(
                RETRY_BACKOFF_MAX_MS,
                Type.LONG,
                10_000L,
                ConfigDef.Range.between(0, 300_000),
                Importance.LOW,
                "Longest retry delay.",
                GROUP_RETRIES,
                ++order,
                Width.SHORT,
                "Max retry backoff (ms)");
        def.define(
                RETRY_BUDGET_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.between(0, 240_000),
                Importance.LOW,
                "Total time one put() may spend retrying; keep it well below the consumer's "
                        + "max.poll.interval.ms (default 300000).",
                GROUP_RETRIES,
                ++order,
                Width.SHORT,
                "Retry budget (ms)");
        Redact.define(def, "Privacy", 1);
        return def;
    }

    // ---------------------------------------------------------------- typed accessors

    public String url() {
        return getString(CONNECTION_URL);
    }

    public String user() {
        return getString(CONNECTION_USER);
    }

    public String password() {
        Password p = getPassword(CONNECTION_PASSWORD);
        return p == null ? null : p.value();
    }

    public int connectionTimeoutMs() {
        return getInt(CONNECTION_TIMEOUT_MS);
    }

    /** Every wait on the database: connect, socket reads, statements, locks. */
    public Timeouts timeouts() {
        return timeouts(originalsStrings());
    }

    /**
     * The waits as configured; a timeout left at its default is lowered to half of a small retry.budget.ms (never
     * below 1 s), so a hang still leaves room for a retry. Timeouts set explicitly are checked by the cross-field
     * rules instead.
     */
    static Timeouts timeouts(Map<String, String> props) {
        long budget = longOr(props, RETRY_BUDGET_MS, 60_000L);
        int cap = budget <= 0 ? Integer.MAX_VALUE : (int) Math.max(1_000, Math.min(Integer.MAX_VALUE, budget / 2));
        int connect = explicitOr(props, CONNECTION_TIMEOUT_MS, Math.min(10_000, cap));
        int statement = explicitOr(props, STATEMENT_TIMEOUT_MS, Math.min(30_000, cap));
        int lock = explicitOr(props, LOCK_TIMEOUT_MS, Math.min(10_000, statement));
        return new Timeouts(connect, statement, lock);
    }

    private static int explicitOr(Map<String, String> props, String key, int dflt) {
        String v = props.get(key);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    private static long longOr(Map<String, String> props, String key, long dflt) {
        String v = props.get(key);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }

    public InsertMode insertMode() {
        return parse(InsertMode.class, getString(INSERT_MODE));
    }

    public DeleteMode deleteMode() {
        return parse(DeleteMode.class, getString(DELETE_MODE));
    }

    public PkMode pkMode() {
        return parse(PkMode.class, getString(PK_MODE));
    }

    public SchemalessMode schemalessMode() {
        return parse(SchemalessMode.class, getString(SCHEMALESS_MODE));
    }

    public List<String> pkFields() {
        return trimmed(getList(PK_FIELDS));
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public String columnPrefix() {
        return getString(COLUMN_PREFIX);
    }

    public String metadataPrefix() {
        return getString(METADATA_COLUMN_PREFIX);
    }

    public Set<MetadataColumn> metadataColumns() {
        return trimmed(getList(METADATA_COLUMNS)).stream()
                .map(v -> parse(MetadataColumn.class, v))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MetadataColumn.class)));
    }

    public boolean recordShapeEnabled() {
        return getBoolean(RECORD_SHAPE_ENABLED);
    }

    public String propertyColumnPrefix() {
        return getString(PROPERTY_COLUMN_PREFIX);
    }

    public String schemalessJsonColumn() {
        return getString(SCHEMALESS_JSON_COLUMN);
    }

    /** header.columns as header name -> column name, in order. */
    public Map<String, String> headerColumns() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : trimmed(getList(HEADER_COLUMNS))) {
            int colon = pair.lastIndexOf(':');
            out.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return out;
    }

    /** child.tables as value field -> parent-key column name (null: the default). */
    public Map<String, String> childTables() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : trimmed(getList(CHILD_TABLES))) {
            int colon = entry.indexOf(':');
            out.put(
                    colon < 0 ? entry : entry.substring(0, colon).trim(),
                    colon < 0 ? null : entry.substring(colon + 1).trim());
        }
        return out;
    }

    /** table.indexes: each index as its field or column names. */
    public List<List<String>> tableIndexes() {
        List<List<String>> out = new ArrayList<>();
        for (String entry : trimmed(getList(TABLE_INDEXES))) {
            out.add(trimmed(Arrays.asList(entry.split("\\+"))));
        }
        return out;
    }

    /** The sync-state table's name, or null when disabled. */
    public String syncStateTable() {
        String t = getString(SYNC_STATE_TABLE);
        return t == null || t.isBlank() ? null : t.trim();
    }

    public boolean autoCreate() {
        return getBoolean(AUTO_CREATE);
    }

    public boolean autoEvolve() {
        return getBoolean(AUTO_EVOLVE);
    }

    public String updatedAtField() {
        String f = getString(UPDATED_AT_FIELD);
        return f == null || f.isBlank() ? null : f.trim();
    }

    public boolean scd2Enabled() {
        return getBoolean(HISTORY_SCD2_ENABLED);
    }

    public String scd2Suffix() {
        return getString(HISTORY_SCD2_SUFFIX);
    }

    public List<String> scd2TrackedFields() {
        return trimmed(getList(HISTORY_SCD2_TRACKED_FIELDS));
    }

    public boolean changelogEnabled() {
        return getBoolean(HISTORY_CHANGELOG_ENABLED);
    }

    public String changelogSuffix() {
        return getString(HISTORY_CHANGELOG_SUFFIX);
    }

    public int retryMaxAttempts() {
        return getInt(RETRY_MAX_ATTEMPTS);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public long retryBudgetMs() {
        return getLong(RETRY_BUDGET_MS);
    }

    /** The table for a topic: the format with ${topic} replaced by the sanitized topic name. */
    /** Table names per topic: computed once (a regex per record showed up in profiles). */
    private final Map<String, String> tables = new ConcurrentHashMap<>();

    public String tableFor(String topic) {
        String table = tables.get(topic);
        if (table == null) {
            table = tableName(getString(TABLE_NAME_FORMAT), topic);
            if (tables.size() < 10_000) {
                tables.put(topic, table);
            }
        }
        return table;
    }

    static String tableName(String format, String topic) {
        return format.replace("${topic}", topic.replaceAll("[^A-Za-z0-9_]", "_"));
    }

    /**
     * Cross-field rules, as (message, keys) pairs, so validate() can attach each message to every key involved and
     * the task can refuse to start with the same words.
     */
    public static List<Map.Entry<String, List<String>>> crossFieldErrors(Map<String, String> props) {
        List<Map.Entry<String, List<String>>> errors = new ArrayList<>();
        InsertMode insert = parseOrNull(InsertMode.class, valueOr(props, INSERT_MODE, "upsert"));
        PkMode pk = parseOrNull(PkMode.class, valueOr(props, PK_MODE, "record_key"));
        DeleteMode delete = parseOrNull(DeleteMode.class, valueOr(props, DELETE_MODE, "hard"));
        List<String> pkFields =
                trimmed(Arrays.asList(valueOr(props, PK_FIELDS, "").split(",")));
        boolean scd2 = Boolean.parseBoolean(valueOr(props, HISTORY_SCD2_ENABLED, "false"));
        if (insert != null && pk == PkMode.NONE && insert != InsertMode.INSERT) {
            errors.add(Map.entry(
                    "insert.mode=" + lower(insert) + " needs a primary key to match rows; "
                            + "set pk.mode to record_key, record_value or kafka, or use insert.mode=insert",
                    List.of(INSERT_MODE, PK_MODE)));
        }
        if (pk == PkMode.RECORD_VALUE && pkFields.isEmpty()) {
            errors.add(Map.entry(
                    "pk.mode=record_value needs pk.fields: the value fields that form the key",
                    List.of(PK_MODE, PK_FIELDS)));
        }
        if (pk == PkMode.KAFKA && !pkFields.isEmpty()) {
            errors.add(Map.entry(
                    "pk.fields is not used with pk.mode=kafka (the key is topic, partition, offset)",
                    List.of(PK_MODE, PK_FIELDS)));
        }
        if (delete != null && delete != DeleteMode.NONE && pk != null && pk != PkMode.RECORD_KEY) {
            errors.add(Map.entry(
                    "delete.mode=" + lower(delete) + " needs pk.mode=record_key: a tombstone carries "
                            + "only its key; set delete.mode=none or pk.mode=record_key",
                    List.of(DELETE_MODE, PK_MODE)));
        }
        if (scd2 && pk != null && pk != PkMode.RECORD_KEY && pk != PkMode.RECORD_VALUE) {
            errors.add(Map.entry(
                    "history.scd2.enabled needs pk.mode=record_key or record_value to know which "
                            + "rows are versions of the same object",
                    List.of(HISTORY_SCD2_ENABLED, PK_MODE)));
        }
        timeoutErrors(props, errors);
        String format = valueOr(props, TABLE_NAME_FORMAT, "${topic}");
        if (format.contains("${topic}")) {
            Map<String, String> topicOfTable = new HashMap<>();
            for (String topic :
                    trimmed(Arrays.asList(valueOr(props, "topics", "").split(",")))) {
                String other = topicOfTable.putIfAbsent(tableName(format, topic), topic);
                if (other != null && !other.equals(topic)) {
                    errors.add(Map.entry(
                            "topics '" + other + "' and '" + topic + "' both map to table '"
                                    + tableName(format, topic)
                                    + "' (characters other than letters, digits and '_' become "
                                    + "'_'); rename one topic or route it to another table with an SMT",
                            List.of(TABLE_NAME_FORMAT)));
                }
            }
        }
        if (scd2 && insert == InsertMode.INSERT) {
            errors.add(Map.entry(
                    "history.scd2.enabled tracks changes of existing rows and needs " + "insert.mode=upsert or update",
                    List.of(HISTORY_SCD2_ENABLED, INSERT_MODE)));
        }
        return errors;
    }

    /**
     * Every wait must fit the retry budget, so a hung database turns into retries and then a RetriableException, and
     * the budget (plus one connect) must fit the consumer's max.poll.interval.ms, so the worker does not leave the
     * group while put() waits.
     */
    private static void timeoutErrors(Map<String, String> props, List<Map.Entry<String, List<String>>> errors) {
        Timeouts t;
        Integer budget = intOrNull(props, RETRY_BUDGET_MS, 60_000);
        Integer poll = intOrNull(props, "consumer.override.max.poll.interval.ms", 300_000);
        try {
            t = timeouts(props);
        } catch (NumberFormatException e) {
            return; // a malformed number is reported on its own key
        }
        if (budget == null || poll == null) {
            return;
        }
        int connect = t.connectMs();
        int statement = t.statementMs();
        int lock = t.lockMs();
        int socket = t.socketMs();
        // defaults follow the budget; only waits the user chose are held against it (budget 0: no retries at all)
        if (budget > 0 && props.containsKey(STATEMENT_TIMEOUT_MS) && socket >= budget) {
            errors.add(Map.entry(
                    "statement.timeout.ms=" + statement + " plus its socket margin (" + socket
                            + " ms) must be below retry.budget.ms=" + budget
                            + ", so a stuck statement can still be retried",
                    List.of(STATEMENT_TIMEOUT_MS, RETRY_BUDGET_MS)));
        }
        if (budget > 0 && props.containsKey(CONNECTION_TIMEOUT_MS) && connect >= budget) {
            errors.add(Map.entry(
                    "connection.timeout.ms=" + connect + " must be below retry.budget.ms=" + budget,
                    List.of(CONNECTION_TIMEOUT_MS, RETRY_BUDGET_MS)));
        }
        if (lock > statement) {
            errors.add(Map.entry(
                    "lock.timeout.ms=" + lock + " must not exceed statement.timeout.ms=" + statement
                            + " (a lock wait is part of its statement)",
                    List.of(LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS)));
        }
        if ((long) budget + connect >= poll) {
            errors.add(Map.entry(
                    "retry.budget.ms=" + budget + " plus connection.timeout.ms=" + connect + " must be "
                            + "below the consumer's max.poll.interval.ms (" + poll + "; set "
                            + "consumer.override.max.poll.interval.ms to change it), or the worker leaves the consumer group "
                            + "while put() retries",
                    List.of(RETRY_BUDGET_MS, CONNECTION_TIMEOUT_MS)));
        }
    }

    private static Integer intOrNull(Map<String, String> props, String key, int dflt) {
        String v = props.get(key);
        try {
            return v == null || v.isBlank() ? dflt : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Throws a ConfigException naming the keys when a cross-field rule is broken. */
    public void checkCrossFieldRules(Map<String, String> props) {
        List<Map.Entry<String, List<String>>> errors = crossFieldErrors(props);
        if (!errors.isEmpty()) {
            Map.Entry<String, List<String>> first = errors.get(0);
            throw new ConfigException(
                    "Invalid JDBC sink config (" + String.join(", ", first.getValue()) + "): " + first.getKey());
        }
    }

    private static String valueOr(Map<String, String> props, String key, String dflt) {
        String v = props.get(key);
        return v == null ? dflt : v;
    }

    private static String lower(Enum<?> e) {
        return EnumValidator.configName(e);
    }

    static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return EnumValidator.parse(type, value);
    }

    static <E extends Enum<E>> E parseOrNull(Class<E> type, String value) {
        try {
            return parse(type, value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The generated reference (README section). */
    public static void main(String[] args) {
        System.out.println(io.crmconnect.common.ConfigDocs.markdown("JDBC sink configuration", OVERVIEW, CONFIG_DEF));
    }

    // ---------------------------------------------------------------- validators and recommenders

    static final class MetadataColumnsValidator implements ConfigDef.Validator, ConfigDef.Recommender {
        private final EnumValidator each = new EnumValidator(MetadataColumn.class);

        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                for (Object v : list) {
                    if (v != null && !v.toString().isBlank()) {
                        each.ensureValid(name, v);
                    }
                }
            }
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return each.validValues(name, parsedConfig);
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            return true;
        }

        @Override
        public String toString() {
            return "comma-separated list of " + each;
        }
    }

    /** A list of name:name pairs. */
    static final class PairListValidator implements ConfigDef.Validator {
        private final String shape;

        PairListValidator(String shape) {
            this.shape = shape;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                for (Object v : list) {
                    String pair = v == null ? "" : v.toString().trim();
                    int colon = pair.lastIndexOf(':');
                    if (!pair.isEmpty() && (colon <= 0 || colon == pair.length() - 1)) {
                        throw new ConfigException(name, value, "each entry must be " + shape + ", got '" + pair + "'");
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated " + shape + " pairs";
        }
    }

    /** A list of field or field:column entries. */
    static final class ChildTablesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                for (Object v : list) {
                    String entry = v == null ? "" : v.toString().trim();
                    if (entry.startsWith(":") || entry.endsWith(":") || entry.indexOf(':') != entry.lastIndexOf(':')) {
                        throw new ConfigException(
                                name, value, "each entry is field or field:parent_column, got '" + entry + "'");
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated field or field:parent_column entries";
        }
    }

    /** A list of indexes, each a field or column name or names joined by '+'. */
    static final class IndexListValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value instanceof List<?> list) {
                for (Object v : list) {
                    String entry = v == null ? "" : v.toString().trim();
                    if (entry.startsWith("+") || entry.endsWith("+") || entry.contains("++")) {
                        throw new ConfigException(
                                name, value, "each entry is a name or names joined by '+', got '" + entry + "'");
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "comma-separated names, a+b for an index over two columns";
        }
    }

    static final class JdbcUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String url = value == null ? "" : value.toString().trim();
            if (!url.startsWith("jdbc:postgresql:")
                    && !url.startsWith("jdbc:mariadb:")
                    && !url.startsWith("jdbc:mysql:")) {
                throw new ConfigException(
                        name,
                        url.isEmpty() ? "" : url.replaceAll("password=[^&;]*", "password=***"),
                        "must start with jdbc:postgresql: or jdbc:mariadb: (jdbc:mysql: is served by the MariaDB driver)");
            }
        }

        @Override
        public String toString() {
            return "jdbc:postgresql://... or jdbc:mariadb://...";
        }
    }

    static final class TableFormatValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString();
            if (v.isBlank()) {
                throw new ConfigException(name, v, "must not be empty");
            }
            String probe = tableName(v, "t");
            if (probe.contains("\"") || probe.contains("`") || probe.contains("\u0000")) {
                throw new ConfigException(name, v, "must give names without quotes");
            }
            String[] parts = probe.split("\\.", -1);
            if (parts.length > 2 || Arrays.stream(parts).anyMatch(p -> p.isEmpty() || p.length() > 60)) {
                throw new ConfigException(
                        name,
                        v,
                        "must give a table name or schema.table, each part 1 to 60 "
                                + "characters (one '.' at most: the schema in PostgreSQL, the database in MariaDB)");
            }
        }

        @Override
        public String toString() {
            return "a name containing ${topic}, e.g. crm_${topic}, or schema.name, e.g. hubspot.${topic}";
        }
    }

    static final class IdentifierPartValidator implements ConfigDef.Validator {
        private final int max;

        IdentifierPartValidator() {
            this(30);
        }

        IdentifierPartValidator(int max) {
            this.max = max;
        }

        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString();
            if (v.length() > max || v.contains("\"") || v.contains("`") || v.contains("\u0000")) {
                throw new ConfigException(name, v, "must be at most " + max + " characters without quotes");
            }
        }

        @Override
        public String toString() {
            return "up to " + max + " characters, no quotes";
        }
    }

    /** Shows a key only when another key has a given value (e.g. suffixes only when history is on). */
    static final class VisibleWhen implements ConfigDef.Recommender {
        private final String key;
        private final String expected;

        VisibleWhen(String key, String expected) {
            this.key = key;
            this.expected = expected;
        }

        @Override
        public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
            return List.of();
        }

        @Override
        public boolean visible(String name, Map<String, Object> parsedConfig) {
            Object v = parsedConfig.get(key);
            return v != null && expected.equalsIgnoreCase(v.toString());
        }
    }
}
