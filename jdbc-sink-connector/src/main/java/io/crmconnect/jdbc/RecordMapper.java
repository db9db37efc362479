package io.crmconnect.jdbc;

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
        LinkedHashMap<String, ColumnDef> defs = new LinkedHashMap<>();
        LinkedHashMap<String, Object> values = new LinkedHashMap<>();
        List<String> keyColumns = new ArrayList<>();

        if (pkMode == PkMode.RECORD_KEY) {
            mapKey(record, defs, values, keyColumns);
        } else if (pkMode == PkMode.KAFKA) {
            put(defs, values, new ColumnDef(metaColumn("kafka_topic"), ColumnKind.STRING, -1, -1, true),
                    originalTopic(record));
            put(defs, values, new ColumnDef(metaColumn("kafka_partition"), ColumnKind.INT32, -1, -1, true),
                    (long) originalPartition(record));
            put(defs, values, new ColumnDef(metaColumn("kafka_offset"), ColumnKind.INT64, -1, -1, true),
                    originalOffset(record));
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
                put(defs, values, ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING), originalTopic(record));
            }
            if (metadata.contains(MetadataColumn.KAFKA_PARTITION)
                    && !defs.containsKey(metaColumn("kafka_partition"))) {
                put(defs, values, ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32),
                        (long) originalPartition(record));
            }
            if (metadata.contains(MetadataColumn.KAFKA_OFFSET) && !defs.containsKey(metaColumn("kafka_offset"))) {
                put(defs, values, ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64), originalOffset(record));
            }
            if (deleteMode == DeleteMode.SOFT) {
                put(defs, values, ColumnDef.of(metaColumn("deleted"), ColumnKind.BOOLEAN), Boolean.FALSE);
                put(defs, values, ColumnDef.of(metaColumn("deleted_at"), ColumnKind.TIMESTAMP), null);
            }
        }
        return new MappedRecord(record, table, tombstone, List.copyOf(keyColumns), defs, values);
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

    static String originalTopic(SinkRecord r) {
        try {
            return r.originalTopic();
        } catch (NoSuchMethodError e) {
            return r.topic();
        }
    }

    static int originalPartition(SinkRecord r) {
        try {
            Integer p = r.originalKafkaPartition();
            return p == null ? r.kafkaPartition() : p;
        } catch (NoSuchMethodError e) {
            return r.kafkaPartition();
        }
    }

    static long originalOffset(SinkRecord r) {
        try {
            return r.originalKafkaOffset();
        } catch (NoSuchMethodError e) {
            return r.kafkaOffset();
        }
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

    /** One record as a row: its table, whether it deletes, its key columns, column definitions and values. */
    public record MappedRecord(SinkRecord record, String table, boolean delete, List<String> keyColumns,
            LinkedHashMap<String, ColumnDef> defs, LinkedHashMap<String, Object> values) {
        public List<Object> key() {
            List<Object> key = new ArrayList<>(keyColumns.size());
            for (String k : keyColumns) {
                key.add(keyPart(values.get(k)));
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
