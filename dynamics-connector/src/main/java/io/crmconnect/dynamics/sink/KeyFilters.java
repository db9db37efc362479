package io.crmconnect.dynamics.sink;

import io.crmconnect.dynamics.client.ODataLiterals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code $filter} expressions that find many rows in one read: {@code contactid eq <id> or ...} for ids,
 * {@code emailaddress1 eq 'a' or ...} for single-column keys, {@code (firstname eq 'a' and lastname eq 'b') or ...}
 * for compound keys. Each expression stays under a length that keeps the URL short enough for every proxy.
 */
final class KeyFilters {
    /** Longest filter text (before URL encoding, which about doubles quotes and spaces). */
    static final int MAX_CHARS = 7_000;

    static final int MAX_TERMS = 250;

    private KeyFilters() {}

    static List<String> build(Collection<RowIdentity> ids, String primaryId) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int terms = 0;
        for (RowIdentity id : ids) {
            String term = term(id, primaryId);
            if (terms > 0 && (cur.length() + term.length() + 4 > MAX_CHARS || terms >= MAX_TERMS)) {
                out.add(cur.toString());
                cur.setLength(0);
                terms = 0;
            }
            if (terms > 0) {
                cur.append(" or ");
            }
            cur.append(term);
            terms++;
        }
        if (terms > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    static String term(RowIdentity id, String primaryId) {
        if (id.byId()) {
            return primaryId + " eq " + id.rowId();
        }
        StringBuilder b = new StringBuilder();
        boolean compound = id.key().size() > 1;
        if (compound) {
            b.append('(');
        }
        boolean first = true;
        for (Map.Entry<String, Object> e : id.key().entrySet()) {
            if (!first) {
                b.append(" and ");
            }
            first = false;
            b.append(e.getKey()).append(" eq ").append(ODataLiterals.literal(e.getValue()));
        }
        if (compound) {
            b.append(')');
        }
        return b.toString();
    }
}
