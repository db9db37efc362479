package io.crmconnect.simulator.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator's clock: wall-clock time plus an offset that tests move forward with {@link #advance(Duration)}.
 * Everything time-dependent in a simulator (record timestamps, token expiry, rate-limit windows) reads it.
 */
public class SimulatedClock {
    private final AtomicLong offsetMillis = new AtomicLong();
    private volatile long frozenAt = Long.MIN_VALUE;

    /** Current simulated epoch milliseconds. */
    public long millis() {
        long f = frozenAt;
        return (f != Long.MIN_VALUE ? f : System.currentTimeMillis()) + offsetMillis.get();
    }

    public Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    /** Stops simulated time: only {@link #advance(Duration)} moves it (deterministic window tests). */
    public synchronized void freeze() {
        if (frozenAt == Long.MIN_VALUE) {
            frozenAt = System.currentTimeMillis();
        }
    }

    /** Lets simulated time run with the wall clock again, keeping what was advanced while frozen. */
    public synchronized void unfreeze() {
        long f = frozenAt;
        if (f != Long.MIN_VALUE) {
            offsetMillis.addAndGet(f - System.currentTimeMillis());
            frozenAt = Long.MIN_VALUE;
        }
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

    /** Back to running wall-clock time with no offset (the simulator's reset). */
    public synchronized void reset() {
        frozenAt = Long.MIN_VALUE;
        offsetMillis.set(0);
    }
}
