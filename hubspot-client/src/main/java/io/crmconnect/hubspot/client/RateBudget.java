package io.crmconnect.hubspot.client;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request budget of one connector task, shared by every call that task makes (all objects, all endpoints).
 *
 * <ul>
 *   <li><b>Burst</b>: at most {@code tier.burstPer10s × share} requests in any rolling 10 s (share = 1/tasks), minus a
 *   small safety margin, and never more than the server says is left ({@code X-HubSpot-RateLimit-Remaining}).</li>
 *   <li><b>Daily</b>: at most {@code tier.daily × dailyShare × share} requests per UTC day; beyond that calls fail
 *   fast with a {@link HubSpotRetriableException} whose retry hint is the next midnight.</li>
 *   <li><b>Search</b>: a separate bucket of {@code 5 × share} requests per second (HubSpot's per-account search limit),
 *   so waiting for search never holds back list, batch or association calls; {@link #searchDelayMillis()} lets a
 *   caller work on something else instead of waiting.</li>
 *   <li><b>429s</b>: {@link #pause(long)} stops all general calls of the task for the server's delay.</li>
 * </ul>
 * Thread-safe.
 */
public final class RateBudget {
    private static final long WINDOW_MS = 10_000;
    /** Extra slack per window so our clock and the server's rolling window never disagree at the edge. */
    private static final long EDGE_MS = 150;

    private final int burstCapacity;
    private final int searchCapacity;
    private final long dailyCapacity;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private final ArrayDeque<Long> searches = new ArrayDeque<>();
    private long pausedUntil;
    private long dayEpoch = -1;
    private long dailyUsed;
    private volatile int serverRemaining = -1;
    private volatile long serverDailyRemaining = -1;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong searchCalls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();

    /**
     * @param tier       the account's tier
     * @param dailyShare fraction (0..1] of the account's daily quota all tasks of this connector may use
     * @param taskShare  fraction (0..1] of the connector's budget this task may use (1 / number of tasks)
     */
    public RateBudget(Tier tier, double dailyShare, double taskShare) {
        this(tier.burstPer10s, tier.daily, dailyShare, taskShare);
    }

    public RateBudget(int burstPer10s, long daily, double dailyShare, double taskShare) {
        if (dailyShare <= 0 || dailyShare > 1 || taskShare <= 0 || taskShare > 1) {
            throw new IllegalArgumentException("shares must be in (0, 1]: daily=" + dailyShare + " task=" + taskShare);
        }
        int burst = (int) Math.floor(burstPer10s * taskShare);
        // one request of margin per 100 for requests in flight while the window turns
        this.burstCapacity = Math.max(1, burst - Math.max(1, burst / 100));
        this.searchCapacity = Math.max(1, (int) Math.floor(Tier.SEARCH_PER_SECOND * taskShare));
        this.dailyCapacity = Math.max(1, (long) Math.floor(daily * dailyShare * taskShare));
    }

    public int burstCapacity() {
        return burstCapacity;
    }

    public int searchCapacity() {
        return searchCapacity;
    }

    public long dailyCapacity() {
        return dailyCapacity;
    }

    /** Blocks until a general (non-search) request may be sent, then counts it. */
    public void acquire() throws InterruptedException {
        acquire(false);
    }

    /** Blocks until a search request may be sent, then counts it. */
    public void acquireSearch() throws InterruptedException {
        acquire(true);
    }

    private void acquire(boolean search) throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.currentTimeMillis();
                rollDay(now);
                if (!search && dailyUsed >= dailyCapacity) {
                    long midnight = (Math.floorDiv(now, 86_400_000L) + 1) * 86_400_000L;
                    throw new HubSpotRetriableException("The configured share of HubSpot's daily API quota ("
                            + dailyCapacity + " requests for this task) is used up until midnight UTC", 429,
                            "DAILY_BUDGET_SHARE", null, midnight - now, null);
                }
                wait = search ? searchWait(now) : generalWait(now);
                if (wait <= 0) {
                    if (search) {
                        searches.addLast(now);
                        searchCalls.incrementAndGet();
                    } else {
                        sent.addLast(now);
                        dailyUsed++;
                        calls.incrementAndGet();
                    }
                    return;
                }
            }
            waitedMillis.addAndGet(wait);
            Thread.sleep(Math.min(wait, 1_000));
        }
    }

    private long generalWait(long now) {
        if (pausedUntil > now) {
            return pausedUntil - now;
        }
        while (!sent.isEmpty() && sent.peekFirst() <= now - WINDOW_MS - EDGE_MS) {
            sent.pollFirst();
        }
        int cap = burstCapacity;
        if (sent.size() < cap) {
            return 0;
        }
        return sent.peekFirst() + WINDOW_MS + EDGE_MS - now;
    }

    private long searchWait(long now) {
        while (!searches.isEmpty() && searches.peekFirst() <= now - 1_000 - EDGE_MS) {
            searches.pollFirst();
        }
        if (pausedUntil > now && searches.isEmpty()) {
            return 0;
        }
        return searches.size() < searchCapacity ? 0 : searches.peekFirst() + 1_000 + EDGE_MS - now;
    }

    /** How long a search call would wait right now (0 = it may go). Does not consume anything. */
    public synchronized long searchDelayMillis() {
        return Math.max(0, searchWait(System.currentTimeMillis()));
    }

    /** How long a general call would wait right now (0 = it may go). Does not consume anything. */
    public synchronized long delayMillis() {
        return Math.max(0, generalWait(System.currentTimeMillis()));
    }

    private void rollDay(long now) {
        long day = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400_000L)).atStartOfDay(ZoneOffset.UTC).toLocalDate()
                .toEpochDay();
        if (day != dayEpoch) {
            dayEpoch = day;
            dailyUsed = 0;
        }
    }

    /** Holds every general call for {@code millis} (after a 429 on the ten-secondly or daily policy). */
    public synchronized void pause(long millis) {
        throttled.incrementAndGet();
        pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + millis);
    }

    /** Counts a 429 that only concerned search (its own bucket already waits a second). */
    public void searchThrottled() {
        throttled.incrementAndGet();
    }

    /**
     * Feeds the server's view ({@code X-HubSpot-RateLimit-Remaining}, {@code -Interval-Milliseconds},
     * {@code -Daily-Remaining}); when the server has fewer requests left than we think, we slow down to match.
     */
    public synchronized void observe(int remaining, long intervalMillis, long dailyRemaining) {
        if (remaining >= 0) {
            serverRemaining = remaining;
            if (remaining == 0) {
                long now = System.currentTimeMillis();
                long interval = intervalMillis > 0 ? intervalMillis : WINDOW_MS;
                // Other apps or tasks used the window: wait for the oldest of ours to leave it (or a full interval).
                long until = sent.isEmpty() ? now + interval : sent.peekFirst() + interval + EDGE_MS;
                pausedUntil = Math.max(pausedUntil, Math.min(until, now + interval));
            }
        }
        if (dailyRemaining >= 0) {
            serverDailyRemaining = dailyRemaining;
        }
    }

    /** Requests sent (general, not search). */
    public long calls() {
        return calls.get();
    }

    public long searchCalls() {
        return searchCalls.get();
    }

    /** 429 answers received. */
    public long throttled() {
        return throttled.get();
    }

    public long waitedMillis() {
        return waitedMillis.get();
    }

    /** Last {@code X-HubSpot-RateLimit-Remaining} seen, or -1. */
    public int serverRemaining() {
        return serverRemaining;
    }

    /** Last {@code X-HubSpot-RateLimit-Daily-Remaining} seen, or -1. */
    public long serverDailyRemaining() {
        return serverDailyRemaining;
    }

    /** Requests this task may still send today under its daily share. */
    public synchronized long dailyRemaining() {
        rollDay(System.currentTimeMillis());
        return Math.max(0, dailyCapacity - dailyUsed);
    }
}
