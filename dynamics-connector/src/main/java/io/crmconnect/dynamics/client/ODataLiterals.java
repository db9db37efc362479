package io.crmconnect.dynamics.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** OData literals for {@code $filter} and key segments ({@code contacts(emailaddress1='a@x.com')}). */
public final class ODataLiterals {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ODataLiterals() {}

    public static boolean isGuid(String s) {
        return s != null && s.length() == 36 && GUID.matcher(s).matches();
    }

    /** A string literal: quoted, inner quotes doubled. */
    public static String string(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    /** The literal of a value: strings quoted, numbers and booleans bare, GUIDs bare, dates and times in ISO. */
    public static String literal(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof UUID) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Instant || v instanceof LocalDate) {
            return v.toString();
        }
        return string(v.toString());
    }

    /**
     * Whether a value can appear in a key segment: Dataverse cannot address alternate-key values containing
     * {@code / < > * % & : \ ?} or {@code +} (documented), so such rows are written by id instead.
     */
    public static boolean addressable(Object v) {
        if (!(v instanceof String s)) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '/', '<', '>', '*', '%', '&', ':', '\\', '?', '+':
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    /** {@code set(<guid>)}. */
    public static String idSegment(String entitySet, String id) {
        return entitySet + "(" + id + ")";
    }

    /** {@code set(col='v')} or {@code set(a='x',b=2)} for an alternate key (lookup columns as {@code _x_value}). */
    public static String keySegment(String entitySet, Map<String, Object> key) {
        StringBuilder b = new StringBuilder(entitySet).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : key.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Object v = e.getValue();
            b.append(e.getKey()).append('=');
            b.append(v instanceof String s && isGuid(s) && e.getKey().endsWith("_value") ? s : literal(v));
        }
        return b.append(')').toString();
    }
}
