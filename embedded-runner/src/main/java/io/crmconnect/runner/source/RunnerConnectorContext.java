package io.crmconnect.runner.source;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** The engine's connector context plus the connector's plugin metrics (the engine's context has none). */
final class RunnerConnectorContext implements SourceConnectorContext {
    private final ConnectorContext engine;
    private final PluginMetrics metrics;

    RunnerConnectorContext(ConnectorContext engine, PluginMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public void requestTaskReconfiguration() {
        engine.requestTaskReconfiguration();
    }

    @Override
    public void raiseError(Exception e) {
        engine.raiseError(e);
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return engine instanceof SourceConnectorContext s ? s.offsetStorageReader() : null;
    }
}
