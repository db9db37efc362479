package io.crmconnect.jdbc;

import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.jdbc.JdbcSinkConfig.DeleteMode;
import io.crmconnect.jdbc.JdbcSinkConfig.MetadataColumn;
import io.crmconnect.jdbc.JdbcSinkConfig.PkMode;
import io.crmconnect.jdbc.JdbcSinkConfig.SchemalessMode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a SinkRecord into a table row: column definitions (from the Connect schema, or inferred for schemaless
 * maps) and normalized Java values (Long, Double, BigDecimal, Boolean, String, byte[], LocalDate, LocalTime, Instant,
 * JsonText). Records that cannot become a row throw {@link BadRecordException} with the reason.
 */
public final class RecordMapper {
    private final JdbcSinkConfig config;
    private final PkMode pkMode;
    private final List<String> pkFields;
    private final String prefix;
    private final String metaPrefix;
    private final Set<MetadataColumn> metadata;
    private final DeleteMode deleteMode;
    private final SchemalessMode schemalessMode;
    /** Column layouts of schema-ful values, computed once per Schema instance. */
    private final Map<Schema, List<ColumnDef>> layouts = new IdentityHashMap<>();

    public RecordMapper(JdbcSinkConfig config) {
        this.config = config;
        this.pkMode = config.pkMode();
        this.pkFields = config.pkFields();
        this.prefix = config.columnPrefix();
        this.metaPrefix = config.metadataPrefix();
        this.metadata = config.metadataColumns();
        this.deleteMode = config.deleteMode();
        this.schemalessMode = config.schemalessMode();
    }

    public String metaColumn(String name) {
        return metaPrefix + name;
    }

    /** Null when the record is a tombstone that delete.mode=none skips. */
    public MappedRecord map(SinkRecord record) {
        String table = config.tableFor(record.topic());
        boolean tombstone = record.value() == null;
        if (tombstone && (deleteMode == DeleteMode.NONE || pkMode != PkMode.RECORD_KEY)) {
            return null;
        }
        if (record.value() instanceof Struct struct) {
            Plan plan = plan(record, struct);
            if (plan != null) {
                return new MappedRecord(record, table, false, plan.layout, plan.values(record, struct));
            }
        }
        LinkedHashMap<String, ColumnDef> defs = new LinkedHashMap<>();
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        List<String> keyColumns = new ArrayList<>();

        if (pkMode == PkMode.RECORD_KEY) {
            mapKey(record, defs, values, keyColumns);
        } else if (pkMode == PkMode.KAFKA) {
            put(defs, values, new ColumnDef(metaColumn("kafka_topic"), ColumnKind.STRING, -1, -1, true),
                    RuntimeSupport.originalTopic(record));
            put(defs, values, new ColumnDef(metaColumn("kafka_partition"), ColumnKind.INT32, -1, -1, true),
                    (long) RuntimeSupport.originalPartition(record));
            put(defs, values, new ColumnDef(metaColumn("kafka_offset"), ColumnKind.INT64, -1, -1, true),
                    RuntimeSupport.originalOffset(record));
            keyColumns.addAll(defs.keySet());
        }

        if (!tombstone) {
            mapValue(record, defs, values);
            if (pkMode == PkMode.RECORD_VALUE) {
                for (String field : pkFields) {
                    String column = prefix + field;
                    ColumnDef def = defs.get(column);
                    if (def == null) {
                        throw new BadRecordException("primary key field '" + field + "' is missing from the value");
                    }
                    if (values.get(column) == null) {
                        throw new BadRecordException("primary key field '" + field + "' is null");
                    }
                    defs.put(column, def.asKey());
                    keyColumns.add(column);
                }
            }
            if (metadata.contains(MetadataColumn.KAFKA_TOPIC) && !defs.containsKey(metaColumn("kafka_topic"))) {
                put(defs, values, ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING),
                        RuntimeSupport.originalTopic(record));
            }
            if (metadata.contains(MetadataColumn.KAFKA_PARTITION)
                    && !defs.containsKey(metaColumn("kafka_partition"))) {
                put(defs, values, ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32),
                        (long) RuntimeSupport.originalPartition(record));
            }
            if (metadata.contains(MetadataColumn.KAFKA_OFFSET) && !defs.containsKey(metaColumn("kafka_offset"))) {
                put(defs, values, ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64),
                        RuntimeSupport.originalOffset(record));
            }
            if (deleteMode == DeleteMode.SOFT) {
                put(defs, values, ColumnDef.of(metaColumn("deleted"), ColumnKind.BOOLEAN), Boolean.FALSE);
                put(defs, values, ColumnDef.of(metaColumn("deleted_at"), ColumnKind.TIMESTAMP), null);
            }
        }
        RowLayout layout = new RowLayout(List.copyOf(keyColumns), defs);
        Object[] row = new Object[layout.size()];
        int i = 0;
        for (Object v : values.values()) {
            row[i++] = v;
        }
        return new MappedRecord(record, table, tombstone, layout, row);
    }

    // ------------------------------------------------------------------ schema-ful fast path

    /** Where a column's value comes from, for records of one (key schema, value schema) pair. */
    private enum Source { KEY_FIELD, KEY_WHOLE, VALUE_FIELD, TOPIC, PARTITION, OFFSET, FALSE, NULL }

    /**
     * The columns of every record with the same key and value schemas, and where each value comes from: computed once,
     * so a record costs one Object[] and one conversion per field. Mirrors the general path below column for column.
     */
    private static final class Plan {
        final Schema keySchema;
        final Schema valueSchema;
        final RowLayout layout;
        final Source[] sources;
        final Field[] fields;
        final ColumnKind[] kinds;
        final String[] names;
        final boolean[] required;

        Plan(Schema keySchema, Schema valueSchema, RowLayout layout, Source[] sources, Field[] fields,
                ColumnKind[] kinds, String[] names, boolean[] required) {
            this.keySchema = keySchema;
            this.valueSchema = valueSchema;
            this.layout = layout;
            this.sources = sources;
            this.fields = fields;
            this.kinds = kinds;
            this.names = names;
            this.required = required;
        }

        Object[] values(SinkRecord record, Struct value) {
            Object[] row = new Object[sources.length];
            for (int i = 0; i < row.length; i++) {
                Object v = switch (sources[i]) {
                    case KEY_FIELD -> convert(kinds[i], ((Struct) record.key()).get(fields[i]));
                    case KEY_WHOLE -> convert(kinds[i], record.key());
                    case VALUE_FIELD -> convert(kinds[i], value.get(fields[i]));
                    case TOPIC -> RuntimeSupport.originalTopic(record);
                    case PARTITION -> (long) RuntimeSupport.originalPartition(record);
                    case OFFSET -> RuntimeSupport.originalOffset(record);
                    case FALSE -> Boolean.FALSE;
                    case NULL -> null;
                };
                if (v == null && required[i]) {
                    throw new BadRecordException("primary key field '" + names[i] + "' "
                            + (sources[i] == Source.VALUE_FIELD ? "is null" : "in the record key is null"));
                }
                row[i] = v;
            }
            return row;
        }
    }

    private Plan lastPlan;
    private final Map<Schema, Map<Schema, Plan>> plans = new IdentityHashMap<>();
    /** Marks schema pairs the fast path does not handle (they take the general path). */
    private static final Plan NONE = new Plan(null, null, null, null, null, null, null, null);

    private Plan plan(SinkRecord record, Struct value) {
        Schema keySchema = record.key() instanceof Struct k ? k.schema() : record.keySchema();
        Schema valueSchema = value.schema();
        Plan plan = lastPlan;
        if (plan == null || plan.valueSchema != valueSchema || plan.keySchema != keySchema) {
            plan = plans.computeIfAbsent(valueSchema, v -> new IdentityHashMap<>())
                    .computeIfAbsent(keySchema, k -> buildPlan(k, valueSchema));
            if (plan == NONE) {
                return null;
            }
            lastPlan = plan;
        }
        if (pkMode == PkMode.RECORD_KEY && (record.key() == null
                || (keySchema.type() == Schema.Type.STRUCT) != (record.key() instanceof Struct))) {
            return null; // the general path reports it
        }
        return plan;
    }

    private Plan buildPlan(Schema keySchema, Schema valueSchema) {
        LinkedHashMap<String, ColumnDef> defs = new LinkedHashMap<>();
        LinkedHashMap<String, Object[]> src = new LinkedHashMap<>(); // {Source, Field, required}
        List<String> keyColumns = new ArrayList<>();
        if (pkMode == PkMode.RECORD_KEY) {
            if (keySchema == null || keySchema.type() == Schema.Type.MAP || keySchema.type() == Schema.Type.ARRAY) {
                return NONE;
            }
            if (keySchema.type() == Schema.Type.STRUCT) {
                for (Field field : keySchema.fields()) {
                    if (!pkFields.isEmpty() && !pkFields.contains(field.name())) {
                        continue;
                    }
                    Typed t = typed(field.schema(), null);
                    if (t.kind == ColumnKind.JSON) {
                        return NONE;
                    }
                    defs.put(field.name(), new ColumnDef(field.name(), t.kind, t.precision, t.scale, true));
                    src.put(field.name(), new Object[] {Source.KEY_FIELD, field, true});
                    keyColumns.add(field.name());
                }
            } else {
                String name = pkFields.isEmpty() ? "id" : pkFields.get(0);
                Typed t = typed(keySchema, null);
                defs.put(name, new ColumnDef(name, t.kind, t.precision, t.scale, true));
                src.put(name, new Object[] {Source.KEY_WHOLE, null, true});
                keyColumns.add(name);
            }
            if (keyColumns.isEmpty()) {
                return NONE;
            }
        } else if (pkMode == PkMode.KAFKA) {
            defs.put(metaColumn("kafka_topic"), new ColumnDef(metaColumn("kafka_topic"), ColumnKind.STRING, -1, -1,
                    true));
            src.put(metaColumn("kafka_topic"), new Object[] {Source.TOPIC, null, false});
            defs.put(metaColumn("kafka_partition"), new ColumnDef(metaColumn("kafka_partition"), ColumnKind.INT32, -1,
                    -1, true));
            src.put(metaColumn("kafka_partition"), new Object[] {Source.PARTITION, null, false});
            defs.put(metaColumn("kafka_offset"), new ColumnDef(metaColumn("kafka_offset"), ColumnKind.INT64, -1, -1,
                    true));
            src.put(metaColumn("kafka_offset"), new Object[] {Source.OFFSET, null, false});
            keyColumns.addAll(defs.keySet());
        }
        List<ColumnDef> layout = layouts.computeIfAbsent(valueSchema, this::layout);
        List<Field> fields = valueSchema.fields();
        for (int i = 0; i < fields.size(); i++) {
            ColumnDef def = layout.get(i);
            if (defs.containsKey(def.name())) {
                continue; // a key column of the same name wins
            }
            defs.put(def.name(), def);
            src.put(def.name(), new Object[] {Source.VALUE_FIELD, fields.get(i), false});
        }
        if (pkMode == PkMode.RECORD_VALUE) {
            for (String field : pkFields) {
                String column = prefix + field;
                ColumnDef def = defs.get(column);
                if (def == null) {
                    return NONE;
                }
                defs.put(column, def.asKey());
                src.get(column)[2] = true;
                keyColumns.add(column);
            }
        }
        if (metadata.contains(MetadataColumn.KAFKA_TOPIC) && !defs.containsKey(metaColumn("kafka_topic"))) {
            defs.put(metaColumn("kafka_topic"), ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING));
            src.put(metaColumn("kafka_topic"), new Object[] {Source.TOPIC, null, false});
        }
        if (metadata.contains(MetadataColumn.KAFKA_PARTITION) && !defs.containsKey(metaColumn("kafka_partition"))) {
            defs.put(metaColumn("kafka_partition"), ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32));
            src.put(metaColumn("kafka_partition"), new Object[] {Source.PARTITION, null, false});
        }
        if (metadata.contains(MetadataColumn.KAFKA_OFFSET) && !defs.containsKey(metaColumn("kafka_offset"))) {
            defs.put(metaColumn("kafka_offset"), ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64));
            src.put(metaColumn("kafka_offset"), new Object[] {Source.OFFSET, null, false});
        }
        if (deleteMode == DeleteMode.SOFT) {
            defs.put(metaColumn("deleted"), ColumnDef.of(metaColumn("deleted"), ColumnKind.BOOLEAN));
            src.put(metaColumn("deleted"), new Object[] {Source.FALSE, null, false});
            defs.put(metaColumn("deleted_at"), ColumnDef.of(metaColumn("deleted_at"), ColumnKind.TIMESTAMP));
            src.put(metaColumn("deleted_at"), new Object[] {Source.NULL, null, false});
        }
        int n = defs.size();
        Source[] sources = new Source[n];
        Field[] fieldOf = new Field[n];
        ColumnKind[] kinds = new ColumnKind[n];
        String[] names = new String[n];
        boolean[] required = new boolean[n];
        int i = 0;
        for (Map.Entry<String, Object[]> e : src.entrySet()) {
            Object[] s = e.getValue();
            sources[i] = (Source) s[0];
            fieldOf[i] = (Field) s[1];
            names[i] = sources[i] == Source.VALUE_FIELD ? fieldOf[i].name() : e.getKey();
            required[i] = (Boolean) s[2];
            Schema fieldSchema = switch (sources[i]) {
                case KEY_FIELD, VALUE_FIELD -> fieldOf[i].schema();
                case KEY_WHOLE -> keySchema;
                default -> null;
            };
            kinds[i] = fieldSchema == null ? null : typed(fieldSchema, null).kind;
            i++;
        }
        return new Plan(keySchema, valueSchema, new RowLayout(List.copyOf(keyColumns), defs), sources, fieldOf, kinds,
                names, required);
    }

    /** The value of a field of the given kind, normalized as {@link #typed} does. */
    static Object convert(ColumnKind kind, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (kind) {
            case INT8, INT16, INT32, INT64 -> ((Number) raw).longValue();
            case FLOAT32, FLOAT64 -> ((Number) raw).doubleValue();
            case TIMESTAMP -> ((Date) raw).toInstant();
            case DATE -> LocalDate.ofInstant(((Date) raw).toInstant(), ZoneOffset.UTC);
            case TIME -> LocalTime.ofNanoOfDay((((Date) raw).getTime() % 86_400_000L) * 1_000_000L);
            case BYTES -> bytes(raw);
            case JSON -> new JsonText(JsonWriter.write(raw));
            default -> raw; // BOOLEAN, STRING, DECIMAL
        };
    }

    private static void put(Map<String, ColumnDef> defs, Map<String, Object> values, ColumnDef def, Object value) {
        defs.put(def.name(), def);
        values.put(def.name(), value);
    }

    // ------------------------------------------------------------------ key

    private void mapKey(SinkRecord record, Map<String, ColumnDef> defs, Map<String, Object> values,
            List<String> keyColumns) {
        Object key = record.key();
        Schema schema = record.keySchema();
        if (key == null) {
            throw new BadRecordException("record key is null, but pk.mode=record_key needs it as the primary key");
        }
        if (key instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                if (!pkFields.isEmpty() && !pkFields.contains(field.name())) {
                    continue;
                }
                addKey(defs, values, keyColumns, field.name(), field.schema(), struct.get(field));
            }
        } else if (key instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!pkFields.isEmpty() && !pkFields.contains(name)) {
                    continue;
                }
                addKey(defs, values, keyColumns, name, null, e.getValue());
            }
        } else {
            String name = pkFields.isEmpty() ? "id" : pkFields.get(0);
            addKey(defs, values, keyColumns, name, schema, key);
        }
        if (keyColumns.isEmpty()) {
            throw new BadRecordException("record key has none of the pk.fields " + pkFields);
        }
    }

    private void addKey(Map<String, ColumnDef> defs, Map<String, Object> values, List<String> keyColumns,
            String name, Schema schema, Object raw) {
        if (raw == null) {
            throw new BadRecordException("primary key field '" + name + "' in the record key is null");
        }
        Typed typed = schema != null ? typed(schema, raw) : inferred(raw);
        if (typed.kind == ColumnKind.JSON) {
            throw new BadRecordException("primary key field '" + name + "' is a nested object or array");
        }
        ColumnDef def = new ColumnDef(name, typed.kind, typed.precision, typed.scale, true);
        defs.put(name, def);
        values.put(name, typed.value);
        keyColumns.add(name);
    }

    // ------------------------------------------------------------------ value

    private void mapValue(SinkRecord record, Map<String, ColumnDef> defs, Map<String, Object> values) {
        Object value = record.value();
        Schema schema = record.valueSchema();
        if (value instanceof Struct struct) {
            List<ColumnDef> layout = layouts.computeIfAbsent(struct.schema(), this::layout);
            List<Field> fields = struct.schema().fields();
            for (int i = 0; i < fields.size(); i++) {
                ColumnDef def = layout.get(i);
                if (defs.containsKey(def.name())) {
                    continue; // a key column of the same name wins
                }
                defs.put(def.name(), def);
                values.put(def.name(), typed(fields.get(i).schema(), struct.get(fields.get(i))).value);
            }
            return;
        }
        if (schema == null && schemalessMode == SchemalessMode.JSON) {
            put(defs, values, ColumnDef.of(config.schemalessJsonColumn(), ColumnKind.JSON),
                    new JsonText(JsonWriter.write(value)));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String column = prefix + e.getKey();
                if (defs.containsKey(column)) {
                    continue;
                }
                Object raw = e.getValue();
                if (raw == null) {
                    defs.put(column, new ColumnDef(column, null, -1, -1, false));
                    values.put(column, null);
                    continue;
                }
                Typed typed = schema != null && schema.valueSchema() != null ? typed(schema.valueSchema(), raw)
                        : inferred(raw);
                defs.put(column, new ColumnDef(column, typed.kind, typed.precision, typed.scale, false));
                values.put(column, typed.value);
            }
            return;
        }
        throw new BadRecordException("value must be a Struct or a JSON object, got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private List<ColumnDef> layout(Schema schema) {
        List<ColumnDef> out = new ArrayList<>();
        for (Field f : schema.fields()) {
            Typed t = typed(f.schema(), null);
            out.add(new ColumnDef(prefix + f.name(), t.kind, t.precision, t.scale, false));
        }
        return out;
    }

    /** A value with its kind. */
    record Typed(ColumnKind kind, int precision, int scale, Object value) {
    }

    /** Kind from a Connect schema; the value normalized (null stays null). */
    static Typed typed(Schema schema, Object raw) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().getOrDefault(Decimal.SCALE_FIELD, "0"));
            String p = schema.parameters().get("connect.decimal.precision");
            return new Typed(ColumnKind.DECIMAL, p == null ? -1 : Integer.parseInt(p), scale, raw);
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return new Typed(ColumnKind.DATE, -1, -1,
                    raw == null ? null : LocalDate.ofInstant(((Date) raw).toInstant(), ZoneOffset.UTC));
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return new Typed(ColumnKind.TIME, -1, -1,
                    raw == null ? null : LocalTime.ofNanoOfDay((((Date) raw).getTime() % 86_400_000L) * 1_000_000L));
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return new Typed(ColumnKind.TIMESTAMP, -1, -1, raw == null ? null : ((Date) raw).toInstant());
        }
        return switch (schema.type()) {
            case BOOLEAN -> new Typed(ColumnKind.BOOLEAN, -1, -1, raw);
            case INT8 -> new Typed(ColumnKind.INT8, -1, -1, raw == null ? null : ((Number) raw).longValue());
            case INT16 -> new Typed(ColumnKind.INT16, -1, -1, raw == null ? null : ((Number) raw).longValue());
            case INT32 -> new Typed(ColumnKind.INT32, -1, -1, raw == null ? null : ((Number) raw).longValue());
            case INT64 -> new Typed(ColumnKind.INT64, -1, -1, raw == null ? null : ((Number) raw).longValue());
            case FLOAT32 -> new Typed(ColumnKind.FLOAT32, -1, -1, raw == null ? null : ((Number) raw).doubleValue());
            case FLOAT64 -> new Typed(ColumnKind.FLOAT64, -1, -1, raw == null ? null : ((Number) raw).doubleValue());
            case STRING -> new Typed(ColumnKind.STRING, -1, -1, raw);
            case BYTES -> new Typed(ColumnKind.BYTES, -1, -1, bytes(raw));
            case ARRAY, MAP, STRUCT -> new Typed(ColumnKind.JSON, -1, -1,
                    raw == null ? null : new JsonText(JsonWriter.write(raw)));
        };
    }

    /** Kind inferred from a schemaless Java value. */
    static Typed inferred(Object raw) {
        if (raw instanceof Boolean) {
            return new Typed(ColumnKind.BOOLEAN, -1, -1, raw);
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return new Typed(ColumnKind.INT64, -1, -1, ((Number) raw).longValue());
        }
        if (raw instanceof Double || raw instanceof Float) {
            return new Typed(ColumnKind.FLOAT64, -1, -1, ((Number) raw).doubleValue());
        }
        if (raw instanceof BigDecimal) {
            return new Typed(ColumnKind.DECIMAL, -1, -1, raw);
        }
        if (raw instanceof java.math.BigInteger bi) {
            return new Typed(ColumnKind.DECIMAL, -1, -1, new BigDecimal(bi));
        }
        if (raw instanceof byte[] || raw instanceof ByteBuffer) {
            return new Typed(ColumnKind.BYTES, -1, -1, bytes(raw));
        }
        if (raw instanceof Date d) {
            return new Typed(ColumnKind.TIMESTAMP, -1, -1, d.toInstant());
        }
        if (raw instanceof Map || raw instanceof Collection || raw instanceof Struct) {
            return new Typed(ColumnKind.JSON, -1, -1, new JsonText(JsonWriter.write(raw)));
        }
        return new Typed(ColumnKind.STRING, -1, -1, raw.toString());
    }

    private static byte[] bytes(Object raw) {
        if (raw == null || raw instanceof byte[]) {
            return (byte[]) raw;
        }
        ByteBuffer buffer = ((ByteBuffer) raw).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** A value usable in a HashMap key (byte arrays compare by content). */
    static Object keyPart(Object value) {
        return value instanceof byte[] b ? HexFormat.of().formatHex(b) : value;
    }

    /** Widens two kinds seen for the same column within a batch; the first kind wins when they are unrelated. */
    public static ColumnKind merge(ColumnKind a, ColumnKind b) {
        if (a == null) {
            return b;
        }
        if (b == null || a == b) {
            return a;
        }
        if (a.isInteger() && b.isInteger()) {
            return a.ordinal() >= b.ordinal() ? a : b;
        }
        if (a.isNumeric() && b.isNumeric()) {
            if ((a == ColumnKind.FLOAT32 || a == ColumnKind.FLOAT64)
                    && (b == ColumnKind.FLOAT32 || b == ColumnKind.FLOAT64)) {
                return ColumnKind.FLOAT64;
            }
            return ColumnKind.DECIMAL;
        }
        return a;
    }

    /**
     * The columns of a row, in order, with the key columns: shared by every record of the same key and value schemas
     * (schema-ful records), or built per record (schemaless maps).
     */
    public static final class RowLayout {
        private final List<String> keyColumns;
        private final Map<String, ColumnDef> defs;
        private final ColumnDef[] columns;
        private final Map<String, Integer> index;

        RowLayout(List<String> keyColumns, LinkedHashMap<String, ColumnDef> defs) {
            this.keyColumns = keyColumns;
            this.defs = java.util.Collections.unmodifiableMap(defs);
            this.columns = defs.values().toArray(new ColumnDef[0]);
            this.index = new java.util.HashMap<>(columns.length * 2);
            for (int i = 0; i < columns.length; i++) {
                index.put(columns[i].name(), i);
            }
        }

        public List<String> keyColumns() {
            return keyColumns;
        }

        public Map<String, ColumnDef> defs() {
            return defs;
        }

        public ColumnDef column(int i) {
            return columns[i];
        }

        public int size() {
            return columns.length;
        }

        /** Position of a column, or -1. */
        public int indexOf(String column) {
            Integer i = index.get(column);
            return i == null ? -1 : i;
        }
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
                return java.util.Collections.singletonList(keyPart(value(keys.get(0))));
            }
            List<Object> key = new ArrayList<>(keys.size());
            for (String k : keys) {
                key.add(keyPart(value(k)));
            }
            return key;
        }
    }

    /** A record that cannot be written, with the reason (goes to the DLQ). */
    public static final class BadRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRecordException(String message) {
            super(message);
        }
    }
}
