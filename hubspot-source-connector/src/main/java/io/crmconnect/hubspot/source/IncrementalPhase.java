package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.PropertyValue;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The incremental passes of one object after its initial load: every {@code poll.interval.ms} a search walk
 * ({@link IncrementalCursor}) sends the records changed since the last pass (with their property history first).
 * Objects with so many properties that they do not fit in a search body are searched for ids and read in batches.
 */
final class IncrementalPhase implements ObjectPhase {
    /** Beyond this many characters of property names, search returns ids only and a batch read fetches the rest. */
    private static final int SEARCH_INLINE_PROPERTY_CHARS = 2_500;

    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final String lastModifiedProperty;
    private final ObjectProperties properties;
    private final ObjectRecords records;
    private final PropertyHistory history;
    private final SourceMetrics metrics;
    private final long overlap;
    private final long pollInterval;
    private final int searchPageSize;
    private IncrementalCursor cursor;
    private long nextPass;

    IncrementalPhase(
            HubSpotClient client,
            String objectType,
            String name,
            String lastModifiedProperty,
            ObjectProperties properties,
            ObjectRecords records,
            PropertyHistory history,
            SourceMetrics metrics,
            long overlap,
            long pollInterval,
            int searchPageSize) {
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.lastModifiedProperty = lastModifiedProperty;
        this.properties = properties;
        this.records = records;
        this.history = history;
        this.metrics = metrics;
        this.overlap = overlap;
        this.pollInterval = pollInterval;
        this.searchPageSize = searchPageSize;
    }

    /** Starts (or resumes) the walk at {@code since} (inside millisecond {@code since} after id {@code afterId}). */
    void begin(long since, Long afterId, long firstPass) {
        cursor = new IncrementalCursor(lastModifiedProperty, since, afterId);
        nextPass = firstPass;
        metrics.incremental(name, () -> cursor.progress());
    }

    /** The watermark below which every change was sent. */
    long since() {
        return cursor.since();
    }

    @Override
    public boolean running() {
        return cursor.cycleActive();
    }

    @Override
    public long nextDue() {
        return nextPass;
    }

    @Override
    public boolean searches() {
        return true;
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (!cursor.cycleActive()) {
            cursor.startCycle(now, overlap);
        }
        List<String> names = properties.names();
        int chars = names.stream().mapToInt(p -> p.length() + 3).sum();
        boolean inline = chars <= SEARCH_INLINE_PROPERTY_CHARS;
        int pageSize = inline ? searchPageSize : ObjectStream.LIST_PAGE;
        SearchRequest req =
                cursor.nextRequest(inline ? names : List.of(lastModifiedProperty, "hs_object_id"), pageSize);
        SearchPage page = client.search(objectType, req);
        List<CrmObject> found = page.results();
        List<CrmObject> candidates = inline ? found : reread(found, names);
        Map<String, CrmObject> hits = new HashMap<>();
        found.forEach(o -> hits.put(o.id(), o));
        List<CrmObject> changed = new ArrayList<>();
        for (CrmObject o : candidates) {
            if (cursor.isNew(o) && !records.stale(o)) {
                changed.add(o);
            }
        }
        List<SourceRecord> out = new ArrayList<>();
        List<PropertyHistory.Want> wants = historyWanted(changed);
        Map<String, Map<String, List<PropertyValue>>> hist =
                wants.isEmpty() ? Map.of() : history.read(wants, properties.historyProperties());
        for (int i = 0; i < changed.size(); i++) {
            CrmObject o = changed.get(i);
            if (!wants.isEmpty() && hist.containsKey(o.id())) {
                out.addAll(history.records(wants.get(i), hist.get(o.id()), records.partition, records.lastOffset()));
            }
            // the offset follows the walk's position (the search hit), not a fresher re-read
            Map<String, Object> off = cursor.offsetFor(hits.get(o.id()));
            cursor.markSent(o);
            records.upsert(out, o, "upsert", off, null);
        }
        if (cursor.onPage(found, pageSize, now)) {
            nextPass = now + pollInterval;
        }
        return out;
    }

    /** The hits that may have changed, read in full (a hit deleted since is left to the delete scan). */
    private List<CrmObject> reread(List<CrmObject> found, List<String> names) {
        List<String> ids = new ArrayList<>();
        for (CrmObject o : found) {
            if (cursor.mayHaveChanged(o)) {
                ids.add(o.id());
            }
        }
        List<CrmObject> out = new ArrayList<>();
        if (ids.isEmpty()) {
            return out;
        }
        Map<String, CrmObject> fresh = new HashMap<>();
        for (CrmObject o : client.batchRead(objectType, ids, names, null, false).results()) {
            fresh.put(o.id(), o);
        }
        for (String id : ids) {
            CrmObject o = fresh.get(id);
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * For each changed record, the changes to send: those after the version this task sent before, else those since
     * the pass's watermark (older ones went out with an older version in an earlier pass). Empty when no history.
     */
    private List<PropertyHistory.Want> historyWanted(List<CrmObject> changed) {
        if (history == null || properties.historyProperties().isEmpty() || changed.isEmpty()) {
            return List.of();
        }
        List<PropertyHistory.Want> wants = new ArrayList<>(changed.size());
        for (CrmObject o : changed) {
            Long prev = cursor.sentLastModified(o.id());
            wants.add(new PropertyHistory.Want(o, prev != null ? prev + 1 : cursor.since(), cursor.lastModified(o)));
        }
        return wants;
    }
}
