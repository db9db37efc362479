package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.PropertyValue;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial load of one object: hands over the pages {@link InitialLoad}'s readers fetched (with their property
 * history first, when asked for), reports progress, and ends with the first incremental offset on its last record.
 * Runs once; its first step finds the id bounds that let the readers split the id space.
 */
final class LoadPhase implements ObjectPhase {
    private static final Logger LOG = LoggerFactory.getLogger(LoadPhase.class);
    /** Pages handed over per step at most (one step = one poll). */
    private static final int PAGES_PER_STEP = 4;

    private static final long WAIT_MS = 200;

    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final String lastModifiedProperty;
    private final ObjectProperties properties;
    private final ObjectRecords records;
    private final PropertyHistory history;
    private final SourceMetrics metrics;
    private final long loadStart;
    private final boolean resumed;
    private final InitialLoad load;
    private boolean done;
    private long loaded;
    private long total = -1;
    /** A reader's failure met after pages were handed over in the same step: thrown at the next step. */
    private RuntimeException pendingError;

    /**
     * @param offset    the committed load offset (v1 or v2) to resume from, or null for a fresh load
     * @param loadStart when the load began (its records are complete up to here; incremental starts before it)
     * @param overlap   the index-lag overlap: the incremental walk starts at {@code loadStart - overlap}
     */
    LoadPhase(
            HubSpotClient client,
            String objectType,
            String name,
            String lastModifiedProperty,
            ObjectProperties properties,
            ObjectRecords records,
            PropertyHistory history,
            SourceMetrics metrics,
            Map<String, Object> offset,
            long loadStart,
            long overlap) {
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.lastModifiedProperty = lastModifiedProperty;
        this.properties = properties;
        this.records = records;
        this.history = history;
        this.metrics = metrics;
        this.loadStart = loadStart;
        this.resumed = offset != null;
        // records handed over keep only what the emitter and the id bookkeeping read; values are converted already
        Set<String> keep =
                history == null ? Set.of("hs_object_id", lastModifiedProperty, "hs_merged_object_ids") : null;
        SchemaMapper mapper = properties.mapper();
        this.load = new InitialLoad(
                name,
                loadStart,
                offset,
                after -> client.list(objectType, mapper.propertyNames(), null, after, ObjectStream.LIST_PAGE, false),
                mapper::toStruct,
                keep,
                IncrementalCursor.offset(loadStart - overlap),
                InitialLoad.READERS,
                InitialLoad.QUEUE_PAGES);
    }

    long loadStart() {
        return loadStart;
    }

    /** Whether this load resumed from an offset (records loaded before the restart are not in this task's memory). */
    boolean resumed() {
        return resumed;
    }

    /** The offset of the position reached (nothing handed over since). */
    Map<String, Object> offsetNow() {
        return load.offsetNow();
    }

    @Override
    public boolean running() {
        return !done;
    }

    @Override
    public long nextDue() {
        return done ? Long.MAX_VALUE : 0;
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (total < 0) {
            findBounds();
            metrics.loadTotal(name, total);
            load.start();
        }
        if (pendingError != null) {
            RuntimeException e = pendingError;
            pendingError = null;
            throw e;
        }
        List<SourceRecord> out = new ArrayList<>();
        boolean last = load.finished();
        for (int n = 0; n < PAGES_PER_STEP && !last; n++) {
            InitialLoad.Batch b;
            try {
                b = load.next(n == 0 ? WAIT_MS : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                if (out.isEmpty()) {
                    throw e;
                }
                // the pages handed over are already past the load's position: they must reach Connect
                pendingError = e;
                break;
            }
            if (b == null) {
                break;
            }
            List<CrmObject> rs = b.objects();
            sendHistory(out, rs, b.offsetBefore());
            for (int i = 0; i < rs.size(); i++) {
                records.upsert(
                        out, rs.get(i), "load", b.offsets().get(i), b.values().get(i));
            }
            loaded += rs.size();
            metrics.loaded(name, loaded);
            if (loaded / 10_000 != (loaded - rs.size()) / 10_000) {
                LOG.info(
                        "HubSpot {}: initial load {} of ~{} records ({} id ranges read in parallel)",
                        name,
                        loaded,
                        total,
                        load.ranges());
            }
            last = b.last();
        }
        if (last) {
            done = true;
            load.close();
            LOG.info("HubSpot {}: initial load done ({} records); switching to incremental changes", name, loaded);
        }
        return out;
    }

    /** Total (progress) and the id bounds that let the load read id ranges in parallel, from two searches. */
    private void findBounds() {
        total = 0;
        try {
            SearchPage first = client.search(
                    objectType, SearchRequest.of(List.of(), "hs_object_id", true, List.of("hs_object_id"), 1, null));
            total = first.total();
            if (!first.results().isEmpty()) {
                SearchPage lastPage = client.search(
                        objectType,
                        SearchRequest.of(List.of(), "hs_object_id", false, List.of("hs_object_id"), 1, null));
                if (!lastPage.results().isEmpty()) {
                    load.bounds(
                            first.total(),
                            Long.parseLong(first.results().get(0).id()),
                            Long.parseLong(lastPage.results().get(0).id()));
                }
            }
        } catch (RuntimeException e) {
            LOG.info(
                    "HubSpot {}: no id bounds from search ({}); the initial load reads one cursor chain",
                    name,
                    e.getMessage());
        }
    }

    /** Every change of the page's records, sent before them with the page's own offset. */
    private void sendHistory(List<SourceRecord> out, List<CrmObject> rs, Map<String, Object> offset) {
        List<String> historyProperties = properties.historyProperties();
        if (history == null || historyProperties.isEmpty() || rs.isEmpty()) {
            return;
        }
        List<PropertyHistory.Want> wants = new ArrayList<>(rs.size());
        for (CrmObject o : rs) {
            wants.add(new PropertyHistory.Want(o, Long.MIN_VALUE, lastModified(o)));
        }
        Map<String, Map<String, List<PropertyValue>>> h = history.read(wants, historyProperties);
        for (PropertyHistory.Want w : wants) {
            Map<String, List<PropertyValue>> byProperty = h.get(w.object().id());
            if (byProperty != null) {
                out.addAll(history.records(w, byProperty, records.partition, offset));
            }
        }
    }

    private long lastModified(CrmObject o) {
        String v = o.properties().get(lastModifiedProperty);
        if (v != null && !v.isBlank()) {
            Instant i = HubSpotClient.parseInstant(v);
            if (i != null) {
                return i.toEpochMilli();
            }
        }
        return o.updatedAt() == null ? Long.MAX_VALUE : o.updatedAt().toEpochMilli();
    }

    /** Stops the readers (task stop). */
    void close() {
        load.close();
    }
}
