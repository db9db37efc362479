package io.crmconnect.simulator.hubspot;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's clock: wall-clock time plus an offset that tests move forward with {@link #advance(Duration)}.
 * Record timestamps, the 90-day recycle bin, OAuth token expiry and rate-limit windows all read this clock.
 */
public final class SimClock {
    private final AtomicLong offsetMillis = new AtomicLong();
    private volatile long frozenAt = Long.MIN_VALUE;

    /** Current simulated epoch milliseconds. */
    public long millis() {
        long f = frozenAt;
        return (f != Long.MIN_VALUE ? f : System.currentTimeMillis()) + offsetMillis.get();
    }

    /** Stops simulated time (only {@link #advance(Duration)} moves it) — for deterministic rate-limit tests. */
    public synchronized void freeze() {
        if (frozenAt == Long.MIN_VALUE) {
            frozenAt = System.currentTimeMillis();
        }
    }

    /** Lets simulated time run with the wall clock again (keeping the time advanced while frozen). */
    public synchronized void unfreeze() {
        long f = frozenAt;
        if (f != Long.MIN_VALUE) {
            offsetMillis.addAndGet(f - System.currentTimeMillis());
            frozenAt = Long.MIN_VALUE;
        }
    }

    public Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    /** Moves simulated time forward (never backwards). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the simulated clock only moves forward");
        }
        offsetMillis.addAndGet(d.toMillis());
    }

    public long offsetMillis() {
        return offsetMillis.get();
    }

    void reset() {
        frozenAt = Long.MIN_VALUE;
        offsetMillis.set(0);
    }
}
