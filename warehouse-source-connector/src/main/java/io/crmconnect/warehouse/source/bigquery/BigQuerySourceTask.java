package io.crmconnect.warehouse.source.bigquery;

import com.google.cloud.bigquery.BigQuery;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.CaptureMetrics;
import io.crmconnect.warehouse.source.core.CaptureRunner;
import io.crmconnect.warehouse.source.core.CaptureSettings;
import io.crmconnect.warehouse.source.core.RecordFactory;
import io.crmconnect.warehouse.source.core.TableCapture;
import io.crmconnect.warehouse.source.core.TableSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Captures the tables assigned to this task through one BigQuery client (rebuilt after transient failures). */
public class BigQuerySourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(BigQuerySourceTask.class);
    private BigQuerySourceConfig config;
    private volatile BigQuery client;
    private CaptureRunner runner;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new BigQuerySourceConfig(props);
        CaptureSettings settings = CaptureConfig.settings(config);
        CaptureMetrics metrics = new CaptureMetrics(RuntimeSupport.pluginMetrics(context));
        String project = config.getString(BigQuerySourceConfig.PROJECT).trim();
        long pageRows = config.getInt(BigQuerySourceConfig.PAGE_ROWS);
        List<CaptureRunner.Table> tables = new ArrayList<>();
        for (String entry : config.getList(CaptureConfig.TASK_TABLES)) {
            TableSpec spec = TableSpec.parse(CaptureConfig.TABLES, entry);
            TableCapture capture = new TableCapture(
                    spec, new BigQueryChangeSource(spec, this::client, project, pageRows), settings, metrics);
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
                                "bigquery",
                                spec,
                                CaptureConfig.topic(config, spec),
                                capture.columns(),
                                CaptureConfig.lowerCase(config));
                    }
                    return records;
                }

                @Override
                public void reset() {
                    client = null;
                }
            });
        }
        runner = new CaptureRunner(tables, metrics, Duration.ofMillis(config.getLong(CaptureConfig.RETRY_BUDGET_MS)));
        LOG.info("BigQuery source task started: {} tables, mode {}", tables.size(), settings.mode());
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
    public List<SourceRecord> poll() throws InterruptedException {
        return runner.poll();
    }

    @Override
    public void stop() {
        if (runner != null) {
            runner.stop();
        }
        client = null;
    }
}
