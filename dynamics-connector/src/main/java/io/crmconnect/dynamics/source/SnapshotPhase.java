package io.crmconnect.dynamics.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every row with change tracking on ({@code Prefer: odata.track-changes}), page after page, until the last
 * page brings the delta link: the initial load, or a re-snapshot after the delta token expired. Each record's offset
 * is the page it came from and its own id, so a restart reads that page again and skips exactly the rows sent (pages
 * are ordered by primary key; if that row was deleted meanwhile, the whole page is sent again).
 */
final class SnapshotPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPhase.class);
    private final TableStream s;
    private final String reason;
    private final long start;
    private String link;
    private String resumeAfter;
    private PageFetcher<TableStream.Converted> fetcher;
    private long rows;
    private long lastLog;
    private final long startedNanos = System.nanoTime();

    SnapshotPhase(TableStream s, String reason, Long start, String link, String resumeAfter) {
        this.s = s;
        this.reason = reason;
        this.start = start == null ? System.currentTimeMillis() : start;
        this.link = link;
        this.resumeAfter = resumeAfter;
        if (Offsets.LOAD.equals(reason)) {
            s.metrics.loadComplete(s.table, false);
        }
    }

    @Override
    public String name() {
        return Offsets.RESNAPSHOT.equals(reason) ? "re-snapshot" : "initial load";
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
                    : s.client.collectionUrl(s.metadata().entitySetName(), s.schema.select(), null, null);
            fetcher = s.rowFetcher(first, true);
        }
        PageFetcher.Item<TableStream.Converted> item = fetcher.next(1_000);
        if (item == null) {
            return List.of();
        }
        if (item.failure() != null) {
            fetcher.close();
            fetcher = null;
            link = item.link(); // read again from the page that failed (resumeAfter still applies to it if set)
            throw item.failure();
        }
        String change = Offsets.RESNAPSHOT.equals(reason) ? Headers.RESNAPSHOT : Headers.LOAD;
        List<SourceRow> page = item.page().rows();
        int from = 0;
        if (resumeAfter != null && item.link().equals(link)) {
            from = indexAfter(page, resumeAfter);
        }
        resumeAfter = null;
        List<SourceRecord> out = new ArrayList<>(page.size() - from);
        for (int i = from; i < page.size(); i++) {
            SourceRow r = page.get(i);
            out.add(s.emitter.row(
                    r,
                    change,
                    Offsets.of(
                            Offsets.SNAPSHOT, "reason", reason, "start", start, "link", item.link(), "after", r.id())));
            if (r.uuid() != null) {
                s.ids.add(r.uuid());
            }
        }
        rows += out.size();
        link = item.nextLink();
        if (Offsets.LOAD.equals(reason)) {
            s.metrics.loaded(s.table, rows);
        }
        logProgress(false);
        if (item.deltaLink() != null) {
            Map<String, Object> next =
                    Offsets.of(Offsets.CATCHUP, "reason", reason, "start", start, "delta", item.deltaLink());
            s.emitter.reoffsetLast(out, next);
            logProgress(true);
            fetcher.close();
            fetcher = null;
            s.switchTo(new CatchUpPhase(s, reason, start, item.deltaLink(), null, null));
        } else if (item.nextLink() == null) {
            throw new ConnectException("Dynamics 365 ended the change-tracking read of '" + s.table + "' without a "
                    + "delta link: is 'Track changes' on for the table? (change.mode=watermark reads it without)");
        }
        return out;
    }

    /** Index of the first row after {@code id}; 0 when the row is not on the page any more (the page is resent). */
    static int indexAfter(List<SourceRow> page, String id) {
        for (int i = 0; i < page.size(); i++) {
            if (page.get(i).id().equals(id)) {
                return i + 1;
            }
        }
        return 0;
    }

    private void logProgress(boolean done) {
        long now = System.currentTimeMillis();
        if (!done && now - lastLog < 30_000) {
            return;
        }
        lastLog = now;
        double secs = Math.max(0.001, (System.nanoTime() - startedNanos) / 1e9);
        LOG.info(
                "Dynamics {}: {} {} {} rows in {} s ({} rows/s)",
                s.table,
                name(),
                done ? "read" : "so far",
                rows,
                Math.round(secs),
                Math.round(rows / secs));
    }

    @Override
    public void close() {
        if (fetcher != null) {
            fetcher.close();
            fetcher = null;
        }
    }
}
