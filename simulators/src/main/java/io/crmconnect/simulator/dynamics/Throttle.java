package io.crmconnect.simulator.dynamics;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dataverse service protection limits, per user, over a sliding window (default 6,000 requests and 1,200,000 ms of
 * execution time per 300 s, 52 concurrent requests). Requests sent while throttled still count, so continuing to
 * send extends the penalty, as Dataverse documents. Concurrency is checked first and fails immediately.
 */
final class Throttle {
    /** The outcome for one request. */
    record Decision(
            boolean allowed,
            String code,
            String message,
            long retryAfterMillis,
            int burstRemaining,
            long timeRemainingMillis) {}

    private static final class User {
        final ArrayDeque<long[]> window = new ArrayDeque<>(); // {start millis, execution millis}
        long executionMillis;
        int inFlight;
    }

    private final DynamicsClock clock;
    volatile boolean enabled = true;
    volatile int maxRequests = 6000;
    volatile long maxExecutionMillis = 1_200_000;
    volatile int maxConcurrent = 52;
    volatile long windowMillis = 300_000;
    /** Execution time charged per request on top of the measured time (lets tests reach the limit quickly). */
    volatile long extraExecutionMillis;

    private final Map<String, User> users = new ConcurrentHashMap<>();
    final AtomicLong served429 = new AtomicLong();

    Throttle(DynamicsClock clock) {
        this.clock = clock;
    }

    /** Admits or rejects a request; an admitted one must be {@link #finish finished}. */
    Decision admit(String userId) {
        User u = users.computeIfAbsent(userId, k -> new User());
        long now = clock.millis();
        synchronized (u) {
            prune(u, now);
            if (!enabled) {
                u.inFlight++;
                return new Decision(true, null, null, 0, maxRequests, maxExecutionMillis);
            }
            if (u.inFlight >= maxConcurrent) {
                served429.incrementAndGet();
                return new Decision(
                        false,
                        DataverseException.CONCURRENCY_LIMIT,
                        "Number of concurrent requests " + "exceeded the limit of " + maxConcurrent + ".",
                        1000,
                        0,
                        0);
            }
            long[] entry = {now, 0};
            u.window.addLast(entry); // rejected requests count too: sending while throttled extends the penalty
            if (u.window.size() > maxRequests) {
                served429.incrementAndGet();
                long retry = u.window.peekFirst()[0] + windowMillis - now;
                return new Decision(
                        false,
                        DataverseException.REQUESTS_LIMIT,
                        "Number of requests exceeded the limit " + "of " + maxRequests + " over time window of "
                                + windowMillis / 1000 + " seconds.",
                        Math.max(1000, retry),
                        0,
                        0);
            }
            if (u.executionMillis >= maxExecutionMillis) {
                served429.incrementAndGet();
                long retry = retryForExecution(u, now);
                return new Decision(
                        false,
                        DataverseException.EXECUTION_TIME_LIMIT,
                        "Combined execution time of "
                                + "incoming requests exceeded limit of " + String.format("%,d", maxExecutionMillis)
                                + " milliseconds over time window of " + windowMillis / 1000
                                + " seconds. Decrease number of "
                                + "concurrent requests or reduce the duration of requests and try again later.",
                        Math.max(1000, retry),
                        0,
                        0);
            }
            u.inFlight++;
            return new Decision(
                    true, null, null, 0, maxRequests - u.window.size(), maxExecutionMillis - u.executionMillis);
        }
    }

    /** Records an admitted request's execution time and frees its concurrency slot. */
    void finish(String userId, long executionMillis) {
        User u = users.get(userId);
        if (u == null) {
            return;
        }
        synchronized (u) {
            u.inFlight = Math.max(0, u.inFlight - 1);
            long charged = executionMillis + extraExecutionMillis;
            long[] last = u.window.peekLast();
            if (last != null) {
                last[1] += charged;
            }
            u.executionMillis += charged;
        }
    }

    private long retryForExecution(User u, long now) {
        long over = u.executionMillis - maxExecutionMillis;
        for (long[] e : u.window) {
            over -= e[1];
            if (over < 0) {
                return e[0] + windowMillis - now;
            }
        }
        return windowMillis;
    }

    private void prune(User u, long now) {
        while (!u.window.isEmpty() && u.window.peekFirst()[0] <= now - windowMillis) {
            u.executionMillis -= u.window.pollFirst()[1];
        }
    }

    void reset() {
        users.clear();
        served429.set(0);
    }
}
