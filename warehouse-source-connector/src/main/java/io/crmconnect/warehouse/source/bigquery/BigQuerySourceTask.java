package io.crmconnect.warehouse.source.bigquery;

import com.google.cloud.bigquery.BigQuery;
import io.crmconnect.warehouse.source.core.ChangeSource;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseSourceTask;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;

/** Captures the tables assigned to this task through one BigQuery client (rebuilt after transient failures). */
public class BigQuerySourceTask extends WarehouseSourceTask {
    private BigQuerySourceConfig config;
    private volatile BigQuery client;

    @Override
    protected String system() {
        return "bigquery";
    }

    @Override
    protected AbstractConfig configure(Map<String, String> props) {
        config = new BigQuerySourceConfig(props);
        return config;
    }

    @Override
    protected ChangeSource changeSource(TableSpec spec) {
        return new BigQueryChangeSource(
                spec,
                this::client,
                config.getString(BigQuerySourceConfig.PROJECT).trim(),
                config.getInt(BigQuerySourceConfig.PAGE_ROWS));
    }

    private BigQuery client() {
        BigQuery c = client;
        if (c == null) {
            c = BigQueryClients.open(config);
            client = c;
        }
        return c;
    }

    @Override
    protected void resetSession() {
        client = null;
    }
}
