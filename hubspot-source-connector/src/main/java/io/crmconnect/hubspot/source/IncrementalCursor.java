package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.SearchRequest;
import io.crmconnect.hubspot.client.SearchRequest.Filter;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The incremental search walk of one object, complete by construction.
 *
 * <p>Every query starts at offset 0 (keyset paging on the last-modified property, sorted ascending), so the
 * 10,000-result cap is never reached and records that change while we page cannot shift a page and be skipped. When a
 * full page shares one millisecond, the walk "drills" into that millisecond by {@code hs_object_id} (EQ ms, id GT last,
 * sorted by id) — safe for any number of records with the same timestamp. Each pass re-reads from
 * {@code now - overlap} so records that reach the search index late (index lag) are still seen; records already sent
 * with the same last-modified value are not sent again while the task runs.
 *
 * <p>A pass ends with the watermark at the highest last-modified below which the walk saw every record: a page read at
 * time t covers, contiguously with the pages before it, every record modified up to {@code min(last on page,
 * t - overlap)}. A pass that took minutes (throttling) thus leaves the next one to re-read only the last overlap, not
 * everything since the pass began, and the offsets inside a pass advance the same way.
 *
 * <p>Offset: {@code {v:1, phase:"inc", since:<ms>, afterId?:<id>}} — {@code since} is a watermark below which every
 * record has been sent; {@code afterId} resumes a drill inside millisecond {@code since}.
 */
final class IncrementalCursor {
    static final int VERSION = 1;
    private final String lastModifiedProperty;
    private long since;
    private long lo;
    private Long drillMs;
    private long drillAfterId;
    private long cycleSafe;
    private long overlap;
    /** Every record modified at or before this was seen by this pass or sent before it (contiguously from since). */
    private long covered;

    private long maxSeen = Long.MIN_VALUE;
    private boolean cycleActive;
    private final Map<String, long[]> sent = new HashMap<>();

    IncrementalCursor(String lastModifiedProperty, long since, Long resumeDrillAfterId) {
        this.lastModifiedProperty = lastModifiedProperty;
        this.since = since;
        this.lo = since;
        if (resumeDrillAfterId != null) {
            this.drillMs = since;
            this.drillAfterId = resumeDrillAfterId;
        }
    }

    long since() {
        return since;
    }

    boolean cycleActive() {
        return cycleActive;
    }

    boolean drilling() {
        return drillMs != null;
    }

    /** Starts a pass at server time {@code now}; everything modified at or before now - overlap is indexed by now. */
    void startCycle(long now, long overlapMillis) {
        cycleSafe = now - overlapMillis;
        overlap = overlapMillis;
        lo = drillMs != null ? drillMs : since;
        covered = since - 1;
        maxSeen = Long.MIN_VALUE;
        cycleActive = true;
    }

    SearchRequest nextRequest(List<String> properties, int pageSize) {
        if (drillMs != null) {
            return SearchRequest.of(
                    List.of(
                            Filter.of(lastModifiedProperty, "EQ", Long.toString(drillMs)),
                            Filter.of("hs_object_id", "GT", Long.toString(drillAfterId))),
                    "hs_object_id",
                    true,
                    properties,
                    pageSize,
                    null);
        }
        return SearchRequest.of(
                List.of(Filter.of(lastModifiedProperty, "GTE", Long.toString(lo))),
                lastModifiedProperty,
                true,
                properties,
                pageSize,
                null);
    }

    /** Last-modified of a record in epoch ms (the property, else updatedAt). */
    long lastModified(CrmObject o) {
        String v = o.properties().get(lastModifiedProperty);
        if (v != null && !v.isBlank()) {
            Instant i = HubSpotClient.parseInstant(v);
            if (i != null) {
                return i.toEpochMilli();
            }
        }
        return o.updatedAt() == null ? 0 : o.updatedAt().toEpochMilli();
    }

    /**
     * True if this version of the record (last-modified AND content) was not sent yet during this task's life. The
     * content counts because two writes can share one last-modified millisecond with a read in between.
     */
    boolean isNew(CrmObject o) {
        long[] prev = sent.get(o.id());
        return prev == null
                || prev[0] != lastModified(o)
                || prev[1] != o.properties().hashCode();
    }

    /**
     * For search hits without the full properties: whether the record must be re-read to decide. Records whose
     * last-modified is recent (at or after the index-safe point) may have been rewritten within the same millisecond.
     */
    boolean mayHaveChanged(CrmObject hit) {
        long[] prev = sent.get(hit.id());
        long lm = lastModified(hit);
        return prev == null || prev[0] != lm || lm >= cycleSafe;
    }

    /** Last-modified of the version of this record sent during this task's life (still remembered), else null. */
    Long sentLastModified(String id) {
        long[] prev = sent.get(id);
        return prev == null ? null : prev[0];
    }

    void markSent(CrmObject o) {
        sent.put(o.id(), new long[] {lastModified(o), o.properties().hashCode()});
    }

    /** How far the walk has certainly seen: the watermark, or further inside a pass (for the lag metric). */
    long progress() {
        return Math.max(since, covered);
    }

    /** The offset to store with a record of this page. */
    Map<String, Object> offsetFor(CrmObject o) {
        long lm = lastModified(o);
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("v", VERSION);
        off.put("phase", "inc");
        if (drillMs != null && drillMs <= cycleSafe) {
            off.put("since", drillMs);
            off.put("afterId", Long.parseLong(o.id()));
        } else {
            off.put("since", Math.max(since, Math.min(lm, Math.max(cycleSafe, covered + 1))));
        }
        return off;
    }

    /** {@link #onPage(List, int, long)} for a page requested when the pass began. */
    boolean onPage(List<CrmObject> page, int pageSize) {
        return onPage(page, pageSize, cycleSafe + overlap);
    }

    /**
     * Advances the walk past a page of results (as returned for {@link #nextRequest}), requested at (or after) server
     * time {@code requestedAt}. Returns true when the pass is complete.
     */
    boolean onPage(List<CrmObject> page, int pageSize, long requestedAt) {
        for (CrmObject o : page) {
            maxSeen = Math.max(maxSeen, lastModified(o));
        }
        // indexed by the time of the request: every record modified at or before it
        long indexed = requestedAt - overlap;
        if (drillMs != null) {
            if (page.size() < pageSize) {
                if (covered >= drillMs - 1 && drillMs <= indexed) {
                    covered = drillMs;
                }
                lo = drillMs + 1;
                drillMs = null;
                return false; // the pass goes on from drillMs + 1
            }
            drillAfterId = Long.parseLong(page.get(page.size() - 1).id());
            return false;
        }
        boolean contiguous = covered >= lo - 1;
        if (page.size() < pageSize) {
            if (contiguous) {
                covered = Math.max(covered, indexed);
            }
            return finishCycle();
        }
        long last = lastModified(page.get(page.size() - 1));
        if (contiguous) {
            covered = Math.max(covered, Math.min(last - 1, indexed));
        }
        if (last > lo) {
            lo = last;
        } else {
            drillMs = lo;
            drillAfterId = 0;
        }
        return false;
    }

    private boolean finishCycle() {
        cycleActive = false;
        since = Math.max(since, Math.max(cycleSafe, covered));
        // forget versions below the watermark: they will not be read again
        sent.values().removeIf(v -> v[0] < since);
        return true;
    }

    static Map<String, Object> offset(long since) {
        Map<String, Object> off = new LinkedHashMap<>();
        off.put("v", VERSION);
        off.put("phase", "inc");
        off.put("since", since);
        return off;
    }
}
