package io.crmconnect.jdbc;

import io.crmconnect.common.RecordShape;
import io.crmconnect.jdbc.ColumnStep.Source;
import io.crmconnect.jdbc.JdbcSinkConfig.DeleteMode;
import io.crmconnect.jdbc.JdbcSinkConfig.MetadataColumn;
import io.crmconnect.jdbc.JdbcSinkConfig.PkMode;
import io.crmconnect.jdbc.JdbcSinkConfig.SchemalessMode;
import io.crmconnect.jdbc.dialect.Dialect;
import io.crmconnect.jdbc.dialect.Identifiers;
import io.crmconnect.jdbc.dialect.Identifiers.UnrepresentableNameException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a SinkRecord into a table row: its column layout and normalized values (see {@link ColumnTypes}). One
 * method, {@link #buildPlan}, decides the columns; records whose layout follows from their key and value schemas
 * reuse a plan computed once per schema pair (a record then costs one Object[] and one conversion per field), other
 * records (schemaless maps and keys) get a plan built for them alone. Names the database would shorten are
 * shortened here, deterministically ({@link Identifiers}), so every later step uses the stored name. Records that
 * cannot become a row (including names the database cannot hold, and two fields or topics that would land in one
 * column or table) throw {@link BadRecordException} with the reason.
 */
public final class RecordMapper {
    private final JdbcSinkConfig config;
    private final PkMode pkMode;
    private final List<String> pkFields;
    private final String prefix;
    private final String metaPrefix;
    private final Set<MetadataColumn> metadata;
    private final boolean synced;
    private final boolean recordShape;
    private final String propertyPrefix;
    private final Map<String, String> headerColumns;
    private final DeleteMode deleteMode;
    private final SchemalessMode schemalessMode;
    private final Dialect dialect;
    private final Identifiers identifiers;
    /** Stored table name per topic, or the reason the topic's records are refused. */
    private final Map<String, String> tables = new HashMap<>();

    private final Map<String, String> refusedTopics = new HashMap<>();
    private final Map<String, String[]> refusedTopicNames = new HashMap<>();
    /** Which topic each stored table name was first seen for (only when the format contains ${topic}). */
    private final Map<String, String> tableTopics = new HashMap<>();

    private final boolean tablePerTopic;
    /** Plans of schema-ful records by value schema, then key schema (identity: Connect reuses Schema instances). */
    private final Map<Schema, Map<Schema, RowPlan>> plans = new IdentityHashMap<>();
    /** The value columns of each value schema, for plans built per record. */
    private final Map<Schema, List<Column>> valueColumns = new IdentityHashMap<>();

    private Schema lastKeySchema;
    private Schema lastValueSchema;
    private RowPlan lastPlan;

    public RecordMapper(JdbcSinkConfig config) {
        this.config = config;
        this.pkMode = config.pkMode();
        this.pkFields = config.pkFields();
        this.prefix = config.columnPrefix();
        this.metaPrefix = config.metadataPrefix();
        this.metadata = config.metadataColumns();
        this.synced = metadata.contains(MetadataColumn.SYNCED_AT);
        this.recordShape = config.recordShapeEnabled();
        this.propertyPrefix = config.propertyColumnPrefix();
        this.headerColumns = config.headerColumns();
        this.deleteMode = config.deleteMode();
        this.schemalessMode = config.schemalessMode();
        this.dialect = Dialect.forUrl(config.url());
        this.identifiers = dialect.identifiers();
        this.tablePerTopic = config.getString(JdbcSinkConfig.TABLE_NAME_FORMAT).contains("${topic}");
    }

    public String metaColumn(String name) {
        return identifiers.name(metaPrefix + name);
    }

    /** The stored column name of a value field (prefix applied, shortened when too long). */
    public String valueColumn(String field) {
        return column(prefix + field, "field '" + field + "'");
    }

    private String column(String wanted, String origin) {
        try {
            return identifiers.name(wanted);
        } catch (UnrepresentableNameException e) {
            throw new BadRecordException(origin + " cannot become a column: " + e.getMessage());
        }
    }

    /**
     * The stored table name for a topic. Two topics whose names become the same table name (e.g. 'a.b' and 'a_b'
     * with table.name.format=${topic}) would mix their rows: the second topic's records are refused with the reason.
     */
    public String table(String topic) {
        String table = tables.get(topic);
        if (table != null) {
            return table;
        }
        String refused = refusedTopics.get(topic);
        if (refused != null) {
            throw new BadRecordException(refused, refusedTopicNames.get(topic));
        }
        String wanted = config.tableFor(topic);
        table = dialect.tableName(wanted);
        String other = tablePerTopic ? tableTopics.putIfAbsent(table, topic) : null;
        if (other != null && !other.equals(topic)) {
            refused = "topics '" + other + "' and '" + topic + "' both map to table '" + table + "' through "
                    + "table.name.format; rename one topic or route it with an SMT (e.g. RegexRouter)";
            refusedTopics.put(topic, refused);
            refusedTopicNames.put(topic, new String[] {other, topic, table});
            throw new BadRecordException(refused, other, topic, table);
        }
        tables.put(topic, table);
        return table;
    }

    /** Null when the record is a tombstone that delete.mode=none skips. */
    public MappedRecord map(SinkRecord record) {
        String table = table(record.topic());
        boolean tombstone = record.value() == null;
        if (tombstone && (deleteMode == DeleteMode.NONE || pkMode != PkMode.RECORD_KEY)) {
            return null;
        }
        if (pkMode == PkMode.RECORD_KEY && record.key() == null) {
            throw new BadRecordException("record key is null, but pk.mode=record_key needs it as the primary key");
        }
        RowPlan plan = record.value() instanceof Struct value ? schemaPlan(record, value) : null;
        if (plan == null) {
            plan = buildPlan(record, tombstone);
        }
        return new MappedRecord(record, table, tombstone, plan.layout(), plan.read(record));
    }

    // ------------------------------------------------------------------ plans

    /** The column of a value field with the step that reads it. */
    private record Column(String field, ColumnDef def, ColumnStep step) {}

    /** The cached plan of a Struct value's schema pair, or null when the key's layout depends on the record itself. */
    private RowPlan schemaPlan(SinkRecord record, Struct value) {
        Schema keySchema = null;
        if (pkMode == PkMode.RECORD_KEY) {
            Object key = record.key();
            if (key instanceof Struct k) {
                keySchema = k.schema();
            } else {
                keySchema = record.keySchema();
                if (keySchema == null
                        || keySchema.type() == Schema.Type.STRUCT
                        || keySchema.type() == Schema.Type.MAP
                        || keySchema.type() == Schema.Type.ARRAY) {
                    return null; // schemaless, or a schema that does not match the key: decided per record
                }
            }
        }
        Schema valueSchema = value.schema();
        if (lastPlan != null && valueSchema == lastValueSchema && keySchema == lastKeySchema) {
            return lastPlan;
        }
        Map<Schema, RowPlan> byKey = plans.computeIfAbsent(valueSchema, v -> new IdentityHashMap<>());
        RowPlan plan = byKey.get(keySchema);
        if (plan == null) {
            try {
                plan = buildPlan(record, false);
            } catch (BadRecordException e) {
                plan = RowPlan.rejected(e.getMessage()); // follows from the schemas alone: same for every record
            }
            byKey.put(keySchema, plan);
        }
        lastKeySchema = keySchema;
        lastValueSchema = valueSchema;
        lastPlan = plan;
        return plan;
    }

    /**
     * The columns of the record's row, in order: key columns (record key or Kafka coordinates), value columns (a key
     * column of the same name wins), value fields promoted to the key (pk.mode=record_value), metadata columns, header
     * columns (header.columns), soft delete columns. Steps read schema-ful parts from the record, so a plan built from
     * one record serves every record of its schema pair; schemaless parts are read here, once.
     */
    private RowPlan buildPlan(SinkRecord record, boolean tombstone) {
        LayoutBuilder b = new LayoutBuilder(identifiers);
        if (pkMode == PkMode.RECORD_KEY) {
            keyColumns(b, record);
        } else if (pkMode == PkMode.KAFKA) {
            b.key(
                    ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING),
                    ColumnStep.of(Source.TOPIC),
                    "the Kafka topic");
            b.key(
                    ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32),
                    ColumnStep.of(Source.PARTITION),
                    "the Kafka partition");
            b.key(
                    ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64),
                    ColumnStep.of(Source.OFFSET),
                    "the Kafka offset");
        }
        if (!tombstone) {
            valueColumns(b, record);
            if (pkMode == PkMode.RECORD_VALUE) {
                for (String field : pkFields) {
                    String column = b.columnOfField(field);
                    if (column == null || !b.promoteToKey(column, "primary key field '" + field + "' is null")) {
                        throw new BadRecordException("primary key field '" + field + "' is missing from the value");
                    }
                }
            }
            if (metadata.contains(MetadataColumn.KAFKA_TOPIC)) {
                b.column(
                        ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING),
                        ColumnStep.of(Source.TOPIC),
                        "metadata column kafka_topic");
            }
            if (metadata.contains(MetadataColumn.KAFKA_PARTITION)) {
                b.column(
                        ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32),
                        ColumnStep.of(Source.PARTITION),
                        "metadata column kafka_partition");
            }
            if (metadata.contains(MetadataColumn.KAFKA_OFFSET)) {
                b.column(
                        ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64),
                        ColumnStep.of(Source.OFFSET),
                        "metadata column kafka_offset");
            }
            for (Map.Entry<String, String> h : headerColumns.entrySet()) {
                String origin = "header '" + h.getKey() + "'";
                b.column(
                        ColumnDef.of(column(h.getValue(), origin), ColumnKind.STRING),
                        ColumnStep.header(h.getKey()),
                        origin);
            }
            if (deleteMode == DeleteMode.SOFT) {
                b.column(
                        ColumnDef.of(metaColumn("deleted"), ColumnKind.BOOLEAN),
                        ColumnStep.constant(Boolean.FALSE),
                        "soft-delete column deleted");
                b.column(
                        ColumnDef.of(metaColumn("deleted_at"), ColumnKind.TIMESTAMP),
                        ColumnStep.constant(null),
                        "soft-delete column deleted_at");
            }
        }
        if (synced) {
            // written by the database (now()), not read from the record: reserved so no field can take the name
            b.reserve(metaColumn("synced"), "metadata column synced");
        }
        return b.build();
    }

    private void keyColumns(LayoutBuilder b, SinkRecord record) {
        Object key = record.key();
        if (key instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                if (pkFields.isEmpty() || pkFields.contains(field.name())) {
                    ColumnTypes.Kind t = keyKind(field.name(), ColumnTypes.of(field.schema()));
                    String origin = "key field '" + field.name() + "'";
                    b.key(
                            new ColumnDef(column(field.name(), origin), t.kind(), t.precision(), t.scale(), true),
                            ColumnStep.keyField(field, t.kind()),
                            origin);
                }
            }
        } else if (key instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (pkFields.isEmpty() || pkFields.contains(name)) {
                    if (e.getValue() == null) {
                        throw new BadRecordException("primary key field '" + name + "' in the record key is null");
                    }
                    ColumnKind kind = keyKind(name, new ColumnTypes.Kind(ColumnTypes.inferred(e.getValue()), -1, -1))
                            .kind();
                    String origin = "key field '" + name + "'";
                    b.key(
                            ColumnDef.of(column(name, origin), kind),
                            ColumnStep.constant(ColumnTypes.convert(kind, e.getValue())),
                            origin);
                }
            }
        } else {
            String name = pkFields.isEmpty() ? "id" : pkFields.get(0);
            String origin = "the record key";
            Schema schema = record.keySchema();
            if (schema != null) {
                ColumnTypes.Kind t = keyKind(name, ColumnTypes.of(schema));
                if (t.kind() == ColumnKind.STRING && integerKey(record)) {
                    t = new ColumnTypes.Kind(ColumnKind.INT64, -1, -1); // a HubSpot id: "123" -> 123
                }
                b.key(
                        new ColumnDef(column(name, origin), t.kind(), t.precision(), t.scale(), true),
                        ColumnStep.wholeKey(name, t.kind()),
                        origin);
            } else {
                ColumnKind kind = keyKind(name, new ColumnTypes.Kind(ColumnTypes.inferred(key), -1, -1))
                        .kind();
                b.key(
                        ColumnDef.of(column(name, origin), kind),
                        ColumnStep.constant(ColumnTypes.convert(kind, key)),
                        origin);
            }
        }
        if (!b.hasKey()) {
            throw new BadRecordException("record key has none of the pk.fields " + pkFields);
        }
    }

    /** Whether the value schema says the record key is an integer written as text (the object id). */
    private boolean integerKey(SinkRecord record) {
        if (!recordShape || !(record.value() instanceof Struct value)) {
            return false;
        }
        String keyField = RecordShape.keyField(value.schema());
        return keyField != null
                && RecordShape.fields(value.schema(), RecordShape.INTEGER_FIELDS)
                        .contains(keyField);
    }

    private static ColumnTypes.Kind keyKind(String name, ColumnTypes.Kind kind) {
        if (kind.kind() == ColumnKind.JSON) {
            throw new BadRecordException("primary key field '" + name + "' is a nested object or array");
        }
        return kind;
    }

    private void valueColumns(LayoutBuilder b, SinkRecord record) {
        Object value = record.value();
        Schema schema = record.valueSchema();
        if (value instanceof Struct struct) {
            for (Column c : valueColumns.computeIfAbsent(struct.schema(), this::structColumns)) {
                b.valueColumn(c.field(), c.def(), c.step());
            }
            return;
        }
        if (schema == null && schemalessMode == SchemalessMode.JSON) {
            b.column(
                    ColumnDef.of(column(config.schemalessJsonColumn(), "schemaless.json.column"), ColumnKind.JSON),
                    ColumnStep.constant(ColumnTypes.convert(ColumnKind.JSON, value)),
                    "schemaless.json.column");
            return;
        }
        if (value instanceof Map<?, ?> map) {
            Schema entrySchema = schema == null ? null : schema.valueSchema();
            ColumnTypes.Kind declared = entrySchema == null ? null : ColumnTypes.of(entrySchema);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String field = String.valueOf(e.getKey());
                String column = valueColumn(field);
                Object raw = e.getValue();
                if (raw == null) { // no type to create the column by yet
                    b.valueColumn(field, ColumnDef.of(column, null), ColumnStep.constant(null));
                    continue;
                }
                ColumnTypes.Kind t =
                        declared != null ? declared : new ColumnTypes.Kind(ColumnTypes.inferred(raw), -1, -1);
                b.valueColumn(
                        field,
                        new ColumnDef(column, t.kind(), t.precision(), t.scale(), false),
                        ColumnStep.constant(ColumnTypes.convert(t.kind(), raw)));
            }
            return;
        }
        throw new BadRecordException("value must be a Struct or a JSON object, got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    /**
     * The columns of a Struct schema's fields. With record.shape.enabled, fields the schema declares as record
     * metadata ({@link RecordShape}) become unprefixed snake_case columns (createdAt -> created_at) and text fields it
     * declares as integers become BIGINT columns, and its other fields (CRM properties) get property.column.prefix;
     * fields of schemas that say nothing get column.prefix.
     */
    private List<Column> structColumns(Schema schema) {
        Set<String> metadataFields =
                recordShape ? Set.copyOf(RecordShape.fields(schema, RecordShape.METADATA_FIELDS)) : Set.of();
        Set<String> integerFields =
                recordShape ? Set.copyOf(RecordShape.fields(schema, RecordShape.INTEGER_FIELDS)) : Set.of();
        boolean shaped = !metadataFields.isEmpty();
        List<Column> out = new ArrayList<>();
        for (Field f : schema.fields()) {
            ColumnTypes.Kind t = ColumnTypes.of(f.schema());
            if (t.kind() == ColumnKind.STRING && integerFields.contains(f.name())) {
                t = new ColumnTypes.Kind(ColumnKind.INT64, -1, -1);
            }
            String origin = "field '" + f.name() + "'";
            String column;
            if (metadataFields.contains(f.name())) {
                column = column(snakeCase(f.name()), origin);
            } else if (shaped) {
                column = column(propertyPrefix + f.name(), origin);
            } else {
                column = valueColumn(f.name());
            }
            out.add(new Column(
                    f.name(),
                    new ColumnDef(column, t.kind(), t.precision(), t.scale(), false),
                    ColumnStep.valueField(f, t.kind())));
        }
        return out;
    }

    /** createdAt -> created_at, fromObjectType -> from_object_type, hs_object_id and HTTPCode -> http_code. */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower =
                        i > 0 && (Character.isLowerCase(name.charAt(i - 1)) || Character.isDigit(name.charAt(i - 1)));
                boolean acronymEnd = i > 0
                        && Character.isUpperCase(name.charAt(i - 1))
                        && i + 1 < name.length()
                        && Character.isLowerCase(name.charAt(i + 1));
                if ((afterLower || acronymEnd) && out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A value usable in a HashMap key: byte arrays compare by content, and an integer id compares equal to its text
     * (a tombstone carries the key as text, the value's records as a number).
     */
    static Object keyPart(Object value) {
        if (value instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return value instanceof Long || value instanceof Integer ? value.toString() : value;
    }

    /** One record as a row: its table, whether it deletes, its column layout and values (in layout order). */
    public record MappedRecord(SinkRecord record, String table, boolean delete, RowLayout layout, Object[] row) {
        public List<String> keyColumns() {
            return layout.keyColumns();
        }

        public Map<String, ColumnDef> defs() {
            return layout.defs();
        }

        /** The value of a column, or null when the record has no such column. */
        public Object value(String column) {
            int i = layout.indexOf(column);
            return i < 0 ? null : row[i];
        }

        /** Column name to value, in layout order (a copy: for tests and diagnostics). */
        public Map<String, Object> values() {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                out.put(layout.column(i).name(), row[i]);
            }
            return out;
        }

        public List<Object> key() {
            List<String> keys = layout.keyColumns();
            if (keys.size() == 1) {
                return Collections.singletonList(keyPart(value(keys.get(0))));
            }
            List<Object> key = new ArrayList<>(keys.size());
            for (String k : keys) {
                key.add(keyPart(value(k)));
            }
            return key;
        }
    }

    /**
     * A record that cannot be written, with the reason (goes to the DLQ) and the names (topics, tables, columns) the
     * reason quotes, which are not personal data and stay readable when the reason is sanitized.
     */
    public static final class BadRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final List<String> names;

        public BadRecordException(String message, String... names) {
            super(message);
            this.names = List.of(names);
        }

        public List<String> names() {
            return names;
        }
    }
}
