package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The delete scans of one object: every {@code deletes.interval.ms} the archived list (HubSpot's 90-day recycle bin)
 * is read, and records archived since the last scan become tombstones (after their {@code archived=true} version when
 * {@code deletes.archived.event} is on), with merge tombstones for the ids merged into them. Tombstones wait for the
 * index-lag overlap, so a lagging search index cannot resurrect a record deleted just now.
 *
 * <p>Offset, partition {@code {stream:<object>#deletes}}: {@code {v:1, since}}, every archive up to {@code since}
 * handled. The scan's last tombstone carries the advanced {@code since}.
 */
final class DeleteScan implements ObjectPhase {
    private final HubSpotClient client;
    private final String objectType;
    private final String lastModifiedProperty;
    private final ObjectProperties properties;
    private final ObjectRecords records;
    private final long overlap;
    private final long interval;
    private final boolean archivedEvents;
    private long since;
    private boolean scanning;
    private String after;
    private long cutoff;
    private long nextScan;
    /** The scan's latest tombstone, held back so that the scan's last one can carry the advanced watermark. */
    private SourceRecord pending;

    DeleteScan(
            HubSpotClient client,
            String objectType,
            String lastModifiedProperty,
            ObjectProperties properties,
            ObjectRecords records,
            long overlap,
            long interval,
            boolean archivedEvents) {
        this.client = client;
        this.objectType = objectType;
        this.lastModifiedProperty = lastModifiedProperty;
        this.properties = properties;
        this.records = records;
        this.overlap = overlap;
        this.interval = interval;
        this.archivedEvents = archivedEvents;
    }

    /** Resumes from the committed offset, else from {@code fallbackSince}; the first scan is due at once. */
    void restore(Map<String, Object> offset, long fallbackSince, long now) {
        since = offset != null ? ((Number) offset.get("since")).longValue() : fallbackSince;
        nextScan = now;
    }

    /** Every archive up to here was handled. */
    long since() {
        return since;
    }

    @Override
    public boolean running() {
        return scanning;
    }

    @Override
    public long nextDue() {
        return nextScan;
    }

    @Override
    public boolean searches() {
        return false;
    }

    @Override
    public List<SourceRecord> step(long now) {
        if (!scanning) {
            scanning = true;
            after = null;
            cutoff = now - overlap;
        }
        List<String> props = properties.hasMergedIds()
                ? List.of(lastModifiedProperty, "hs_merged_object_ids")
                : List.of(lastModifiedProperty);
        Page<CrmObject> page = client.list(objectType, props, null, after, ObjectStream.LIST_PAGE, true);
        List<SourceRecord> out = new ArrayList<>();
        for (CrmObject o : page.results()) {
            long at = o.archivedAt() != null
                    ? o.archivedAt().toEpochMilli()
                    : o.updatedAt() == null ? 0 : o.updatedAt().toEpochMilli();
            if (at <= since || at > cutoff || records.tombstonedSince(o.id(), at)) {
                continue;
            }
            if (pending != null) {
                out.add(pending);
            }
            Map<String, Object> off = offset(since);
            if (archivedEvents) {
                out.add(records.archived(off, o));
            }
            // ids merged into this record earlier go too (their survivor may never have been seen alive)
            records.mergeTombstones(
                    out, records.deletesPartition, off, o.id(), o.properties().get("hs_merged_object_ids"), at);
            pending = records.tombstone(off, o.id(), "delete", at);
        }
        after = page.after();
        if (!page.hasMore()) {
            scanning = false;
            since = Math.max(since, cutoff);
            if (pending != null) {
                SourceRecord p = pending;
                out.add(new SourceRecord(
                        p.sourcePartition(),
                        offset(since),
                        p.topic(),
                        null,
                        p.keySchema(),
                        p.key(),
                        null,
                        null,
                        p.timestamp(),
                        p.headers()));
                pending = null;
            }
            nextScan = now + interval;
        }
        return out;
    }

    static Map<String, Object> offset(long since) {
        return Map.of("v", IncrementalCursor.VERSION, "since", since);
    }
}
