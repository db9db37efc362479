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

    /** Current simulated epoch milliseconds. */
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
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
        offsetMillis.set(0);
    }
}
