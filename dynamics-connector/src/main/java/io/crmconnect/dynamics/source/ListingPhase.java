package io.crmconnect.dynamics.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.RowPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every id of the table ({@code $select=<primary id>}, 5,000 per page) and sends a tombstone for each id the
 * topic holds that is no longer there: rows deleted during the initial load, while a delta token was expired (the
 * bounded re-snapshot), or — for watermark tables — at all. The listing then becomes the table's id set.
 */
final class ListingPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(ListingPhase.class);
    private final TableStream s;
    private final String reason;
    private final Supplier<Map<String, Object>> afterOffset;
    private final Phase next;
    private final Runnable onOffsetWritten;
    private final GuidSet listed = new GuidSet();
    private PageFetcher<List<UUID>> fetcher;
    private String link;

    private ListingPhase(
            TableStream s,
            String reason,
            Supplier<Map<String, Object>> afterOffset,
            Phase next,
            Runnable onOffsetWritten) {
        this.s = s;
        this.reason = reason;
        this.afterOffset = afterOffset;
        this.next = next;
        this.onOffsetWritten = onOffsetWritten;
    }

    /** The listing that ends a snapshot: then the delta link is read. */
    static ListingPhase beforeDelta(TableStream s, String reason, String delta) {
        return new ListingPhase(
                s,
                reason,
                () -> Offsets.of(Offsets.DELTA, "link", delta),
                new DeltaPhase(s, delta, null, null),
                () -> s.deltaPersisted(delta, System.currentTimeMillis()));
    }

    /** A periodic reconciliation of a watermark table: then its passes go on. */
    static ListingPhase beforeWatermark(TableStream s, WatermarkPhase wm) {
        return new ListingPhase(s, Offsets.RECONCILE, wm::offset, wm, () -> {});
    }

    @Override
    public String name() {
        return "id listing";
    }

    @Override
    public long nextDue() {
        return 0;
    }

    @Override
    public List<SourceRecord> step(long now) throws InterruptedException {
        if (fetcher == null) {
            String first = link != null
                    ? link
                    : s.client.collectionUrl(
                            s.metadata().entitySetName(), s.metadata().primaryIdAttribute(), null, null);
            fetcher = new PageFetcher<>(s.table + "-ids", s.client, first, s.options(false, false), this::ids);
        }
        PageFetcher.Item<List<UUID>> item = fetcher.next(1_000);
        if (item == null) {
            return List.of();
        }
        if (item.failure() != null) {
            fetcher.close();
            fetcher = null;
            link = item.link();
            throw item.failure();
        }
        for (UUID id : item.page()) {
            listed.add(id);
        }
        link = item.nextLink();
        if (link != null) {
            return List.of();
        }
        fetcher.close();
        fetcher = null;
        List<UUID> gone = s.ids.missingFrom(listed);
        String change = Offsets.RESNAPSHOT.equals(reason) ? Headers.RESNAPSHOT_DELETE : Headers.RECONCILE_DELETE;
        List<SourceRecord> out = new ArrayList<>(gone.size());
        Map<String, Object> offset = afterOffset.get();
        for (UUID id : gone) {
            out.add(s.emitter.tombstone(id.toString(), change, offset));
        }
        s.ids.replaceWith(listed);
        s.checkpointSoon();
        if (!out.isEmpty()) {
            onOffsetWritten.run();
        }
        if (!gone.isEmpty() || Offsets.RESNAPSHOT.equals(reason)) {
            LOG.info(
                    "Dynamics {}: {} listed {} row ids; {} rows are gone and were sent as tombstones",
                    s.table,
                    Offsets.RESNAPSHOT.equals(reason) ? "re-snapshot" : "reconciliation",
                    listed.size(),
                    gone.size());
        }
        if (Offsets.RESNAPSHOT.equals(reason) || Offsets.RECONCILE.equals(reason)) {
            s.metrics.resnapshotTombstones(s.table, gone.size());
        }
        if (Offsets.LOAD.equals(reason)) {
            s.metrics.loadComplete(s.table, true);
        }
        s.switchTo(next);
        return out;
    }

    private List<UUID> ids(RowPage page) {
        List<UUID> out = new ArrayList<>(page.rows().size());
        String pk = s.metadata().primaryIdAttribute();
        for (ObjectNode r : page.rows()) {
            UUID id = TableStream.uuid(r.path(pk).asText(""));
            if (id != null) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
            fetcher = null;
        }
    }
}
