package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Converts Web API JSON values to stored values (with Dataverse's validation errors) and stored values to text. */
final class Values {
    private Values() {}

    /** 1753-01-01T00:00:00Z: the smallest date-time Dataverse stores. */
    static final long MIN_MILLIS = -6_847_804_800_000L;

    static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-" + "[0-9a-fA-F]{12}");

    /** A JSON body value for a column; throws Dataverse's 400s for wrong types, lengths and options. */
    static Object fromJson(TableDef t, Attr a, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        switch (a.type) {
            case STRING:
            case MEMO: {
                if (!n.isTextual()) {
                    throw convert(t, n, a);
                }
                String s = n.textValue();
                checkLength(t, a, s);
                return s;
            }
            case INTEGER:
            case PICKLIST:
            case STATE:
            case STATUS: {
                if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                    throw convert(t, n, a);
                }
                int x = n.intValue();
                if (a.type.isChoice()) {
                    checkOption(t, a, x);
                }
                return x;
            }
            case BIGINT:
                if (n.isIntegralNumber() && n.canConvertToLong()) {
                    return n.longValue();
                }
                if (n.isTextual()) {
                    try {
                        return Long.parseLong(n.textValue());
                    } catch (NumberFormatException e) {
                        throw convert(t, n, a);
                    }
                }
                throw convert(t, n, a);
            case DECIMAL:
            case MONEY: {
                BigDecimal d;
                if (n.isNumber()) {
                    d = n.decimalValue();
                } else if (n.isTextual()) {
                    try {
                        d = new BigDecimal(n.textValue());
                    } catch (NumberFormatException e) {
                        throw convert(t, n, a);
                    }
                } else {
                    throw convert(t, n, a);
                }
                return d.setScale(a.type == AttrType.MONEY ? 4 : a.precision, RoundingMode.HALF_UP);
            }
            case DOUBLE:
                if (!n.isNumber()) {
                    throw convert(t, n, a);
                }
                return n.doubleValue();
            case BOOLEAN:
                if (!n.isBoolean()) {
                    throw convert(t, n, a);
                }
                return n.booleanValue();
            case DATETIME: {
                if (!n.isTextual()) {
                    throw convert(t, n, a);
                }
                return parseDate(t, a, n.textValue());
            }
            case MULTISELECT: {
                if (!n.isTextual()) {
                    throw convert(t, n, a);
                }
                return multi(t, a, n.textValue());
            }
            case UNIQUEIDENTIFIER:
                if (!n.isTextual() || !GUID.matcher(n.textValue()).matches()) {
                    throw convert(t, n, a);
                }
                return n.textValue().toLowerCase(Locale.ROOT);
            default:
                throw new DataverseException(
                        400,
                        DataverseException.ENTITY_REFERENCE_UPDATE,
                        "CRM do not support direct update of Entity Reference properties, Use Navigation properties "
                                + "instead.");
        }
    }

    static void checkLength(TableDef t, Attr a, String s) {
        if (s.length() > a.maxLength) {
            throw DataverseException.badRequest(
                    DataverseException.LENGTH_EXCEEDED,
                    "A validation error occurred.  The "
                            + "length of the '" + a.logicalName + "' attribute of the '" + t.logicalName
                            + "' entity exceeded "
                            + "the maximum allowed length of '" + a.maxLength + "'.");
        }
    }

    static void checkOption(TableDef t, Attr a, int x) {
        if (!a.options.containsKey(x)) {
            StringBuilder accepted = new StringBuilder();
            for (Integer k : a.options.keySet()) {
                accepted.append(accepted.length() == 0 ? "" : ",").append(k);
            }
            throw DataverseException.badRequest(
                    DataverseException.PICKLIST_OUT_OF_RANGE,
                    "A validation error "
                            + "occurred. The value " + x + " of '" + a.logicalName + "' on record of type '"
                            + t.logicalName
                            + "' is outside the valid range. Accepted Values: " + accepted);
        }
    }

    static String multi(TableDef t, Attr a, String s) {
        if (s.isBlank()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            int x;
            try {
                x = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw DataverseException.payload(
                        t.entitySetName,
                        "Microsoft.OData.ODataException: Cannot convert the "
                                + "literal '" + s + "' to the expected type 'Edm.String' of multi-select option set '"
                                + a.logicalName + "'.");
            }
            checkOption(t, a, x);
            if (!out.contains(Integer.toString(x))) {
                out.add(Integer.toString(x));
            }
        }
        return String.join(",", out);
    }

    /** DateOnly columns take yyyy-MM-dd (epoch day); the others need an offset or Z (epoch millis). */
    static Object parseDate(TableDef t, Attr a, String s) {
        try {
            if (a.dateOnly()) {
                if (s.length() != 10) {
                    throw new DateTimeParseException("date only", s, 0);
                }
                LocalDate d = LocalDate.parse(s);
                if (d.isBefore(LocalDate.of(1753, 1, 1))) {
                    throw outOfRange(a, s);
                }
                return d.toEpochDay();
            }
            long ms;
            if (s.length() == 10) {
                ms = LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            } else {
                ms = OffsetDateTime.parse(s).toInstant().toEpochMilli();
            }
            if (ms < MIN_MILLIS) {
                throw outOfRange(a, s);
            }
            return ms - Math.floorMod(ms, 1000L);
        } catch (DateTimeParseException e) {
            throw DataverseException.payload(
                    t.entitySetName,
                    "Microsoft.OData.ODataException: Cannot convert the " + "literal '" + s + "' to the expected type '"
                            + a.edm() + "'.");
        }
    }

    private static DataverseException outOfRange(Attr a, String s) {
        return DataverseException.badRequest(
                DataverseException.INVALID_ARGUMENT,
                "The date-time format for " + a.logicalName + " is invalid, or value is outside the supported range. "
                        + s);
    }

    static DataverseException convert(TableDef t, JsonNode n, Attr a) {
        String lit = n.isTextual() ? n.textValue() : n.toString();
        return DataverseException.payload(
                t.entitySetName,
                "Microsoft.OData.ODataException: Cannot convert the " + "literal '" + lit + "' to the expected type '"
                        + a.edm() + "'.");
    }

    // ------------------------------------------------------------------ output

    /** 2023-04-07T21:59:01Z: Dataverse writes date-times in UTC without fractions. */
    static String iso(long millis) {
        long secs = Math.floorDiv(millis, 1000L);
        LocalDateTime d = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
        int y = d.getYear();
        if (y < 1000 || y > 9999) {
            return Instant.ofEpochSecond(secs).toString();
        }
        char[] c = new char[20];
        put(c, 0, y, 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, d.getHour(), 2);
        c[13] = ':';
        put(c, 14, d.getMinute(), 2);
        c[16] = ':';
        put(c, 17, d.getSecond(), 2);
        c[19] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    static String date(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    /** Money as Dataverse writes it: four decimals. */
    static String money(BigDecimal d) {
        return d.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    private static final ThreadLocal<DecimalFormat[]> FORMATS = ThreadLocal.withInitial(() -> new DecimalFormat[12]);

    private static DecimalFormat grouped(int decimals) {
        DecimalFormat[] cache = FORMATS.get();
        int i = Math.min(decimals, cache.length - 1);
        if (cache[i] == null) {
            DecimalFormat f = new DecimalFormat(
                    "#,##0" + (i > 0 ? "." + "0".repeat(i) : ""), DecimalFormatSymbols.getInstance(Locale.US));
            f.setRoundingMode(RoundingMode.HALF_UP);
            cache[i] = f;
        }
        return cache[i];
    }

    /**
     * The OData.Community.Display.V1.FormattedValue text for a stored value (en-US user, UTC time zone), or null
     * when Dataverse gives none (text, GUID, big int columns).
     */
    static String formatted(Store store, Attr a, Object x, String currencySymbol) {
        if (x == null) {
            return null;
        }
        switch (a.type) {
            case MONEY:
                BigDecimal m = (BigDecimal) x;
                String sym = currencySymbol == null ? "$" : currencySymbol;
                return m.signum() < 0
                        ? "-" + sym + grouped(a.precision).format(m.negate())
                        : sym + grouped(a.precision).format(m);
            case DECIMAL:
                return grouped(a.precision).format(x);
            case DOUBLE:
                return grouped(a.precision).format(x);
            case INTEGER:
                return grouped(0).format(x);
            case BOOLEAN:
                return a.options.get(((Boolean) x) ? 1 : 0);
            case PICKLIST:
            case STATE:
            case STATUS:
                return a.options.get((Integer) x);
            case MULTISELECT: {
                StringBuilder sb = new StringBuilder();
                for (String p : ((String) x).split(",")) {
                    String label = a.options.get(Integer.parseInt(p));
                    sb.append(sb.length() == 0 ? "" : "; ").append(label);
                }
                return sb.toString();
            }
            case DATETIME: {
                if (a.dateOnly()) {
                    LocalDate d = LocalDate.ofEpochDay((Long) x);
                    return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear();
                }
                LocalDateTime d = LocalDateTime.ofEpochSecond(Math.floorDiv((Long) x, 1000L), 0, ZoneOffset.UTC);
                int h = d.getHour() % 12 == 0 ? 12 : d.getHour() % 12;
                return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear() + " " + h + ":"
                        + (d.getMinute() < 10 ? "0" : "") + d.getMinute() + (d.getHour() < 12 ? " AM" : " PM");
            }
            case LOOKUP:
            case CUSTOMER:
            case OWNER:
                return store.primaryName((Ref) x);
            default:
                return null;
        }
    }

    static boolean isGuid(String s) {
        return s != null && s.length() == 36 && GUID.matcher(s).matches();
    }
}
