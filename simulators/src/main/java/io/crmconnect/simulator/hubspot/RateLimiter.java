package io.crmconnect.simulator.hubspot;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HubSpot's limits: a rolling 10-second window per app, a daily budget per account (reset at midnight UTC of the
 * simulated clock), and a separate 5 requests/second search bucket per account.
 */
final class RateLimiter {
    /** What the limiter decided for one request. */
    record Decision(boolean allowed, String policy, long retryAfterMillis, int max, int remaining, long daily,
            long dailyRemaining) { }

    private final SimClock clock;
    volatile boolean enabled;
    volatile Tier tier;
    private final Map<String, ArrayDeque<Long>> windows = new ConcurrentHashMap<>();
    private final ArrayDeque<Long> searchWindow = new ArrayDeque<>();
    private final AtomicLong dailyUsed = new AtomicLong();
    private volatile long dailyEpochDay = -1;
    final AtomicLong served429 = new AtomicLong();
    final AtomicLong served429Search = new AtomicLong();
    final AtomicLong served429Daily = new AtomicLong();

    RateLimiter(SimClock clock, boolean enabled, Tier tier) {
        this.clock = clock;
        this.enabled = enabled;
        this.tier = tier;
    }

    /** Search: 5 per rolling second per account; no daily/burst accounting. */
    Decision search() {
        if (!enabled) {
            return new Decision(true, null, 0, 0, 0, 0, 0);
        }
        long now = clock.millis();
        synchronized (searchWindow) {
            while (!searchWindow.isEmpty() && searchWindow.peekFirst() <= now - 1000) {
                searchWindow.pollFirst();
            }
            if (searchWindow.size() >= Tier.SEARCH_PER_SECOND) {
                served429.incrementAndGet();
                served429Search.incrementAndGet();
                return new Decision(false, "SECONDLY", 1000 - (now - searchWindow.peekFirst()), 0, 0, 0, 0);
            }
            searchWindow.addLast(now);
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
        long day = LocalDate.ofEpochDay(Math.floorDiv(now, 86_400_000L)).atStartOfDay(ZoneOffset.UTC).toLocalDate()
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
                while (!w.isEmpty() && w.peekFirst() <= now - 10_000) {
                    w.pollFirst();
                }
                if (w.size() >= max) {
                    served429.incrementAndGet();
                    return new Decision(false, "TEN_SECONDLY_ROLLING", 10_000 - (now - w.peekFirst()), max, 0,
                            t.daily, Math.max(0, t.daily - dailyUsed.get()));
                }
                w.addLast(now);
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
