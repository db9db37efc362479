package io.crmconnect.smt.mapping;

import io.crmconnect.common.normalize.Normalizers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Timestamp;

/**
 * A type conversion compiled from a field's {@code type}, {@code format}, {@code timezone}, {@code output} options:
 * formatters, zones and the target schema are built once; {@link #convert} only switches on the runtime class of
 * the value.
 */
public abstract class Conversion {
    /** Thrown by {@link #convert}; the message describes the problem without the value. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }

        Failure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final Schema schema;

    protected Conversion(Schema schema) {
        this.schema = schema;
    }

    /** The schema of converted values (always optional unless {@code required}). */
    public Schema schema() {
        return schema;
    }

    /** Converts a non-null value. */
    public abstract Object convert(Object value);

    // ------------------------------------------------------------------ factory

    public static Conversion compile(
            String location,
            String type,
            List<String> formats,
            String timezone,
            String output,
            String outputFormat,
            String outputTimezone,
            Integer scale,
            boolean required) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        ZoneId zone = zone(location, "timezone", timezone);
        ZoneId outZone = zone(location, "output_timezone", outputTimezone);
        String out = output == null ? null : output.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "string":
                noOutput(location, t, out);
                return new ToString(opt(SchemaBuilder.string(), required), formatter(location, formats, zone), zone);
            case "int32":
            case "int":
            case "integer":
                noOutput(location, t, out);
                return new ToInteger(opt(SchemaBuilder.int32(), required), true);
            case "int64":
            case "long":
                noOutput(location, t, out);
                return new ToInteger(opt(SchemaBuilder.int64(), required), false);
            case "float64":
            case "double":
            case "number":
                noOutput(location, t, out);
                return new ToDouble(opt(SchemaBuilder.float64(), required), false);
            case "float32":
            case "float":
                noOutput(location, t, out);
                return new ToDouble(opt(SchemaBuilder.float32(), required), true);
            case "decimal":
                noOutput(location, t, out);
                if (scale == null || scale < 0) {
                    throw MappingDocument.error("", location, "type decimal needs 'scale' (digits after the point)");
                }
                return new ToDecimal(opt(Decimal.builder(scale), required), scale);
            case "boolean":
            case "bool":
                noOutput(location, t, out);
                return new ToBoolean(opt(SchemaBuilder.bool(), required));
            case "date":
                return toDate(location, formats, zone, out, outputFormat, required);
            case "timestamp":
            case "datetime":
                return toTimestamp(location, formats, zone, out, outputFormat, outZone, required);
            default:
                throw MappingDocument.error(
                        "",
                        location,
                        "unknown type '" + type + "'; use string, int32, int64, "
                                + "float32, float64, decimal, boolean, date or timestamp");
        }
    }

    private static void noOutput(String location, String type, String out) {
        if (out != null) {
            throw MappingDocument.error("", location, "'output' applies only to type date or timestamp, not " + type);
        }
    }

    private static Schema opt(SchemaBuilder b, boolean required) {
        return required ? b.build() : b.optional().build();
    }

    private static ZoneId zone(String location, String key, String id) {
        if (id == null) {
            return null;
        }
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw MappingDocument.error(
                    "", location, key + " '" + id + "' is not a time zone (e.g. America/New_York," + " UTC, +02:00)");
        }
    }

    private static DateTimeFormatter pattern(String location, String p) {
        try {
            return new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(p)
                    .parseDefaulting(ChronoField.ERA, 1)
                    .toFormatter(Locale.ENGLISH);
        } catch (IllegalArgumentException e) {
            throw MappingDocument.error(
                    "", location, "format '" + p + "' is not a valid date/time pattern: " + e.getMessage());
        }
    }

    private static DateTimeFormatter formatter(String location, List<String> formats, ZoneId zone) {
        if (formats.isEmpty()) {
            return null;
        }
        DateTimeFormatter f =
                new DateTimeFormatterBuilder().appendPattern(formats.get(0)).toFormatter(Locale.ENGLISH);
        return f.withZone(zone == null ? ZoneOffset.UTC : zone);
    }

    // ------------------------------------------------------------------ string

    static final class ToString extends Conversion {
        private final DateTimeFormatter dateFormat;

        ToString(Schema schema, DateTimeFormatter dateFormat, ZoneId zone) {
            super(schema);
            this.dateFormat = dateFormat;
        }

        @Override
        public Object convert(Object v) {
            if (v instanceof String) {
                return v;
            }
            if (v instanceof Double d) {
                return numberText(d);
            }
            if (v instanceof Float f) {
                return numberText(f.doubleValue());
            }
            if (v instanceof BigDecimal bd) {
                return bd.toPlainString();
            }
            if (v instanceof java.util.Date d) {
                return dateFormat != null
                        ? dateFormat.format(d.toInstant())
                        : DateTimeFormatter.ISO_INSTANT.format(d.toInstant());
            }
            if (v instanceof byte[] b) {
                return Base64.getEncoder().encodeToString(b);
            }
            if (v instanceof ByteBuffer bb) {
                ByteBuffer dup = bb.duplicate();
                byte[] b = new byte[dup.remaining()];
                dup.get(b);
                return Base64.getEncoder().encodeToString(b);
            }
            return v.toString();
        }

        private static String numberText(double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
    }

    // ------------------------------------------------------------------ numbers

    static final class ToInteger extends Conversion {
        private final boolean int32;

        ToInteger(Schema schema, boolean int32) {
            super(schema);
            this.int32 = int32;
        }

        @Override
        public Object convert(Object v) {
            long l;
            if (v instanceof Integer i) {
                l = i;
            } else if (v instanceof Long x) {
                l = x;
            } else if (v instanceof Short || v instanceof Byte) {
                l = ((Number) v).longValue();
            } else if (v instanceof String s) {
                String t = s.trim();
                if (t.isEmpty()) {
                    return null;
                }
                try {
                    l = Long.parseLong(t);
                } catch (NumberFormatException e) {
                    l = integral(parseDecimal(t));
                }
            } else if (v instanceof BigDecimal bd) {
                l = integral(bd);
            } else if (v instanceof BigInteger bi) {
                l = integral(new BigDecimal(bi));
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (d != Math.rint(d) || Double.isInfinite(d)) {
                    throw new Failure("has a fractional part and cannot become an integer");
                }
                if (d < -9.0e18 || d > 9.0e18) {
                    throw new Failure("is not an integer in the int64 range");
                }
                l = (long) d;
            } else if (v instanceof Boolean b) {
                l = b ? 1 : 0;
            } else if (v instanceof java.util.Date d) {
                l = d.getTime();
            } else {
                throw new Failure("a " + v.getClass().getSimpleName() + " cannot become an integer");
            }
            if (int32) {
                if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw new Failure("is out of the int32 range");
                }
                return (int) l;
            }
            return l;
        }

        private static long integral(BigDecimal bd) {
            try {
                return bd.longValueExact();
            } catch (ArithmeticException e) {
                throw new Failure("is not an integer in the int64 range");
            }
        }
    }

    static BigDecimal parseDecimal(String t) {
        BigDecimal simple = simpleDecimal(t);
        if (simple != null) {
            return simple;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new Failure("is not a number");
        }
    }

    /**
     * {@code [+-]digits[.digits]} with at most 18 digits, without {@code new BigDecimal(String)}'s general parser:
     * the same value and scale ({@code "1000.50"} is 100050 at scale 2), or {@code null} for any other text.
     */
    static BigDecimal simpleDecimal(String t) {
        int n = t.length();
        if (n == 0) {
            return null;
        }
        int i = 0;
        char first = t.charAt(0);
        boolean negative = first == '-';
        if (negative || first == '+') {
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 18) {
                    return null;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }

    static final class ToDouble extends Conversion {
        private final boolean float32;

        ToDouble(Schema schema, boolean float32) {
            super(schema);
            this.float32 = float32;
        }

        @Override
        public Object convert(Object v) {
            double d;
            if (v instanceof Number n) {
                d = n.doubleValue();
            } else if (v instanceof String s) {
                String t = s.trim();
                if (t.isEmpty()) {
                    return null;
                }
                try {
                    d = Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    throw new Failure("is not a number");
                }
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new Failure("is not a finite number");
                }
            } else if (v instanceof Boolean b) {
                d = b ? 1 : 0;
            } else {
                throw new Failure("a " + v.getClass().getSimpleName() + " cannot become a number");
            }
            return float32 ? (Object) (float) d : (Object) d;
        }
    }

    static final class ToDecimal extends Conversion {
        private final int scale;

        ToDecimal(Schema schema, int scale) {
            super(schema);
            this.scale = scale;
        }

        @Override
        public Object convert(Object v) {
            BigDecimal bd;
            if (v instanceof BigDecimal x) {
                bd = x;
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                bd = BigDecimal.valueOf(((Number) v).longValue());
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new Failure("is not a finite number");
                }
                bd = BigDecimal.valueOf(d);
            } else if (v instanceof String s) {
                String t = s.trim();
                if (t.isEmpty()) {
                    return null;
                }
                bd = parseDecimal(t);
            } else {
                throw new Failure("a " + v.getClass().getSimpleName() + " cannot become a decimal");
            }
            return bd.setScale(scale, RoundingMode.HALF_UP);
        }
    }

    static final class ToBoolean extends Conversion {
        ToBoolean(Schema schema) {
            super(schema);
        }

        @Override
        public Object convert(Object v) {
            if (v instanceof Boolean) {
                return v;
            }
            if (v instanceof String s) {
                String t = s.trim().toLowerCase(Locale.ROOT);
                switch (t) {
                    case "":
                        return null;
                    case "true":
                    case "t":
                    case "yes":
                    case "y":
                    case "1":
                    case "on":
                        return Boolean.TRUE;
                    case "false":
                    case "f":
                    case "no":
                    case "n":
                    case "0":
                    case "off":
                        return Boolean.FALSE;
                    default:
                        throw new Failure("is not a boolean (true/false, yes/no, y/n, 1/0, on/off)");
                }
            }
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (d == 0) {
                    return Boolean.FALSE;
                }
                if (d == 1) {
                    return Boolean.TRUE;
                }
                throw new Failure("is a number other than 0 or 1 and cannot become a boolean");
            }
            throw new Failure("a " + v.getClass().getSimpleName() + " cannot become a boolean");
        }
    }

    // ------------------------------------------------------------------ dates

    enum DateOut {
        CONNECT,
        ISO,
        EPOCH_DAYS,
        PATTERN
    }

    private static Conversion toDate(
            String location, List<String> formats, ZoneId zone, String out, String outputFormat, boolean required) {
        DateOut mode;
        if (outputFormat != null) {
            mode = DateOut.PATTERN;
        } else if (out == null || out.equals("date") || out.equals("connect")) {
            mode = DateOut.CONNECT;
        } else if (out.equals("iso") || out.equals("string")) {
            mode = DateOut.ISO;
        } else if (out.equals("epoch_days")) {
            mode = DateOut.EPOCH_DAYS;
        } else {
            throw MappingDocument.error(
                    "", location, "output '" + out + "' for a date must be date, iso or epoch_days");
        }
        Schema schema = switch (mode) {
            case CONNECT -> opt(Date.builder(), required);
            case EPOCH_DAYS -> opt(SchemaBuilder.int32(), required);
            default -> opt(SchemaBuilder.string(), required);
        };
        for (String f : formats) {
            pattern(location, f); // fail fast on bad patterns
        }
        Normalizers.DateFormats parsers = formats.isEmpty() ? null : new Normalizers.DateFormats(formats);
        DateTimeFormatter outFormat = outputFormat == null ? null : pattern(location, outputFormat);
        return new ToDate(schema, parsers, zone, mode, outFormat);
    }

    static final class ToDate extends Conversion {
        private final Normalizers.DateFormats parsers;
        private final ZoneId zone;
        private final DateOut mode;
        private final DateTimeFormatter outFormat;

        ToDate(Schema schema, Normalizers.DateFormats parsers, ZoneId zone, DateOut mode, DateTimeFormatter outFormat) {
            super(schema);
            this.parsers = parsers;
            this.zone = zone;
            this.mode = mode;
            this.outFormat = outFormat;
        }

        @Override
        public Object convert(Object v) {
            LocalDate date;
            if (v instanceof String s) {
                String t = s.trim();
                if (t.isEmpty()) {
                    return null;
                }
                date = parsers != null ? parsers.parse(t) : parseIsoDate(t, zone);
                if (date == null) {
                    throw new Failure("is not a date in the format "
                            + (parsers == null ? "yyyy-MM-dd" : String.join(" or ", parsers.patterns())));
                }
            } else if (v instanceof java.util.Date d) {
                date = d.toInstant()
                        .atZone(zone == null ? ZoneOffset.UTC : zone)
                        .toLocalDate();
            } else if (v instanceof Integer days) {
                date = LocalDate.ofEpochDay(days);
            } else if (v instanceof Long millis) {
                date = Instant.ofEpochMilli(millis)
                        .atZone(zone == null ? ZoneOffset.UTC : zone)
                        .toLocalDate();
            } else {
                throw new Failure("a " + v.getClass().getSimpleName() + " cannot become a date");
            }
            return switch (mode) {
                case CONNECT -> new java.util.Date(date.toEpochDay() * 86_400_000L);
                case ISO -> io.crmconnect.common.time.FastTime.isoDate(date.toEpochDay());
                case EPOCH_DAYS -> (int) date.toEpochDay();
                case PATTERN -> outFormat.format(date);
            };
        }

        private static LocalDate parseIsoDate(String t, ZoneId zone) {
            try {
                return LocalDate.parse(t);
            } catch (DateTimeParseException e) {
                Instant i = parseIsoInstant(t, zone);
                return i == null
                        ? null
                        : i.atZone(zone == null ? ZoneOffset.UTC : zone).toLocalDate();
            }
        }
    }

    // ------------------------------------------------------------------ timestamps

    enum TsOut {
        CONNECT,
        EPOCH_MILLIS,
        ISO,
        PATTERN
    }

    enum TsIn {
        ISO,
        EPOCH_MILLIS,
        EPOCH_SECONDS,
        PATTERNS
    }

    private static Conversion toTimestamp(
            String location,
            List<String> formats,
            ZoneId zone,
            String out,
            String outputFormat,
            ZoneId outZone,
            boolean required) {
        TsOut mode;
        if (outputFormat != null) {
            mode = TsOut.PATTERN;
        } else if (out == null || out.equals("timestamp") || out.equals("connect")) {
            mode = TsOut.CONNECT;
        } else if (out.equals("epoch_millis")) {
            mode = TsOut.EPOCH_MILLIS;
        } else if (out.equals("iso") || out.equals("string")) {
            mode = TsOut.ISO;
        } else {
            throw MappingDocument.error(
                    "", location, "output '" + out + "' for a timestamp must be timestamp, epoch_millis or iso");
        }
        TsIn in = TsIn.ISO;
        List<DateTimeFormatter> parsers = new ArrayList<>();
        for (String f : formats) {
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "iso" -> in = TsIn.ISO;
                case "epoch_millis" -> in = TsIn.EPOCH_MILLIS;
                case "epoch_seconds" -> in = TsIn.EPOCH_SECONDS;
                default -> {
                    in = TsIn.PATTERNS;
                    parsers.add(pattern(location, f));
                }
            }
        }
        if (in == TsIn.PATTERNS && parsers.size() != formats.size()) {
            throw MappingDocument.error(
                    "", location, "format: do not mix patterns with iso/epoch_millis/epoch_seconds");
        }
        Schema schema = switch (mode) {
            case CONNECT -> opt(Timestamp.builder(), required);
            case EPOCH_MILLIS -> opt(SchemaBuilder.int64(), required);
            default -> opt(SchemaBuilder.string(), required);
        };
        ZoneId oz = outZone == null ? ZoneOffset.UTC : outZone;
        DateTimeFormatter outFormat = switch (mode) {
            case ISO ->
                outZone == null ? DateTimeFormatter.ISO_INSTANT : DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(oz);
            case PATTERN -> pattern(location, outputFormat).withZone(oz);
            default -> null;
        };
        return new ToTimestamp(schema, in, parsers, zone, mode, outFormat);
    }

    static final class ToTimestamp extends Conversion {
        private final TsIn in;
        private final DateTimeFormatter[] parsers;
        private final ZoneId zone;
        private final ZoneId readZone;
        private final TsOut mode;
        private final DateTimeFormatter outFormat;

        ToTimestamp(
                Schema schema,
                TsIn in,
                List<DateTimeFormatter> parsers,
                ZoneId zone,
                TsOut mode,
                DateTimeFormatter outFormat) {
            super(schema);
            this.in = in;
            this.parsers = parsers.toArray(new DateTimeFormatter[0]);
            this.zone = zone;
            this.readZone = zone == null ? ZoneOffset.UTC : zone;
            this.mode = mode;
            this.outFormat = outFormat;
        }

        @Override
        public Object convert(Object v) {
            Instant instant = toInstant(v);
            if (instant == null) {
                return null;
            }
            return switch (mode) {
                case CONNECT -> new java.util.Date(instant.toEpochMilli());
                case EPOCH_MILLIS -> instant.toEpochMilli();
                case ISO ->
                    outFormat == DateTimeFormatter.ISO_INSTANT
                            ? io.crmconnect.common.time.FastTime.isoInstant(instant.toEpochMilli())
                            : outFormat.format(instant);
                case PATTERN -> outFormat.format(instant);
            };
        }

        private Instant toInstant(Object v) {
            if (v instanceof String s) {
                String t = s.trim();
                if (t.isEmpty()) {
                    return null;
                }
                switch (in) {
                    case EPOCH_MILLIS, EPOCH_SECONDS -> {
                        return fromEpoch(parseDecimal(t));
                    }
                    case PATTERNS -> {
                        for (DateTimeFormatter f : parsers) {
                            if (parsers.length > 1) {
                                ParsePosition pos = new ParsePosition(0);
                                if (f.parseUnresolved(t, pos) == null
                                        || pos.getErrorIndex() >= 0
                                        || pos.getIndex() != t.length()) {
                                    continue;
                                }
                            }
                            try {
                                return fromParsed(f.parse(t));
                            } catch (DateTimeException e) {
                                // next pattern
                            }
                        }
                        throw new Failure("is not a timestamp in the format " + describePatterns());
                    }
                    default -> {
                        Instant i = parseIsoInstant(t, readZone);
                        if (i == null) {
                            if (isInteger(t)) {
                                return Instant.ofEpochMilli(Long.parseLong(t));
                            }
                            throw new Failure("is not an ISO-8601 timestamp or epoch milliseconds");
                        }
                        return i;
                    }
                }
            }
            if (v instanceof java.util.Date d) {
                Instant i = d.toInstant();
                // A zone on a Timestamp input means: the source wrote local wall-clock time as if it were UTC
                // (warehouse TIMESTAMP_NTZ); re-read that wall clock in the zone.
                return zone == null
                        ? i
                        : LocalDateTime.ofInstant(i, ZoneOffset.UTC)
                                .atZone(zone)
                                .toInstant();
            }
            if (v instanceof Number n) {
                BigDecimal bd = n instanceof BigDecimal b
                        ? b
                        : n instanceof Long || n instanceof Integer
                                ? BigDecimal.valueOf(n.longValue())
                                : BigDecimal.valueOf(n.doubleValue());
                return fromEpoch(bd);
            }
            if (v instanceof Instant i) {
                return i;
            }
            throw new Failure("a " + v.getClass().getSimpleName() + " cannot become a timestamp");
        }

        private Instant fromEpoch(BigDecimal bd) {
            try {
                if (in == TsIn.EPOCH_SECONDS) {
                    return Instant.ofEpochMilli(bd.movePointRight(3)
                            .setScale(0, RoundingMode.HALF_UP)
                            .longValueExact());
                }
                return Instant.ofEpochMilli(bd.setScale(0, RoundingMode.HALF_UP).longValueExact());
            } catch (ArithmeticException | DateTimeException e) {
                throw new Failure("is out of the timestamp range");
            }
        }

        private Instant fromParsed(TemporalAccessor ta) {
            if (ta.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Instant.from(ta);
            }
            if (ta.isSupported(ChronoField.OFFSET_SECONDS)) {
                return OffsetDateTime.from(ta).toInstant();
            }
            if (ta.isSupported(ChronoField.HOUR_OF_DAY)) {
                return LocalDateTime.from(ta).atZone(readZone).toInstant();
            }
            return LocalDate.from(ta).atStartOfDay(readZone).toInstant();
        }

        private String describePatterns() {
            StringBuilder b = new StringBuilder();
            for (DateTimeFormatter f : parsers) {
                b.append(b.length() == 0 ? "" : " or ").append(f);
            }
            return b.toString();
        }
    }

    private static boolean isInteger(String t) {
        int start = t.startsWith("-") ? 1 : 0;
        if (t.length() == start || t.length() > 19) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** ISO-8601 with offset or Z, or local date-time / date (a space instead of T is accepted) in {@code zone}. */
    static Instant parseIsoInstant(String t, ZoneId zone) {
        Long fast = io.crmconnect.common.time.FastTime.isoEpochMillis(t, zone);
        if (fast != null) {
            return Instant.ofEpochMilli(fast);
        }
        ZoneId z = zone == null ? ZoneOffset.UTC : zone;
        String s = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        try {
            if (s.length() <= 10) {
                return LocalDate.parse(s).atStartOfDay(z).toInstant();
            }
            if (s.indexOf('[') > 0) {
                return ZonedDateTime.parse(s).toInstant();
            }
            if (hasOffset(s)) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).atZone(z).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** "...Z", "...+02:00", "...-0500" after the time part. */
    private static boolean hasOffset(String s) {
        char last = s.charAt(s.length() - 1);
        if (last == 'Z' || last == 'z') {
            return true;
        }
        int t = s.indexOf('T');
        if (t < 0) {
            return false;
        }
        for (int i = s.length() - 1; i > t; i--) {
            char c = s.charAt(i);
            if (c == '+' || c == '-') {
                return true;
            }
        }
        return false;
    }
}
