package io.crmconnect.warehouse.source.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** Key and watermark values as text in offsets, and back: exact for every key-able type. */
public final class ValueText {
    private ValueText() {}

    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return v.toString();
    }

    public static Object parse(ColumnType type, String s) {
        if (s == null) {
            return null;
        }
        return switch (type) {
            case INTEGER -> Long.parseLong(s);
            case DECIMAL -> new BigDecimal(s);
            case DOUBLE -> Double.parseDouble(s);
            case BOOLEAN -> Boolean.parseBoolean(s);
            case DATE -> LocalDate.parse(s);
            case TIME -> LocalTime.parse(s);
            case TIMESTAMP_NTZ -> LocalDateTime.parse(s);
            case TIMESTAMP -> Instant.parse(s);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(s);
            case BYTES -> Base64.getDecoder().decode(s);
            default -> s;
        };
    }

    /** A watermark value as an instant: NTZ / DATETIME wall clock read as UTC, dates at midnight UTC. */
    public static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        throw new IllegalArgumentException(
                "not a timestamp: " + (v == null ? "null" : v.getClass().getSimpleName()));
    }
}
