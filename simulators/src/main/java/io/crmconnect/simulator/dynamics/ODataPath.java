package io.crmconnect.simulator.dynamics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Web API resource path after {@code /api/data/v9.x/}: a first segment (entity set, function, action,
 * {@code $batch}, {@code $metadata}, {@code EntityDefinitions}) with optional key in parentheses, then further
 * segments (property, {@code $count}, {@code $ref}, bound action).
 */
final class ODataPath {
    final String head;
    /** Raw text inside the head's parentheses, or null. */
    final String key;

    final List<String> rest;

    private ODataPath(String head, String key, List<String> rest) {
        this.head = head;
        this.key = key;
        this.rest = rest;
    }

    /** Parses the part after the version; segments are split before percent-decoding, as the server routes them. */
    static ODataPath parse(String rawTail) {
        List<String> segs = new ArrayList<>();
        for (String s : rawTail.split("/", -1)) {
            segs.add(Http.decode(s));
        }
        while (segs.size() > 1 && segs.get(segs.size() - 1).isEmpty()) {
            segs.remove(segs.size() - 1);
        }
        String first = segs.isEmpty() ? "" : segs.get(0);
        String head = first;
        String key = null;
        int p = first.indexOf('(');
        if (p >= 0 && first.endsWith(")")) {
            head = first.substring(0, p);
            key = first.substring(p + 1, first.length() - 1);
        } else if (p >= 0) {
            throw DataverseException.query("Bad Request - Error in query syntax.");
        }
        return new ODataPath(head, key, segs.size() > 1 ? segs.subList(1, segs.size()) : List.of());
    }

    /**
     * Key parts: a bare value (the primary key) under the name "", or name=value pairs. String values keep their
     * quotes stripped and '' unescaped; other values are returned as written.
     */
    static Map<String, String> keyParts(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = key.length();
        while (i < n) {
            int eq = -1;
            int j = i;
            boolean q = false;
            while (j < n) {
                char c = key.charAt(j);
                if (c == '\'') {
                    q = !q;
                } else if (!q && c == '=' && eq < 0) {
                    eq = j;
                } else if (!q && c == ',') {
                    break;
                }
                j++;
            }
            String part = key.substring(i, j).trim();
            String name = eq < 0 ? "" : key.substring(i, eq).trim();
            String value = eq < 0 ? part : key.substring(eq + 1, j).trim();
            if (value.startsWith("'")) {
                if (value.length() < 2 || !value.endsWith("'")) {
                    throw DataverseException.query("Bad Request - Error in query syntax.");
                }
                value = "'" + value.substring(1, value.length() - 1).replace("''", "'");
            }
            if (out.put(name, value) != null) {
                throw DataverseException.query("Bad Request - Error in query syntax.");
            }
            i = j + 1;
        }
        return out;
    }
}
