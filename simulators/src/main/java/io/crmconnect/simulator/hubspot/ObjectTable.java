package io.crmconnect.simulator.hubspot;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Records of one object type. Reads are lock-free over immutable snapshots; writes synchronize on the table.
 * Search reads a separate index that receives every write after the configured indexing lag.
 */
final class ObjectTable {
    static final long RECYCLE_BIN_MILLIS = 90L * 24 * 3600 * 1000;
    static final int MAX_HISTORY = 20;

    final ObjectType type;
    final ConcurrentSkipListMap<Long, Rec> live = new ConcurrentSkipListMap<>();
    final ConcurrentSkipListMap<Long, Rec> archived = new ConcurrentSkipListMap<>();
    /** Merged-away id -> surviving id. */
    final Map<Long, Long> mergedInto = new ConcurrentHashMap<>();
    /** unique property -> normalized value -> id. */
    final Map<String, Map<String, Long>> unique = new ConcurrentHashMap<>();
    /** What search sees (lags behind {@link #live}). */
    final ConcurrentSkipListMap<Long, Rec> indexed = new ConcurrentSkipListMap<>();

    private final ArrayDeque<Object[]> pending = new ArrayDeque<>(); // {visibleAtMillis, id, Rec|null}; guarded by this
    /** Hash indexes over properties of the search view, for EQ/IN filters; guarded by this. */
    private final Map<String, PropIndex> propIndexes = new HashMap<>();

    ObjectTable(ObjectType type) {
        this.type = type;
    }

    static String norm(String prop, String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    Long findByUnique(String prop, String value) {
        if ("hs_object_id".equals(prop)) {
            try {
                long id = Long.parseLong(value.trim());
                return live.containsKey(id) ? id : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        Map<String, Long> m = unique.get(prop);
        return m == null ? null : m.get(norm(prop, value));
    }

    /** Resolves an id, following merges when {@code followMerges}. */
    Rec get(long id, boolean followMerges) {
        Rec r = live.get(id);
        if (r == null && followMerges) {
            Long to = mergedInto.get(id);
            int guard = 0;
            while (to != null && guard++ < 300) {
                r = live.get(to);
                if (r != null) {
                    break;
                }
                to = mergedInto.get(to);
            }
        }
        return r;
    }

    synchronized void put(Rec r, long now, long lagMillis) {
        Rec old = live.put(r.id, r);
        reindexUnique(old, r);
        toIndex(r.id, r, now, lagMillis);
    }

    synchronized Rec archive(long id, long now, long lagMillis) {
        Rec r = live.remove(id);
        if (r == null) {
            return null;
        }
        reindexUnique(r, null);
        Rec a = new Rec(r.id, r.props, r.createdAt, now, true, now, r.history);
        archived.put(id, a);
        toIndex(id, null, now, lagMillis);
        return a;
    }

    synchronized Rec removePermanently(long id, long now, long lagMillis) {
        Rec r = live.remove(id);
        if (r != null) {
            reindexUnique(r, null);
            toIndex(id, null, now, lagMillis);
        }
        return r;
    }

    synchronized void mergedAway(long mergedId, long survivorId, long now, long lagMillis) {
        Rec r = live.remove(mergedId);
        if (r != null) {
            reindexUnique(r, null);
        }
        mergedInto.put(mergedId, survivorId);
        toIndex(mergedId, null, now, lagMillis);
    }

    private void reindexUnique(Rec old, Rec neu) {
        for (String p : type.uniqueProps()) {
            String ov = old == null ? null : old.props.get(p);
            String nv = neu == null ? null : neu.props.get(p);
            if (ov != null && (nv == null || !norm(p, ov).equals(norm(p, nv)))) {
                Map<String, Long> m = unique.get(p);
                if (m != null) {
                    m.remove(norm(p, ov), old.id);
                }
            }
            if (nv != null && !nv.isEmpty()) {
                unique.computeIfAbsent(p, k -> new ConcurrentHashMap<>()).put(norm(p, nv), neu.id);
            }
        }
    }

    private void toIndex(long id, Rec r, long now, long lagMillis) {
        if (lagMillis <= 0 && pending.isEmpty()) {
            indexSet(id, r);
        } else {
            pending.add(new Object[] {now + Math.max(0, lagMillis), id, r});
        }
    }

    /** Applies pending index entries whose time has come; returns the searchable view. */
    synchronized Collection<Rec> searchable(long now) {
        while (!pending.isEmpty() && (long) pending.peek()[0] <= now) {
            Object[] e = pending.poll();
            indexSet((Long) e[1], (Rec) e[2]);
        }
        return indexed.values();
    }

    /** Puts (r != null) or removes a record in the search view, keeping the property hash indexes in step. */
    private void indexSet(long id, Rec r) {
        Rec old = r == null ? indexed.remove(id) : indexed.put(id, r);
        for (PropIndex pi : propIndexes.values()) {
            if (old != null) {
                pi.remove(id, old.props.get(pi.prop));
            }
            if (r != null) {
                pi.add(id, r.props.get(pi.prop));
            }
        }
    }

    /**
     * A hash index over one property of the search view: key (computed by the search semantics that asked for it)
     * -> ids. Built on first use, updated with every change of the search view, rebuilt when the key function's
     * signature (the property's type) changes.
     */
    static final class PropIndex {
        final String prop;
        final String signature;
        final Function<String, Collection<String>> keysOf;
        /** key -> Long (one id) or Set of Long. */
        final HashMap<String, Object> buckets = new HashMap<>();

        PropIndex(String prop, String signature, Function<String, Collection<String>> keysOf) {
            this.prop = prop;
            this.signature = signature;
            this.keysOf = keysOf;
        }

        @SuppressWarnings("unchecked")
        void add(long id, String value) {
            if (value == null) {
                return;
            }
            for (String k : keysOf.apply(value)) {
                Object b = buckets.get(k);
                if (b == null) {
                    buckets.put(k, id);
                } else if (b instanceof Long l) {
                    if (l != id) {
                        Set<Long> set = new HashSet<>(4);
                        set.add(l);
                        set.add(id);
                        buckets.put(k, set);
                    }
                } else {
                    ((Set<Long>) b).add(id);
                }
            }
        }

        @SuppressWarnings("unchecked")
        void remove(long id, String value) {
            if (value == null) {
                return;
            }
            for (String k : keysOf.apply(value)) {
                Object b = buckets.get(k);
                if (b instanceof Long l) {
                    if (l == id) {
                        buckets.remove(k);
                    }
                } else if (b != null) {
                    Set<Long> set = (Set<Long>) b;
                    set.remove(id);
                    if (set.isEmpty()) {
                        buckets.remove(k);
                    }
                }
            }
        }

        int count(Collection<String> keys) {
            int n = 0;
            for (String k : keys) {
                Object b = buckets.get(k);
                n += b == null ? 0 : b instanceof Long ? 1 : ((Set<?>) b).size();
            }
            return n;
        }

        @SuppressWarnings("unchecked")
        void collect(Collection<String> keys, Set<Long> out) {
            for (String k : keys) {
                Object b = buckets.get(k);
                if (b instanceof Long l) {
                    out.add(l);
                } else if (b != null) {
                    out.addAll((Set<Long>) b);
                }
            }
        }
    }

    private PropIndex propIndex(long now, String prop, String signature, Function<String, Collection<String>> keysOf) {
        searchable(now);
        PropIndex pi = propIndexes.get(prop);
        if (pi == null || !pi.signature.equals(signature)) {
            pi = new PropIndex(prop, signature, keysOf);
            for (Rec r : indexed.values()) {
                pi.add(r.id, r.props.get(prop));
            }
            propIndexes.put(prop, pi);
        }
        return pi;
    }

    /** How many search-view records hold one of {@code keys} in the hash index of {@code prop}. */
    synchronized int indexCount(
            long now,
            String prop,
            String signature,
            Function<String, Collection<String>> keysOf,
            Collection<String> keys) {
        return propIndex(now, prop, signature, keysOf).count(keys);
    }

    /** The search-view records that hold one of {@code keys} in the hash index of {@code prop}. */
    synchronized List<Rec> indexLookup(
            long now,
            String prop,
            String signature,
            Function<String, Collection<String>> keysOf,
            Collection<String> keys) {
        Set<Long> ids = new HashSet<>();
        propIndex(now, prop, signature, keysOf).collect(keys, ids);
        List<Rec> out = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Rec r = indexed.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    synchronized int pendingIndexEntries() {
        return pending.size();
    }

    /** Drops recycle-bin entries older than 90 simulated days. */
    void purgeArchived(long now) {
        archived.values().removeIf(r -> r.archivedAt < now - RECYCLE_BIN_MILLIS);
    }

    synchronized void clear() {
        live.clear();
        archived.clear();
        mergedInto.clear();
        unique.clear();
        indexed.clear();
        pending.clear();
        propIndexes.clear();
    }

    /** Builds a new snapshot from {@code base} with {@code changes} applied ("" clears). */
    static Rec withChanges(
            Rec base,
            long id,
            Map<String, String> changes,
            long now,
            ObjectType t,
            String sourceType,
            boolean trackHistory) {
        Map<String, String> props = base == null ? new HashMap<>() : new HashMap<>(base.props);
        Map<String, List<Rec.Hist>> hist = base == null ? new HashMap<>() : new HashMap<>(base.history);
        String ts = Json.iso(now);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String v = e.getValue();
            if (v == null || v.isEmpty()) {
                if (props.remove(e.getKey()) != null && trackHistory) {
                    addHist(hist, e.getKey(), "", now, sourceType);
                }
            } else if (!v.equals(props.get(e.getKey()))) {
                String old = props.put(e.getKey(), v);
                if (trackHistory && base != null && old != null && !hist.containsKey(e.getKey())) {
                    // a generated value had implied history: make it explicit before the change
                    hist.put(e.getKey(), List.of(new Rec.Hist(old, base.createdAt, "CRM_UI", "userId:1")));
                }
                if (trackHistory) {
                    addHist(hist, e.getKey(), v, now, sourceType);
                }
            }
        }
        if (base == null) {
            props.put("hs_object_id", Long.toString(id));
            props.putIfAbsent(t.createdProp, ts);
            if (trackHistory) {
                addHist(hist, "hs_object_id", Long.toString(id), now, sourceType);
                addHist(hist, t.createdProp, props.get(t.createdProp), now, sourceType);
            }
        }
        props.put(t.lastModifiedProp, ts);
        String createdValue = props.get(t.createdProp);
        long created = base != null ? base.createdAt : ts.equals(createdValue) ? now : parseIsoOr(createdValue, now);
        return new Rec(id, props, created, now, false, 0, hist);
    }

    private static long parseIsoOr(String iso, long dflt) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return dflt;
        }
    }

    private static void addHist(Map<String, List<Rec.Hist>> hist, String prop, String value, long now, String src) {
        List<Rec.Hist> old = hist.get(prop);
        List<Rec.Hist> neu = new ArrayList<>(old == null ? 1 : Math.min(old.size() + 1, MAX_HISTORY));
        neu.add(new Rec.Hist(value, now, src, src.equals("API") ? "sim-api" : "userId:1"));
        if (old != null) {
            for (int i = 0; i < old.size() && neu.size() < MAX_HISTORY; i++) {
                neu.add(old.get(i));
            }
        }
        hist.put(prop, neu);
    }

    Map<String, Object> counts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("live", live.size());
        m.put("archived", archived.size());
        m.put("mergedAway", mergedInto.size());
        m.put("searchIndexed", indexed.size());
        m.put("pendingIndexEntries", pendingIndexEntries());
        return m;
    }
}
