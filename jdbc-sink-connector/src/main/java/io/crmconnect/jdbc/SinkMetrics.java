package io.crmconnect.jdbc;

import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain metrics that complement Connect's own sink-task metrics: rows written and deleted, errant records, tables
 * created/altered, batch write time. Published through PluginMetrics (Kafka 4.1+) when the worker offers it; the
 * counters are kept either way (tests and logs read them).
 */
public final class SinkMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SinkMetrics.class);

    private final AtomicLong rowsUpserted = new AtomicLong();
    private final AtomicLong rowsDeleted = new AtomicLong();
    private final AtomicLong historyVersions = new AtomicLong();
    private final AtomicLong errantRecords = new AtomicLong();
    private final AtomicLong tablesCreated = new AtomicLong();
    private final AtomicLong tablesAltered = new AtomicLong();
    private final AtomicLong transientRetries = new AtomicLong();
    private Sensor batchTime;

    public SinkMetrics() {}

    /** Registers the metrics; safe to call with an empty Optional (older worker). */
    public void register(Optional<PluginMetrics> pluginMetrics) {
        if (pluginMetrics.isEmpty()) {
            return;
        }
        PluginMetrics m = pluginMetrics.get();
        try {
            gauge(m, "rows-upserted-total", "Rows inserted or updated in current-state tables", rowsUpserted);
            gauge(m, "rows-deleted-total", "Rows deleted or soft-deleted by tombstones", rowsDeleted);
            gauge(m, "history-versions-total", "SCD2 history versions written", historyVersions);
            gauge(m, "errant-records-total", "Records sent to the dead-letter queue", errantRecords);
            // the name every CRM Connect sink uses for this count (docs/guides/operations.md)
            gauge(m, "dead-letters-total", "Records sent to the dead-letter queue", errantRecords);
            gauge(m, "tables-created-total", "Tables created by auto.create", tablesCreated);
            gauge(m, "tables-altered-total", "Tables altered by auto.evolve", tablesAltered);
            gauge(m, "transient-retries-total", "Batch retries after transient database errors", transientRetries);
            batchTime = m.addSensor("batch-write-time");
            batchTime.add(
                    m.metricName(
                            "batch-write-time-avg-ms",
                            "Average time to stage and merge one batch",
                            new LinkedHashMap<>()),
                    new Avg());
            batchTime.add(
                    m.metricName(
                            "batch-write-time-max-ms",
                            "Longest time to stage and merge one batch",
                            new LinkedHashMap<>()),
                    new Max());
        } catch (RuntimeException e) {
            LOG.warn("Could not register JDBC sink metrics: {}", e.toString());
        }
    }

    private static void gauge(PluginMetrics m, String name, String description, AtomicLong counter) {
        MetricName metricName = m.metricName(name, description, new LinkedHashMap<>());
        m.addMetric(metricName, (Measurable) (config, now) -> counter.get());
    }

    void upserted(long n) {
        rowsUpserted.addAndGet(n);
    }

    void deleted(long n) {
        rowsDeleted.addAndGet(n);
    }

    void versions(long n) {
        historyVersions.addAndGet(n);
    }

    void errant() {
        errantRecords.incrementAndGet();
    }

    void tableCreated() {
        tablesCreated.incrementAndGet();
    }

    void tableAltered() {
        tablesAltered.incrementAndGet();
    }

    void retry() {
        transientRetries.incrementAndGet();
    }

    void batchWritten(long millis) {
        Sensor s = batchTime;
        if (s != null) {
            s.record(millis);
        }
    }

    public long rowsUpserted() {
        return rowsUpserted.get();
    }

    public long rowsDeleted() {
        return rowsDeleted.get();
    }

    public long historyVersions() {
        return historyVersions.get();
    }

    public long errantRecords() {
        return errantRecords.get();
    }

    public long transientRetries() {
        return transientRetries.get();
    }
}
