package io.crmconnect.dynamics.sink;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.common.connector.TaskConfigs;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsException;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.connection.ConnectionCheck;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka → Dynamics 365 / Dataverse. {@link #validate(Map)} checks the configuration against the live environment
 * with a few bounded calls: credentials and environment, the table, the alternate key, mapped / protected /
 * fill-if-missing columns and lookups, each problem on its key.
 */
public class DynamicsSinkConnector extends SinkConnector {
    /** What the generated configuration reference says first (Kafka's convention). */
    public static final String OVERVIEW_DOC = DynamicsSinkConfig.OVERVIEW;

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        new DynamicsSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DynamicsSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskConfigs.copies(props, maxTasks, DynamicsSinkConfig.TASK_COUNT);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return DynamicsSinkConfig.CONFIG;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, DynamicsSinkConfig.CONFIG)) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byKey = LiveValidation.byKey(result);
        DynamicsSinkConfig config;
        try {
            config = new DynamicsSinkConfig(connectorConfigs);
        } catch (ConfigException e) {
            LiveValidation.report(e, byKey, DynamicsSinkConfig.TABLE);
            return result;
        }
        try (DynamicsClient c = config.connection().checkClient()) {
            if (!ConnectionCheck.run(c, byKey)) {
                return result;
            }
            TableMetadata md = c.table(config.table());
            if (md == null) {
                byKey.get(DynamicsSinkConfig.TABLE)
                        .addErrorMessage("Unknown table '" + config.table() + "': no "
                                + "table has this logical name (use the logical name, e.g. contact, not Contacts)");
                return result;
            }
            TargetTable t = TargetTable.resolve(c, md, config);
            t.problems.forEach(
                    (key, messages) -> messages.forEach(m -> byKey.get(key).addErrorMessage(m)));
        } catch (DynamicsException e) {
            byKey.get(DynamicsSinkConfig.TABLE).addErrorMessage("The table could not be checked: " + e.getMessage());
        }
        return result;
    }
}
