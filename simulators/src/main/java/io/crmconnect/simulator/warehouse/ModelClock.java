package io.crmconnect.simulator.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The warehouse's clock: wall time (microseconds) plus a manual offset, or frozen for deterministic tests. It never
 * goes back, and a commit gets a time strictly after every time already read from the clock, so a point in time
 * once observed names one table version forever (as it does in a warehouse whose clock readers wait out skew).
 */
public final class ModelClock {
    private Duration offset = Duration.ZERO;
    private Instant frozen;
    private Instant last = Instant.EPOCH;

    /** Current time as the warehouse's CURRENT_TIMESTAMP() would return it. */
    public synchronized Instant now() {
        Instant base = frozen != null ? frozen : Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant t = base.plus(offset);
        if (t.isBefore(last)) {
            t = last;
        }
        last = t;
        return t;
    }

    public synchronized void advance(Duration d) {
        offset = offset.plus(d);
    }

    /** Stops the clock at its current reading (commits still get distinct, increasing times). */
    public synchronized void freeze() {
        frozen = now().minus(offset);
    }

    /** Sets the clock to {@code t} (never backwards) and freezes it there. */
    public synchronized void set(Instant t) {
        offset = Duration.ZERO;
        frozen = t.isBefore(last) ? last : t;
    }

    public synchronized void unfreeze() {
        frozen = null;
    }

    /** A commit time: one microsecond after the latest time read or committed when the clock has not moved. */
    synchronized Instant nextCommitTime() {
        Instant before = last;
        Instant t = now();
        if (!t.isAfter(before)) {
            t = before.plus(1, ChronoUnit.MICROS);
        }
        last = t;
        return t;
    }
}
