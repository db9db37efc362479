package io.crmconnect.runner.source;

import io.crmconnect.runner.metrics.RunnerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * What the engine-instantiated wrappers ({@link IsolatedSourceConnector}, {@link IsolatedSourceTask}) need from
 * the runner: the engine creates them by class name, so they find this through an id in their config.
 */
public final class SourceRuntime {
    private static final Map<String, SourceRuntime> REGISTRY = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final String connectorName;
    private final String connectorClass;
    private final Map<String, String> connectorConfig;
    private final Plugins plugins;
    private final RunnerMetrics metrics;
    private volatile Class<? extends Task> taskClass;
    private volatile long lastRecordsNanos = System.nanoTime();
    private volatile boolean emptySinceRecords;

    public SourceRuntime(
            String connectorName,
            String connectorClass,
            Map<String, String> connectorConfig,
            Plugins plugins,
            RunnerMetrics metrics) {
        this.connectorName = connectorName;
        this.connectorClass = connectorClass;
        this.connectorConfig = Map.copyOf(connectorConfig);
        this.plugins = plugins;
        this.metrics = metrics;
    }

    /** Makes this runtime findable by {@link #id()}; {@link #unregister()} when the engine is done. */
    public SourceRuntime register() {
        REGISTRY.put(id, this);
        return this;
    }

    public void unregister() {
        REGISTRY.remove(id);
    }

    static SourceRuntime get(String id) {
        SourceRuntime r = id == null ? null : REGISTRY.get(id);
        if (r == null) {
            throw new IllegalStateException("No runner source runtime registered under id " + id);
        }
        return r;
    }

    public String id() {
        return id;
    }

    /** The source connector config as the user wrote it (what a worker would pass to the connector). */
    Map<String, String> connectorConfig() {
        return connectorConfig;
    }

    SourceConnector newConnector() {
        return (SourceConnector) plugins.newConnector(connectorClass);
    }

    /** The connector's task class, as the connector returned it from taskClass(). */
    void taskClass(Class<? extends Task> taskClass) {
        this.taskClass = taskClass;
    }

    Task newTask() {
        if (taskClass == null) {
            throw new IllegalStateException("The source connector has not named its task class yet");
        }
        return plugins.newTask(taskClass);
    }

    /** Plugin metrics with the tags a worker gives them (connector, and task for a task). */
    PluginMetricsImpl pluginMetrics(Integer task) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", connectorName);
        if (task != null) {
            tags.put("task", String.valueOf(task));
        }
        return new PluginMetricsImpl(metrics.registry(), tags);
    }

    void polled(int records) {
        if (records > 0) {
            metrics.read(records);
            lastRecordsNanos = System.nanoTime();
            emptySinceRecords = false;
        } else {
            emptySinceRecords = true;
        }
    }

    /**
     * How long the source has returned nothing: the time since the last poll() with records, counted only once a
     * poll() has come back empty after it (a source busy on its first, slow call is not idle).
     */
    public long idleMillis() {
        return emptySinceRecords ? (System.nanoTime() - lastRecordsNanos) / 1_000_000 : 0;
    }
}
