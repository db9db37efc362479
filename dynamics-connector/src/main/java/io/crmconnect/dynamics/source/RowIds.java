package io.crmconnect.dynamics.source;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The ids of a table's rows present in its topic, kept so that rows deleted while no change tracking could report
 * them (a delta token expired, a table read by watermark, deletes during the initial load) still become tombstones:
 * a listing of the table's current ids is compared with this set. Split into {@value #BUCKETS} buckets by id hash so
 * each bucket fits one source offset and only changed buckets are saved again.
 */
final class RowIds {
    static final int BUCKETS = 64;
    /** Most ids one bucket's offset holds (16 bytes each, base64: ~600 KB, under Kafka's 1 MB message limit). */
    static final int BUCKET_MAX = 28_000;

    private final GuidSet[] buckets = new GuidSet[BUCKETS];
    private final boolean[] dirty = new boolean[BUCKETS];

    RowIds() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new GuidSet();
        }
    }

    static int bucketOf(UUID id) {
        return (GuidSet.slot(id.getMostSignificantBits(), id.getLeastSignificantBits()) >>> 26) & (BUCKETS - 1);
    }

    void add(UUID id) {
        int b = bucketOf(id);
        if (buckets[b].add(id)) {
            dirty[b] = true;
        }
    }

    void remove(UUID id) {
        int b = bucketOf(id);
        if (buckets[b].remove(id)) {
            dirty[b] = true;
        }
    }

    boolean contains(UUID id) {
        return buckets[bucketOf(id)].contains(id);
    }

    int size() {
        int n = 0;
        for (GuidSet b : buckets) {
            n += b.size();
        }
        return n;
    }

    /** Ids in this set and not in {@code listed}. */
    List<UUID> missingFrom(GuidSet listed) {
        List<UUID> out = new ArrayList<>();
        for (GuidSet b : buckets) {
            for (UUID id : b.toArray()) {
                if (!listed.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /** Replaces the set by a listing (every bucket whose content changed becomes dirty). */
    void replaceWith(GuidSet listed) {
        GuidSet[] next = new GuidSet[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            next[i] = new GuidSet();
        }
        for (UUID id : listed.toArray()) {
            next[bucketOf(id)].add(id);
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (next[i].size() != buckets[i].size() || !next[i].encode().equals(buckets[i].encode())) {
                dirty[i] = true;
            }
            buckets[i] = next[i];
        }
    }

    boolean anyDirty() {
        for (boolean d : dirty) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    /** Buckets changed since they were last saved. */
    List<Integer> dirtyBuckets() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            if (dirty[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** A bucket's ids as offset text; null when it holds more than one offset can carry. */
    String encodeBucket(int b) {
        return buckets[b].size() > BUCKET_MAX ? null : buckets[b].encode();
    }

    void saved(int b) {
        dirty[b] = false;
    }

    void restoreBucket(int b, String encoded) {
        buckets[b] = GuidSet.decode(encoded);
        dirty[b] = false;
    }
}
