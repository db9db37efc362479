package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.warehouse.source.core.ChangeSource;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseSourceTask;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Captures the tables assigned to this task over one Snowflake session (reopened after transient failures). */
public class SnowflakeSourceTask extends WarehouseSourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeSourceTask.class);
    private SnowflakeSourceConfig config;
    private Connection connection;

    @Override
    protected String system() {
        return "snowflake";
    }

    @Override
    protected AbstractConfig configure(Map<String, String> props) {
        config = new SnowflakeSourceConfig(props);
        return config;
    }

    @Override
    protected ChangeSource changeSource(TableSpec spec) {
        return new SnowflakeChangeSource(spec, this::connection);
    }

    private synchronized Connection connection() {
        if (connection == null) {
            connection = SnowflakeSession.open(config);
        }
        return connection;
    }

    @Override
    protected synchronized void resetSession() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the Snowflake session: {}", e.toString());
            }
            connection = null;
        }
    }
}
