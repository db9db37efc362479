package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.Page;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local index of the portal's match keys (match.strategy=index): every record's normalized key per non-unique
 * tier, loaded once with the list endpoint (100 records per call on the general budget, no search calls), then kept
 * fresh by one last-modified search before each batch and by this task's own writes. Suits first-time matching of
 * many records against a portal; the search strategy suits trickles against a big portal.
 */
final class MatchIndex {
    private static final Logger LOG = LoggerFactory.getLogger(MatchIndex.class);
    /** Search index lag covered by re-reading this much of the past on each refresh. */
    static final long OVERLAP_MS = 15_000;

    private final HubSpotClient client;
    private final String objectType;
    private final List<String> properties;
    private final List<MatchTier> tiers;
    private final BiFunction<MatchTier, CrmObject, String> keyOf;
    private final String lastModified;
    private final Map<Integer, Map<String, List<String>>> byTier = new HashMap<>();
    private final Map<String, CrmObject> byId = new HashMap<>();
    private final Map<String, String[]> keysOfId = new HashMap<>();
    private long refreshedAt = -1;
    private final long refreshEveryMs;

    MatchIndex(
            HubSpotClient client,
            String objectType,
            List<String> properties,
            List<MatchTier> tiers,
            BiFunction<MatchTier, CrmObject, String> keyOf,
            boolean contacts,
            long refreshEveryMs) {
        this.refreshEveryMs = refreshEveryMs;
        this.client = client;
        this.objectType = objectType;
        this.properties = properties;
        this.tiers = tiers;
        this.keyOf = keyOf;
        this.lastModified = contacts ? "lastmodifieddate" : "hs_lastmodifieddate";
        tiers.forEach(t -> byTier.put(t.number(), new HashMap<>()));
    }

    /**
     * Loads everything on first use; afterwards, at most every refresh interval, reads what changed since the last
     * refresh (this task's own writes are applied as they happen).
     */
    synchronized void refresh() {
        long now = System.currentTimeMillis();
        if (refreshedAt >= 0 && now - refreshedAt < refreshEveryMs) {
            return;
        }
        if (refreshedAt < 0) {
            long t0 = System.nanoTime();
            String after = null;
            do {
                Page<CrmObject> p = client.list(objectType, properties, null, after, 100, false);
                p.results().forEach(this::put);
                after = p.after();
            } while (after != null);
            LOG.info(
                    "Match index of {}: {} records loaded in {} ms",
                    objectType,
                    byId.size(),
                    (System.nanoTime() - t0) / 1_000_000);
        } else {
            SearchRequest req = SearchRequest.of(
                    List.of(SearchRequest.Filter.of(lastModified, "GTE", Long.toString(refreshedAt - OVERLAP_MS))),
                    lastModified,
                    true,
                    properties,
                    SearchRequest.MAX_PAGE,
                    null);
            int read = 0;
            while (true) {
                SearchPage page = client.search(objectType, req);
                page.results().forEach(this::put);
                read += page.results().size();
                if (page.after() == null || read + SearchRequest.MAX_PAGE > SearchRequest.MAX_RESULTS) {
                    break;
                }
                req = req.withAfter(page.after());
            }
        }
        refreshedAt = now;
    }

    /** Adds or replaces one record's keys. */
    synchronized void put(CrmObject o) {
        String[] old = keysOfId.get(o.id());
        if (old != null) {
            for (MatchTier t : tiers) {
                String k = old[t.number() - 1];
                if (k != null) {
                    List<String> ids = byTier.get(t.number()).get(k);
                    if (ids != null) {
                        ids.remove(o.id());
                    }
                }
            }
        }
        String[] keys = new String[tiers.size()];
        for (MatchTier t : tiers) {
            String k = keyOf.apply(t, o);
            keys[t.number() - 1] = k;
            if (k != null) {
                List<String> ids = byTier.get(t.number()).computeIfAbsent(k, x -> new ArrayList<>(1));
                if (!ids.contains(o.id())) {
                    ids.add(o.id());
                }
            }
        }
        keysOfId.put(o.id(), keys);
        byId.put(o.id(), o);
    }

    /** Records whose key in this tier equals {@code key}. */
    synchronized List<CrmObject> hits(MatchTier tier, String key) {
        List<String> ids = byTier.get(tier.number()).get(key);
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        List<CrmObject> out = new ArrayList<>(ids.size());
        ids.forEach(id -> out.add(byId.get(id)));
        return out;
    }

    /** After a write: the record now has these properties on top of what we knew. */
    synchronized void written(String id, Map<String, String> props) {
        CrmObject known = byId.get(id);
        Map<String, String> merged = new HashMap<>(known == null ? Map.of() : known.properties());
        props.forEach((k, v) -> {
            if (v == null || v.isEmpty()) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        put(new CrmObject(id, merged, null, null, false, null, Map.of()));
    }

    synchronized int size() {
        return byId.size();
    }
}
