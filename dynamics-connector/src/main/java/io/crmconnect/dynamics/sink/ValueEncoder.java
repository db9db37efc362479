package io.crmconnect.dynamics.sink;

import io.crmconnect.common.time.FastTime;
import io.crmconnect.dynamics.client.ColumnMetadata;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Converts a record's field value to what a Dataverse column accepts in Web API JSON: text, whole numbers, decimals
 * (money keeps every digit), booleans, {@code DateTimeOffset} in UTC, {@code Date} as {@code yyyy-MM-dd}, choice
 * option values (a label is mapped to its value through the column's options, case-insensitively), and multi-select
 * choices as {@code "1,2"}. A value that cannot be converted throws {@link ConversionException}, whose message names
 * the column and the problem but never the value.
 */
final class ValueEncoder {
    private ValueEncoder() {}

    /** The value cannot be written to the column; the record goes to the dead-letter topic. */
    static final class ConversionException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        ConversionException(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    static final String INVALID_CHOICE = "INVALID_CHOICE";

    static Object encode(ColumnMetadata c, Object v) {
        if (v == null) {
            return null;
        }
        try {
            switch (c.kind()) {
                case STRING:
                case MEMO:
                case ENTITY_NAME:
                    return text(v);
                case UNIQUEIDENTIFIER:
                    return text(v).toLowerCase(Locale.ROOT);
                case INTEGER:
                    return Math.toIntExact(whole(v));
                case BIGINT:
                    return whole(v);
                case DOUBLE:
                    return v instanceof Number n ? n.doubleValue() : Double.parseDouble(text(v).trim());
                case DECIMAL:
                case MONEY:
                    return decimal(v);
                case BOOLEAN:
                    return bool(v);
                case DATETIME:
                    return dateTime(v);
                case DATE_ONLY:
                    return dateOnly(v);
                case CHOICE:
                    return choice(c, v);
                case MULTI_CHOICE:
                    return multiChoice(c, v);
                default:
                    throw new ConversionException(
                            "CONVERSION_FAILED",
                            "column " + c.logicalName() + " has type " + c.attributeType()
                                    + ", which the sink does not write");
            }
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException(
                    "CONVERSION_FAILED",
                    "column " + c.logicalName() + " (" + c.kind().name().toLowerCase(Locale.ROOT) + ") cannot take a "
                            + v.getClass().getSimpleName() + " value: "
                            + e.getClass().getSimpleName());
        }
    }

    private static String text(Object v) {
        if (v instanceof ByteBuffer || v instanceof byte[]) {
            throw new IllegalArgumentException("bytes");
        }
        if (v instanceof Date d) {
            return FastTime.isoInstant(d.getTime());
        }
        return v.toString();
    }

    private static long whole(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigDecimal d) {
            return d.longValueExact();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new ArithmeticException("fraction");
            }
            return (long) d;
        }
        return new BigDecimal(text(v).trim()).longValueExact();
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        return new BigDecimal(text(v).trim());
    }

    private static Boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            if (n.intValue() == 0 || n.intValue() == 1) {
                return n.intValue() == 1;
            }
            throw new IllegalArgumentException("not 0 or 1");
        }
        String s = text(v).trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true", "yes", "1":
                return Boolean.TRUE;
            case "false", "no", "0":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("not a boolean");
        }
    }

    /** UTC, explicit: Dataverse converts no time zone on write. */
    private static String dateTime(Object v) {
        if (v instanceof Date d) {
            return FastTime.isoInstant(d.getTime());
        }
        if (v instanceof Long l) {
            return FastTime.isoInstant(l);
        }
        if (v instanceof Instant i) {
            return FastTime.isoInstant(i.toEpochMilli());
        }
        String s = text(v).trim();
        Long ms = FastTime.isoEpochMillis(s, ZoneOffset.UTC);
        if (ms != null) {
            return FastTime.isoInstant(ms);
        }
        try {
            return FastTime.isoInstant(OffsetDateTime.parse(s).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO date-time");
        }
    }

    /** A date without time or zone; a timestamp's UTC date (Connect Dates are midnight UTC). */
    private static String dateOnly(Object v) {
        if (v instanceof Date d) {
            return FastTime.isoDate(Math.floorDiv(d.getTime(), 86_400_000L));
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        String s = text(v).trim();
        String day = s.length() >= 10 ? s.substring(0, 10) : s;
        return LocalDate.parse(day).toString();
    }

    private static Integer choice(ColumnMetadata c, Object v) {
        if (v instanceof Number n) {
            return optionValue(c, n.intValue(), v);
        }
        String s = text(v).trim();
        if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-')) {
            try {
                return optionValue(c, Integer.parseInt(s), v);
            } catch (NumberFormatException ignored) {
                // a label that starts with a digit
            }
        }
        for (Map.Entry<Integer, String> o : c.options().entrySet()) {
            if (o.getValue() != null && o.getValue().trim().equalsIgnoreCase(s)) {
                return o.getKey();
            }
        }
        throw new ConversionException(
                INVALID_CHOICE,
                "column " + c.logicalName() + ": no option has this label ("
                        + c.options().size() + " options)");
    }

    private static Integer optionValue(ColumnMetadata c, int value, Object raw) {
        if (!c.options().isEmpty() && !c.options().containsKey(value)) {
            throw new ConversionException(
                    INVALID_CHOICE, "column " + c.logicalName() + ": " + value + " is not one of its option values");
        }
        return value;
    }

    private static String multiChoice(ColumnMetadata c, Object v) {
        List<Object> parts = new ArrayList<>();
        if (v instanceof Collection<?> col) {
            parts.addAll(col);
        } else {
            for (String p : text(v).split("[,;]")) {
                if (!p.isBlank()) {
                    parts.add(p.trim());
                }
            }
        }
        StringJoiner j = new StringJoiner(",");
        for (Object p : parts) {
            j.add(Integer.toString(choice(c, p)));
        }
        return j.toString();
    }
}
