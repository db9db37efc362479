package io.crmconnect.warehouse.source.core;

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
 * Per-table cost and freshness through PluginMetrics (KIP-877) where the worker has it, always kept in memory:
 * rows and bytes the warehouse scanned, records sent, lag behind the warehouse's clock, re-snapshots.
 */
public final class CaptureMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureMetrics.class);
    private final Optional<PluginMetrics> plugin;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public CaptureMetrics(Optional<PluginMetrics> plugin) {
        this.plugin = plugin;
    }

    private AtomicLong counter(String metric, String table, String doc) {
        return values.computeIfAbsent(metric + "|" + table, k -> {
            AtomicLong a = new AtomicLong();
            plugin.ifPresent(pm -> {
                try {
                    LinkedHashMap<String, String> tags = new LinkedHashMap<>();
                    tags.put("table", table);
                    MetricName mn = pm.metricName(metric, doc, tags);
                    LongSupplier s = a::get;
                    pm.addMetric(mn, (Gauge<Long>) (cfg, now) -> s.getAsLong());
                } catch (RuntimeException e) {
                    LOG.debug("metric {} not registered: {}", metric, e.toString());
                }
            });
            return a;
        });
    }

    public void scanned(String table, long rows, long bytes) {
        counter("rows-scanned-total", table, "Rows the warehouse returned for this table")
                .addAndGet(rows);
        counter(
                        "bytes-scanned-total",
                        table,
                        "Bytes the warehouse reports it processed for this table (0 where " + "it does not say)")
                .addAndGet(bytes);
    }

    public void sent(String table) {
        counter("records-total", table, "Records sent for this table").incrementAndGet();
    }

    public void lag(String table, long millis) {
        counter("lag-ms", table, "How far the captured position is behind the warehouse's clock")
                .set(millis);
    }

    public void resnapshot(String table) {
        counter("resnapshots-total", table, "Snapshots taken again because the position left time travel")
                .incrementAndGet();
    }

    public long get(String metric, String table) {
        AtomicLong a = values.get(metric + "|" + table);
        return a == null ? 0 : a.get();
    }
}
