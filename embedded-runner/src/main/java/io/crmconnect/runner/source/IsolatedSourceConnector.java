package io.crmconnect.runner.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The connector class the engine instantiates: it stands in for the user's source connector, which it loads
 * from its plugin directory (Connect's isolation) and calls with that plugin's classloader as the thread's context
 * loader, passing it exactly the config the user wrote (not the engine's keys) and a context with plugin metrics.
 */
public class IsolatedSourceConnector extends SourceConnector {
    /** Engine config key naming the {@link SourceRuntime}. */
    public static final String RUNTIME_ID = "crmconnect.runner.runtime.id";

    private SourceRuntime runtime;
    private SourceConnector delegate;

    private SourceConnector delegate(Map<String, String> engineProps) {
        if (delegate == null) {
            runtime = SourceRuntime.get(engineProps.get(RUNTIME_ID));
            delegate = runtime.newConnector();
        }
        return delegate;
    }

    @Override
    public void initialize(ConnectorContext ctx) {
        super.initialize(ctx);
    }

    @Override
    public void start(Map<String, String> props) {
        SourceConnector d = delegate(props);
        RunnerConnectorContext ctx = new RunnerConnectorContext(context(), runtime.pluginMetrics(null));
        inLoader(() -> {
            d.initialize(ctx);
            d.start(runtime.connectorConfig());
            return null;
        });
    }

    @Override
    public Class<? extends Task> taskClass() {
        runtime.taskClass(delegate.taskClass());
        return IsolatedSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        runtime.taskClass(delegate.taskClass());
        List<Map<String, String>> configs = inLoader(() -> delegate.taskConfigs(maxTasks));
        List<Map<String, String>> out = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            Map<String, String> c = new HashMap<>(configs.get(i));
            c.put(RUNTIME_ID, runtime.id());
            c.put(IsolatedSourceTask.TASK_INDEX, Integer.toString(i));
            out.add(c);
        }
        return out;
    }

    @Override
    public void stop() {
        if (delegate != null) {
            inLoader(() -> {
                delegate.stop();
                return null;
            });
        }
    }

    /**
     * The runner has validated the user's config before starting the engine (live checks included); the engine's
     * own validation would repeat those checks, so it gets a result without errors.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        delegate(connectorConfigs);
        return new Config(List.of());
    }

    @Override
    public ConfigDef config() {
        return delegate == null ? new ConfigDef() : inLoader(delegate::config);
    }

    @Override
    public String version() {
        return delegate == null ? "unknown" : inLoader(delegate::version);
    }

    private <T> T inLoader(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(delegate.getClass().getClassLoader());
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
