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
 * <p>Offsets, partition {@code {stream:<object>}}: load see {@link InitialLoad} ({@code {v:2, phase:"load",
 * loadStart, segs}}: id ranges read in parallel, exact to the record; v1 offsets {@code {v:1, phase:"load", after}}
 * are still read); incremental see {@link IncrementalCursor}. Partition {@code {stream:<object>#deletes}}: {@code {v:1, since}}.
 */
final class ObjectStream implements Stream {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStream.class);
    static final int LIST_PAGE = 100;
    private static final int SEARCH_INLINE_PROPERTY_CHARS = 2_500;
    /** Largest id checkpoint kept in one offset (Kafka's default message limit is 1 MB). */
    static final int CHECKPOINT_MAX_CHARS = 700_000;

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
    private boolean loadResumed;
    private InitialLoad load;
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


    private boolean reconciling;
    private String reconcileAfter;
    private long nextReconcile;
    /** Ids listed by the running reconciliation pass, plus ids sent while it runs. */
    private IdSet reconcileSeen;
    /** Ids in the topic: the last reconciliation's listing (or the checkpoint restored) plus every id sent since. */
    private IdSet known = new IdSet();
    private final Map<String, Object> idsPartition;
    private boolean knownChanged;
    private boolean checkpointDue;
    private long nextCheckpoint;
    private SourceRecord lastSent;
    private boolean checkpointTooLargeLogged;

    private final PropertyHistory history;
    private List<String> historyProps = List.of();
    /** Offset of the last record sent on {@link #partition}: history records carry it (their record comes next). */
    private Map<String, Object> lastOffset;

    ObjectStream(HubSpotSourceConfig config, HubSpotClient client, String objectType, String name,
            SourceMetrics metrics) {
        this.config = config;
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.lastModifiedProperty = "contacts".equals(objectType) || "0-1".equals(objectType) ? "lastmodifieddate"
                : "hs_lastmodifieddate";
        this.mapper = new SchemaMapper(name, config.numberMapping() == HubSpotSourceConfig.NumberMapping.DECIMAL,
                config.getInt(HubSpotSourceConfig.DECIMAL_SCALE),
                config.multiCheckboxMapping() == HubSpotSourceConfig.MultiCheckboxMapping.ARRAY);
        this.topic = config.topic(name);
        this.portal = config.getString(HubSpotSourceConfig.PORTAL_ID);
        this.metrics = metrics;
        this.partition = Map.of("stream", name);
        this.deletesPartition = Map.of("stream", name + "#deletes");
        this.idsPartition = Map.of("stream", name + "#ids");
        this.history = config.getList(HubSpotSourceConfig.PROPERTY_HISTORY).isEmpty() ? null
                : new PropertyHistory(client, objectType, name, config.topic(name + ".property_history"), portal,
                        metrics);
        this.overlap = config.getLong(HubSpotSourceConfig.INDEX_LAG_OVERLAP_MS);
        this.pollInterval = config.getLong(HubSpotSourceConfig.POLL_INTERVAL_MS);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Map<String, Object>> partitions() {
        return List.of(partition, deletesPartition, idsPartition);
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
            lastOffset = new LinkedHashMap<>(off);
        } else if (off != null && "load".equals(off.get("phase"))) {
            loadStart = ((Number) off.get("loadStart")).longValue();
            LOG.info("HubSpot {}: resuming the initial load", name);
            load = newInitialLoad(off);
            lastOffset = load.offsetNow();
            loadResumed = true;
        } else {
            loadStart = now;
            LOG.info("HubSpot {}: starting the initial load", name);
            load = newInitialLoad(null);
            lastOffset = load.offsetNow();
        }
        Map<String, Object> ids = offsets.get(idsPartition);
        if (ids != null && ids.get("ids") instanceof String enc) {
            try {
                known = IdSet.decode(enc);
                LOG.info("HubSpot {}: {} record ids restored from the checkpoint of {} for reconciliation", name,
                        known.size(), ids.get("at"));
            } catch (RuntimeException e) {
                LOG.warn("HubSpot {}: the id checkpoint cannot be read ({}); reconciliation starts from the ids sent "
                        + "from now on", name, e.getMessage());
            }
        }
        Map<String, Object> del = offsets.get(deletesPartition);
        deletesSince = del != null ? ((Number) del.get("since")).longValue() : loadStart - overlap;
        if (cursor != null && del == null) {
            deletesSince = cursor.since() - overlap;
        }
        nextDeletes = now;
        nextReconcile = now + config.getLong(HubSpotSourceConfig.RECONCILE_INTERVAL_MS);
        nextCheckpoint = now + config.getLong(HubSpotSourceConfig.RECONCILE_CHECKPOINT_MS);
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
        if (history != null) {
            historyProps = config.historyProperties(name, mapper.propertyNames());
        }
        nextPropertiesRefresh = now + config.getLong(HubSpotSourceConfig.PROPERTIES_REFRESH_MS);
    }

    // ------------------------------------------------------------------------------------------ initial load

    /** Pages handed over per step at most (one step = one poll). */
    private static final int LOAD_PAGES_PER_STEP = 4;
    private static final long LOAD_WAIT_MS = 200;

    private InitialLoad newInitialLoad(Map<String, Object> offset) {
        // records handed over keep only what emit() and the id bookkeeping read; their values are converted already
        java.util.Set<String> keep = history == null ? java.util.Set.of("hs_object_id", lastModifiedProperty,
                "hs_merged_object_ids") : null;
        return new InitialLoad(name, loadStart, offset,
                after -> client.list(objectType, mapper.propertyNames(), null, after, LIST_PAGE, false),
                mapper::toStruct, keep, IncrementalCursor.offset(loadStart - overlap), InitialLoad.READERS,
                InitialLoad.QUEUE_PAGES);
    }

    private List<SourceRecord> loadPage() {
        if (loadTotal < 0) {
            loadTotal = 0;
            try {
                // total (progress) and the id bounds that let the load read id ranges in parallel
                SearchPage first = client.search(objectType, SearchRequest.of(List.of(), "hs_object_id", true,
                        List.of("hs_object_id"), 1, null));
                loadTotal = first.total();
                if (!first.results().isEmpty()) {
                    SearchPage last = client.search(objectType, SearchRequest.of(List.of(), "hs_object_id", false,
                            List.of("hs_object_id"), 1, null));
                    if (!last.results().isEmpty()) {
                        load.bounds(first.total(), Long.parseLong(first.results().get(0).id()),
                                Long.parseLong(last.results().get(0).id()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.info("HubSpot {}: no id bounds from search ({}); the initial load reads one cursor chain", name,
                        e.getMessage());
            }
            metrics.loadTotal(name, loadTotal);
            load.start();
        }
        List<SourceRecord> out = new ArrayList<>();
        boolean last = load.finished();
        for (int n = 0; n < LOAD_PAGES_PER_STEP && !last; n++) {
            InitialLoad.Batch b;
            try {
                b = load.next(n == 0 ? LOAD_WAIT_MS : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (b == null) {
                break;
            }
            List<CrmObject> rs = b.objects();
            loadHistory(out, rs, b.offsetBefore());
            for (int i = 0; i < rs.size(); i++) {
                emit(out, rs.get(i), "load", b.offsets().get(i), b.values().get(i));
            }
            loaded += rs.size();
            metrics.loaded(name, loaded);
            if (loaded / 10_000 != (loaded - rs.size()) / 10_000) {
                LOG.info("HubSpot {}: initial load {} of ~{} records ({} id ranges read in parallel)", name, loaded,
                        loadTotal, load.ranges());
            }
            last = b.last();
        }
        if (last) {
            loading = false;
            load.close();
            cursor = new IncrementalCursor(lastModifiedProperty, loadStart - overlap, null);
            nextIncremental = System.currentTimeMillis();
            LOG.info("HubSpot {}: initial load done ({} records); switching to incremental changes", name, loaded);
            if (loadResumed) {
                nextReconcile = System.currentTimeMillis(); // ids loaded before the restart: list them all now
            } else {
                checkpointDue = true;
            }
        }
        maybeCheckpoint(out, System.currentTimeMillis());
        return out;
    }

    @Override
    public void close() {
        if (load != null) {
            load.close();
        }
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
        List<CrmObject> changed = new ArrayList<>();
        for (CrmObject o : candidates) {
            if (cursor.isNew(o) && !isTombstoned(o)) {
                changed.add(o);
            }
        }
        Map<String, Map<String, List<io.crmconnect.hubspot.client.PropertyValue>>> hist = Map.of();
        List<PropertyHistory.Want> wants = new ArrayList<>();
        if (history != null && !historyProps.isEmpty() && !changed.isEmpty()) {
            for (CrmObject o : changed) {
                // older changes were sent with an older version (this task) or in an earlier pass
                Long prev = cursor.sentLastModified(o.id());
                wants.add(new PropertyHistory.Want(o, prev != null ? prev + 1 : cursor.since(),
                        cursor.lastModified(o)));
            }
            hist = history.read(wants, historyProps);
        }
        for (int i = 0; i < changed.size(); i++) {
            CrmObject o = changed.get(i);
            if (!wants.isEmpty() && hist.containsKey(o.id())) {
                out.addAll(history.records(wants.get(i), hist.get(o.id()), partition, lastOffset));
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
        maybeCheckpoint(out, now);
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
        emit(out, o, change, offset, null);
    }

    /** {@code value}: the record already converted (initial load), or null to convert {@code o} here. */
    private void emit(List<SourceRecord> out, CrmObject o, String change, Map<String, Object> offset,
            org.apache.kafka.connect.data.Struct value) {
        Long t = tombstoned.get(o.id());
        if (t != null) {
            if (o.updatedAt() != null && o.updatedAt().toEpochMilli() <= t) {
                return; // a stale copy of a deleted or merged-away record
            }
            tombstoned.remove(o.id()); // restored
        }
        org.apache.kafka.connect.data.Struct v = value != null ? value : mapper.toStruct(o);
        out.add(new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, o.id(), v.schema(), v, null,
                Headers.of(portal, name, change)));
        lastSent = out.get(out.size() - 1);
        if (partition.equals(lastSent.sourcePartition())) {
            lastOffset = offset;
        }
        addKnown(o.id());
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
                        removeKnown(m);
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
                        removeKnown(m);
                    }
                }
            }
            pendingLastTombstone = new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, o.id(),
                    null, null, null, Headers.of(portal, name, "delete"));
            tombstoned.put(o.id(), at);
            removeKnown(o.id());
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

    /**
     * Lists every id of the object and compares it with the ids in the topic ({@link #known}): ids gone without a
     * trace (GDPR deletes, deletes older than the 90-day recycle bin) become {@code reconcile-delete} tombstones.
     * Afterwards {@link #known} is the listing plus the ids sent during it, saved as a checkpoint.
     */
    private List<SourceRecord> reconcilePage(long now) {
        if (!reconciling) {
            reconciling = true;
            reconcileAfter = null;
            reconcileSeen = new IdSet();
        }
        Page<CrmObject> page = client.list(objectType, List.of("hs_object_id"), null, reconcileAfter, LIST_PAGE,
                false);
        for (CrmObject o : page.results()) {
            addId(reconcileSeen, o.id());
        }
        reconcileAfter = page.after();
        if (page.hasMore()) {
            return List.of();
        }
        reconciling = false;
        List<SourceRecord> out = new ArrayList<>();
        Map<String, Object> off = Map.of("v", IncrementalCursor.VERSION, "since", deletesSince);
        IdSet seen = reconcileSeen;
        reconcileSeen = null;
        List<Long> gone = new ArrayList<>();
        known.forEach(id -> {
            if (!seen.contains(id) && !tombstoned.containsKey(Long.toString(id))) {
                gone.add(id);
            }
        });
        for (long g : gone) {
            String id = Long.toString(g);
            out.add(new SourceRecord(deletesPartition, off, topic, null, Schema.STRING_SCHEMA, id, null, null,
                    null, Headers.of(portal, name, "reconcile-delete")));
            tombstoned.put(id, now);
            metrics.record(name);
        }
        known = seen;
        knownChanged = true;
        checkpointDue = true;
        if (!out.isEmpty()) {
            LOG.info("HubSpot {}: reconciliation found {} records gone outside the archive", name, out.size());
        }
        nextReconcile = now + config.getLong(HubSpotSourceConfig.RECONCILE_INTERVAL_MS);
        maybeCheckpoint(out, now);
        return out;
    }

    private static void addId(IdSet set, String id) {
        try {
            set.add(IdSet.parse(id));
        } catch (NumberFormatException e) {
            LOG.debug("non-numeric record id ignored by reconciliation");
        }
    }

    private void addKnown(String id) {
        addId(known, id);
        if (reconcileSeen != null) {
            addId(reconcileSeen, id);
        }
        knownChanged = true;
    }

    private void removeKnown(String id) {
        try {
            known.remove(IdSet.parse(id));
            if (reconcileSeen != null) {
                reconcileSeen.remove(IdSet.parse(id));
            }
            knownChanged = true;
        } catch (NumberFormatException e) {
            // never added
        }
    }

    /**
     * Saves {@link #known} in the offsets of partition {@code <object>#ids}, when due (after the initial load, after
     * a reconciliation, or every {@code reconcile.checkpoint.interval.ms} when ids were added or removed). An offset
     * needs a record: the last record this step produced (or the last one sent) is sent once more, unchanged, with
     * {@code hubspot.change=checkpoint} — a duplicate that compaction absorbs — unless its id has been deleted since.
     */
    private void maybeCheckpoint(List<SourceRecord> out, long now) {
        if (loading || reconciling || !(checkpointDue || (knownChanged && now >= nextCheckpoint))) {
            return;
        }
        SourceRecord carrier = null;
        for (int i = out.size() - 1; i >= 0 && carrier == null; i--) {
            SourceRecord r = out.get(i);
            if (topic.equals(r.topic())) {
                carrier = r;
            }
        }
        if (carrier == null && lastSent != null && lastSent.key() != null
                && !tombstoned.containsKey((String) lastSent.key())) {
            carrier = lastSent;
        }
        if (carrier == null) {
            return; // nothing to carry the offset yet; the next step tries again
        }
        String enc = known.encode();
        if (enc.length() > CHECKPOINT_MAX_CHARS) {
            if (!checkpointTooLargeLogged) {
                LOG.warn("HubSpot {}: {} ids do not fit in one offset ({} chars); reconciliation after a restart "
                        + "only knows ids sent after it", name, known.size(), enc.length());
                checkpointTooLargeLogged = true;
            }
        } else {
            Map<String, Object> off = new LinkedHashMap<>();
            off.put("v", IncrementalCursor.VERSION);
            off.put("count", known.size());
            off.put("at", now);
            off.put("ids", enc);
            ConnectHeaders h = new ConnectHeaders();
            carrier.headers().forEach(x -> {
                if (!Headers.CHANGE.equals(x.key())) {
                    h.add(x);
                }
            });
            h.addString(Headers.CHANGE, "checkpoint");
            out.add(new SourceRecord(idsPartition, off, carrier.topic(), null, carrier.keySchema(), carrier.key(),
                    carrier.valueSchema(), carrier.value(), null, h));
            LOG.debug("HubSpot {}: id checkpoint saved ({} ids, {} chars)", name, off.get("count"), enc.length());
        }
        checkpointDue = false;
        knownChanged = false;
        nextCheckpoint = now + config.getLong(HubSpotSourceConfig.RECONCILE_CHECKPOINT_MS);
    }

    /** Initial-load history: every change of the page's records, sent before them with the page's own offset. */
    private void loadHistory(List<SourceRecord> out, List<CrmObject> rs, Map<String, Object> off) {
        if (history == null || historyProps.isEmpty() || rs.isEmpty()) {
            return;
        }
        List<PropertyHistory.Want> wants = new ArrayList<>(rs.size());
        for (CrmObject o : rs) {
            wants.add(new PropertyHistory.Want(o, Long.MIN_VALUE, lastModified(o)));
        }
        Map<String, Map<String, List<io.crmconnect.hubspot.client.PropertyValue>>> h = history.read(wants,
                historyProps);
        for (PropertyHistory.Want w : wants) {
            Map<String, List<io.crmconnect.hubspot.client.PropertyValue>> byProp = h.get(w.object().id());
            if (byProp != null) {
                out.addAll(history.records(w, byProp, partition, off));
            }
        }
    }

    private long lastModified(CrmObject o) {
        String v = o.properties().get(lastModifiedProperty);
        if (v != null && !v.isBlank()) {
            java.time.Instant i = HubSpotClient.parseInstant(v);
            if (i != null) {
                return i.toEpochMilli();
            }
        }
        return o.updatedAt() == null ? Long.MAX_VALUE : o.updatedAt().toEpochMilli();
    }
}
