package io.crmconnect.runner.source;

import java.util.Collections;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.source.TransactionContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** A source task's context in the runner: the engine's offset reader, the task's config and its plugin metrics. */
final class RunnerSourceTaskContext implements SourceTaskContext {
    private final Map<String, String> configs;
    private final OffsetStorageReader offsets;
    private final PluginMetrics metrics;

    RunnerSourceTaskContext(Map<String, String> configs, OffsetStorageReader offsets, PluginMetrics metrics) {
        this.configs = Collections.unmodifiableMap(configs);
        this.offsets = offsets;
        this.metrics = metrics;
    }

    @Override
    public Map<String, String> configs() {
        return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return offsets;
    }

    @Override
    public TransactionContext transactionContext() {
        // no Kafka transactions without Kafka: offsets are committed after the sink confirmed the records
        return null;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }
}
