package io.crmconnect.simulator.hubspot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The last N API requests and a count per route and status (admin requests are not recorded). */
final class RequestLog {
    private final int maxSize;
    private final SimClock clock;
    private final ConcurrentLinkedDeque<LoggedRequest> log = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Map<Integer, LongAdder>> routeCounters = new ConcurrentHashMap<>();

    RequestLog(int maxSize, SimClock clock) {
        this.maxSize = maxSize;
        this.clock = clock;
    }

    void record(Http.Req req, Router.Route route, int status, long micros, String fault) {
        String routeName = route == null ? req.method + " (unmatched)" : route.name;
        routeCounters
                .computeIfAbsent(routeName, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, k -> new LongAdder())
                .increment();
        log.addLast(new LoggedRequest(
                seq.incrementAndGet(),
                Json.iso(clock.millis()),
                req.method,
                req.rawPath,
                req.rawQuery,
                routeName,
                req.param("objectType"),
                status,
                micros,
                fault));
        if (size.incrementAndGet() > maxSize) {
            log.pollFirst();
            size.decrementAndGet();
        }
    }

    /** Requests served since start (the log keeps only the last N). */
    long total() {
        return seq.get();
    }

    List<LoggedRequest> entries() {
        return new ArrayList<>(log);
    }

    void clear() {
        log.clear();
        size.set(0);
        routeCounters.clear();
    }

    Map<String, Map<Integer, Long>> routeCounters() {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        routeCounters.forEach((k, v) -> {
            Map<Integer, Long> m = new TreeMap<>();
            v.forEach((s, c) -> m.put(s, c.sum()));
            out.put(k, m);
        });
        return out;
    }

    long routeCount(String routeName) {
        Map<Integer, LongAdder> m = routeCounters.get(routeName);
        return m == null ? 0 : m.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
