package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.Page;
import io.crmconnect.hubspot.client.PropertyDefinition;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CRM object type: initial load through the list endpoint, then incremental passes through search
 * ({@link IncrementalCursor}), deletes from the archived list (tombstones, delayed by the index-lag overlap),
 * merges (the survivor's {@code hs_merged_object_ids} → tombstones with a {@code hubspot.merged.into} header) and a
 * periodic id-set reconciliation. Properties are re-read periodically; new ones extend the schema.
 *
 * <p>Offsets, partition {@code {stream:<object>}}: load {@code {v:1, phase:"load", after, loadStart}} (records of a
 * page carry the cursor of that page, the last one the next cursor, so a restart re-reads at most one page);
 * incremental see {@link IncrementalCursor}. Partition {@code {stream:<object>#deletes}}: {@code {v:1, since}}.
 */
final class ObjectStream implements Stream {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStream.class);
    static final int LIST_PAGE = 100;
    private static final int SEARCH_INLINE_PROPERTY_CHARS = 2_500;

    private final HubSpotSourceConfig config;
    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final String lastModifiedProperty;
    private final SchemaMapper mapper;
    private final String topic;
    private final String portal;
    private final SourceMetrics metrics;
    private final Map<String, Object> partition;
    private final Map<String, Object> deletesPartition;
    private final long overlap;
    private final long pollInterval;

    private boolean loading = true;
    private String loadAfter;
    private long loadStart;
    private long loaded;
    private long loadTotal = -1;
    private IncrementalCursor cursor;
    private long nextIncremental;
    private long nextPropertiesRefresh;
    private boolean hasMergedIds;

    private long deletesSince;
    private boolean deletesScanning;
    private String deletesAfter;
    private long deletesCutoff;
    private long nextDeletes;
    private SourceRecord pendingLastTombstone;
    private final Map<String, Long> tombstoned = new HashMap<>();
    /** Merged-away ids already sent as merge tombstones (a plain delete tombstone before does not count). */
    private final Set<String> mergeAnnounced = new HashSet<>();

    private java.util.concurrent.ExecutorService prefetcher;
    private java.util.concurrent.CompletableFuture<Page<CrmObject>> prefetched;
    private String prefetchCursor;

    private boolean reconciling;
    private String reconcileAfter;
    private long nextReconcile;
    private Set<String> reconcileSeen;
    private final Set<String> known = new HashSet<>();

    ObjectStream(HubSpotSourceConfig config, HubSpotClient client, String objectType, String name,
            SourceMetrics metrics) {
        this.config = config;
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.lastModifiedProperty = "contacts".equals(objectType) || "0-1".equals(objectType) ? "lastmodifieddate"
                : "hs_lastmodifieddate";
        this.mapper = new SchemaMapper(name, config.decimalNumbers(), config.getInt(HubSpotSourceConfig.DECIMAL_SCALE),
                config.multiCheckboxArray());
        this.topic = config.topic(name);
        this.portal = config.getString(HubSpotSourceConfig.PORTAL_ID);
        this.metrics = metrics;
        this.partition = Map.of("stream", name);
        this.deletesPartition = Map.of("stream", name + "#deletes");
        this.overlap = config.getLong(HubSpotSourceConfig.INDEX_LAG_OVERLAP_MS);
        this.pollInterval = config.getLong(HubSpotSourceConfig.POLL_INTERVAL_MS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Map<String, Object>> partitions() {
        return List.of(partition, deletesPartition);
    }

    @Override
    public void restore(Map<Map<String, Object>, Map<String, Object>> offsets) {
        long now = System.currentTimeMillis();
        Map<String, Object> off = offsets.get(partition);
        if (off != null && "inc".equals(off.get("phase"))) {
            loading = false;
            Object afterId = off.get("afterId");
            cursor = new IncrementalCursor(lastModifiedProperty, ((Number) off.get("since")).longValue(),
                    afterId == null ? null : ((Number) afterId).longValue());
            LOG.info("HubSpot {}: resuming incremental changes from {} (epoch ms)", name, cursor.since());
        } else if (off != null && "load".equals(off.get("phase"))) {
            loadAfter = (String) off.get("after");
            loadStart = ((Number) off.get("loadStart")).longValue();
            LOG.info("HubSpot {}: resuming the initial load", name);
        } else {
            loadStart = now;
            LOG.info("HubSpot {}: starting the initial load", name);
        }
        Map<String, Object> del = offsets.get(deletesPartition);
        deletesSince = del != null ? ((Number) del.get("since")).longValue() : loadStart - overlap;
        if (cursor != null && del == null) {
            deletesSince = cursor.since() - overlap;
        }
        nextDeletes = now;
        nextReconcile = now + config.getLong(HubSpotSourceConfig.RECONCILE_INTERVAL_MS);
    }

    boolean loading() {
        return loading;
    }

    SchemaMapper mapper() {
        return mapper;
    }

    @Override
    public long nextDue() {
        if (loading || deletesScanning || reconciling || (cursor != null && cursor.cycleActive())) {
            return 0;
        }
        return Math.min(Math.min(nextIncremental, nextDeletes), nextReconcile);
    }

    @Override
    public boolean nextIsSearch() {
        long now = System.currentTimeMillis();
        return !loading && !deletesScanning && !reconciling && now < nextDeletes && now < nextReconcile;
    }

    @Override
    public List<SourceRecord> step(long now) {
        refreshProperties(now);
        if (loading) {
            return loadPage();
        }
        if (deletesScanning || now >= nextDeletes) {
            return deletesPage(now);
        }
        if (reconciling || now >= nextReconcile) {
            return reconcilePage(now);
        }
        if (cursor.cycleActive() || now >= nextIncremental) {
            return incrementalPage(now);
        }
        return List.of();
    }

    private void refreshProperties(long now) {
        if (mapper.schema() != null && now < nextPropertiesRefresh) {
            return;
        }
        List<PropertyDefinition> defs = new ArrayList<>();
        for (PropertyDefinition d : client.properties(objectType)) {
            if (!config.propertyExcluded(name, d.name())) {
                defs.add(d);
            }
            if ("hs_merged_object_ids".equals(d.name())) {
                hasMergedIds = true;
            }
        }
        int before = mapper.version();
        if (mapper.update(defs) && before > 0) {
            LOG.info("HubSpot {}: new properties found, schema version {} ({} properties)", name, mapper.version(),
                    mapper.propertyNames().size());
        }
        nextPropertiesRefresh = now + config.getLong(HubSpotSourceConfig.PROPERTIES_REFRESH_MS);
    }

    // ------------------------------------------------------------------------------------------ initial load

    private List<SourceRecord> loadPage() {
        if (loadTotal < 0) {
            try {
                SearchPage p = client.search(objectType, SearchRequest.of(List.of(), null, true,
                        List.of("hs_object_id"), 1, null));
                loadTotal = p.total();
            } catch (RuntimeException e) {
                loadTotal = 0; // progress total is best effort
            }
            metrics.loadTotal(name, loadTotal);
        }
        String pageCursor = loadAfter;
        Page<CrmObject> page = takePrefetched(pageCursor);
        if (page == null) {
            page = client.list(objectType, mapper.propertyNames(), null, pageCursor, LIST_PAGE, false);
        }
        if (page.hasMore()) {
            prefetch(page.after());
        }
        List<SourceRecord> out = new ArrayList<>(page.results().size() + 4);
        List<CrmObject> rs = page.results();
        for (int i = 0; i < rs.size(); i++) {
            boolean last = i == rs.size() - 1;
            Map<String, Object> off;
            if (!last) {
                off = loadOffset(pageCursor);
            } else if (page.hasMore()) {
                off = loadOffset(page.after());
            } else {
                off = IncrementalCursor.offset(loadStart - overlap);
            }
            emit(out, rs.get(i), "load", off);
        }
        loaded += rs.size();
        metrics.loaded(name, loaded);
        loadAfter = page.after();
        if (loaded % 10_000 < rs.size() || !page.hasMore()) {
            LOG.info("HubSpot {}: initial load {} of ~{} records", name, loaded, loadTotal);
        }
        if (!page.hasMore()) {
            loading = false;
            cursor = new IncrementalCursor(lastModifiedProperty, loadStart - overlap, null);
            nextIncremental = System.currentTimeMillis();
            LOG.info("HubSpot {}: initial load done ({} records); switching to incremental changes", name, loaded);
        }
        return out;
    }

    /**
     * The next page of the initial load is requested while this one is converted and handed to Connect, so one
     * cursor chain keeps the rate budget busy (the budget still paces every request).
     */
    private void prefetch(String cursor) {
        if (prefetcher == null) {
            prefetcher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hubspot-" + name + "-prefetch");
                t.setDaemon(true);
                return t;
            });
        }
        List<String> props = mapper.propertyNames();
        prefetchCursor = cursor;
        prefetched = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.list(objectType, props, null, cursor, LIST_PAGE, false), prefetcher);
    }

    private Page<CrmObject> takePrefetched(String cursor) {
        java.util.concurrent.CompletableFuture<Page<CrmObject>> f = prefetched;
        prefetched = null;
        if (f == null || !java.util.Objects.equals(cursor, prefetchCursor)) {
            return null;
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // the same typed HubSpot error the direct call would have thrown
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
    }

    private Map<String, Object> loadOffset(String after) {
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("v", IncrementalCursor.VERSION);
        off.put("phase", "load");
        off.put("after", after);
        off.put("loadStart", loadStart);
        return off;
    }

    // ------------------------------------------------------------------------------------------ incremental

    private List<SourceRecord> incrementalPage(long now) {
        if (!cursor.cycleActive()) {
            cursor.startCycle(now, overlap);
        }
        List<String> props = mapper.propertyNames();
        int chars = props.stream().mapToInt(p -> p.length() + 3).sum();
        boolean inline = chars <= SEARCH_INLINE_PROPERTY_CHARS;
        int pageSize = inline ? config.getInt(HubSpotSourceConfig.SEARCH_PAGE_SIZE) : ObjectStream.LIST_PAGE;
        SearchRequest req = cursor.nextRequest(inline ? props : List.of(lastModifiedProperty, "hs_object_id"),
                pageSize);
        SearchPage page = client.search(objectType, req);
        List<CrmObject> found = page.results();
        List<CrmObject> candidates = new ArrayList<>();
        if (inline) {
            candidates.addAll(found);
        } else {
            List<String> ids = new ArrayList<>();
            for (CrmObject o : found) {
                if (cursor.mayHaveChanged(o)) {
                    ids.add(o.id());
                }
            }
            if (!ids.isEmpty()) {
                Map<String, CrmObject> fresh = new HashMap<>();
                for (CrmObject o : client.batchRead(objectType, ids, props, null, false).results()) {
                    fresh.put(o.id(), o);
                }
                for (String id : ids) {
                    CrmObject o = fresh.get(id);
                    if (o != null) {
                        candidates.add(o); // absent: deleted between search and read; the delete scan handles it
                    }
                }
            }
        }
        Map<String, CrmObject> hits = new HashMap<>();
        found.forEach(o -> hits.put(o.id(), o));
        List<SourceRecord> out = new ArrayList<>();
        for (CrmObject o : candidates) {
            if (!cursor.isNew(o) || isTombstoned(o)) {
                continue;
            }
            // the offset follows the walk's position (the search hit), not a fresher re-read
            Map<String, Object> off = cursor.offsetFor(hits.get(o.id()));
            cursor.markSent(o);
            emit(out, o, "upsert", off);
        }
        if (cursor.onPage(found, pageSize)) {
            nextIncremental = now + pollInterval;
            metrics.lag(name, Math.max(0, now - cursor.since()));
        }
        return out;
    }

    private boolean isTombstoned(CrmObject o) {
        Long t = tombstoned.get(o.id());
        return t != null && o.updatedAt() != null && o.updatedAt().toEpochMilli() <= t;
    }

    /*
     * Record timestamps are left to the producer (time of capture): HubSpot's updatedAt can be years old and would make
     * a topic with time-based retention delete the records right away. updatedAt is in the value.
     */
    private void emit(List<SourceRecord> out, CrmObject o, String change, Map<String, Object> offset) {
        Long t = tombstoned.get(o.id());
        if (t != null) {
            if (o.updatedAt() != null && o.updatedAt().toEpochMilli() <= t) {
                return; // a stale copy of a deleted or merged-away record
            }
            tombstoned.remove(o.id()); // restored
        }
        out.add(new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, o.id(), mapper.schema(),
                mapper.toStruct(o), null,
                Headers.of(portal, name, change)));
        known.add(o.id());
        if (reconcileSeen != null) {
            reconcileSeen.add(o.id());
        }
        metrics.record(name);
        if (hasMergedIds) {
            String merged = o.properties().get("hs_merged_object_ids");
            if (merged != null && !merged.isBlank()) {
                long when = o.updatedAt() == null ? System.currentTimeMillis() : o.updatedAt().toEpochMilli();
                for (String id : merged.split(";")) {
                    String m = id.trim();
                    if (!m.isEmpty() && !m.equals(o.id()) && mergeAnnounced.add(m)) {
                        ConnectHeaders h = Headers.of(portal, name, "merge");
                        h.addString(Headers.MERGED_INTO, o.id());
                        out.add(new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, m, null, null,
                                null, h));
                        tombstoned.put(m, when);
                        known.remove(m);
                        metrics.record(name);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ deletes

    private List<SourceRecord> deletesPage(long now) {
        if (!deletesScanning) {
            deletesScanning = true;
            deletesAfter = null;
            deletesCutoff = now - overlap;
        }
        List<String> props = hasMergedIds ? List.of(lastModifiedProperty, "hs_merged_object_ids")
                : List.of(lastModifiedProperty);
        Page<CrmObject> page = client.list(objectType, props, null, deletesAfter, LIST_PAGE, true);
        List<SourceRecord> out = new ArrayList<>();
        for (CrmObject o : page.results()) {
            long at = o.archivedAt() != null ? o.archivedAt().toEpochMilli()
                    : o.updatedAt() == null ? 0 : o.updatedAt().toEpochMilli();
            if (at <= deletesSince || at > deletesCutoff) {
                continue;
            }
            Long t = tombstoned.get(o.id());
            if (t != null && t >= at) {
                continue;
            }
            if (pendingLastTombstone != null) {
                out.add(pendingLastTombstone);
            }
            Map<String, Object> off = Map.of("v", IncrementalCursor.VERSION, "since", deletesSince);
            if (config.getBoolean(HubSpotSourceConfig.ARCHIVED_EVENTS)) {
                CrmObject archived = new CrmObject(o.id(), o.properties(), o.createdAt(), o.updatedAt(), true,
                        o.archivedAt(), o.associations());
                out.add(new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, o.id(),
                        mapper.schema(), mapper.toStruct(archived), null, Headers.of(portal, name, "archived")));
            }
            // ids merged into this record earlier go too (their survivor may never have been seen alive)
            String merged = o.properties().get("hs_merged_object_ids");
            if (merged != null) {
                for (String id : merged.split(";")) {
                    String m = id.trim();
                    if (!m.isEmpty() && !m.equals(o.id()) && mergeAnnounced.add(m)) {
                        ConnectHeaders h = Headers.of(portal, name, "merge");
                        h.addString(Headers.MERGED_INTO, o.id());
                        out.add(new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, m, null,
                                null, null, h));
                        tombstoned.put(m, at);
                        known.remove(m);
                    }
                }
            }
            pendingLastTombstone = new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, o.id(),
                    null, null, null, Headers.of(portal, name, "delete"));
            tombstoned.put(o.id(), at);
            known.remove(o.id());
            metrics.record(name);
        }
        deletesAfter = page.after();
        if (!page.hasMore()) {
            deletesScanning = false;
            deletesSince = Math.max(deletesSince, deletesCutoff);
            if (pendingLastTombstone != null) {
                SourceRecord p = pendingLastTombstone;
                out.add(new SourceRecord(deletesPartition, Map.of("v", IncrementalCursor.VERSION, "since",
                        deletesSince), p.topic(), null, p.keySchema(), p.key(), null, null, p.timestamp(),
                        p.headers()));
                pendingLastTombstone = null;
            }
            nextDeletes = now + config.getLong(HubSpotSourceConfig.DELETES_INTERVAL_MS);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ reconciliation

    private List<SourceRecord> reconcilePage(long now) {
        if (!reconciling) {
            reconciling = true;
            reconcileAfter = null;
            reconcileSeen = new HashSet<>();
        }
        Page<CrmObject> page = client.list(objectType, List.of("hs_object_id"), null, reconcileAfter, LIST_PAGE,
                false);
        for (CrmObject o : page.results()) {
            reconcileSeen.add(o.id());
        }
        reconcileAfter = page.after();
        if (page.hasMore()) {
            return List.of();
        }
        reconciling = false;
        List<SourceRecord> out = new ArrayList<>();
        Map<String, Object> off = Map.of("v", IncrementalCursor.VERSION, "since", deletesSince);
        for (String id : new ArrayList<>(known)) {
            if (!reconcileSeen.contains(id) && !tombstoned.containsKey(id)) {
                out.add(new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, id, null, null,
                        null, Headers.of(portal, name, "reconcile-delete")));
                tombstoned.put(id, now);
                known.remove(id);
                metrics.record(name);
            }
        }
        if (!out.isEmpty()) {
            LOG.info("HubSpot {}: reconciliation found {} records gone outside the archive", name, out.size());
        }
        reconcileSeen = null;
        nextReconcile = now + config.getLong(HubSpotSourceConfig.RECONCILE_INTERVAL_MS);
        return out;
    }
}
