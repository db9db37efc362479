package io.crmconnect.simulator.hubspot;

import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The properties of a generated record: the explicit values (name, email, address...) plus the generated
 * {@code wide_prop_*} values, which are not stored but derived on demand from (seed, record id, property) — the same
 * value on every read, so the map behaves like an immutable snapshot. 100,000 records × 300 wide properties cost
 * one small map per record instead of 30 million strings, and generate in seconds. A write copies the map
 * ({@link ObjectTable#withChanges}) into a plain one, as for every other record. Immutable.
 */
final class GeneratedProps extends AbstractMap<String, String> {
    /** About 7 of 10 wide properties have a value (as HubSpot portals: many properties stay empty). */
    private static final int FILLED_OF_10 = 7;
    private static final String[] DATES = new String[5000];

    static {
        for (int i = 0; i < DATES.length; i++) {
            DATES[i] = LocalDate.ofEpochDay(15_000 + i).toString();
        }
    }

    /** The wide properties of one object type, shared by all its generated records. */
    static final class Layout {
        final String[] names;
        final char[] kinds; // n number, d date, t datetime, e enumeration, b bool, s string
        final String[][] options;
        final Map<String, Integer> slots;

        Layout(List<PropertyDef> defs) {
            int n = defs.size();
            names = new String[n];
            kinds = new char[n];
            options = new String[n][];
            slots = new HashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                PropertyDef d = defs.get(i);
                names[i] = d.name;
                kinds[i] = switch (d.type) {
                    case "number" -> 'n';
                    case "date" -> 'd';
                    case "datetime" -> 't';
                    case "enumeration" -> 'e';
                    case "bool" -> 'b';
                    default -> 's';
                };
                options[i] = d.options.stream().map(o -> o[1]).toArray(String[]::new);
                slots.put(d.name, i);
            }
        }

        boolean isEmpty() {
            return names.length == 0;
        }
    }

    private final Map<String, String> base;
    private final Layout layout;
    private final long seed;
    private final long timeAnchor;
    private int size = -1;

    /**
     * @param base       the explicit values (never modified)
     * @param seed       the generator's seed mixed with the record id
     * @param timeAnchor datetime values lie up to 300 days before this instant (epoch ms)
     */
    GeneratedProps(Map<String, String> base, Layout layout, long seed, long timeAnchor) {
        this.base = base;
        this.layout = layout;
        this.seed = seed;
        this.timeAnchor = timeAnchor;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The value of wide property {@code slot}, or null when this record has none. */
    String derive(int slot) {
        long h = mix(seed + (slot + 1) * 0x9E3779B97F4A7C15L);
        if (Long.remainderUnsigned(h, 10) >= FILLED_OF_10) {
            return null;
        }
        long x = h >>> 8;
        switch (layout.kinds[slot]) {
            case 'n':
                return Long.toString(x % 100_000);
            case 'd':
                return DATES[(int) (x % DATES.length)];
            case 't':
                return Json.iso(timeAnchor - x % (300L * 86_400_000L));
            case 'e': {
                String[] o = layout.options[slot];
                return o.length == 0 ? null : o[(int) (x % o.length)];
            }
            case 'b':
                return (x & 1) == 0 ? "true" : "false";
            default:
                return DataGenerator.WORDS[(int) (x % DataGenerator.WORDS.length)] + " "
                        + Integer.toHexString((int) ((x >>> 24) & 0xFFFFF));
        }
    }

    @Override
    public String get(Object key) {
        String v = base.get(key);
        if (v != null) {
            return v;
        }
        Integer slot = layout.slots.get(key);
        return slot == null ? null : derive(slot);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        int s = size;
        if (s < 0) {
            s = base.size();
            for (int i = 0; i < layout.names.length; i++) {
                if (!base.containsKey(layout.names[i]) && derive(i) != null) {
                    s++;
                }
            }
            size = s;
        }
        return s;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private final Iterator<Entry<String, String>> explicit = base.entrySet().iterator();
                    private int slot = -1;
                    private Entry<String, String> next = advance();

                    private Entry<String, String> advance() {
                        if (explicit.hasNext()) {
                            return explicit.next();
                        }
                        while (++slot < layout.names.length) {
                            if (!base.containsKey(layout.names[slot])) {
                                String v = derive(slot);
                                if (v != null) {
                                    return new SimpleImmutableEntry<>(layout.names[slot], v);
                                }
                            }
                        }
                        return null;
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> e = next;
                        next = advance();
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return GeneratedProps.this.size();
            }
        };
    }
}
