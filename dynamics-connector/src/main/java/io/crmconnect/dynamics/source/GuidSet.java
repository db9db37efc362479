package io.crmconnect.dynamics.source;

import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * A set of row ids (GUIDs) in open addressing over two {@code long} arrays: 16 bytes per id at a load factor of
 * one half, no object per id. The all-zero GUID (never a row id) marks an empty slot.
 */
final class GuidSet {
    private long[] hi;
    private long[] lo;
    private int size;

    GuidSet() {
        this(16);
    }

    GuidSet(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        hi = new long[n];
        lo = new long[n];
    }

    int size() {
        return size;
    }

    boolean add(UUID id) {
        return add(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    boolean add(long h, long l) {
        if (h == 0 && l == 0) {
            return false;
        }
        if ((size + 1) * 2 > hi.length) {
            grow();
        }
        int mask = hi.length - 1;
        int i = slot(h, l) & mask;
        while (hi[i] != 0 || lo[i] != 0) {
            if (hi[i] == h && lo[i] == l) {
                return false;
            }
            i = (i + 1) & mask;
        }
        hi[i] = h;
        lo[i] = l;
        size++;
        return true;
    }

    boolean contains(UUID id) {
        return indexOf(id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
    }

    boolean remove(UUID id) {
        int i = indexOf(id.getMostSignificantBits(), id.getLeastSignificantBits());
        if (i < 0) {
            return false;
        }
        // backward-shift deletion keeps every probe chain intact without tombstones
        int mask = hi.length - 1;
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (hi[j] == 0 && lo[j] == 0) {
                break;
            }
            int home = slot(hi[j], lo[j]) & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                hi[gap] = hi[j];
                lo[gap] = lo[j];
                gap = j;
            }
        }
        hi[gap] = 0;
        lo[gap] = 0;
        size--;
        return true;
    }

    private int indexOf(long h, long l) {
        if (h == 0 && l == 0) {
            return -1;
        }
        int mask = hi.length - 1;
        int i = slot(h, l) & mask;
        while (hi[i] != 0 || lo[i] != 0) {
            if (hi[i] == h && lo[i] == l) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        long[] oh = hi;
        long[] ol = lo;
        hi = new long[oh.length * 2];
        lo = new long[ol.length * 2];
        size = 0;
        for (int i = 0; i < oh.length; i++) {
            if (oh[i] != 0 || ol[i] != 0) {
                add(oh[i], ol[i]);
            }
        }
    }

    /** A well-mixed hash of an id (ids may be sequential). */
    static int slot(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return (int) x;
    }

    /** Every id, in no particular order. */
    UUID[] toArray() {
        UUID[] out = new UUID[size];
        int k = 0;
        for (int i = 0; i < hi.length; i++) {
            if (hi[i] != 0 || lo[i] != 0) {
                out[k++] = new UUID(hi[i], lo[i]);
            }
        }
        return out;
    }

    /** The ids as base64 of their 16-byte forms, sorted (stable text for equal sets). */
    String encode() {
        UUID[] ids = toArray();
        Arrays.sort(ids);
        byte[] b = new byte[ids.length * 16];
        for (int i = 0; i < ids.length; i++) {
            putLong(b, i * 16, ids[i].getMostSignificantBits());
            putLong(b, i * 16 + 8, ids[i].getLeastSignificantBits());
        }
        return Base64.getEncoder().encodeToString(b);
    }

    static GuidSet decode(String s) {
        byte[] b = Base64.getDecoder().decode(s);
        if (b.length % 16 != 0) {
            throw new IllegalArgumentException("not a list of 16-byte ids (" + b.length + " bytes)");
        }
        GuidSet set = new GuidSet(b.length / 16);
        for (int i = 0; i < b.length; i += 16) {
            set.add(getLong(b, i), getLong(b, i + 8));
        }
        return set;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
