package io.crmconnect.simulator.hubspot;

import java.time.LocalDate;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
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
    /** The same values as JSON strings (quoted UTF-8), for {@link RecordWriter}. */
    private static final byte[][] DATES_JSON = new byte[DATES.length][];

    private static final byte[][] WORDS_JSON = new byte[DataGenerator.WORDS.length][];
    private static final byte[] TRUE_JSON = RecordWriter.quoted("true");
    private static final byte[] FALSE_JSON = RecordWriter.quoted("false");

    static {
        for (int i = 0; i < DATES.length; i++) {
            DATES[i] = LocalDate.ofEpochDay(15_000 + i).toString();
            DATES_JSON[i] = RecordWriter.quoted(DATES[i]);
        }
        for (int i = 0; i < WORDS_JSON.length; i++) {
            // opening quote, the word and the space: the hex part follows
            byte[] q = RecordWriter.quoted(DataGenerator.WORDS[i]);
            WORDS_JSON[i] = Arrays.copyOf(q, q.length);
            WORDS_JSON[i][q.length - 1] = ' ';
        }
    }

    /** The wide properties of one object type, shared by all its generated records. */
    static final class Layout {
        final String[] names;
        final char[] kinds; // n number, d date, t datetime, e enumeration, b bool, s string
        final String[][] options;
        final byte[][][] optionsJson;
        /** Enumerations without options never have a value. */
        final boolean[] noValue;

        final Map<String, Integer> slots;

        Layout(List<PropertyDef> defs) {
            int n = defs.size();
            names = new String[n];
            kinds = new char[n];
            options = new String[n][];
            optionsJson = new byte[n][][];
            noValue = new boolean[n];
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
                optionsJson[i] =
                        Arrays.stream(options[i]).map(RecordWriter::quoted).toArray(byte[][]::new);
                noValue[i] = kinds[i] == 'e' && options[i].length == 0;
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
    /** Whether an explicit value overrides a wide one (never for generated records). */
    private final boolean baseHasWide;

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
        boolean wideInBase = false;
        for (String k : base.keySet()) {
            wideInBase |= layout.slots.containsKey(k);
        }
        this.baseHasWide = wideInBase;
    }

    Layout layout() {
        return layout;
    }

    /** The explicit values (not the wide ones). */
    Map<String, String> base() {
        return base;
    }

    /** True when every wide value comes from {@link #hash}: {@link RecordWriter} may write them directly. */
    boolean wideOnlyDerived() {
        return !baseHasWide;
    }

    /** The hash behind wide property {@code slot}: decides presence and value. */
    long hash(int slot) {
        return mix(seed + (slot + 1) * 0x9E3779B97F4A7C15L);
    }

    static boolean present(long h) {
        return Long.remainderUnsigned(h, 10) < FILLED_OF_10;
    }

    /**
     * Writes the JSON string of wide property {@code slot} (whose {@link #hash} is {@code h} and {@link #present}),
     * byte for byte what writing {@link #derive}'s value would give; false when there is none (an empty enumeration).
     */
    boolean writeJson(int slot, long h, RecordWriter.Out out) {
        long x = h >>> 8;
        switch (layout.kinds[slot]) {
            case 'n':
                out.put((byte) '"');
                out.digits(x % 100_000);
                out.put((byte) '"');
                return true;
            case 'd':
                out.put(DATES_JSON[(int) (x % DATES.length)]);
                return true;
            case 't':
                out.isoJson(timeAnchor - x % (300L * 86_400_000L));
                return true;
            case 'e': {
                byte[][] o = layout.optionsJson[slot];
                if (o.length == 0) {
                    return false; // callers check Layout.noValue first
                }
                out.put(o[(int) (x % o.length)]);
                return true;
            }
            case 'b':
                out.put((x & 1) == 0 ? TRUE_JSON : FALSE_JSON);
                return true;
            default:
                out.put(WORDS_JSON[(int) (x % DataGenerator.WORDS.length)]);
                out.hex((int) ((x >>> 24) & 0xFFFFF));
                out.put((byte) '"');
                return true;
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The value of wide property {@code slot}, or null when this record has none. */
    String derive(int slot) {
        long h = hash(slot);
        if (!present(h)) {
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
                    private final Iterator<Entry<String, String>> explicit =
                            base.entrySet().iterator();
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
