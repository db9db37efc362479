package io.crmconnect.hubspot.client;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The request budget of one connector task, shared by every call that task makes (all objects, all endpoints).
 *
 * <ul>
 *   <li><b>Burst</b>: at most {@code tier.burstPer10s × share} requests (share = 1/tasks, minus a small margin) in any
 *   10 s, where a request counts from the moment it is let through until 10 s after its answer arrived. HubSpot
 *   counts a request somewhere in between (when it handles it, which can be long after we sent it when its servers
 *   are busy), so no request HubSpot still counts has left our count: neither a rolling nor a fixed 10-second
 *   window on the server can be exceeded by this task, whatever the latency and however short the run.</li>
 *   <li><b>Pacing</b>: requests are spread evenly over the window (a bucket of a few requests absorbs jitter), so a
 *   task never spends a whole window's budget in its first second, and callers outside this budget (the connector's
 *   own checks, another integration of the same app) find room.</li>
 *   <li><b>Server view</b>: our requests HubSpot may not have counted in the latest answer's
 *   {@code X-HubSpot-RateLimit-Remaining}, plus the next one, must fit in this task's share of that remaining; so
 *   calls made outside this budget (the connector's own, another task's) are accounted for too.</li>
 *   <li><b>Daily</b>: at most {@code tier.daily × dailyShare × share} requests per UTC day; beyond that calls fail
 *   fast with a {@link HubSpotRetriableException} whose retry hint is the next midnight.</li>
 *   <li><b>Search</b>: a separate budget of {@code 5 × share} requests per second (HubSpot's per-account search limit)
 *   with the same accounting, so waiting for search never holds back list, batch or association calls;
 *   {@link #searchDelayMillis()} lets a caller work on something else instead of waiting.</li>
 *   <li><b>429s</b>: the refused call itself waits the server's delay (its caller's business); {@link #pause(long)}
 *   holds the task's other general calls for 1 s after an isolated refusal, doubling with each further refusal in a
 *   row up to the server's delay, until a call is accepted ({@link #accepted()}). A window that is really full
 *   refuses every call and reaches the full hold within a few calls; a refusal among accepted calls (another app's
 *   burst, a server hiccup) does not stall the whole task for the full Retry-After.</li>
 * </ul>
 *
 * <p>A call ends, for this accounting, when its thread reports the answer's rate-limit headers ({@link #observe}),
 * reports its end ({@link #callEnded}) or makes its next call (HubSpot calls are synchronous: a thread that asks
 * again has its previous answer); a call whose end is never seen counts as ended {@value #MAX_OPEN_MS} ms after it
 * began (twice the default read timeout). Thread-safe.
 */
public final class RateBudget {
    private static final long WINDOW_MS = 10_000;
    private static final long SEARCH_WINDOW_MS = 1_000;
    /** Slack at the window's edge: millisecond clocks (the server counted the call before its answer arrived). */
    private static final long EDGE_MS = 20;
    /** A call whose end was never reported counts as ended this long after it began. */
    static final long MAX_OPEN_MS = 60_000;
    /** Re-check interval while every counted request is still in flight (their ends free capacity). */
    private static final long IN_FLIGHT_POLL_MS = 20;
    /** The hold of other calls after an isolated 429; doubled for each further 429 in a row. */
    static final long FIRST_HOLD_MS = 1_000;

    private final int burstCapacity;
    private final int searchCapacity;
    private final long dailyCapacity;
    private final Limit general;
    private final Limit search;
    private final double taskShare;
    private final LongSupplier clock;
    private final ThreadLocal<Call> current = new ThreadLocal<>();
    private long pausedUntil;
    /** 429s on general calls since the last accepted one. */
    private int refusedInARow;

    private long dayEpoch = -1;
    private long dailyUsed;
    /** The latest Remaining header: its value, and when the call that carried it began (its time is in general). */
    private long observedRemaining = -1;

    private final AtomicLong waitedMillis = new AtomicLong();
    private long observedCallStart;
    private long observedInterval = WINDOW_MS;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong searchCalls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /** One call let through: when it began, and which limit counts it. */
    private static final class Call {
        final Limit limit;
        final long start;

        Call(Limit limit, long start) {
            this.limit = limit;
            this.start = start;
        }
    }

    /**
     * {@code capacity} requests per {@code windowMillis}: counted from start until end + window, and paced by a
     * token bucket of {@code depth} refilled at capacity per window.
     */
    private static final class Limit {
        final int capacity;
        final long windowMillis;
        final double depth;
        final List<Call> open = new ArrayList<>();
        /** {end, start} of calls that ended within the last window, earliest end first. */
        final PriorityQueue<long[]> ended = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
        /** Calls that left the server's window after the latest observation was made (not reflected in it). */
        int freedSinceObservation;
        /** When the latest observation was made ({@code observe}); -1 before any. */
        long observedAt = -1;

        double tokens;
        long refilledAt;

        Limit(int capacity, long windowMillis, int depth, long now) {
            this.capacity = capacity;
            this.windowMillis = windowMillis;
            this.depth = depth;
            this.tokens = depth;
            this.refilledAt = now;
        }

        void end(Call c, long at) {
            if (open.remove(c)) {
                ended.add(new long[] {at, c.start});
            }
        }

        /** Drops calls that left the window; calls open too long count as ended at start + MAX_OPEN_MS. */
        void roll(long now) {
            for (int i = open.size() - 1; i >= 0; i--) {
                Call c = open.get(i);
                if (c.start + MAX_OPEN_MS <= now) {
                    open.remove(i);
                    ended.add(new long[] {c.start + MAX_OPEN_MS, c.start});
                }
            }
            while (!ended.isEmpty() && ended.peek()[0] + windowMillis + EDGE_MS <= now) {
                long[] gone = ended.poll();
                // HubSpot counted it after it began, so it left HubSpot's window after start + window: when that is
                // after the latest observation, the observed remaining did not include the room it frees
                if (observedAt >= 0 && gone[1] + windowMillis > observedAt) {
                    freedSinceObservation++;
                }
            }
            tokens = Math.min(depth, tokens + (now - refilledAt) * (double) capacity / windowMillis);
            refilledAt = now;
        }

        /** When the earliest ended call leaves the window (Long.MAX_VALUE when none). */
        long nextFree() {
            return ended.isEmpty() ? Long.MAX_VALUE : ended.peek()[0] + windowMillis + EDGE_MS;
        }

        int counted() {
            return open.size() + ended.size();
        }

        /** Milliseconds until this limit lets one more call through (0 = now). */
        long waitMillis(long now) {
            roll(now);
            long wait = 0;
            if (tokens < 1) {
                wait = (long) Math.ceil((1 - tokens) * windowMillis / capacity);
            }
            if (counted() >= capacity) {
                long free = ended.isEmpty() ? IN_FLIGHT_POLL_MS : nextFree() - now;
                wait = Math.max(wait, Math.max(1, open.isEmpty() ? free : Math.min(free, IN_FLIGHT_POLL_MS)));
            }
            return wait;
        }

        Call take(long now) {
            tokens -= 1;
            Call c = new Call(this, now);
            open.add(c);
            return c;
        }

        /**
         * Our calls HubSpot may not have counted when it answered the call that began at {@code since}: those still
         * open and those that ended after it began, less that call itself.
         */
        int notYetCounted(long since) {
            int n = open.size() - 1;
            for (long[] e : ended) {
                if (e[0] > since) {
                    n++;
                }
            }
            return Math.max(0, n);
        }
    }

    /**
     * @param tier       the account's tier
     * @param dailyShare fraction (0..1] of the account's daily quota all tasks of this connector may use
     * @param taskShare  fraction (0..1] of the connector's budget this task may use (1 / number of tasks)
     */
    public RateBudget(Tier tier, double dailyShare, double taskShare) {
        this(tier.burstPer10s, tier.daily, dailyShare, taskShare);
    }

    public RateBudget(int burstPer10s, long daily, double dailyShare, double taskShare) {
        this(burstPer10s, daily, dailyShare, taskShare, System::currentTimeMillis);
    }

    RateBudget(int burstPer10s, long daily, double dailyShare, double taskShare, LongSupplier clock) {
        if (dailyShare <= 0 || dailyShare > 1 || taskShare <= 0 || taskShare > 1) {
            throw new IllegalArgumentException("shares must be in (0, 1]: daily=" + dailyShare + " task=" + taskShare);
        }
        this.clock = clock;
        this.taskShare = taskShare;
        long now = clock.getAsLong();
        int burst = (int) Math.floor(burstPer10s * taskShare);
        // one request of margin per 100 for calls made outside this budget
        this.burstCapacity = Math.max(1, burst - Math.max(1, burst / 100));
        // a share below one request per window: one request per proportionally longer window
        long window = burst >= 1 ? WINDOW_MS : (long) Math.ceil(WINDOW_MS / (burstPer10s * taskShare));
        this.general = new Limit(burstCapacity, window, Math.max(1, burstCapacity / 40), now);
        double searches = Tier.SEARCH_PER_SECOND * taskShare;
        this.searchCapacity = Math.max(1, (int) Math.floor(searches));
        long searchWindow = searches >= 1 ? SEARCH_WINDOW_MS : (long) Math.ceil(SEARCH_WINDOW_MS / searches);
        this.search = new Limit(searchCapacity, searchWindow, 1, now);
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

    private void acquire(boolean isSearch) throws InterruptedException {
        endCurrentCall();
        while (true) {
            long wait;
            synchronized (this) {
                long now = clock.getAsLong();
                rollDay(now);
                if (!isSearch && dailyUsed >= dailyCapacity) {
                    long midnight = (Math.floorDiv(now, 86_400_000L) + 1) * 86_400_000L;
                    throw new HubSpotRetriableException(
                            "The configured share of HubSpot's daily API quota (" + dailyCapacity
                                    + " requests for this task) is used up until midnight UTC",
                            429,
                            "DAILY_BUDGET_SHARE",
                            null,
                            midnight - now,
                            null);
                }
                wait = isSearch ? searchWait(now) : generalWait(now);
                if (wait <= 0) {
                    current.set((isSearch ? search : general).take(now));
                    if (isSearch) {
                        searchCalls.incrementAndGet();
                    } else {
                        dailyUsed++;
                        calls.incrementAndGet();
                    }
                    return;
                }
            }
            waitedMillis.addAndGet(Math.min(wait, 1_000));
            Thread.sleep(Math.min(wait, 1_000));
        }
    }

    /**
     * The calling thread's call has its answer or failed: it stops being in flight (its 10 s in the window start
     * now). Does nothing when the call already ended ({@link #observe}) or none was made.
     */
    public void callEnded() {
        endCurrentCall();
    }

    /** The calling thread's previous call has its answer (calls are synchronous): it ends now. */
    private void endCurrentCall() {
        Call c = current.get();
        if (c != null) {
            current.remove();
            synchronized (this) {
                c.limit.end(c, clock.getAsLong());
            }
        }
    }

    private long generalWait(long now) {
        if (pausedUntil > now) {
            return pausedUntil - now;
        }
        long wait = general.waitMillis(now);
        long observedAt = general.observedAt;
        if (observedRemaining >= 0 && now < observedAt + observedInterval) {
            // our uncounted calls and the next one within our share of what the server said was left (plus the room
            // our own calls freed since)
            long left = observedRemaining + general.freedSinceObservation;
            if (general.notYetCounted(observedCallStart) + 1 > Math.floor(left * taskShare)) {
                long until = general.open.isEmpty()
                        ? Math.min(observedAt + observedInterval, general.nextFree()) - now
                        : IN_FLIGHT_POLL_MS;
                wait = Math.max(wait, Math.max(1, until));
            }
        }
        return wait;
    }

    private long searchWait(long now) {
        return search.waitMillis(now);
    }

    /** How long a search call would wait right now (0 = it may go). Does not consume anything. */
    public synchronized long searchDelayMillis() {
        return Math.max(0, searchWait(clock.getAsLong()));
    }

    /** How long a general call would wait right now (0 = it may go). Does not consume anything. */
    public synchronized long delayMillis() {
        return Math.max(0, generalWait(clock.getAsLong()));
    }

    private void rollDay(long now) {
        long day = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400_000L))
                .atStartOfDay(ZoneOffset.UTC)
                .toLocalDate()
                .toEpochDay();
        if (day != dayEpoch) {
            dayEpoch = day;
            dailyUsed = 0;
        }
    }

    /**
     * A general call was refused with a 429 whose server delay is {@code millis}: holds every general call for
     * {@code min(millis, 1 s × 2^(refusals in a row - 1))}. The refused call's own wait is its caller's.
     */
    public synchronized void pause(long millis) {
        throttled.incrementAndGet();
        refusedInARow++;
        long hold = Math.min(millis, FIRST_HOLD_MS << Math.min(refusedInARow - 1, 20));
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + hold);
    }

    /** A general call was answered with something other than a 429: the next refusal counts as isolated again. */
    public synchronized void accepted() {
        refusedInARow = 0;
    }

    /** Counts a 429 that only concerned search (its own budget already waits). */
    public void searchThrottled() {
        throttled.incrementAndGet();
    }

    /**
     * Feeds the server's view from an answer's headers ({@code X-HubSpot-RateLimit-Remaining},
     * {@code -Interval-Milliseconds}, {@code -Daily-Remaining}); called on the thread that made the call, which
     * thereby ends.
     */
    public void observe(int remaining, long intervalMillis) {
        Call c = current.get();
        current.remove();
        synchronized (this) {
            long now = clock.getAsLong();
            if (c != null) {
                c.limit.end(c, now);
            }
            if (remaining >= 0) {
                if (c != null && c.limit == general) {
                    observedRemaining = remaining;
                    general.observedAt = now;
                    general.freedSinceObservation = 0;
                    observedCallStart = c.start;
                    observedInterval = intervalMillis > 0 ? intervalMillis : WINDOW_MS;
                }
            }
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

    /** Time callers spent waiting for room in the budget (pacing and pauses after 429s), in milliseconds. */
    public long waitedMillis() {
        return waitedMillis.get();
    }

    /** Requests this task may still send today under its daily share. */
    public synchronized long dailyRemaining() {
        rollDay(clock.getAsLong());
        return Math.max(0, dailyCapacity - dailyUsed);
    }
}
