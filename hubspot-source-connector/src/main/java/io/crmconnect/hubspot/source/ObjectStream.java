package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CRM object type: restores its phases from the committed offsets and decides which one steps next. First the
 * initial load ({@link LoadPhase}); then the delete scan ({@link DeleteScan}), reconciliation
 * ({@link Reconciliation}) and the incremental search walk ({@link IncrementalPhase}) take turns, one step each among
 * those with a pass running or due, so a pass slowed by throttling never starves the others (with a fixed order, a
 * delete scan due every few seconds that meets 429s kept the incremental walk from ever running). A phase whose step
 * failed transiently waits the server's delay (or a backoff) before its next step, resuming on the page that failed;
 * the other phases go on meanwhile. They share one emitter ({@link ObjectRecords}), the topic's id set ({@link TopicIds},
 * checkpointed after the steps that change it) and the property definitions ({@link ObjectProperties}).
 *
 * <p>Offsets: partition {@code {stream:<object>}} — load {@code {v:2, phase:"load", loadStart, segs | after}}
 * ({@link InitialLoad}; v1 {@code {v:1, phase:"load", after}} still read), incremental {@code {v:1, phase:"inc",
 * since, afterId?}} ({@link IncrementalCursor}); {@code {stream:<object>#deletes}} {@code {v:1, since}}
 * ({@link DeleteScan}); {@code {stream:<object>#ids}} {@code {v:1, count, at, ids}} ({@link TopicIds}).
 */
final class ObjectStream implements Stream {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStream.class);
    static final int LIST_PAGE = 100;
    private static final long MAX_DEFER_MS = 30_000;

    private final HubSpotSourceConfig config;
    private final HubSpotClient client;
    private final HubSpotClient readerClient;
    private final String objectType;
    private final String name;
    private final String lastModifiedProperty;
    private final SourceMetrics metrics;
    private final long overlap;
    private final ObjectProperties properties;
    private final TopicIds ids;
    private final ObjectRecords records;
    private final PropertyHistory history;
    private final IncrementalPhase incremental;
    private final DeleteScan deletes;
    private final Reconciliation reconciliation;
    /** Null once the load is done (or when the offsets say it was). */
    private LoadPhase load;
    /** The phase stepped last: the next turn goes to the one after it. */
    private ObjectPhase last;
    /** Phases waiting after a transient failure: epoch ms of their next step, and failures in a row. */
    private final Map<ObjectPhase, long[]> deferred = new IdentityHashMap<>();
    /** The first property read failed transiently: nothing steps before this. */
    private long refreshRetryAt;

    ObjectStream(
            HubSpotSourceConfig config, HubSpotClient client, String objectType, String name, SourceMetrics metrics) {
        this(config, client, client, objectType, name, metrics);
    }

    /**
     * @param client       the calls of the task's thread (short retries: a failure defers one phase, not the task)
     * @param readerClient the initial load's reader threads (the configured retries: they wait on their own)
     */
    ObjectStream(
            HubSpotSourceConfig config,
            HubSpotClient client,
            HubSpotClient readerClient,
            String objectType,
            String name,
            SourceMetrics metrics) {
        this.config = config;
        this.client = client;
        this.readerClient = readerClient;
        this.objectType = objectType;
        this.name = name;
        this.metrics = metrics;
        this.lastModifiedProperty =
                "contacts".equals(objectType) || "0-1".equals(objectType) ? "lastmodifieddate" : "hs_lastmodifieddate";
        this.overlap = config.getLong(HubSpotSourceConfig.INDEX_LAG_OVERLAP_MS);
        String portal = config.getString(HubSpotSourceConfig.PORTAL_ID);
        this.properties = new ObjectProperties(config, client, objectType, name);
        this.ids = new TopicIds(name, config.getLong(HubSpotSourceConfig.RECONCILE_CHECKPOINT_MS));
        this.records = new ObjectRecords(name, config.topic(name), portal, properties, ids, metrics);
        this.history = config.getList(HubSpotSourceConfig.PROPERTY_HISTORY).isEmpty()
                ? null
                : new PropertyHistory(
                        client, objectType, name, config.topic(name + ".property_history"), portal, metrics);
        this.incremental = new IncrementalPhase(
                client,
                objectType,
                name,
                lastModifiedProperty,
                properties,
                records,
                history,
                metrics,
                overlap,
                config.getLong(HubSpotSourceConfig.POLL_INTERVAL_MS),
                config.getInt(HubSpotSourceConfig.SEARCH_PAGE_SIZE));
        this.deletes = new DeleteScan(
                client,
                objectType,
                lastModifiedProperty,
                properties,
                records,
                overlap,
                config.getLong(HubSpotSourceConfig.DELETES_INTERVAL_MS),
                config.getBoolean(HubSpotSourceConfig.ARCHIVED_EVENTS));
        this.reconciliation = new Reconciliation(
                client,
                objectType,
                name,
                records,
                ids,
                deletes::since,
                config.getLong(HubSpotSourceConfig.RECONCILE_INTERVAL_MS));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Map<String, Object>> partitions() {
        return List.of(records.partition, records.deletesPartition, ids.partition);
    }

    @Override
    public void restore(Map<Map<String, Object>, Map<String, Object>> offsets) {
        long now = System.currentTimeMillis();
        Map<String, Object> off = offsets.get(records.partition);
        long loadStart = 0;
        if (off != null && "inc".equals(off.get("phase"))) {
            Object afterId = off.get("afterId");
            incremental.begin(
                    ((Number) off.get("since")).longValue(),
                    afterId == null ? null : ((Number) afterId).longValue(),
                    0);
            LOG.info("HubSpot {}: resuming incremental changes from {} (epoch ms)", name, incremental.since());
            records.resumeAt(new LinkedHashMap<>(off));
        } else {
            boolean resume = off != null && "load".equals(off.get("phase"));
            loadStart = resume ? ((Number) off.get("loadStart")).longValue() : now;
            LOG.info(resume ? "HubSpot {}: resuming the initial load" : "HubSpot {}: starting the initial load", name);
            load = new LoadPhase(
                    readerClient,
                    objectType,
                    name,
                    lastModifiedProperty,
                    properties,
                    records,
                    history,
                    metrics,
                    resume ? off : null,
                    loadStart,
                    overlap);
            records.resumeAt(load.offsetNow());
        }
        ids.restore(offsets.get(ids.partition), now);
        Map<String, Object> del = offsets.get(records.deletesPartition);
        deletes.restore(del, load == null ? incremental.since() - overlap : loadStart - overlap, now);
        reconciliation.restore(now);
    }

    boolean loading() {
        return load != null;
    }

    /** The phases in the order they are considered: a running pass first, then the first one due. */
    private List<ObjectPhase> phases() {
        return load != null ? List.of(load) : List.of(deletes, reconciliation, incremental);
    }

    /**
     * The phase the next step would run at {@code now}: the first after the one stepped last with a pass running or
     * due and not waiting after a failure; null when none.
     */
    private ObjectPhase next(long now) {
        List<ObjectPhase> ps = phases();
        int start = last == null ? 0 : (ps.indexOf(last) + 1) % ps.size();
        for (int i = 0; i < ps.size(); i++) {
            ObjectPhase p = ps.get((start + i) % ps.size());
            if (dueAt(p) <= now) {
                return p;
            }
        }
        return null;
    }

    /** When the phase may step next. */
    private long dueAt(ObjectPhase p) {
        long[] d = deferred.get(p);
        long due = p.running() ? 0 : p.nextDue();
        return d == null ? due : Math.max(due, d[0]);
    }

    @Override
    public long nextDue() {
        long due = Long.MAX_VALUE;
        for (ObjectPhase p : phases()) {
            due = Math.min(due, dueAt(p));
        }
        return Math.max(due, refreshRetryAt);
    }

    @Override
    public boolean nextIsSearch() {
        ObjectPhase p = next(System.currentTimeMillis());
        return p == null || p.searches();
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (now < refreshRetryAt) {
            return List.of();
        }
        try {
            properties.refresh(now);
        } catch (HubSpotRetriableException e) {
            refreshRetryAt = now + Math.max(e.retryAfterMillis(), 1_000);
            throw e;
        }
        ObjectPhase phase = next(now);
        if (phase == null) {
            return List.of();
        }
        last = phase;
        List<SourceRecord> out;
        try {
            out = phase.step(now);
        } catch (HubSpotRetriableException e) {
            if (phase != load) { // the load's readers wait themselves; the other readers' pages are ready meanwhile
                defer(phase, now, e.retryAfterMillis());
            }
            throw e;
        }
        deferred.remove(phase);
        if (phase == load && !load.running()) {
            finishLoad();
        }
        // the id set changes with loads, incremental passes and reconciliations; a checkpoint needs them at rest
        if (phase != deletes && load == null && !reconciliation.running()) {
            ids.maybeCheckpoint(out, now, records.checkpointCarrier(out));
        }
        return out;
    }

    /** The phase waits the server's delay, at least 1 s doubled with each failure in a row (at most 30 s). */
    private void defer(ObjectPhase phase, long now, long serverDelay) {
        long[] d = deferred.computeIfAbsent(phase, p -> new long[2]);
        d[1]++;
        long backoff = Math.min(MAX_DEFER_MS, 1_000L << Math.min(d[1] - 1, 5));
        d[0] = now + Math.max(serverDelay, backoff);
    }

    /** Load → incremental, from the load's start minus the overlap; the id set is saved or completed. */
    private void finishLoad() {
        long now = System.currentTimeMillis();
        incremental.begin(load.loadStart() - overlap, null, now);
        if (load.resumed()) {
            reconciliation.dueAt(now); // ids loaded before the restart: list them all now
        } else {
            ids.checkpointSoon();
        }
        load = null;
    }

    @Override
    public void close() {
        if (load != null) {
            load.close();
        }
    }
}
