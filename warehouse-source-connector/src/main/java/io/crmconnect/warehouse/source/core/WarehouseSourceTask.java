package io.crmconnect.warehouse.source.core;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task frame both warehouse sources share: one {@link TableCapture} per assigned table, restored from its
 * committed offset and polled by a {@link CaptureRunner} over one warehouse session that a subclass opens lazily and
 * drops after a transient failure.
 */
public abstract class WarehouseSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSourceTask.class);
    private CaptureRunner runner;

    /** "snowflake" or "bigquery": the records' provenance and the log's name for the warehouse. */
    protected abstract String system();

    /** Parses and keeps the task's configuration. */
    protected abstract AbstractConfig configure(Map<String, String> props);

    /** The table's reads, over the session this task holds. */
    protected abstract ChangeSource changeSource(TableSpec spec);

    /** Drops the session after a transient failure or at stop; the next read opens a new one. */
    protected abstract void resetSession();

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = configure(props);
        CaptureSettings settings = CaptureConfig.settings(config);
        CaptureMetrics metrics = new CaptureMetrics(RuntimeSupport.pluginMetrics(context));
        List<CaptureRunner.Table> tables = new ArrayList<>();
        for (String entry : config.getList(CaptureConfig.TASK_TABLES)) {
            TableSpec spec = TableSpec.parse(CaptureConfig.TABLES, entry);
            TableCapture capture = new TableCapture(spec, changeSource(spec), settings, metrics);
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
                                system(),
                                spec,
                                CaptureConfig.topic(config, spec),
                                capture.columns(),
                                CaptureConfig.lowerCase(config));
                    }
                    return records;
                }

                @Override
                public void reset() {
                    resetSession();
                }
            });
        }
        runner = new CaptureRunner(tables, metrics, Duration.ofMillis(config.getLong(CaptureConfig.RETRY_BUDGET_MS)));
        LOG.info("{} source task started: {} tables, mode {}", system(), tables.size(), settings.mode());
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
        resetSession();
    }
}
