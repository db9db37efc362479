package io.crmconnect.warehouse.source.core;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.TaskConfigs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * The connector frame both warehouse sources share: tables spread over {@code tasks.max} tasks (each table one offset
 * partition), exactly-once support and KIP-875 offset checks. Subclasses name their config, task and live checks.
 */
public abstract class WarehouseSourceConnector extends SourceConnector {
    private Map<String, String> props;
    private List<String> tables;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        tables = (List<String>) config().parse(props).get(CaptureConfig.TABLES);
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskConfigs.roundRobin(props, tables, maxTasks, CaptureConfig.TASK_TABLES, null);
    }

    @Override
    public void stop() {}

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED; // offsets travel with the records they describe
    }

    /** KIP-875: only well-formed positions of configured tables (null = start the table over). */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object table = e.getKey() == null ? null : e.getKey().get("table");
            if (!(table instanceof String) || e.getKey().size() != 1) {
                throw new ConnectException("Unknown source partition " + e.getKey() + ": expected {\"table\": "
                        + "\"<table name as configured>\"}");
            }
            if (e.getValue() != null) {
                Position.fromMap((String) table, e.getValue());
            }
        }
        return true;
    }
}
