package io.crmconnect.sync.connect;

import io.crmconnect.sync.engine.Plan;
import io.crmconnect.sync.mapping.Side;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts what the transform decided and logs the counts (no record data) at most once a minute. */
final class SyncCounters {
    private static final Logger LOG = LoggerFactory.getLogger(SyncCounters.class);
    private static final long LOG_EVERY_MS = 60_000L;

    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong nothing = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong targetChanged = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private String label = "";
    private volatile long lastLog;

    void start(String object, Side from) {
        label = object + " " + (from == Side.HUBSPOT ? "hubspot->dynamics" : "dynamics->hubspot");
        lastLog = System.currentTimeMillis();
    }

    void count(Plan p) {
        switch (p.outcome()) {
            case WRITE -> writes.incrementAndGet();
            case ECHO -> echoes.incrementAndGet();
            default -> nothing.incrementAndGet();
        }
        for (Plan.FieldDecision d : p.decisions()) {
            if (d.action() == Plan.Action.CONFLICT_LOST || d.action() == Plan.Action.CONFLICT_WON) {
                conflicts.incrementAndGet();
                break;
            }
        }
        long now = System.currentTimeMillis();
        if (now - lastLog >= LOG_EVERY_MS) {
            lastLog = now;
            log();
        }
    }

    /** A change the sink handed back: the other record changed between the plan and the write. */
    void targetChanged() {
        targetChanged.incrementAndGet();
    }

    /** A change of a record whose linked record was deleted (the deletion travels here): nothing to write. */
    void linkedDeleted() {
        nothing.incrementAndGet();
    }

    /** A deletion passed on to the linked record. */
    void deleted() {
        deleted.incrementAndGet();
    }

    void stop() {
        log();
    }

    private void log() {
        LOG.info(
                "Two-way sync {}: {} writes, {} echoes dropped, {} changes with nothing to write, {} with conflicts, "
                        + "{} planned again (the other record changed before the write), {} deletions passed on",
                label,
                writes.get(),
                echoes.get(),
                nothing.get(),
                conflicts.get(),
                targetChanged.get(),
                deleted.get());
    }
}
