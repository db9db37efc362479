package io.crmconnect.dynamics.source;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.common.connector.TaskConfigs;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsException;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.connection.ConnectionCheck;
import io.crmconnect.dynamics.source.DynamicsSourceConfig.ChangeMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Dynamics 365 / Dataverse → Kafka. Tables are spread over {@code tasks.max} tasks; each task gets an equal share of
 * the application user's service protection limits.
 */
public class DynamicsSourceConnector extends SourceConnector {
    /** What the generated configuration reference says first (Kafka's convention). */
    public static final String OVERVIEW_DOC = DynamicsSourceConfig.OVERVIEW;

    private Map<String, String> props;
    private List<String> tables;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public ConfigDef config() {
        return DynamicsSourceConfig.CONFIG;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DynamicsSourceTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        tables = new DynamicsSourceConfig(props).tables();
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskConfigs.roundRobin(
                props, tables, maxTasks, DynamicsSourceConfig.TASK_TABLES, DynamicsSourceConfig.TASK_COUNT);
    }

    @Override
    public void stop() {}

    /**
     * Static checks, then bounded live checks: credentials (on the tenant, client id or secret key, as Entra ID
     * says), the environment (on {@code dynamics.url}), every table (on {@code tables}) and change tracking when it
     * is required (on {@code change.mode}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, DynamicsSourceConfig.CONFIG)) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byKey = LiveValidation.byKey(result);
        DynamicsSourceConfig config;
        try {
            config = new DynamicsSourceConfig(connectorConfigs);
        } catch (ConfigException e) {
            LiveValidation.report(e, byKey, DynamicsSourceConfig.COLUMNS_EXCLUDE);
            return result;
        }
        try (DynamicsClient c = config.connection().checkClient()) {
            if (!ConnectionCheck.run(c, byKey)) {
                return result;
            }
            ConfigValue tablesKey = byKey.get(DynamicsSourceConfig.TABLES);
            for (String t : config.tables()) {
                TableMetadata md;
                try {
                    md = c.table(t);
                } catch (DynamicsException e) {
                    tablesKey.addErrorMessage("Table '" + t + "' cannot be read: " + e.getMessage());
                    continue;
                }
                if (md == null) {
                    tablesKey.addErrorMessage("Unknown table '" + t + "': no table has this logical name (use the "
                            + "logical name, e.g. contact, not Contacts)");
                } else if (config.changeMode() == ChangeMode.CHANGE_TRACKING && !md.changeTrackingEnabled()) {
                    byKey.get(DynamicsSourceConfig.CHANGE_MODE)
                            .addErrorMessage(
                                    "Table '" + t + "' has no change "
                                            + "tracking: turn on 'Track changes' for it, or use change.mode=auto (watermark for it)");
                }
            }
        }
        return result;
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // every offset describes exactly the records before it and travels with its record: with exactly-once
        // workers both commit in one transaction
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** KIP-875: only well-formed offsets of this connector's partitions are accepted (null = reset). */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object table = e.getKey() == null ? null : e.getKey().get("table");
            boolean ids = table instanceof String s
                    && s.endsWith("#ids")
                    && e.getKey().get("bucket") instanceof Number;
            if (!(table instanceof String) || (e.getKey().size() != 1 && !ids)) {
                throw new ConnectException("Unknown source partition " + e.getKey() + ": expected {\"table\": "
                        + "\"<logical name>\"} or {\"table\": \"<logical name>#ids\", \"bucket\": <0-63>}");
            }
            if (e.getValue() != null) {
                Offsets.validate((String) table, e.getValue());
            }
        }
        return true;
    }
}
