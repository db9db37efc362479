package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseError;
import io.crmconnect.warehouse.source.core.WarehouseSourceConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;

/** Snowflake tables → Kafka. Tables are spread over {@code tasks.max} tasks; each table is one offset partition. */
public class SnowflakeSourceConnector extends WarehouseSourceConnector {
    @Override
    public ConfigDef config() {
        return SnowflakeSourceConfig.CONFIG;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SnowflakeSourceTask.class;
    }

    /**
     * Static checks, then one bounded live check (30 s): sign-in (reported on the credential's key), and per table
     * that it exists and, in the change modes, that change tracking is on (reported on {@code tables}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, config())) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byName = LiveValidation.byKey(result);
        SnowflakeSourceConfig config;
        try {
            config = new SnowflakeSourceConfig(connectorConfigs);
        } catch (ConfigException e) {
            String key = e.getMessage().contains(SnowflakeSourceConfig.PASSWORD)
                    ? SnowflakeSourceConfig.PASSWORD
                    : SnowflakeSourceConfig.PRIVATE_KEY;
            byName.get(key).addErrorMessage(e.getMessage());
            return result;
        }
        LiveValidation.bounded(
                "Snowflake",
                "snowflake-validate",
                Duration.ofSeconds(30),
                () -> liveChecks(config, byName),
                problem -> byName.get(SnowflakeSourceConfig.URL).addErrorMessage(problem));
        return result;
    }

    private static void liveChecks(SnowflakeSourceConfig config, Map<String, ConfigValue> byName) {
        String credKey = config.auth() == SnowflakeSourceConfig.Auth.KEY_PAIR
                ? SnowflakeSourceConfig.PRIVATE_KEY
                : SnowflakeSourceConfig.PASSWORD;
        Connection c;
        try {
            c = SnowflakeSession.open(config);
        } catch (WarehouseError e) {
            boolean auth =
                    e.getCause() instanceof SQLException s && s.getErrorCode() == SnowflakeErrors.BAD_CREDENTIALS;
            byName.get(auth ? credKey : SnowflakeSourceConfig.URL)
                    .addErrorMessage(
                            auth
                                    ? "Snowflake rejected the sign-in of "
                                            + config.getString(SnowflakeSourceConfig.USER)
                                            + ": check the key registered with ALTER USER ... SET RSA_PUBLIC_KEY (or the password)"
                                    : e.getMessage());
            return;
        }
        boolean changes = !config.getString(CaptureConfig.MODE).equalsIgnoreCase("watermark");
        try (c;
                Statement st = c.createStatement()) {
            for (TableSpec t : CaptureConfig.tables(config, CaptureConfig.TABLES)) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + t.name() + " LIMIT 0")) {
                    List<String> names = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        names.add(rs.getMetaData().getColumnName(i).toUpperCase(Locale.ROOT));
                    }
                    List<String> needed = new ArrayList<>(t.keyColumns());
                    if (t.watermarkColumn() != null) {
                        needed.add(t.watermarkColumn());
                    }
                    for (String k : needed) {
                        if (!names.contains(k.toUpperCase(Locale.ROOT))) {
                            byName.get(CaptureConfig.TABLES)
                                    .addErrorMessage(
                                            "Table " + t.name() + " has no column " + k + " (columns: " + names + ")");
                        }
                    }
                } catch (SQLException e) {
                    byName.get(CaptureConfig.TABLES)
                            .addErrorMessage("Table " + t.name() + " cannot be read: "
                                    + e.getMessage().replace('\n', ' '));
                    continue;
                }
                if (changes) {
                    String simple =
                            t.name().substring(t.name().lastIndexOf('.') + 1).replace("\"", "");
                    try (ResultSet rs = st.executeQuery("SHOW TABLES LIKE '" + simple.replace("'", "''") + "'")) {
                        while (rs.next()) {
                            if ("OFF".equalsIgnoreCase(rs.getString("change_tracking"))) {
                                byName.get(CaptureConfig.TABLES)
                                        .addErrorMessage("Table " + t.name() + " has change "
                                                + "tracking off: run ALTER TABLE " + t.name()
                                                + " SET CHANGE_TRACKING = TRUE "
                                                + "(needs OWNERSHIP), or use mode=watermark");
                            }
                        }
                    } catch (SQLException e) {
                        // SHOW may need privileges the connector does not need otherwise: the task reports it
                    }
                }
            }
        } catch (SQLException e) {
            byName.get(SnowflakeSourceConfig.URL).addErrorMessage(e.getMessage());
        }
    }
}
