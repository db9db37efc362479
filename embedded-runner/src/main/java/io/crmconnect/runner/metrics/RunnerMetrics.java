package io.crmconnect.runner.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * The runner's metrics, published over JMX under {@code kafka.connect} like a worker's: the connectors' plugin
 * metrics ({@code type=plugins,connector=..,task=..}, the names they have in a cluster) and the pipeline's own
 * ({@code type=embedded-runner,pipeline=..}): records read, written (committed), rows the sink reports, dead
 * letters, rates and the initial-load percentage the console shows.
 */
public final class RunnerMetrics {
    public static final String GROUP = "embedded-runner";
    /** Plugin metrics of our sinks that count rows (or objects) written in the target. */
    static final Set<String> ROW_METRICS = Set.of(
            "rows-upserted-total", "rows-deleted-total", "records-created", "records-updated", "records-archived");

    private final Metrics metrics;
    private final Map<String, String> tags = new LinkedHashMap<>();
    private final String sourceConnector;
    private final String sinkConnector;
    private final Sensor read;
    private final Sensor written;
    private final Sensor delivered;
    private final AtomicLong readTotal = new AtomicLong();
    private final AtomicLong writtenTotal = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile LongSupplier deadLetters = () -> 0;
    private volatile LongSupplier uncommitted = () -> 0;

    /**
     * @param metrics the registry (a worker's ConnectMetrics registry: JMX under kafka.connect), shared with the
     *                connectors' plugin metrics
     */
    public RunnerMetrics(Metrics metrics, String pipeline, String sourceConnector, String sinkConnector) {
        this.sourceConnector = sourceConnector;
        this.sinkConnector = sinkConnector;
        this.metrics = metrics;
        tags.put("pipeline", pipeline);
        read = metrics.sensor("runner-records-read");
        read.add(name("records-read-total", "Records the source tasks returned from poll()"), new CumulativeSum());
        read.add(name("records-read-rate", "Records read per second (30 s window)"), new Rate());
        written = metrics.sensor("runner-records-written");
        written.add(
                name("records-written-total", "Records the sink confirmed written (source offsets committed)"),
                new CumulativeSum());
        written.add(name("records-written-rate", "Records written per second (30 s window)"), new Rate());
        delivered = metrics.sensor("runner-records-delivered");
        delivered.add(name("records-delivered-total", "Records handed to the sink task's put()"), new CumulativeSum());
        gauge("rows-written-total", "Rows (or objects) the sink reports written; -1 when it reports none", this::rows);
        gauge("dead-letters-total", "Records written to the dead-letter file", () -> deadLetters.getAsLong());
        gauge(
                "initial-load-percent",
                "Initial-load progress the source reports (0-100); -1 when it reports none",
                () -> Math.round(initialLoadPercent()));
        gauge("uncommitted-records", "Records polled but not yet committed", () -> uncommitted.getAsLong());
        gauge("sink-retries-total", "Batches redelivered after a RetriableException from the sink", retries::get);
    }

    private MetricName name(String name, String doc) {
        return metrics.metricName(name, GROUP, doc, tags);
    }

    private void gauge(String name, String doc, LongSupplier value) {
        metrics.addMetric(name(name, doc), (Gauge<Long>) (config, now) -> value.getAsLong());
    }

    /** The registry the connectors' plugin metrics live in. */
    public Metrics registry() {
        return metrics;
    }

    public void deadLetters(LongSupplier count) {
        this.deadLetters = count;
    }

    public void uncommitted(LongSupplier count) {
        this.uncommitted = count;
    }

    public void read(int records) {
        readTotal.addAndGet(records);
        read.record(records);
    }

    public void delivered(int records, long nanos) {
        delivered.record(records);
    }

    public void committed(int records) {
        writtenTotal.addAndGet(records);
        written.record(records);
    }

    public void sinkRetried() {
        retries.incrementAndGet();
    }

    public long readTotal() {
        return readTotal.get();
    }

    public long writtenTotal() {
        return writtenTotal.get();
    }

    public long deadLetterTotal() {
        return deadLetters.getAsLong();
    }

    /** Rows the sink's plugin metrics report, or -1 when it publishes none we know. */
    public long rows() {
        long sum = 0;
        boolean any = false;
        for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
            MetricName n = e.getKey();
            if ("plugins".equals(n.group())
                    && sinkConnector.equals(n.tags().get("connector"))
                    && n.tags().containsKey("task")
                    && ROW_METRICS.contains(n.name())) {
                Object v = e.getValue().metricValue();
                if (v instanceof Number num) {
                    sum += num.longValue();
                    any = true;
                }
            }
        }
        return any ? sum : -1;
    }

    /**
     * The source's initial-load progress from its plugin metrics {@code initial-load-done} / {@code -total},
     * summed over the objects (keyed by task and object tag), 0-100; an object whose source already publishes
     * {@code lag-ms} (it reads incremental changes) counts as fully loaded. -1 when the source publishes none.
     */
    public double initialLoadPercent() {
        Map<String, long[]> loads = loads();
        if (loads.isEmpty()) {
            return -1;
        }
        long done = 0;
        long total = 0;
        for (long[] l : loads.values()) {
            total += l[1];
            done += l[2] == 1 ? l[1] : Math.min(l[0], l[1]);
        }
        return total <= 0 ? (allIncremental(loads) ? 100.0 : -1) : 100.0 * done / total;
    }

    /**
     * Whether the source still runs an initial load: it published initial-load metrics for an object but no
     * {@code lag-ms} yet (our sources publish lag once they read incremental changes of that object).
     */
    public boolean initialLoadRunning() {
        return !allIncremental(loads());
    }

    private static boolean allIncremental(Map<String, long[]> loads) {
        for (long[] l : loads.values()) {
            if (l[2] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Per task/object of the source: {done, total, 1 if incremental else 0}, for objects with a load total. */
    private Map<String, long[]> loads() {
        Map<String, long[]> out = new HashMap<>();
        Set<String> incremental = new HashSet<>();
        for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (!"plugins".equals(n.group()) || !sourceConnector.equals(n.tags().get("connector"))) {
                continue;
            }
            String key = n.tags().get("task") + "/" + n.tags().getOrDefault("object", "");
            Object v = e.getValue().metricValue();
            long value = v instanceof Number num ? num.longValue() : 0;
            switch (n.name()) {
                case "initial-load-done" -> out.computeIfAbsent(key, k -> new long[3])[0] = value;
                case "initial-load-total" -> out.computeIfAbsent(key, k -> new long[3])[1] = value;
                case "lag-ms" -> incremental.add(key);
                default -> {}
            }
        }
        out.entrySet().removeIf(en -> en.getValue()[1] <= 0 && !incremental.contains(en.getKey()));
        for (Map.Entry<String, long[]> en : out.entrySet()) {
            en.getValue()[2] = incremental.contains(en.getKey()) ? 1 : 0;
        }
        return out;
    }

    /** The current value of one of the runner's own metrics (for tests and the summary). */
    public Object value(String name) {
        KafkaMetric m = metrics.metrics().get(metrics.metricName(name, GROUP, "", tags));
        return m == null ? null : m.metricValue();
    }
}
