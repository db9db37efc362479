package io.crmconnect.hubspot.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A compact set of numeric record ids: a sorted {@code long[]} (8 bytes per id, 100,000 ids = 800 KB) plus a small
 * buffer of pending additions and removals merged in when it grows. {@link #encode()} writes the sorted ids as
 * delta varints, deflated and Base64-encoded (for HubSpot's dense ids about 1-2 bytes per id), small enough to live in
 * Connect's offsets.
 */
final class IdSet {
    private long[] base = new long[0];
    private int baseSize;
    /** id -> true (added) / false (removed), not yet merged into {@link #base}. */
    private final Map<Long, Boolean> pending = new HashMap<>();

    static long parse(String id) {
        return Long.parseLong(id);
    }

    void add(long id) {
        pending.put(id, Boolean.TRUE);
        maybeCompact();
    }

    void remove(long id) {
        pending.put(id, Boolean.FALSE);
        maybeCompact();
    }

    boolean contains(long id) {
        Boolean p = pending.get(id);
        if (p != null) {
            return p;
        }
        return Arrays.binarySearch(base, 0, baseSize, id) >= 0;
    }

    int size() {
        compact();
        return baseSize;
    }

    void clear() {
        base = new long[0];
        baseSize = 0;
        pending.clear();
    }

    void forEach(LongConsumer c) {
        compact();
        for (int i = 0; i < baseSize; i++) {
            c.accept(base[i]);
        }
    }

    private void maybeCompact() {
        if (pending.size() > Math.max(4_096, baseSize / 16)) {
            compact();
        }
    }

    private void compact() {
        if (pending.isEmpty()) {
            return;
        }
        long[] adds = new long[pending.size()];
        int na = 0;
        for (Map.Entry<Long, Boolean> e : pending.entrySet()) {
            if (e.getValue()) {
                adds[na++] = e.getKey();
            }
        }
        Arrays.sort(adds, 0, na);
        long[] out = new long[baseSize + na];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < baseSize || j < na) {
            long x;
            if (j >= na || (i < baseSize && base[i] < adds[j])) {
                x = base[i++];
            } else if (i >= baseSize || adds[j] < base[i]) {
                x = adds[j++];
            } else {
                x = base[i++];
                j++;
            }
            Boolean p = pending.get(x);
            if (p == null || p) {
                out[n++] = x;
            }
        }
        base = n == out.length ? out : Arrays.copyOf(out, n);
        baseSize = n;
        pending.clear();
    }

    /** Delta-varint, deflated, Base64 (URL-safe, no padding). */
    String encode() {
        compact();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, baseSize * 2));
        try (OutputStream out = new DeflaterOutputStream(bytes)) {
            writeVarLong(out, baseSize);
            long prev = 0;
            for (int i = 0; i < baseSize; i++) {
                writeVarLong(out, base[i] - prev);
                prev = base[i];
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    static IdSet decode(String s) {
        IdSet set = new IdSet();
        try (InputStream in = new InflaterInputStream(
                new ByteArrayInputStream(Base64.getUrlDecoder().decode(s)))) {
            long n = readVarLong(in);
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("bad id count " + n);
            }
            long[] a = new long[(int) n];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                prev += readVarLong(in);
                a[i] = prev;
            }
            set.base = a;
            set.baseSize = a.length;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable id checkpoint: " + e.getMessage(), e);
        }
        return set;
    }

    private static void writeVarLong(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarLong(InputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint too long");
    }
}
