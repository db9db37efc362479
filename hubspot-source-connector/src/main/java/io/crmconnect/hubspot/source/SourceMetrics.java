package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.RateBudget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task metrics through PluginMetrics (KIP-877) where the worker has it: records per object, initial-load progress
 * (done/total), lag behind HubSpot, API calls, 429s and remaining budget. Always kept in memory too.
 */
final class SourceMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SourceMetrics.class);
    private final Map<String, AtomicLong> records = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> loaded = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> watermarks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> lagRegistered = new ConcurrentHashMap<>();
    private final Optional<PluginMetrics> plugin;
    private final RateBudget budget;

    SourceMetrics(Optional<PluginMetrics> plugin, RateBudget budget) {
        this.plugin = plugin;
        this.budget = budget;
        plugin.ifPresent(pm -> {
            try {
                gauge(pm, "api-calls", "API calls sent (general budget)", Map.of(), budget::calls);
                gauge(pm, "api-search-calls", "Search calls sent", Map.of(), budget::searchCalls);
                gauge(pm, "api-429-count", "429 answers received", Map.of(), budget::throttled);
                gauge(
                        pm,
                        "api-daily-budget-remaining",
                        "Requests left today under this task's daily share",
                        Map.of(),
                        budget::dailyRemaining);
                gauge(
                        pm,
                        "api-wait-ms",
                        "Time spent waiting for the rate budget (pacing, Retry-After)",
                        Map.of(),
                        budget::waitedMillis);
            } catch (RuntimeException e) {
                LOG.info("Plugin metrics unavailable: {}", e.toString());
            }
        });
    }

    private static void gauge(PluginMetrics pm, String name, String doc, Map<String, String> tags, LongSupplier value) {
        MetricName mn = pm.metricName(name, doc, new LinkedHashMap<>(tags));
        pm.addMetric(mn, (Gauge<Long>) (cfg, now) -> value.getAsLong());
    }

    private AtomicLong counter(Map<String, AtomicLong> m, String object, String metric, String doc) {
        return m.computeIfAbsent(object, o -> {
            AtomicLong a = new AtomicLong();
            plugin.ifPresent(pm -> {
                try {
                    gauge(pm, metric, doc, Map.of("object", o), a::get);
                } catch (RuntimeException e) {
                    LOG.debug("metric {} not registered: {}", metric, e.toString());
                }
            });
            return a;
        });
    }

    void record(String object) {
        counter(records, object, "records-total", "Records sent for this object")
                .incrementAndGet();
    }

    private final Map<String, AtomicLong> history = new ConcurrentHashMap<>();

    void history(String object) {
        counter(history, object, "history-records-total", "Property-history records sent for this object")
                .incrementAndGet();
    }

    void loaded(String object, long n) {
        counter(loaded, object, "initial-load-done", "Records read by the initial load")
                .set(n);
    }

    void loadTotal(String object, long n) {
        counter(totals, object, "initial-load-total", "Records to read in the initial load (estimate)")
                .set(n);
        percentGauge(object);
    }

    private final Map<String, Boolean> percent = new ConcurrentHashMap<>();

    /** initial-load-percent: done / total as 0-100 (100 once done reaches the estimate), for dashboards. */
    private void percentGauge(String object) {
        percent.computeIfAbsent(object, o -> {
            plugin.ifPresent(pm -> {
                try {
                    gauge(pm, "initial-load-percent", "Initial load progress, 0-100", Map.of("object", o), () -> {
                        long total = totals.get(o).get();
                        AtomicLong done = loaded.get(o);
                        return total <= 0 ? 100 : Math.min(100, (done == null ? 0 : done.get()) * 100 / total);
                    });
                } catch (RuntimeException e) {
                    LOG.debug("metric initial-load-percent not registered: {}", e.toString());
                }
            });
            return Boolean.TRUE;
        });
    }

    /**
     * The object reads incremental changes, seen up to {@code watermark} (epoch ms): {@code lag-ms} is how far that is
     * behind now, read live, so a pass slowed by throttling shows a growing lag rather than the last pass's.
     */
    void incremental(String object, LongSupplier watermark) {
        watermarks.put(object, watermark);
        lagRegistered.computeIfAbsent(object, o -> {
            plugin.ifPresent(pm -> {
                try {
                    gauge(
                            pm,
                            "lag-ms",
                            "How far behind HubSpot the incremental watermark is",
                            Map.of("object", o),
                            () -> lag(o));
                } catch (RuntimeException e) {
                    LOG.debug("metric lag-ms not registered: {}", e.toString());
                }
            });
            return Boolean.TRUE;
        });
    }

    /** Milliseconds the object's incremental watermark is behind now; -1 before it reads incremental changes. */
    long lag(String object) {
        LongSupplier w = watermarks.get(object);
        return w == null ? -1 : Math.max(0, System.currentTimeMillis() - w.getAsLong());
    }

    long records(String object) {
        AtomicLong a = records.get(object);
        return a == null ? 0 : a.get();
    }

    RateBudget budget() {
        return budget;
    }
}
