package io.crmconnect.dynamics.sink;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which row a record addresses: its id (a GUID) or the values of the alternate key's columns (already encoded for
 * the Web API). {@link #canonical()} is equal for two identities Dataverse treats as the same row: alternate-key
 * text compares case-insensitively there (SQL collation), so does ours.
 */
record RowIdentity(String rowId, LinkedHashMap<String, Object> key) {
    static RowIdentity ofId(String id) {
        return new RowIdentity(id.toLowerCase(Locale.ROOT), null);
    }

    static RowIdentity ofKey(LinkedHashMap<String, Object> key) {
        return new RowIdentity(null, key);
    }

    boolean byId() {
        return rowId != null;
    }

    String canonical() {
        if (rowId != null) {
            return "id:" + rowId;
        }
        StringBuilder b = new StringBuilder("key:");
        for (Map.Entry<String, Object> e : key.entrySet()) {
            b.append(e.getKey()).append('=').append(normal(e.getValue())).append('|');
        }
        return b.toString();
    }

    /** The canonical text of one key value (as read back from Dataverse or taken from a record). */
    static String normal(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return normal(new BigDecimal(v.toString()));
        }
        return v.toString().toLowerCase(Locale.ROOT);
    }
}
