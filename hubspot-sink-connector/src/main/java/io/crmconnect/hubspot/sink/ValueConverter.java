package io.crmconnect.hubspot.sink;

import io.crmconnect.common.normalize.Normalizers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;

/**
 * Converts record values to HubSpot's string formats: date = midnight UTC epoch millis, datetime = epoch millis,
 * bool = true/false, number = plain decimal, enumeration = an option value (checked), multi-checkbox = ';'-joined.
 * Local dates and times are read in the configured zone; timestamps become dates in that zone.
 */
final class ValueConverter {
    private final ZoneId zone;

    ValueConverter(ZoneId zone) {
        this.zone = zone;
    }

    /** A value that cannot become the property's type; reason is a DLQ reason code. */
    static final class ConversionException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String reason;

        ConversionException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    /**
     * @param schema the field's Connect schema (may be null for schemaless records)
     * @param def    the target property (null = unknown: sent as text, HubSpot decides)
     */
    String convert(String property, Object value, Schema schema, PropertyCatalog.Prop def) {
        if (value == null) {
            return null;
        }
        String type = def == null ? "string" : def.type();
        try {
            switch (type) {
                case "date":
                    return Long.toString(toDate(value, schema).toEpochDay() * 86_400_000L);
                case "datetime":
                    return Long.toString(toInstant(value).toEpochMilli());
                case "bool":
                    return toBool(value);
                case "number":
                    return toNumber(value);
                case "enumeration":
                    return toEnum(property, value, def);
                default:
                    return toText(value);
            }
        } catch (ConversionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConversionException(
                    "CONVERSION_FAILED",
                    "cannot convert the value of " + property + " ("
                            + value.getClass().getSimpleName() + ") to a HubSpot " + type + ": " + e.getMessage());
        }
    }

    LocalDate toDate(Object v, Schema schema) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof Date d) {
            boolean dateOnly = schema != null && org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(schema.name());
            return dateOnly
                    ? LocalDate.ofEpochDay(Math.floorDiv(d.getTime(), 86_400_000L))
                    : Instant.ofEpochMilli(d.getTime()).atZone(zone).toLocalDate();
        }
        if (v instanceof Integer days
                && schema != null
                && org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(schema.name())) {
            return LocalDate.ofEpochDay(days);
        }
        if (v instanceof Number n) {
            return fromMillis(n.longValue());
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        if (isInteger(s)) {
            return fromMillis(Long.parseLong(s));
        }
        if (s.length() == 10 && s.charAt(4) == '-') {
            return LocalDate.parse(s);
        }
        Instant i = parseInstantOrNull(s);
        if (i != null) {
            return i.atZone(zone).toLocalDate();
        }
        LocalDateTime ldt = parseLocalDateTimeOrNull(s);
        if (ldt != null) {
            return ldt.toLocalDate();
        }
        LocalDate d = Normalizers.DateFormats.DEFAULT.parse(s);
        if (d == null) {
            throw new IllegalArgumentException("not a date in a known format");
        }
        return d;
    }

    /** Midnight UTC millis are a date as such; any other instant is a point in time, read in the zone. */
    private LocalDate fromMillis(long ms) {
        if (ms % 86_400_000L == 0) {
            return LocalDate.ofEpochDay(ms / 86_400_000L);
        }
        return Instant.ofEpochMilli(ms).atZone(zone).toLocalDate();
    }

    Instant toInstant(Object v) {
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay(zone).toInstant();
        }
        String s = v.toString().trim();
        if (isInteger(s)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        Instant i = parseInstantOrNull(s);
        if (i != null) {
            return i;
        }
        LocalDateTime ldt = parseLocalDateTimeOrNull(s);
        if (ldt != null) {
            return ldt.atZone(zone).toInstant();
        }
        if (s.length() == 10 && s.charAt(4) == '-') {
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        }
        throw new IllegalArgumentException("not a timestamp");
    }

    private static Instant parseInstantOrNull(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static LocalDateTime parseLocalDateTimeOrNull(String s) {
        try {
            return LocalDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String toBool(Object v) {
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof Number n) {
            if (n.intValue() == 0 || n.intValue() == 1) {
                return n.intValue() == 1 ? "true" : "false";
            }
            throw new IllegalArgumentException("only 0 and 1 are booleans");
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true":
            case "yes":
            case "y":
            case "1":
            case "t":
                return "true";
            case "false":
            case "no":
            case "n":
            case "0":
            case "f":
                return "false";
            default:
                throw new IllegalArgumentException("not a boolean");
        }
    }

    private static String toNumber(Object v) {
        BigDecimal d;
        if (v instanceof BigDecimal b) {
            d = b;
        } else if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("not a finite number");
            }
            d = BigDecimal.valueOf(x);
        } else if (v instanceof Number n) {
            d = BigDecimal.valueOf(n.longValue());
        } else {
            d = new BigDecimal(v.toString().trim());
        }
        d = d.stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    private static String toEnum(String property, Object v, PropertyCatalog.Prop def) {
        List<String> values = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> values.add(x == null ? "" : x.toString()));
        } else if (def.multi() && v.toString().contains(";")) {
            for (String s : v.toString().split(";")) {
                values.add(s);
            }
        } else {
            values.add(v instanceof Boolean b ? b.toString() : v.toString());
        }
        Set<String> options = def.options();
        List<String> out = new ArrayList<>();
        for (String s : values) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!options.isEmpty() && !options.contains(t)) {
                throw new ConversionException(
                        "INVALID_OPTION",
                        "\"" + t + "\" is not an option of enumeration "
                                + property + " (options: "
                                + (options.size() > 20 ? options.size() + " values" : options)
                                + ")");
            }
            out.add(t);
        }
        if (!def.multi() && out.size() > 1) {
            throw new ConversionException("INVALID_OPTION", property + " takes one option, got " + out.size());
        }
        return String.join(";", out);
    }

    private static String toText(Object v) {
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(String.valueOf(x)));
            return String.join(";", parts);
        }
        if (v instanceof Date d) {
            return d.toInstant().toString();
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return v.toString();
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return false;
        }
        for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return s.length() > (s.charAt(0) == '-' ? 1 : 0);
    }
}
