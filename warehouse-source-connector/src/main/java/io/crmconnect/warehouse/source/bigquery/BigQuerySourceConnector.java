package io.crmconnect.warehouse.source.bigquery;

import com.google.cloud.bigquery.BigQuery;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.ColumnInfo;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseError;
import io.crmconnect.warehouse.source.core.WarehouseSourceConnector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;

/** BigQuery tables → Kafka. Tables are spread over {@code tasks.max} tasks; each table is one offset partition. */
public class BigQuerySourceConnector extends WarehouseSourceConnector {
    @Override
    public ConfigDef config() {
        return BigQuerySourceConfig.CONFIG;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return BigQuerySourceTask.class;
    }

    /**
     * Static checks, then one bounded live check (30 s): the credentials load (reported on the credentials key) and
     * per table that its schema can be read and has the key and watermark columns (reported on {@code tables}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, config())) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byName = LiveValidation.byKey(result);
        BigQuerySourceConfig config;
        try {
            config = new BigQuerySourceConfig(connectorConfigs);
        } catch (ConfigException e) {
            LiveValidation.report(e, byName, BigQuerySourceConfig.CREDENTIALS_JSON);
            return result;
        }
        LiveValidation.bounded(
                "BigQuery",
                "bigquery-validate",
                Duration.ofSeconds(30),
                () -> liveChecks(config, byName),
                problem -> byName.get(BigQuerySourceConfig.ROOT_URL).addErrorMessage(problem));
        return result;
    }

    private static void liveChecks(BigQuerySourceConfig config, Map<String, ConfigValue> byName) {
        BigQuery bq;
        try {
            bq = BigQueryClients.open(config);
        } catch (WarehouseError e) {
            byName.get(BigQuerySourceConfig.CREDENTIALS_JSON).addErrorMessage(e.getMessage());
            return;
        }
        String project = config.getString(BigQuerySourceConfig.PROJECT).trim();
        for (TableSpec t : CaptureConfig.tables(config, CaptureConfig.TABLES)) {
            try {
                BigQueryChangeSource source = new BigQueryChangeSource(t, () -> bq, project, 0);
                List<ColumnInfo> columns = source.columns();
                if (t.watermarkColumn() == null
                        && config.getString(CaptureConfig.MODE).trim().equalsIgnoreCase("watermark")) {
                    byName.get(CaptureConfig.TABLES)
                            .addErrorMessage("Table " + t.name() + ": mode watermark needs "
                                    + "a watermark column (" + t.name() + ":key@column); columns: "
                                    + columns.stream().map(ColumnInfo::name).toList());
                }
            } catch (WarehouseError e) {
                byName.get(
                                e.kind() == WarehouseError.Kind.TRANSIENT
                                        ? BigQuerySourceConfig.ROOT_URL
                                        : CaptureConfig.TABLES)
                        .addErrorMessage(e.getMessage());
            }
        }
    }
}
