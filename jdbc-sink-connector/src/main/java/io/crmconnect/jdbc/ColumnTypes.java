package io.crmconnect.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Column kinds of Connect schemas and schemaless Java values, and the normalized Java form of a value (Long, Double,
 * BigDecimal, Boolean, String, byte[], LocalDate, LocalTime, Instant, JsonText) that the stage encoders expect.
 */
public final class ColumnTypes {
    private ColumnTypes() {}

    /** A column kind with its decimal precision and scale (-1 when unknown). */
    public record Kind(ColumnKind kind, int precision, int scale) {}

    /** The kind of a column holding values of a Connect schema. */
    public static Kind of(Schema schema) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            int scale = Integer.parseInt(schema.parameters().getOrDefault(Decimal.SCALE_FIELD, "0"));
            String p = schema.parameters().get("connect.decimal.precision");
            return new Kind(ColumnKind.DECIMAL, p == null ? -1 : Integer.parseInt(p), scale);
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return new Kind(ColumnKind.DATE, -1, -1);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return new Kind(ColumnKind.TIME, -1, -1);
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return new Kind(ColumnKind.TIMESTAMP, -1, -1);
        }
        ColumnKind kind = switch (schema.type()) {
            case BOOLEAN -> ColumnKind.BOOLEAN;
            case INT8 -> ColumnKind.INT8;
            case INT16 -> ColumnKind.INT16;
            case INT32 -> ColumnKind.INT32;
            case INT64 -> ColumnKind.INT64;
            case FLOAT32 -> ColumnKind.FLOAT32;
            case FLOAT64 -> ColumnKind.FLOAT64;
            case STRING -> ColumnKind.STRING;
            case BYTES -> ColumnKind.BYTES;
            case ARRAY, MAP, STRUCT -> ColumnKind.JSON;
        };
        return new Kind(kind, -1, -1);
    }

    /** The kind inferred from a schemaless Java value (not null). */
    public static ColumnKind inferred(Object raw) {
        if (raw instanceof Boolean) {
            return ColumnKind.BOOLEAN;
        }
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ColumnKind.INT64;
        }
        if (raw instanceof Double || raw instanceof Float) {
            return ColumnKind.FLOAT64;
        }
        if (raw instanceof BigDecimal || raw instanceof BigInteger) {
            return ColumnKind.DECIMAL;
        }
        if (raw instanceof byte[] || raw instanceof ByteBuffer) {
            return ColumnKind.BYTES;
        }
        if (raw instanceof Date) {
            return ColumnKind.TIMESTAMP;
        }
        if (raw instanceof Map || raw instanceof Collection || raw instanceof Struct) {
            return ColumnKind.JSON;
        }
        return ColumnKind.STRING;
    }

    /**
     * A Connect value of a schema of the given kind, or a schemaless value of its inferred kind, in its normalized
     * form. Null stays null.
     */
    public static Object convert(ColumnKind kind, Object raw) {
        if (raw == null) {
            return null;
        }
        return switch (kind) {
            case INT8, INT16, INT32, INT64 -> raw instanceof Number n ? n.longValue() : integerText(raw);
            case FLOAT32, FLOAT64 -> ((Number) raw).doubleValue();
            case DECIMAL -> raw instanceof BigInteger bi ? new BigDecimal(bi) : raw;
            case TIMESTAMP -> ((Date) raw).toInstant();
            case DATE -> LocalDate.ofInstant(((Date) raw).toInstant(), ZoneOffset.UTC);
            case TIME -> LocalTime.ofNanoOfDay((((Date) raw).getTime() % 86_400_000L) * 1_000_000L);
            case BYTES -> bytes(raw);
            case JSON -> new JsonText(JsonWriter.write(raw));
            case STRING -> raw instanceof String ? raw : raw.toString();
            default -> raw; // BOOLEAN, OTHER
        };
    }

    /** A text field the source declares as an integer id ({@code crmconnect.integer.fields}). */
    private static long integerText(Object raw) {
        try {
            return Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new DataException("a field declared as an integer id holds text that is not an integer");
        }
    }

    private static byte[] bytes(Object raw) {
        if (raw instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) raw).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
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
}
