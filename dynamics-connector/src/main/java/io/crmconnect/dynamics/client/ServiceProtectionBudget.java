package io.crmconnect.dynamics.client;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Paces one task's calls under Dataverse's service protection limits, which apply per user (the application user)
 * over a sliding window: requests (6,000 / 300 s), combined execution time (1,200 s / 300 s) and concurrent requests
 * (52, or what {@code x-ms-dop-hint} recommends). The task gets {@code share} of each (its part of the connector's
 * share, split across tasks).
 *
 * <p>Requests and execution time are token buckets whose capacity is 2 % of the window's limit and whose rate is the
 * rest spread over the window: whatever the start, no window of the server's length ever sees more than the limit,
 * and there is no burst-then-stall. Execution time is charged while a call is in flight (each call drains the time
 * bucket by one millisecond per millisecond, so the refill made meanwhile is not lost to the bucket's cap) and, at
 * its end, whatever of its observed duration (at least the server's) was not charged yet; calls may only start while
 * the time bucket is not in debt. Concurrency follows the latest {@code x-ms-dop-hint}. A 429 pauses every call of
 * the task for the server's Retry-After.
 *
 * <p>Thread-safe.
 */
public final class ServiceProtectionBudget {
    /** The per-user limits of one Dataverse web server. */
    public record Limits(int requestsPerWindow, long executionMillisPerWindow, long windowMillis, int maxConcurrent) {
        /** Dataverse's documented defaults. */
        public static final Limits DATAVERSE = new Limits(6_000, 1_200_000L, 300_000L, 52);

        public Limits {
            if (requestsPerWindow < 1 || executionMillisPerWindow < 1 || windowMillis < 1 || maxConcurrent < 1) {
                throw new IllegalArgumentException("limits must be positive: " + requestsPerWindow + " requests, "
                        + executionMillisPerWindow + " ms execution per " + windowMillis + " ms, " + maxConcurrent
                        + " concurrent");
            }
        }
    }

    private static final double BURST_FRACTION = 0.02;

    private final Limits limits;
    private final double share;
    private final LongSupplier clock;
    private final double requestRate;
    private final double requestCapacity;
    private final double timeRate;
    private final double timeCapacity;
    private double requestTokens;
    private double timeTokens;
    private long refilledAt;
    private long pausedUntil;
    private int dopHint = -1;
    private int inFlight;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private final AtomicLong executionMillis = new AtomicLong();

    /**
     * @param limits the server's per-user limits
     * @param share  fraction (0..1] of them this task may use
     */
    public ServiceProtectionBudget(Limits limits, double share) {
        this(limits, share, () -> System.nanoTime() / 1_000_000L);
    }

    ServiceProtectionBudget(Limits limits, double share, LongSupplier clockMillis) {
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + share);
        }
        this.limits = limits;
        this.share = share;
        this.clock = clockMillis;
        this.requestCapacity = Math.max(1.0, limits.requestsPerWindow() * share * BURST_FRACTION);
        this.requestRate = limits.requestsPerWindow() * share * (1 - BURST_FRACTION) / limits.windowMillis();
        this.timeCapacity = limits.executionMillisPerWindow() * share * BURST_FRACTION;
        this.timeRate = limits.executionMillisPerWindow() * share * (1 - BURST_FRACTION) / limits.windowMillis();
        this.requestTokens = requestCapacity;
        this.timeTokens = timeCapacity;
        this.refilledAt = clock.getAsLong();
    }

    /** Most requests per second this task sends in the long run. */
    public double requestsPerSecond() {
        return requestRate * 1000;
    }

    /** Most server execution milliseconds per second this task uses in the long run. */
    public double executionMillisPerSecond() {
        return timeRate * 1000;
    }

    /** Calls this task may have in flight now. */
    public synchronized int concurrency() {
        int server = dopHint > 0 ? Math.min(dopHint, limits.maxConcurrent()) : limits.maxConcurrent();
        return Math.max(1, (int) Math.floor(server * share));
    }

    /**
     * Blocks until a call may start, then counts it as in flight. Every acquire must be followed by one
     * {@link #release(long, long)} with the ticket returned here and the call's duration.
     *
     * @return the call's ticket (when it started on this budget's clock)
     */
    public long acquire() throws InterruptedException {
        long waitStart = clock.getAsLong();
        long started;
        synchronized (this) {
            while (true) {
                long now = clock.getAsLong();
                refill(now);
                long wait = waitMillis(now);
                if (wait <= 0) {
                    requestTokens -= 1;
                    inFlight++;
                    calls.incrementAndGet();
                    started = now;
                    break;
                }
                wait(Math.max(1, Math.min(wait, 1_000)));
            }
        }
        long waited = clock.getAsLong() - waitStart;
        if (waited > 0) {
            waitedMillis.addAndGet(waited);
        }
        return started;
    }

    private long waitMillis(long now) {
        if (pausedUntil > now) {
            return pausedUntil - now;
        }
        if (inFlight >= concurrency()) {
            return 1_000; // woken by release()
        }
        long wait = 0;
        if (requestTokens < 1) {
            wait = (long) Math.ceil((1 - requestTokens) / requestRate);
        }
        if (timeTokens < 0) {
            wait = Math.max(wait, (long) Math.ceil(-timeTokens / timeRate));
        }
        return wait;
    }

    private void refill(long now) {
        long dt = now - refilledAt;
        if (dt > 0) {
            requestTokens = Math.min(requestCapacity, requestTokens + dt * requestRate);
            double net = timeRate - inFlight; // every call in flight uses one millisecond of server time per ms
            timeTokens = net >= 0 ? Math.min(timeCapacity, timeTokens + dt * net) : timeTokens + dt * net;
            refilledAt = now;
        }
    }

    /** How long a call would wait right now (0 = it may start); consumes nothing. */
    synchronized long delayMillis() {
        long now = clock.getAsLong();
        refill(now);
        return Math.max(0, waitMillis(now));
    }

    /**
     * Ends a call started by {@link #acquire()}, charging the part of its duration not charged while it was in
     * flight against the execution-time limit.
     *
     * @param ticket         what {@link #acquire()} returned
     * @param durationMillis the call's observed duration
     */
    public synchronized void release(long ticket, long durationMillis) {
        long now = clock.getAsLong();
        refill(now); // charges this call's time in flight up to now
        inFlight = Math.max(0, inFlight - 1);
        timeTokens -= Math.max(0, durationMillis - Math.max(0, now - ticket));
        executionMillis.addAndGet(Math.max(0, durationMillis));
        notifyAll();
    }

    /** Holds every call for {@code millis} (a 429's Retry-After: continuing to send would extend the penalty). */
    public synchronized void pause(long millis) {
        throttled.incrementAndGet();
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + Math.max(0, millis));
    }

    /** The server's recommended degree of parallelism for this user ({@code x-ms-dop-hint}). */
    public synchronized void observeDopHint(int hint) {
        if (hint > 0 && hint != dopHint) {
            dopHint = hint;
            notifyAll();
        }
    }

    /**
     * The server's own count of what is left in the window ({@code x-ms-ratelimit-burst-remaining-xrm-requests},
     * {@code x-ms-ratelimit-time-remaining-xrm-requests}); when it has less left than this task's share, slow down.
     */
    public synchronized void observeRemaining(long requestsRemaining, double executionMillisRemaining) {
        if (requestsRemaining >= 0) {
            requestTokens = Math.min(requestTokens, requestsRemaining * share);
        }
        if (executionMillisRemaining >= 0) {
            timeTokens = Math.min(timeTokens, executionMillisRemaining * share);
        }
    }

    /** Last {@code x-ms-dop-hint} seen, or -1. */
    public synchronized int dopHint() {
        return dopHint;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Calls started. */
    public long calls() {
        return calls.get();
    }

    /** 429 answers received. */
    public long throttled() {
        return throttled.get();
    }

    /** Time spent waiting for the budget (summed over threads). */
    public long waitedMillis() {
        return waitedMillis.get();
    }

    /** Observed execution time of all calls. */
    public long executionMillis() {
        return executionMillis.get();
    }

    public Limits limits() {
        return limits;
    }

    public double share() {
        return share;
    }
}
