package io.crmconnect.hubspot.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ids in an object's topic, kept so that reconciliation knows what was sent, also across restarts: the last
 * reconciliation's listing (or the checkpoint restored) plus every id sent since, minus every id tombstoned. Saved in
 * the offsets of partition {@code {stream:<object>#ids}} ({@code {v:1, count, at, ids}}, {@link IdSet} encoding).
 */
final class TopicIds {
    private static final Logger LOG = LoggerFactory.getLogger(TopicIds.class);
    /** Largest id checkpoint kept in one offset (Kafka's default message limit is 1 MB). */
    static final int CHECKPOINT_MAX_CHARS = 700_000;

    final Map<String, Object> partition;
    private final String name;
    private final long checkpointInterval;
    private IdSet known = new IdSet();
    /** Ids listed by the running reconciliation pass, plus ids sent while it runs; null between passes. */
    private IdSet listing;

    private boolean changed;
    private boolean checkpointDue;
    private long nextCheckpoint;
    private boolean tooLargeLogged;

    TopicIds(String name, long checkpointInterval) {
        this.name = name;
        this.checkpointInterval = checkpointInterval;
        this.partition = Map.of("stream", name + "#ids");
    }

    /** Restores the checkpoint (absent or unreadable: only ids sent from now on are known). */
    void restore(Map<String, Object> offset, long now) {
        if (offset != null && offset.get("ids") instanceof String enc) {
            try {
                known = IdSet.decode(enc);
                LOG.info(
                        "HubSpot {}: {} record ids restored from the checkpoint of {} for reconciliation",
                        name,
                        known.size(),
                        offset.get("at"));
            } catch (RuntimeException e) {
                LOG.warn(
                        "HubSpot {}: the id checkpoint cannot be read ({}); reconciliation starts from the ids sent "
                                + "from now on",
                        name,
                        e.getMessage());
            }
        }
        nextCheckpoint = now + checkpointInterval;
    }

    void add(String id) {
        addTo(known, id);
        if (listing != null) {
            addTo(listing, id);
        }
        changed = true;
    }

    void remove(String id) {
        try {
            long n = IdSet.parse(id);
            known.remove(n);
            if (listing != null) {
                listing.remove(n);
            }
            changed = true;
        } catch (NumberFormatException e) {
            // never added
        }
    }

    /** Starts collecting a full listing of the object's ids. */
    void startListing() {
        listing = new IdSet();
    }

    void listed(String id) {
        addTo(listing, id);
    }

    /**
     * Ends the listing: returns the known ids it did not contain (except those {@code alreadyGone} accepts), and
     * makes the listing the known set, to be checkpointed.
     */
    List<Long> finishListing(Predicate<String> alreadyGone) {
        IdSet seen = listing;
        listing = null;
        List<Long> gone = new ArrayList<>();
        known.forEach(id -> {
            if (!seen.contains(id) && !alreadyGone.test(Long.toString(id))) {
                gone.add(id);
            }
        });
        known = seen;
        changed = true;
        checkpointDue = true;
        return gone;
    }

    /** Asks for a checkpoint at the next opportunity (after the initial load). */
    void checkpointSoon() {
        checkpointDue = true;
    }

    /**
     * Adds the checkpoint to {@code out} when due (requested, or every {@code reconcile.checkpoint.interval.ms} when
     * ids changed). An offset needs a record: {@code carrier} is sent once more, unchanged, with
     * {@code hubspot.change=checkpoint} (a duplicate that compaction absorbs). Without a carrier it waits.
     */
    void maybeCheckpoint(List<SourceRecord> out, long now, SourceRecord carrier) {
        if (!(checkpointDue || (changed && now >= nextCheckpoint)) || carrier == null) {
            return;
        }
        String enc = known.encode();
        if (enc.length() > CHECKPOINT_MAX_CHARS) {
            if (!tooLargeLogged) {
                LOG.warn(
                        "HubSpot {}: {} ids do not fit in one offset ({} chars); reconciliation after a restart "
                                + "only knows ids sent after it",
                        name,
                        known.size(),
                        enc.length());
                tooLargeLogged = true;
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
            out.add(new SourceRecord(
                    partition,
                    off,
                    carrier.topic(),
                    null,
                    carrier.keySchema(),
                    carrier.key(),
                    carrier.valueSchema(),
                    carrier.value(),
                    null,
                    h));
            LOG.debug("HubSpot {}: id checkpoint saved ({} ids, {} chars)", name, off.get("count"), enc.length());
        }
        checkpointDue = false;
        changed = false;
        nextCheckpoint = now + checkpointInterval;
    }

    private static void addTo(IdSet set, String id) {
        try {
            set.add(IdSet.parse(id));
        } catch (NumberFormatException e) {
            LOG.debug("non-numeric record id ignored by reconciliation");
        }
    }
}
