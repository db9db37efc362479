package io.crmconnect.testharness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Stand-in for the worker's SinkTaskContext in task-level tests (whatever the task writes to is real): records
 * what the task reports to the DLQ and the timeout it asks for, and offers real Kafka PluginMetrics.
 */
public final class RecordingSinkTaskContext implements SinkTaskContext {
    /** One record the task handed to the ErrantRecordReporter, with the error it gave. */
    public record Reported(SinkRecord record, Throwable error) {}

    private final Map<TopicPartition, Long> offsetsRequested = new HashMap<>();
    private final List<Reported> reported = new CopyOnWriteArrayList<>();
    private final Metrics metrics = new Metrics();
    private final PluginMetricsImpl pluginMetrics =
            new PluginMetricsImpl(metrics, Map.of("connector", "test", "task", "0"));
    private final Map<String, String> configs;
    private final boolean withReporter;
    private final Set<TopicPartition> assignment;
    private volatile long timeoutMs = -1;
    private volatile Consumer<Reported> onReport = r -> {};

    /**
     * @param withReporter false mimics a worker without a DLQ (errantRecordReporter() returns null)
     */
    public RecordingSinkTaskContext(Map<String, String> configs, boolean withReporter, TopicPartition... assignment) {
        this.configs = configs;
        this.withReporter = withReporter;
        this.assignment = Set.of(assignment);
    }

    /** Runs on the task's thread each time it reports a record, after recording it (e.g. to inject a fault). */
    public RecordingSinkTaskContext onReport(Consumer<Reported> action) {
        this.onReport = action;
        return this;
    }

    public List<Reported> reported() {
        return reported;
    }

    /** The last timeout the task asked for through {@link #timeout(long)}, or -1. */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** Current value of the plugin metric with this name, or null. */
    public Object metric(String name) {
        Map<String, Object> values = new HashMap<>();
        metrics.metrics().forEach((n, m) -> values.put(n.name(), m.metricValue()));
        return values.get(name);
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        offsetsRequested.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        offsetsRequested.put(tp, offset);
    }

    /** The offsets the task asked the worker to consume from again ({@code offset(...)}), latest per partition. */
    public Map<TopicPartition, Long> offsetsRequested() {
        return offsetsRequested;
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            Reported r = new Reported(record, error);
            reported.add(r);
            onReport.accept(r);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }
}
