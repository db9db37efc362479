package io.crmconnect.warehouse.source.core;

import java.util.ArrayList;
import java.util.List;

/** A key's values as one JSON array of strings (or nulls), the form a Connect offset can store, and back. */
final class KeyText {
    private KeyText() {}

    static String format(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = values.get(i);
            if (v == null) {
                b.append("null");
                continue;
            }
            b.append('"');
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        }
        return b.append(']').toString();
    }

    static List<String> parse(String s) {
        String t = s.strip();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IllegalArgumentException("not an array");
        }
        List<String> out = new ArrayList<>();
        int i = 1;
        int end = t.length() - 1;
        i = skip(t, i);
        if (i == end) {
            return out;
        }
        while (true) {
            if (t.startsWith("null", i)) {
                out.add(null);
                i += 4;
            } else if (t.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                while (i < end && t.charAt(i) != '"') {
                    char c = t.charAt(i++);
                    if (c == '\\') {
                        char e = t.charAt(i++);
                        switch (e) {
                            case 'u' -> {
                                v.append((char) Integer.parseInt(t.substring(i, i + 4), 16));
                                i += 4;
                            }
                            case 'n' -> v.append('\n');
                            case 't' -> v.append('\t');
                            case 'r' -> v.append('\r');
                            case 'b' -> v.append('\b');
                            case 'f' -> v.append('\f');
                            default -> v.append(e);
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (i >= end) {
                    throw new IllegalArgumentException("unterminated string");
                }
                out.add(v.toString());
                i++;
            } else {
                throw new IllegalArgumentException("expected a string or null at " + i);
            }
            i = skip(t, i);
            if (i == end) {
                return out;
            }
            if (t.charAt(i) != ',') {
                throw new IllegalArgumentException("expected , at " + i);
            }
            i = skip(t, i + 1);
        }
    }

    private static int skip(String t, int i) {
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
            i++;
        }
        return i;
    }
}
