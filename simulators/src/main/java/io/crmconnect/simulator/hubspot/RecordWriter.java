package io.crmconnect.simulator.hubspot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes one record of a list or search page ({@code SimplePublicObject} without history or associations) straight
 * as UTF-8 bytes, byte for byte what {@link RecordJson#writeRecord} writes through Jackson: the property keys of a
 * selection are encoded once ({@link Plan}), and the generated wide values of {@link GeneratedProps} are written
 * without making strings. A 300-property page is served several times faster, so the simulator does not eat the CPU
 * a benchmark measures the connector with.
 */
final class RecordWriter {
    private RecordWriter() {}

    /** A growable byte buffer written directly. */
    static final class Out {
        byte[] a = new byte[16 * 1024];
        int n;

        void ensure(int extra) {
            if (n + extra > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + extra));
            }
        }

        void put(byte b) {
            ensure(1);
            a[n++] = b;
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, a, n, b.length);
            n += b.length;
        }

        void digits(long v) {
            if (v < 0) {
                put((byte) '-');
                v = -v;
            }
            ensure(20);
            int start = n;
            do {
                a[n++] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
            for (int i = start, j = n - 1; i < j; i++, j--) {
                byte t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }

        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        /** {@code Integer.toHexString(v)} for v ≥ 0. */
        void hex(int v) {
            ensure(8);
            int shift = 28;
            while (shift > 0 && (v >>> shift) == 0) {
                shift -= 4;
            }
            for (; shift >= 0; shift -= 4) {
                a[n++] = HEX[(v >>> shift) & 0xF];
            }
        }

        /** The JSON string of {@code Json.iso(millis)}. */
        void isoJson(long millis) {
            ensure(Json.ISO_LENGTH + 2);
            if (!Json.isoInto(a, n + 1, millis)) {
                string(Json.iso(millis));
                return;
            }
            a[n] = '"';
            n += Json.ISO_LENGTH + 1;
            a[n++] = '"';
        }

        /** A JSON string, escaped as Jackson's UTF8JsonGenerator does by default. */
        void string(String s) {
            int len = s.length();
            ensure(len + 2);
            a[n++] = '"';
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                    ensure(1);
                    a[n++] = (byte) c;
                } else if (c < 0x80) {
                    escape(c);
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c); // Jackson escapes characters outside the BMP as a surrogate pair
                } else {
                    int end = i + 1;
                    while (end < len && s.charAt(end) >= 0x80 && !Character.isSurrogate(s.charAt(end))) {
                        end++;
                    }
                    put(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                    i = end - 1;
                }
            }
            put((byte) '"');
        }

        private void escape(char c) {
            ensure(6);
            a[n++] = '\\';
            switch (c) {
                case '"' -> a[n++] = '"';
                case '\\' -> a[n++] = '\\';
                case '\n' -> a[n++] = 'n';
                case '\r' -> a[n++] = 'r';
                case '\t' -> a[n++] = 't';
                case '\b' -> a[n++] = 'b';
                case '\f' -> a[n++] = 'f';
                default -> {
                    n--;
                    unicodeEscape(c);
                }
            }
        }

        private void unicodeEscape(char c) {
            ensure(6);
            a[n++] = '\\';
            a[n++] = 'u';
            for (int shift = 12; shift >= 0; shift -= 4) {
                a[n++] = (byte) "0123456789ABCDEF".charAt((c >> shift) & 0xF);
            }
        }
    }

    static byte[] quoted(String s) {
        Out o = new Out();
        o.string(s);
        return Arrays.copyOf(o.a, o.n);
    }

    /** One property selection: its names, their encoded keys, and where the wide ones are in a generated layout. */
    static final class Plan {
        final String[] names;
        final byte[][] keys;
        private volatile GeneratedProps.Layout layout;
        private volatile int[] slots;

        Plan(Set<String> props) {
            names = props.toArray(new String[0]);
            keys = new byte[names.length][];
            for (int i = 0; i < names.length; i++) {
                byte[] q = quoted(names[i]);
                keys[i] = Arrays.copyOf(q, q.length + 1);
                keys[i][q.length] = ':';
            }
        }

        int[] slots(GeneratedProps.Layout l) {
            int[] s = slots;
            if (layout != l || s == null) {
                s = new int[names.length];
                for (int i = 0; i < names.length; i++) {
                    Integer x = l.slots.get(names[i]);
                    s[i] = x == null ? -1 : x;
                }
                slots = s;
                layout = l;
            }
            return s;
        }
    }

    private static final Map<String, Plan> PLANS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Out> OUT = ThreadLocal.withInitial(Out::new);
    private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROPERTIES = ",\"properties\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CREATED = "},\"createdAt\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPDATED = ",\"updatedAt\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARCHIVED_FALSE = ",\"archived\":false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARCHIVED_TRUE =
            ",\"archived\":true,\"archivedAt\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] URL = ",\"url\":".getBytes(StandardCharsets.US_ASCII);

    static Plan plan(String typeName, Set<String> props, String selectionKey) {
        String key = typeName + '\u0000' + selectionKey;
        Plan p = PLANS.get(key);
        if (p == null) {
            p = new Plan(props);
            if (PLANS.size() > 1_000) {
                PLANS.clear(); // many different selections (tests): keep the cache small
            }
            PLANS.put(key, p);
        }
        return p;
    }

    /** The record's JSON ({@code id, properties, createdAt, updatedAt, archived[, archivedAt], url}). */
    static byte[] write(Rec r, Plan plan, String urlPrefix) {
        Out out = OUT.get();
        if (out.a.length > 1 << 20) {
            out = new Out();
            OUT.set(out);
        }
        out.n = 0;
        out.put(ID);
        out.string(Long.toString(r.id));
        out.put(PROPERTIES);
        boolean first = true;
        GeneratedProps gp = r.props instanceof GeneratedProps g && g.wideOnlyDerived() ? g : null;
        int[] slots = gp == null ? null : plan.slots(gp.layout());
        Map<String, String> explicit = gp == null ? r.props : gp.base();
        for (int i = 0; i < plan.names.length; i++) {
            int slot = slots == null ? -1 : slots[i];
            if (slot >= 0) {
                long h = gp.hash(slot);
                if (!GeneratedProps.present(h) || gp.layout().noValue[slot]) {
                    continue;
                }
                if (!first) {
                    out.put((byte) ',');
                }
                first = false;
                out.put(plan.keys[i]);
                gp.writeJson(slot, h, out);
            } else {
                String v = explicit.get(plan.names[i]);
                if (v == null) {
                    continue;
                }
                if (!first) {
                    out.put((byte) ',');
                }
                first = false;
                out.put(plan.keys[i]);
                out.string(v);
            }
        }
        out.put(CREATED);
        out.string(r.createdIso);
        out.put(UPDATED);
        out.string(r.updatedIso);
        if (r.archived) {
            out.put(ARCHIVED_TRUE);
            out.string(r.archivedIso);
        } else {
            out.put(ARCHIVED_FALSE);
        }
        out.put(URL);
        out.string(urlPrefix + r.id);
        out.put((byte) '}');
        return Arrays.copyOf(out.a, out.n);
    }
}
