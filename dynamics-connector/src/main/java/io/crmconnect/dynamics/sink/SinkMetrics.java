package io.crmconnect.dynamics.sink;

import io.crmconnect.dynamics.client.ServiceProtectionBudget;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink task's counters, published as PluginMetrics gauges (KIP-877) where the worker has it: rows created,
 * updated, unchanged (not written: nothing differed), skipped, deleted and dead-lettered, and the API budget.
 */
final class SinkMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SinkMetrics.class);
    final AtomicLong created = new AtomicLong();
    final AtomicLong updated = new AtomicLong();
    final AtomicLong upserted = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    /** Records with an expected row version the row had moved past (If-Match refused): consumed again. */
    final AtomicLong changedSincePlanned = new AtomicLong();

    void register(Optional<PluginMetrics> plugin, ServiceProtectionBudget budget, WriteExecutor executor) {
        plugin.ifPresent(pm -> {
            try {
                gauge(pm, "rows-created", "Rows created", created::get);
                gauge(pm, "rows-updated", "Rows updated (only the changed columns sent)", updated::get);
                gauge(pm, "rows-upserted", "Rows upserted without reading them first", upserted::get);
                gauge(pm, "rows-unchanged", "Records that changed nothing and were not written", unchanged::get);
                gauge(
                        pm,
                        "rows-skipped",
                        "Records skipped (create_only on an existing row, ignored tombstones)",
                        skipped::get);
                gauge(pm, "rows-deleted", "Rows deleted for tombstones", deleted::get);
                gauge(pm, "records-dead-lettered", "Records sent to the dead-letter topic", deadLettered::get);
                gauge(
                        pm,
                        "rows-changed-since-planned",
                        "Records not written because the row changed after they "
                                + "were planned (If-Match refused); consumed again",
                        changedSincePlanned::get);
                gauge(
                        pm,
                        "dead-letters-total",
                        "Records sent to the dead-letter topic (every sink's name for it)",
                        deadLettered::get);
                gauge(pm, "bulk-calls", "UpsertMultiple calls", executor.bulkCalls::get);
                gauge(pm, "batch-calls", "$batch calls", executor.batchCalls::get);
                gauge(pm, "api-calls", "Web API calls sent", budget::calls);
                gauge(pm, "api-429-count", "429 answers received (service protection)", budget::throttled);
                gauge(pm, "api-wait-ms", "Time spent waiting for the service protection budget", budget::waitedMillis);
            } catch (RuntimeException e) {
                LOG.info("Plugin metrics unavailable: {}", e.toString());
            }
        });
    }

    private static void gauge(PluginMetrics pm, String name, String doc, LongSupplier value) {
        MetricName mn = pm.metricName(name, doc, new LinkedHashMap<>());
        pm.addMetric(mn, (Gauge<Long>) (cfg, now) -> value.getAsLong());
    }

    @Override
    public String toString() {
        return "created " + created + ", updated " + updated + ", upserted " + upserted + ", unchanged " + unchanged
                + ", skipped " + skipped + ", deleted " + deleted + ", dead-lettered " + deadLettered
                + ", changed since planned " + changedSincePlanned;
    }
}
