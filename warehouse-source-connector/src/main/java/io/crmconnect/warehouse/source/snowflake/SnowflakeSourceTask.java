package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.CaptureMetrics;
import io.crmconnect.warehouse.source.core.CaptureRunner;
import io.crmconnect.warehouse.source.core.CaptureSettings;
import io.crmconnect.warehouse.source.core.RecordFactory;
import io.crmconnect.warehouse.source.core.TableCapture;
import io.crmconnect.warehouse.source.core.TableSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Captures the tables assigned to this task over one Snowflake session (reopened after transient failures). */
public class SnowflakeSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(SnowflakeSourceTask.class);
    private SnowflakeSourceConfig config;
    private Connection connection;
    private CaptureRunner runner;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new SnowflakeSourceConfig(props);
        CaptureSettings settings = CaptureConfig.settings(config);
        CaptureMetrics metrics = new CaptureMetrics(RuntimeSupport.pluginMetrics(context));
        List<CaptureRunner.Table> tables = new ArrayList<>();
        for (String entry : config.getList(CaptureConfig.TASK_TABLES)) {
            TableSpec spec = TableSpec.parse(CaptureConfig.TABLES, entry);
            TableCapture capture =
                    new TableCapture(spec, new SnowflakeChangeSource(spec, this::connection), settings, metrics);
            capture.restore(context.offsetStorageReader().offset(capture.partition()));
            tables.add(new CaptureRunner.Table() {
                private RecordFactory records;

                @Override
                public TableCapture capture() {
                    return capture;
                }

                @Override
                public RecordFactory records() {
                    if (records == null) {
                        records = new RecordFactory(
                                "snowflake",
                                spec,
                                CaptureConfig.topic(config, spec),
                                capture.columns(),
                                CaptureConfig.lowerCase(config));
                    }
                    return records;
                }

                @Override
                public void reset() {
                    closeConnection();
                }
            });
        }
        runner = new CaptureRunner(tables, metrics, Duration.ofMillis(config.getLong(CaptureConfig.RETRY_BUDGET_MS)));
        LOG.info("Snowflake source task started: {} tables, mode {}", tables.size(), settings.mode());
    }

    private synchronized Connection connection() {
        if (connection == null) {
            connection = SnowflakeSession.open(config);
        }
        return connection;
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the Snowflake session: {}", e.toString());
            }
            connection = null;
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        return runner.poll();
    }

    @Override
    public void stop() {
        if (runner != null) {
            runner.stop();
        }
        closeConnection();
    }
}
