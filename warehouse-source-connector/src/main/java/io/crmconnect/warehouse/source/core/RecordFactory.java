package io.crmconnect.warehouse.source.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns one table's rows into Connect records: key = Struct of the key columns, value = Struct of every column
 * (typed from the warehouse types; all optional except the key), tombstones for deletes, provenance headers
 * {@code warehouse.system}, {@code warehouse.table}, {@code warehouse.change}. Record timestamps are capture time.
 */
public final class RecordFactory {
    public static final String H_SYSTEM = "warehouse.system";
    public static final String H_TABLE = "warehouse.table";
    public static final String H_CHANGE = "warehouse.change";

    private final String system;
    private final String table;
    private final String topic;
    private final Map<String, Object> partition;
    private final List<ColumnInfo> columns;
    private final Schema keySchema;
    private final Schema valueSchema;
    private final int[] keyIdx;
    private final String[] fieldNames;

    public RecordFactory(
            String system, TableSpec spec, String topic, List<ColumnInfo> columns, boolean lowerCaseNames) {
        this.system = system;
        this.table = spec.name();
        this.topic = topic;
        this.partition = Map.of("table", spec.name());
        this.columns = columns;
        fieldNames = new String[columns.size()];
        for (int i = 0; i < fieldNames.length; i++) {
            fieldNames[i] = lowerCaseNames
                    ? columns.get(i).name().toLowerCase(Locale.ROOT)
                    : columns.get(i).name();
        }
        String base = "crmconnect." + system + "." + spec.shortName().toLowerCase(Locale.ROOT);
        keyIdx = new int[spec.keyColumns().size()];
        SchemaBuilder kb = SchemaBuilder.struct().name(base + ".Key");
        for (int k = 0; k < keyIdx.length; k++) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(spec.keyColumns().get(k))) {
                    keyIdx[k] = i;
                }
            }
            kb.field(fieldNames[keyIdx[k]], schema(columns.get(keyIdx[k]), false));
        }
        keySchema = kb.build();
        SchemaBuilder vb = SchemaBuilder.struct().name(base + ".Value").optional();
        for (int i = 0; i < columns.size(); i++) {
            vb.field(fieldNames[i], schema(columns.get(i), true));
        }
        valueSchema = vb.build();
    }

    public Schema valueSchema() {
        return valueSchema;
    }

    public Schema keySchema() {
        return keySchema;
    }

    static Schema schema(ColumnInfo c, boolean optional) {
        SchemaBuilder b = switch (c.type()) {
            case INTEGER -> SchemaBuilder.int64();
            case DECIMAL ->
                Decimal.builder(c.scale()).parameter("connect.decimal.precision", Integer.toString(c.precision()));
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case DATE -> org.apache.kafka.connect.data.Date.builder();
            case TIME -> Time.builder();
            case TIMESTAMP, TIMESTAMP_NTZ -> Timestamp.builder();
            case BYTES -> SchemaBuilder.bytes();
            case ARRAY -> SchemaBuilder.array(schema(c.element(), true));
            case STRUCT -> {
                SchemaBuilder s = SchemaBuilder.struct();
                for (ColumnInfo f : c.fields()) {
                    s.field(f.name(), schema(f, true));
                }
                yield s;
            }
            default -> SchemaBuilder.string(); // STRING, JSON text, TIMESTAMP_TZ as ISO-8601 with its offset
        };
        b.parameter("warehouse.type", c.warehouseType() == null ? c.type().name() : c.warehouseType());
        return optional ? b.optional().build() : b.build();
    }

    static Object value(ColumnInfo c, Schema s, Object v) {
        if (v == null) {
            return null;
        }
        return switch (c.type()) {
            case INTEGER -> v instanceof Long ? v : ((Number) v).longValue();
            case DECIMAL -> {
                BigDecimal d = v instanceof BigDecimal x ? x : new BigDecimal(v.toString());
                yield d.scale() == c.scale() ? d : d.setScale(c.scale(), RoundingMode.HALF_EVEN);
            }
            case DOUBLE -> ((Number) v).doubleValue();
            case DATE -> Date.from(((LocalDate) v).atStartOfDay(ZoneOffset.UTC).toInstant());
            case TIME -> new Date(((LocalTime) v).toNanoOfDay() / 1_000_000);
            case TIMESTAMP -> Date.from((Instant) v);
            case TIMESTAMP_NTZ -> Date.from(((LocalDateTime) v).toInstant(ZoneOffset.UTC));
            case TIMESTAMP_TZ -> ((OffsetDateTime) v).toString();
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object o : (List<?>) v) {
                    out.add(value(c.element(), s.valueSchema(), o));
                }
                yield out;
            }
            case STRUCT -> {
                Struct st = new Struct(s);
                List<?> l = (List<?>) v;
                for (int i = 0; i < c.fields().size(); i++) {
                    ColumnInfo f = c.fields().get(i);
                    st.put(f.name(), value(f, s.field(f.name()).schema(), l.get(i)));
                }
                yield st;
            }
            default -> v;
        };
    }

    public SourceRecord record(Emit e, long captureMillis) {
        Struct key = new Struct(keySchema);
        for (int k = 0; k < keyIdx.length; k++) {
            int i = keyIdx[k];
            key.put(
                    fieldNames[i],
                    value(columns.get(i), keySchema.field(fieldNames[i]).schema(), e.key()[k]));
        }
        Struct value = null;
        if (e.values() != null) {
            value = new Struct(valueSchema);
            Object[] v = e.values();
            for (int i = 0; i < fieldNames.length; i++) {
                value.put(
                        fieldNames[i],
                        value(columns.get(i), valueSchema.field(fieldNames[i]).schema(), v[i]));
            }
        }
        ConnectHeaders h = new ConnectHeaders();
        h.addString(H_SYSTEM, system);
        h.addString(H_TABLE, table);
        h.addString(H_CHANGE, e.change());
        return new SourceRecord(
                partition,
                e.offset(),
                topic,
                null,
                keySchema,
                key,
                value == null ? null : valueSchema,
                value,
                captureMillis,
                h);
    }
}
