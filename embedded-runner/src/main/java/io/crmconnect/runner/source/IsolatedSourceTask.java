package io.crmconnect.runner.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The task class the engine instantiates: it runs the user's source task with its plugin classloader as the
 * thread's context loader (a worker does the same for the whole task thread), gives it a context with plugin
 * metrics (the engine's has none) and counts what poll() returns.
 */
public class IsolatedSourceTask extends SourceTask {
    static final String TASK_INDEX = "crmconnect.runner.task.index";

    private SourceRuntime runtime;
    private SourceTask delegate;
    private ClassLoader loader;
    private PluginMetricsImpl metrics;

    @Override
    public void start(Map<String, String> props) {
        runtime = SourceRuntime.get(props.get(IsolatedSourceConnector.RUNTIME_ID));
        Map<String, String> config = new HashMap<>(props);
        config.remove(IsolatedSourceConnector.RUNTIME_ID);
        int index = Integer.parseInt(config.remove(TASK_INDEX));
        delegate = (SourceTask) runtime.newTask();
        loader = delegate.getClass().getClassLoader();
        metrics = runtime.pluginMetrics(index);
        RunnerSourceTaskContext ctx = new RunnerSourceTaskContext(config, context.offsetStorageReader(), metrics);
        ClassLoader previous = swap(loader);
        try {
            delegate.initialize(ctx);
            delegate.start(config);
        } finally {
            swap(previous);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        ClassLoader previous = swap(loader);
        try {
            List<SourceRecord> records = delegate.poll();
            runtime.polled(records == null ? 0 : records.size());
            return records;
        } finally {
            swap(previous);
        }
    }

    @Override
    public void commit() throws InterruptedException {
        ClassLoader previous = swap(loader);
        try {
            delegate.commit();
        } finally {
            swap(previous);
        }
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) throws InterruptedException {
        ClassLoader previous = swap(loader);
        try {
            delegate.commitRecord(record, metadata);
        } finally {
            swap(previous);
        }
    }

    @Override
    public void stop() {
        if (delegate == null) {
            return;
        }
        ClassLoader previous = swap(loader);
        try {
            delegate.stop();
        } finally {
            swap(previous);
            Utils.closeQuietly(metrics, "source task plugin metrics");
        }
    }

    @Override
    public String version() {
        return delegate == null ? "unknown" : delegate.version();
    }

    private static ClassLoader swap(ClassLoader loader) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        return previous;
    }
}
