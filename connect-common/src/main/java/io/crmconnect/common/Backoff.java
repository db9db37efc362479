package io.crmconnect.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, bounded by both an attempt count and a total time budget, so retries
 * inside {@code put()}/{@code poll()} stay within Connect's poll interval.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final int maxAttempts;
    private final long budgetMillis;

    public Backoff(Duration initial, Duration max, int maxAttempts, Duration budget) {
        if (initial.isNegative() || max.compareTo(initial) < 0 || maxAttempts < 1 || budget.isNegative()) {
            throw new IllegalArgumentException("invalid backoff: initial=" + initial + " max=" + max + " maxAttempts="
                    + maxAttempts + " budget=" + budget);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.maxAttempts = maxAttempts;
        this.budgetMillis = budget.toMillis();
    }

    public Duration budget() {
        return Duration.ofMillis(budgetMillis);
    }

    /** Upper bound of the delay before retry number {@code attempt} (1-based): initial * 2^(attempt-1), capped. */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = initialMillis << shift;
        return ceiling < 0 ? maxMillis : Math.min(ceiling, maxMillis);
    }

    /** A jittered delay in [ceiling/2, ceiling], so concurrent tasks do not retry in lock step. */
    public long delayMillis(int attempt) {
        long ceiling = ceilingMillis(attempt);
        return ceiling <= 1
                ? ceiling
                : ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Starts a retry sequence measured from now. */
    public Attempts start() {
        return new Attempts(System.nanoTime());
    }

    /** One retry sequence: how many attempts were made and how much of the budget is left. */
    public final class Attempts {
        private final long startNanos;
        private int failures;

        private Attempts(long startNanos) {
            this.startNanos = startNanos;
        }

        public int failures() {
            return failures;
        }

        public long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000L;
        }

        /**
         * Records a failure and returns how long to wait before the next attempt, or -1 when the attempts or the
         * time budget are used up. A server-supplied delay (e.g. Retry-After) replaces the computed one when longer.
         */
        public long nextDelayMillis(long serverRequestedMillis) {
            failures++;
            if (failures >= maxAttempts) {
                return -1;
            }
            long delay = Math.max(delayMillis(failures), Math.max(serverRequestedMillis, 0));
            return elapsedMillis() + delay > budgetMillis ? -1 : delay;
        }

        public long nextDelayMillis() {
            return nextDelayMillis(0);
        }
    }
}
