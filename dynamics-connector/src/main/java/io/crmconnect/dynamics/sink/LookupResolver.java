package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.ReadOptions;
import io.crmconnect.dynamics.client.RowPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the row ids behind lookups' natural keys ({@code accountnumber='ABC-1'} → the account's id), many per read,
 * and remembers them for a while: most batches point at the same few accounts or owners. A key with no row or with
 * several rows resolves to nothing (the record goes to the dead-letter topic; the sink never guesses).
 */
final class LookupResolver {
    static final long TTL_MS = 10 * 60_000L;
    static final int CACHE_MAX = 50_000;
    private static final ReadOptions OPTIONS = new ReadOptions(ReadOptions.MAX_PAGE_SIZE, false, false);

    /** A natural key's row id, or how many rows matched when it is not exactly one. */
    record Resolution(String id, int matches, long at) {}

    private final DynamicsClient client;
    private final Map<String, Resolution> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Resolution> eldest) {
            return size() > CACHE_MAX;
        }
    };

    LookupResolver(DynamicsClient client) {
        this.client = client;
    }

    /** Resolutions by the natural key's canonical text ({@link RowIdentity#normal}). */
    synchronized Map<String, Resolution> resolve(TargetTable.BoundLookup l, Collection<Object> values) {
        Map<String, Resolution> out = new HashMap<>();
        long now = System.currentTimeMillis();
        List<RowIdentity> missing = new ArrayList<>();
        Set<String> asked = new LinkedHashSet<>();
        for (Object v : values) {
            String n = RowIdentity.normal(v);
            Resolution r = cache.get(cacheKey(l, n));
            if (r != null && now - r.at() < TTL_MS) {
                out.put(n, r);
            } else if (asked.add(n)) {
                LinkedHashMap<String, Object> key = new LinkedHashMap<>();
                key.put(l.keyColumn().logicalName(), v);
                missing.add(RowIdentity.ofKey(key));
            }
        }
        Map<String, List<String>> found = new HashMap<>();
        String col = l.keyColumn().logicalName();
        for (String filter : KeyFilters.build(missing, l.targetId())) {
            RowPage page = client.read(l.targetSet(), l.targetId() + "," + col, filter, null, OPTIONS);
            while (true) {
                for (ObjectNode row : page.rows()) {
                    JsonNode kv = row.get(col);
                    if (kv != null && !kv.isNull()) {
                        found.computeIfAbsent(
                                        RowIdentity.normal(kv.isNumber() ? kv.decimalValue() : kv.asText()),
                                        k -> new ArrayList<>())
                                .add(row.path(l.targetId()).asText());
                    }
                }
                if (page.nextLink() == null) {
                    break;
                }
                page = client.readLink(page.nextLink(), OPTIONS);
            }
        }
        for (String n : asked) {
            List<String> ids = found.getOrDefault(n, List.of());
            Resolution r = new Resolution(ids.size() == 1 ? ids.get(0) : null, ids.size(), now);
            out.put(n, r);
            if (ids.size() == 1) {
                cache.put(cacheKey(l, n), r); // misses are asked again: the row may be created any moment
            }
        }
        return out;
    }

    private static String cacheKey(TargetTable.BoundLookup l, String normal) {
        return l.targetTable() + "." + l.keyColumn().logicalName() + "=" + normal;
    }
}
