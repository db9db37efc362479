package io.crmconnect.dynamics.source;

import io.crmconnect.dynamics.client.ServiceProtectionBudget;
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
 * Task metrics through PluginMetrics (KIP-877) where the worker has it, always kept in memory too: records and
 * tombstones per table, initial-load progress, lag, re-snapshots after expired delta tokens, and the API budget
 * (calls, 429s, time waited for the service protection limits, the server's parallelism hint).
 */
final class SourceMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SourceMetrics.class);
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Optional<PluginMetrics> plugin;

    SourceMetrics(Optional<PluginMetrics> plugin, ServiceProtectionBudget budget) {
        this.plugin = plugin;
        plugin.ifPresent(pm -> {
            try {
                gauge(pm, "api-calls", "Web API calls sent", Map.of(), budget::calls);
                gauge(pm, "api-429-count", "429 answers received (service protection)", Map.of(), budget::throttled);
                gauge(
                        pm,
                        "api-wait-ms",
                        "Time spent waiting for the service protection budget",
                        Map.of(),
                        budget::waitedMillis);
                gauge(
                        pm,
                        "api-dop-hint",
                        "The server's recommended parallelism (x-ms-dop-hint), -1 before the " + "first answer",
                        Map.of(),
                        budget::dopHint);
            } catch (RuntimeException e) {
                LOG.info("Plugin metrics unavailable: {}", e.toString());
            }
        });
    }

    private static void gauge(PluginMetrics pm, String name, String doc, Map<String, String> tags, LongSupplier value) {
        MetricName mn = pm.metricName(name, doc, new LinkedHashMap<>(tags));
        pm.addMetric(mn, (Gauge<Long>) (cfg, now) -> value.getAsLong());
    }

    private AtomicLong counter(String metric, String table, String doc) {
        return counters.computeIfAbsent(metric + "|" + table, k -> {
            AtomicLong a = new AtomicLong();
            plugin.ifPresent(pm -> {
                try {
                    gauge(pm, metric, doc, Map.of("table", table), a::get);
                } catch (RuntimeException e) {
                    LOG.debug("metric {} not registered: {}", metric, e.toString());
                }
            });
            return a;
        });
    }

    /** Publishes a table's counters at 0 (and its lag at -1) when its stream starts, so dashboards find them. */
    void table(String table) {
        records(table, 0);
        tombstones(table, 0);
        counter("resnapshots-total", table, "Re-snapshots after an expired delta token");
        resnapshotTombstones(table, 0);
        lagClock(table);
    }

    void records(String table, int n) {
        counter("records-total", table, "Records sent for this table (tombstones excluded)")
                .addAndGet(n);
    }

    void tombstones(String table, int n) {
        counter("tombstones-total", table, "Tombstones sent for rows deleted in Dynamics 365")
                .addAndGet(n);
    }

    void loaded(String table, long rows) {
        counter("initial-load-done", table, "Rows read by the initial load").set(rows);
    }

    void loadComplete(String table, boolean done) {
        counter("initial-load-complete", table, "1 once the initial load finished")
                .set(done ? 1 : 0);
    }

    private final Map<String, AtomicLong> caughtUpAt = new ConcurrentHashMap<>();

    /**
     * A pass that started at {@code passStartMillis} read every change: the table's lag is the time since (the
     * {@code lag-ms} gauge grows until the next pass completes).
     */
    void caughtUp(String table, long passStartMillis) {
        lagClock(table).set(passStartMillis);
    }

    private AtomicLong lagClock(String table) {
        return caughtUpAt.computeIfAbsent(table, t -> {
            AtomicLong at = new AtomicLong();
            plugin.ifPresent(pm -> {
                try {
                    gauge(
                            pm,
                            "lag-ms",
                            "Time since the start of the last pass that read every change",
                            Map.of("table", t),
                            () -> at.get() == 0 ? -1 : System.currentTimeMillis() - at.get());
                } catch (RuntimeException e) {
                    LOG.debug("metric lag-ms not registered: {}", e.toString());
                }
            });
            return at;
        });
    }

    /** Milliseconds since the last complete pass started, -1 before the first. */
    long lag(String table) {
        AtomicLong at = caughtUpAt.get(table);
        return at == null || at.get() == 0 ? -1 : System.currentTimeMillis() - at.get();
    }

    void resnapshot(String table) {
        counter("resnapshots-total", table, "Re-snapshots after an expired delta token")
                .incrementAndGet();
    }

    void resnapshotTombstones(String table, int n) {
        counter(
                        "resnapshot-tombstones-total",
                        table,
                        "Tombstones for rows found gone by a re-snapshot or a reconciliation")
                .addAndGet(n);
    }

    long get(String metric, String table) {
        AtomicLong a = counters.get(metric + "|" + table);
        return a == null ? 0 : a.get();
    }
}
