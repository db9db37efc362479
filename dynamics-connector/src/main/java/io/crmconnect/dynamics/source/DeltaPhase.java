package io.crmconnect.dynamics.source;

import io.crmconnect.dynamics.client.DynamicsApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change tracking: every {@code poll.interval.ms} the delta link is read (following its pages); changed rows become
 * records, {@code $deletedEntity} items tombstones, and the last record carries the new delta link.
 *
 * <p>Exact resume inside one read: changed rows come in version order, deletes after them (Dataverse's documented
 * order), so a record's offset is the delta link it came from plus its {@code versionnumber} (or, for a tombstone,
 * its id). A restart reads that link again and skips rows up to that version (a row changed again since has a higher
 * version and is sent, as it should) and deletes up to that id. Deletes are held until the read's last page so they
 * can be skipped as one list; when the id is not found they are all sent again.
 *
 * <p>An expired token ({@code 0x80044352}) starts a re-snapshot: every row again, then tombstones for rows gone.
 */
final class DeltaPhase implements Phase {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaPhase.class);
    private final TableStream s;
    private String link;
    private Long afterVersion;
    private String afterDeleted;
    private PageFetcher<TableStream.Converted> fetcher;
    private final List<String> deletes = new ArrayList<>();
    private long passStart;
    private long due;

    DeltaPhase(TableStream s, String link, Long afterVersion, String afterDeleted) {
        this.s = s;
        this.link = link;
        this.afterVersion = afterVersion;
        this.afterDeleted = afterDeleted;
        this.due = 0;
        s.deltaCurrent(link);
    }

    @Override
    public String name() {
        return "change tracking";
    }

    /** No read in progress. */
    boolean idle() {
        return fetcher == null;
    }

    @Override
    public long nextDue() {
        return fetcher != null ? 0 : due;
    }

    @Override
    public List<SourceRecord> step(long now) throws InterruptedException {
        if (fetcher == null) {
            if (now < due) {
                return List.of();
            }
            if (s.takeSchemaGrowth()) {
                LOG.info(
                        "Dynamics {}: new columns; re-snapshot to read them (a delta link keeps the columns it was "
                                + "made with)",
                        s.table);
                s.switchTo(new SnapshotPhase(s, Offsets.RESNAPSHOT, now, null, null));
                return List.of();
            }
            passStart = now;
            deletes.clear();
            fetcher = s.rowFetcher(link, true);
        }
        PageFetcher.Item<TableStream.Converted> item = fetcher.next(1_000);
        if (item == null) {
            return List.of();
        }
        if (item.failure() != null) {
            fetcher.close();
            fetcher = null;
            if (item.failure() instanceof DynamicsApiException api && api.isExpiredVersionStamp()) {
                LOG.warn(
                        "Dynamics {}: the delta token expired ({}); re-snapshot: every row is read again and rows "
                                + "gone since get tombstones",
                        s.table,
                        api.getMessage());
                s.metrics.resnapshot(s.table);
                s.switchTo(new SnapshotPhase(s, Offsets.RESNAPSHOT, now, null, null));
                return List.of();
            }
            throw item.failure(); // read the whole delta link again; the offsets say what to skip
        }
        List<SourceRecord> out = new ArrayList<>();
        for (SourceRow r : item.page().rows()) {
            if (afterVersion != null && r.version() != Long.MIN_VALUE && r.version() <= afterVersion) {
                continue;
            }
            out.add(s.emitter.row(
                    r,
                    Headers.UPSERT,
                    Offsets.of(
                            Offsets.DELTA,
                            "link",
                            link,
                            "afterVersion",
                            r.version() == Long.MIN_VALUE ? null : r.version())));
            if (r.uuid() != null) {
                s.ids.add(r.uuid());
            }
        }
        deletes.addAll(item.page().deleted());
        if (item.deltaLink() == null && item.nextLink() != null) {
            return out;
        }
        // last page: the held deletes, then the new link on the read's last record
        int from = 0;
        if (afterDeleted != null) {
            int at = deletes.indexOf(afterDeleted);
            from = at < 0 ? 0 : at + 1;
        }
        for (int i = from; i < deletes.size(); i++) {
            String id = deletes.get(i);
            out.add(s.emitter.tombstone(
                    id,
                    Headers.DELETE,
                    Offsets.of(Offsets.DELTA, "link", link, "afterVersion", Long.MAX_VALUE, "afterDeleted", id)));
            UUID u = TableStream.uuid(id);
            if (u != null) {
                s.ids.remove(u);
            }
        }
        fetcher.close();
        fetcher = null;
        String next = item.deltaLink() != null ? item.deltaLink() : link;
        if (!out.isEmpty()) {
            s.emitter.reoffsetLast(out, Offsets.of(Offsets.DELTA, "link", next));
            s.deltaPersisted(next, now);
        }
        s.deltaCurrent(next);
        link = next;
        afterVersion = null;
        afterDeleted = null;
        due = passStart + s.pollInterval;
        s.metrics.caughtUp(s.table, passStart);
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
