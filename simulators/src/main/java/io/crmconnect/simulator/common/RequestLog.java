package io.crmconnect.simulator.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The last N requests a simulator served (entries of type {@code E}, each simulator's own record) and a count per
 * route name and status. Admin requests are not recorded by the simulators.
 */
public final class RequestLog<E> {
    private final int maxSize;
    private final ConcurrentLinkedDeque<E> log = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Map<Integer, LongAdder>> routeCounters = new ConcurrentHashMap<>();

    public RequestLog(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Counts the route and status and appends the entry {@code entry} builds from the request's sequence number. */
    public void record(String routeName, int status, LongFunction<E> entry) {
        routeCounters
                .computeIfAbsent(routeName, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, k -> new LongAdder())
                .increment();
        log.addLast(entry.apply(seq.incrementAndGet()));
        if (size.incrementAndGet() > maxSize) {
            log.pollFirst();
            size.decrementAndGet();
        }
    }

    /** Requests served since start (the log keeps only the last N). */
    public long total() {
        return seq.get();
    }

    public List<E> entries() {
        return new ArrayList<>(log);
    }

    /** Empties the log and the route counters (the total keeps counting). */
    public void clear() {
        log.clear();
        size.set(0);
        routeCounters.clear();
    }

    /** Route name ("METHOD /template") -> status -> count. */
    public Map<String, Map<Integer, Long>> routeCounters() {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        routeCounters.forEach((k, v) -> {
            Map<Integer, Long> m = new TreeMap<>();
            v.forEach((s, c) -> m.put(s, c.sum()));
            out.put(k, m);
        });
        return out;
    }

    /** Calls of one route, any status. */
    public long routeCount(String routeName) {
        Map<Integer, LongAdder> m = routeCounters.get(routeName);
        return m == null ? 0 : m.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
