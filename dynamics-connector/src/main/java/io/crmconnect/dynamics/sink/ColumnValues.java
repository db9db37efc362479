package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.common.time.FastTime;
import io.crmconnect.dynamics.client.ColumnMetadata;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether a value the sink would write equals the row's current value as the Web API returned it, per column type:
 * numbers by value ({@code 20000.0000} = {@code 20000}), date-times by instant, dates by day, multi-select choices as
 * sets, text exactly. Used to send only the columns that changed.
 */
final class ColumnValues {
    private ColumnValues() {}

    static boolean isEmpty(JsonNode current) {
        return current == null
                || current.isNull()
                || (current.isTextual() && current.asText().isEmpty());
    }

    static boolean same(ColumnMetadata c, JsonNode current, Object next) {
        if (next == null) {
            return isEmpty(current);
        }
        if (current == null || current.isNull()) {
            return false;
        }
        try {
            switch (c.kind()) {
                case INTEGER:
                case BIGINT:
                case DECIMAL:
                case MONEY:
                case DOUBLE:
                case CHOICE:
                    return decimal(current).compareTo(new BigDecimal(next.toString())) == 0;
                case BOOLEAN:
                    return current.asBoolean() == (Boolean) next;
                case DATETIME:
                    return millis(current.asText()) == millis(next.toString());
                case DATE_ONLY:
                    return day(current.asText()).equals(day(next.toString()));
                case MULTI_CHOICE:
                    return sortedOptions(current.asText()).equals(sortedOptions(next.toString()));
                case UNIQUEIDENTIFIER:
                    return current.asText().equalsIgnoreCase(next.toString());
                default:
                    return current.asText().equals(next.toString());
            }
        } catch (RuntimeException e) {
            return false; // unreadable current value: write ours
        }
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText().trim());
    }

    private static long millis(String s) {
        Long ms = FastTime.isoEpochMillis(s, ZoneOffset.UTC);
        return ms != null ? ms : OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }

    private static String day(String s) {
        return s.length() >= 10 ? s.substring(0, 10) : s;
    }

    private static String sortedOptions(String s) {
        String[] parts = s.isBlank() ? new String[0] : s.split(",");
        int[] vs = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            vs[i] = Integer.parseInt(parts[i].trim());
        }
        Arrays.sort(vs);
        return Arrays.toString(vs);
    }

    /** A lookup's current related id ({@code _x_value}) equals the id to bind. */
    static boolean sameLookup(JsonNode current, String id) {
        if (id == null) {
            return isEmpty(current);
        }
        return current != null
                && !current.isNull()
                && current.asText().toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT));
    }
}
