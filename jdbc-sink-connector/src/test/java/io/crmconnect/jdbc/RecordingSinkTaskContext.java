package io.crmconnect.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Stand-in for the worker's SinkTaskContext (the database behind the task is real): records what the task
 * reports to the DLQ and the timeout it asks for, and offers real Kafka PluginMetrics.
 */
final class RecordingSinkTaskContext implements SinkTaskContext {
    record Reported(SinkRecord record, Throwable error) {
    }

    final List<Reported> reported = new CopyOnWriteArrayList<>();
    final Metrics metrics = new Metrics();
    final PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "it", "task", "0"));
    private final Map<String, String> configs;
    private final boolean withReporter;
    volatile long timeoutMs = -1;

    RecordingSinkTaskContext(Map<String, String> configs, boolean withReporter) {
        this.configs = configs;
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
    }

    @Override
    public void resume(TopicPartition... partitions) {
    }

    @Override
    public void requestCommit() {
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return new ErrantRecordReporter() {
            @Override
            public Future<Void> report(SinkRecord record, Throwable error) {
                reported.add(new Reported(record, error));
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return pluginMetrics;
    }

    Object metric(String name) {
        Map<String, Object> values = new HashMap<>();
        metrics.metrics().forEach((n, m) -> values.put(n.name(), m.metricValue()));
        return values.get(name);
    }
}
