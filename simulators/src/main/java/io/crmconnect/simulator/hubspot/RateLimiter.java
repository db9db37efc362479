package io.crmconnect.simulator.hubspot;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HubSpot's limits: a 10-second window per app (rolling, as HubSpot documents, or fixed: {@link LimiterMode}), a daily
 * budget per account (reset at midnight UTC of the simulated clock), and a separate 5 requests/second search limit
 * per account (same window kind, one second long).
 */
final class RateLimiter {
    /** What the limiter decided for one request. */
    record Decision(
            boolean allowed,
            String policy,
            long retryAfterMillis,
            int max,
            int remaining,
            long daily,
            long dailyRemaining) {}

    private static final long WINDOW_MS = 10_000;
    private static final long SEARCH_WINDOW_MS = 1_000;

    private final SimClock clock;
    volatile boolean enabled;
    volatile Tier tier;
    volatile LimiterMode mode;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
    private final ArrayDeque<Long> searchWindow = new ArrayDeque<>();
    private final AtomicLong dailyUsed = new AtomicLong();
    private volatile long dailyEpochDay = -1;
    final AtomicLong served429 = new AtomicLong();
    final AtomicLong served429Search = new AtomicLong();
    final AtomicLong served429Daily = new AtomicLong();

    RateLimiter(SimClock clock, boolean enabled, Tier tier, LimiterMode mode) {
        this.clock = clock;
        this.enabled = enabled;
        this.tier = tier;
        this.mode = mode;
    }

    /**
     * Admits one request into a window of timestamps (oldest first) holding at most {@code max}; returns -1 when
     * admitted, else the milliseconds until one is free. Sliding: entries leave {@code window} ms after they entered.
     * Fixed: all entries leave at the end of the clock-aligned window they entered in.
     */
    private long admit(ArrayDeque<Long> w, int max, long window, long now) {
        long expiry = mode == LimiterMode.FIXED ? Math.floorDiv(now, window) * window : now - window + 1;
        while (!w.isEmpty() && w.peekFirst() < expiry) {
            w.pollFirst();
        }
        if (w.size() >= max) {
            return mode == LimiterMode.FIXED ? expiry + window - now : w.peekFirst() + window - now;
        }
        w.addLast(now);
        return -1;
    }

    /** Search: 5 per rolling second per account; no daily/burst accounting. */
    Decision search() {
        if (!enabled) {
            return new Decision(true, null, 0, 0, 0, 0, 0);
        }
        long now = clock.millis();
        synchronized (searchWindow) {
            long wait = admit(searchWindow, Tier.SEARCH_PER_SECOND, SEARCH_WINDOW_MS, now);
            if (wait >= 0) {
                served429.incrementAndGet();
                served429Search.incrementAndGet();
                return new Decision(false, "SECONDLY", wait, 0, 0, 0, 0);
            }
        }
        return new Decision(true, null, 0, 0, 0, 0, 0);
    }

    /** Every other API call: daily per account + rolling ten-second window per app (unless exempt). */
    Decision general(Auth.Principal p, boolean tenSecondlyExempt) {
        Tier t = tier;
        boolean oauth = p != null && p.oauth();
        int max = oauth ? Tier.OAUTH_BURST_PER_10S : t.burstPer10s;
        if (!enabled) {
            return new Decision(true, null, 0, max, max, t.daily, t.daily);
        }
        long now = clock.millis();
        long day = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400_000L))
                .atStartOfDay(ZoneOffset.UTC)
                .toLocalDate()
                .toEpochDay();
        synchronized (this) {
            if (day != dailyEpochDay) {
                dailyEpochDay = day;
                dailyUsed.set(0);
            }
        }
        if (!oauth && dailyUsed.get() >= t.daily) {
            served429.incrementAndGet();
            served429Daily.incrementAndGet();
            long untilMidnight = (day + 1) * 86_400_000L - now;
            return new Decision(false, "DAILY", untilMidnight, max, 0, t.daily, 0);
        }
        int remaining = max;
        if (!tenSecondlyExempt) {
            ArrayDeque<Long> w = windows.computeIfAbsent(p == null ? "anonymous" : p.appId(), k -> new ArrayDeque<>());
            synchronized (w) {
                long wait = admit(w, max, WINDOW_MS, now);
                if (wait >= 0) {
                    served429.incrementAndGet();
                    return new Decision(
                            false,
                            "TEN_SECONDLY_ROLLING",
                            wait,
                            max,
                            0,
                            t.daily,
                            Math.max(0, t.daily - dailyUsed.get()));
                }
                remaining = max - w.size();
            }
        }
        long used = oauth ? dailyUsed.get() : dailyUsed.incrementAndGet();
        return new Decision(true, null, 0, max, remaining, t.daily, Math.max(0, t.daily - used));
    }

    void reset() {
        windows.clear();
        synchronized (searchWindow) {
            searchWindow.clear();
        }
        dailyUsed.set(0);
        served429.set(0);
        served429Search.set(0);
        served429Daily.set(0);
    }

    long dailyUsed() {
        return dailyUsed.get();
    }

    /** For tests: pretend the account already used this many calls today. */
    void setDailyUsed(long n) {
        dailyEpochDay = Math.floorDiv(clock.millis(), 86_400_000L);
        dailyUsed.set(n);
    }
}
