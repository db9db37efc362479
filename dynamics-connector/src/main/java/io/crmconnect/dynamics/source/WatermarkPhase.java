package io.crmconnect.dynamics.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Tables without change tracking: passes over {@code modifiedon ge <watermark − overlap>} ordered by
 * {@code modifiedon, <primary id>}, following server-driven pages. The first pass (no watermark) is the initial load.
 *
 * <p>Correct under equal timestamps and clock skew: the query is inclusive ({@code ge}) and re-reads
 * {@code watermark.overlap.ms} before the watermark, so rows sharing the watermark's millisecond, rows committed late
 * and rows stamped by a web server whose clock lags are all read again; a row already sent with the same
 * {@code versionnumber} (else {@code modifiedon}) is not sent twice while the task runs. The watermark in the
 * offsets is the {@code modifiedon} of the last row sent; after a restart up to the overlap is sent again
 * (duplicates, never gaps). Deletes are not visible this way: a periodic id listing turns them into tombstones.
 */
final class WatermarkPhase implements Phase {
    private final TableStream s;
    private Long since;
    private long watermark;
    private PageFetcher<TableStream.Converted> fetcher;
    private String link;
    /** Id → version (or modifiedon) of rows sent within the overlap before the watermark. */
    private final Map<String, long[]> sent = new HashMap<>();

    private long passStart;
    private long due;
    private long nextReconcile;
    private boolean firstPassDone;
    private long loaded;

    WatermarkPhase(TableStream s, Long since) {
        this.s = s;
        this.since = since;
        this.watermark = since == null ? Long.MIN_VALUE : since;
        this.firstPassDone = since != null;
        this.nextReconcile =
                s.reconcileInterval > 0 ? System.currentTimeMillis() + s.reconcileInterval : Long.MAX_VALUE;
        if (!firstPassDone) {
            s.metrics.loadComplete(s.table, false);
        }
    }

    @Override
    public String name() {
        return firstPassDone ? "watermark" : "initial load (watermark)";
    }

    /** The offset of the watermark reached. */
    Map<String, Object> offset() {
        return Offsets.of(Offsets.WATERMARK, "since", watermark == Long.MIN_VALUE ? null : watermark);
    }

    @Override
    public long nextDue() {
        return fetcher != null ? 0 : Math.min(due, nextReconcile);
    }

    @Override
    public List<SourceRecord> step(long now) throws InterruptedException {
        if (fetcher == null) {
            if (now >= nextReconcile && firstPassDone) {
                nextReconcile = now + s.reconcileInterval;
                s.switchTo(ListingPhase.beforeWatermark(s, this));
                return List.of();
            }
            if (now < due) {
                return List.of();
            }
            passStart = now;
            if (link == null) {
                String pk = s.metadata().primaryIdAttribute();
                link = s.client.collectionUrl(
                        s.metadata().entitySetName(),
                        s.schema.select(),
                        since == null ? null : TableStream.modifiedSince(since - s.overlap),
                        "modifiedon asc," + pk + " asc");
            }
            fetcher = s.rowFetcher(link, false);
        }
        PageFetcher.Item<TableStream.Converted> item = fetcher.next(1_000);
        if (item == null) {
            return List.of();
        }
        if (item.failure() != null) {
            fetcher.close();
            fetcher = null;
            link = item.link();
            throw item.failure();
        }
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRow r : item.page().rows()) {
            long v = r.version() != Long.MIN_VALUE ? r.version() : r.modifiedOn();
            long[] prev = sent.get(r.id());
            if (prev != null && prev[1] == v) {
                continue;
            }
            if (r.modifiedOn() != Long.MIN_VALUE && r.modifiedOn() > watermark) {
                watermark = r.modifiedOn();
            }
            sent.put(r.id(), new long[] {r.modifiedOn(), v});
            out.add(s.emitter.row(r, firstPassDone ? Headers.UPSERT : Headers.LOAD, offset()));
            if (r.uuid() != null) {
                s.ids.add(r.uuid());
            }
        }
        if (!firstPassDone) {
            loaded += out.size();
            s.metrics.loaded(s.table, loaded);
        }
        prune();
        link = item.nextLink();
        if (link == null) {
            fetcher.close();
            fetcher = null;
            since = watermark == Long.MIN_VALUE ? null : watermark;
            due = passStart + s.pollInterval;
            s.metrics.caughtUp(s.table, passStart);
            if (!firstPassDone) {
                firstPassDone = true;
                s.metrics.loadComplete(s.table, true);
            }
        }
        return out;
    }

    /** Forgets rows that fell out of the overlap window: they can no longer be read again. */
    private void prune() {
        if (sent.size() < 10_000 || watermark == Long.MIN_VALUE) {
            return;
        }
        long floor = watermark - s.overlap;
        Iterator<long[]> it = sent.values().iterator();
        while (it.hasNext()) {
            if (it.next()[0] < floor) {
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
            fetcher = null;
        }
    }
}
