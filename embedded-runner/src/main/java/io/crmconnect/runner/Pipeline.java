package io.crmconnect.runner;

import io.crmconnect.runner.flow.Handoff;
import io.crmconnect.runner.flow.InFlightRecord;
import io.crmconnect.runner.metrics.ProgressLine;
import io.crmconnect.runner.metrics.RunnerMetrics;
import io.crmconnect.runner.offsets.OffsetFile;
import io.crmconnect.runner.sink.DeadLetterFile;
import io.crmconnect.runner.sink.RunnerSinkTaskContext;
import io.crmconnect.runner.sink.SinkDriver;
import io.crmconnect.runner.sink.TransformChain;
import io.crmconnect.runner.source.IsolatedSourceConnector;
import io.crmconnect.runner.source.SourceBatchHandler;
import io.crmconnect.runner.source.SourceEngine;
import io.crmconnect.runner.source.SourceRuntime;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.ConnectMetrics;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.TransformationStage;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.util.ConnectorTaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline: validates both connector configs as a worker's REST API would, starts the sink task on
 * its driver thread and the source connector in the embedded engine, watches them (progress, --once catch-up,
 * failures, signals), and stops them in the order that commits everything written: hand-off closed, sink
 * drained and committed, then the engine stopped.
 */
public final class Pipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** How the pipeline was started. */
    public record Options(boolean once, List<String> defaultPluginPath, PrintStream console) {}

    private final PipelineConfig config;
    private final Map<String, String> props;
    private final Options options;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile ExitCode exitCode;

    public Pipeline(PipelineConfig config, Map<String, String> props, Options options) {
        this.config = config;
        this.props = props;
        this.options = options;
    }

    /** Asks a running pipeline to stop (a signal); waits up to the shutdown timeout for it to finish. */
    public void stopAndWait() {
        stopRequested = true;
        try {
            finished.await(config.getLong(PipelineConfig.SHUTDOWN_TIMEOUT_MS) + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public ExitCode run() {
        try (StateDirectory state = StateDirectory.lock(config.stateDir());
                ConnectorConfigs configs =
                        new ConnectorConfigs(props, config.getList(PipelineConfig.CONFIG_PROVIDERS))) {
            exitCode = runLocked(configs);
            return exitCode;
        } catch (PipelineException e) {
            exitCode = e.code();
            throw e;
        } catch (RuntimeException e) {
            exitCode = ExitCode.INTERNAL;
            throw e;
        } finally {
            finished.countDown();
        }
    }

    /** How the run ended; null while it runs (or if it ended before starting). */
    public ExitCode exitCode() {
        return exitCode;
    }

    private ExitCode runLocked(ConnectorConfigs configs) {
        String name = config.name();
        Map<String, String> sourceConfig =
                configs.load(config, props, PipelineConfig.SOURCE, PipelineConfig.SOURCE_PREFIX, name + "-source");
        Map<String, String> sinkConfig =
                configs.load(config, props, PipelineConfig.SINK, PipelineConfig.SINK_PREFIX, name + "-sink");
        List<String> pluginPath = config.pluginPath(options.defaultPluginPath());
        Map<String, String> pluginProps = new HashMap<>();
        pluginProps.put(WorkerConfig.PLUGIN_PATH_CONFIG, String.join(",", pluginPath));
        pluginProps.put(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, config.pluginDiscovery());
        long t0 = System.nanoTime();
        Plugins plugins = new Plugins(pluginProps);
        LOG.info(
                "Plugins loaded from {} in {} ms: {} connectors, {} transformations",
                pluginPath,
                (System.nanoTime() - t0) / 1_000_000,
                plugins.connectors().size(),
                plugins.transformations().size());

        String sourceName = sourceConfig.get(ConnectorConfig.NAME_CONFIG);
        String sinkName = sinkConfig.get(ConnectorConfig.NAME_CONFIG);
        ConnectorValidator validator = new ConnectorValidator(plugins);
        t0 = System.nanoTime();
        validator.validate("source", sourceConfig, SourceConnector.class);
        validator.validate("sink", sinkConfig, SinkConnector.class);
        LOG.info("Connector configs valid ({} ms, live checks included)", (System.nanoTime() - t0) / 1_000_000);
        SourceConnectorConfig sourceFramework = new SourceConnectorConfig(plugins, sourceConfig, false);
        SinkConnectorConfig sinkFramework = new SinkConnectorConfig(plugins, sinkConfig);

        ConnectMetrics connectMetrics =
                new ConnectMetrics("embedded-runner-" + name, workerConfig(), Time.SYSTEM, "embedded-runner");
        RunnerMetrics metrics = new RunnerMetrics(connectMetrics.metrics(), name, sourceName, sinkName);
        Handoff handoff = new Handoff(config.getInt(PipelineConfig.BUFFER_MAX_RECORDS));
        metrics.uncommitted(handoff::uncommitted);

        SinkConnector sinkConnector =
                (SinkConnector) plugins.newConnector(sinkConfig.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG));
        PluginMetricsImpl sinkConnectorMetrics =
                new PluginMetricsImpl(connectMetrics.metrics(), new LinkedHashMap<>(Map.of("connector", sinkName)));
        SinkDriver[] driverRef = new SinkDriver[1];
        SinkConnectorContext sinkConnectorContext = new SinkConnectorContext(sinkConnectorMetrics);
        DeadLetterFile deadLetters = sinkFramework.enableErrantRecordReporter()
                ? new DeadLetterFile(
                        config.deadLetterFile(sinkFramework.dlqTopicName()),
                        sinkName,
                        sinkFramework.errorToleranceType(),
                        sinkFramework.enableErrorLog(),
                        (topic, partition, offset) -> driverRef[0].find(topic, partition, offset))
                : null;
        if (deadLetters != null) {
            metrics.deadLetters(deadLetters::written);
        }
        SourceRuntime sourceRuntime = new SourceRuntime(
                        sourceName,
                        sourceConfig.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG),
                        sourceConfig,
                        plugins,
                        metrics)
                .register();
        SourceEngine engine = null;
        Thread sinkThread = null;
        SinkDriver driver = null;
        ExitCode result;
        ProgressLine progress = new ProgressLine(name, metrics, options.console());
        try {
            inLoader(sinkConnector.getClass().getClassLoader(), () -> {
                sinkConnector.initialize(sinkConnectorContext);
                sinkConnector.start(sinkConfig);
            });
            List<Map<String, String>> taskConfigs =
                    callInLoader(sinkConnector.getClass().getClassLoader(), () -> sinkConnector.taskConfigs(1));
            if (taskConfigs.isEmpty()) {
                throw new PipelineException(
                        ExitCode.SINK_FAILED, "The sink connector " + sinkName + " returned no task config");
            }
            if (sinkFramework.tasksMax() > 1) {
                LOG.info(
                        "The runner runs one sink task (tasks.max={} applies on a Connect cluster)",
                        sinkFramework.tasksMax());
            }
            Map<String, String> taskConfig = taskConfigs.get(0);
            SinkTask task = (SinkTask)
                    plugins.newTask(callInLoader(sinkConnector.getClass().getClassLoader(), sinkConnector::taskClass));
            ConnectorTaskId sinkTaskId = new ConnectorTaskId(sinkName, 0);
            List<TransformationStage<SinkRecord>> sinkStages = new ArrayList<>(pipelineStages(
                    plugins, sinkConfig.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG), sinkTaskId, connectMetrics));
            sinkStages.addAll(sinkFramework.<SinkRecord>transformationStages(plugins, sinkTaskId, connectMetrics));
            RunnerSinkTaskContext sinkContext = new RunnerSinkTaskContext(
                    taskConfig,
                    deadLetters,
                    new PluginMetricsImpl(
                            connectMetrics.metrics(), new LinkedHashMap<>(Map.of("connector", sinkName, "task", "0"))));
            driver = new SinkDriver(
                    sinkName,
                    task,
                    taskConfig,
                    task.getClass().getClassLoader(),
                    sinkContext,
                    sinkStages,
                    sinkFramework.errorToleranceType(),
                    handoff,
                    subscription(sinkConfig),
                    deadLetters,
                    metrics,
                    new SinkDriver.Settings(
                            maxPollRecords(sinkConfig),
                            config.getLong(PipelineConfig.FLUSH_INTERVAL_MS),
                            Math.max(1, config.getInt(PipelineConfig.BUFFER_MAX_RECORDS) / 2),
                            config.getLong(PipelineConfig.SHUTDOWN_TIMEOUT_MS)),
                    Pipeline::commitSource);
            driverRef[0] = driver;
            sinkThread = new Thread(driver, "sink-" + sinkName);
            sinkThread.start();

            ConnectorTaskId sourceTaskId = new ConnectorTaskId(sourceName, 0);
            TransformChain<SourceRecord> sourceChain = new TransformChain<>(
                    "source connector " + sourceName,
                    sourceFramework.<SourceRecord>transformationStages(plugins, sourceTaskId, connectMetrics),
                    sourceFramework.errorToleranceType(),
                    (record, type, error) -> LOG.warn(
                            "Transform {} of source connector {} failed; record skipped "
                                    + "(errors.tolerance=all): {}",
                            type.getName(),
                            sourceName,
                            error.getMessage()));
            engine = new SourceEngine(
                    engineProps(sourceConfig, sourceRuntime), new SourceBatchHandler(sourceChain, handoff));
            engine.start(sourceName);
            options.console()
                    .println("[" + name + "] running: " + sourceName + " -> " + sinkName
                            + (options.once() ? " (--once)" : "") + "; state in " + config.stateDir());
            result = watch(engine, driver, sinkConnectorContext, handoff, sourceRuntime, metrics, progress);
        } catch (PipelineException e) {
            result = e.code();
            options.console().println("[" + name + "] " + e.getMessage());
            LOG.error("{}", e.getMessage(), e);
        } catch (RuntimeException e) {
            result = ExitCode.SINK_FAILED;
            options.console().println("[" + name + "] sink connector " + sinkName + " failed: " + e.getMessage());
            LOG.error("Sink connector {} failed", sinkName, e);
        } finally {
            stopAll(handoff, driver, sinkThread, engine);
            inLoader(sinkConnector.getClass().getClassLoader(), () -> {
                try {
                    sinkConnector.stop();
                } catch (RuntimeException e) {
                    LOG.warn("Sink connector {} failed to stop: {}", sinkName, e.toString());
                }
            });
            sourceRuntime.unregister();
            Utils.closeQuietly(sinkConnectorMetrics, "sink connector metrics");
        }
        ExitCode afterStop = failureAfterStop(engine, driver);
        if (result == ExitCode.OK && afterStop != null) {
            result = afterStop;
        }
        progress.print(
                result == ExitCode.OK ? "stopped" : "stopped (" + result.name().toLowerCase() + ")");
        connectMetrics.stop();
        return result;
    }

    /** Watches until --once caught up, a signal, or a failure; returns what the exit status should say. */
    private ExitCode watch(
            SourceEngine engine,
            SinkDriver driver,
            SinkConnectorContext sinkConnector,
            Handoff handoff,
            SourceRuntime source,
            RunnerMetrics metrics,
            ProgressLine progress) {
        long progressEvery = config.getLong(PipelineConfig.PROGRESS_INTERVAL_MS);
        long onceIdle = config.getLong(PipelineConfig.ONCE_IDLE_MS);
        long nextProgress = System.currentTimeMillis() + (progressEvery > 0 ? progressEvery : Long.MAX_VALUE / 2);
        Path offsets = config.offsetsFile();
        while (true) {
            if (driver.failure() != null || driver.stopped()) {
                Throwable f = driver.failure();
                options.console().println("[" + config.name() + "] sink failed: " + firstLine(f));
                return ExitCode.SINK_FAILED;
            }
            if (sinkConnector.raised() != null) {
                options.console()
                        .println("[" + config.name() + "] sink connector failed: " + firstLine(sinkConnector.raised()));
                return ExitCode.SINK_FAILED;
            }
            if (engine.finished()) {
                Throwable f = engine.failure();
                if (f == null) {
                    options.console().println("[" + config.name() + "] the source engine stopped");
                    return ExitCode.SOURCE_FAILED;
                }
                ExitCode code = isOffsetFailure(f) ? ExitCode.OFFSETS_FAILED : ExitCode.SOURCE_FAILED;
                options.console().println("[" + config.name() + "] source failed: " + firstLine(f));
                return code;
            }
            Throwable offsetFailure = OffsetFile.failure(offsets);
            if (offsetFailure != null) {
                options.console().println("[" + config.name() + "] " + offsetFailure.getMessage());
                return ExitCode.OFFSETS_FAILED;
            }
            if (stopRequested) {
                return options.once() ? ExitCode.INTERRUPTED : ExitCode.OK;
            }
            if (options.once()
                    && source.idleMillis() >= onceIdle
                    && handoff.uncommitted() == 0
                    && !metrics.initialLoadRunning()) {
                LOG.info("Caught up: no source record for {} ms and everything committed", source.idleMillis());
                return ExitCode.OK;
            }
            long now = System.currentTimeMillis();
            if (now >= nextProgress) {
                progress.print("running");
                nextProgress = now + progressEvery;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCode.INTERRUPTED;
            }
        }
    }

    private ExitCode failureAfterStop(SourceEngine engine, SinkDriver driver) {
        if (driver != null && driver.failure() != null) {
            return ExitCode.SINK_FAILED;
        }
        if (OffsetFile.failure(config.offsetsFile()) != null) {
            return ExitCode.OFFSETS_FAILED;
        }
        if (engine != null && engine.failure() != null) {
            return isOffsetFailure(engine.failure()) ? ExitCode.OFFSETS_FAILED : ExitCode.SOURCE_FAILED;
        }
        return null;
    }

    private void stopAll(Handoff handoff, SinkDriver driver, Thread sinkThread, SourceEngine engine) {
        long timeout = config.getLong(PipelineConfig.SHUTDOWN_TIMEOUT_MS);
        handoff.close();
        if (driver != null) {
            driver.requestStop(driver.failure() == null);
        }
        try {
            if (sinkThread != null) {
                sinkThread.join(timeout);
                if (sinkThread.isAlive()) {
                    LOG.warn("The sink task did not stop within {} ms", timeout);
                }
            }
            if (engine != null) {
                engine.close(timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Marks confirmed records processed with their source task's committer, then commits each task's offsets. */
    private static void commitSource(List<InFlightRecord> records) {
        Map<RecordCommitter<RecordChangeEvent<SourceRecord>>, Boolean> committers = new IdentityHashMap<>();
        try {
            for (InFlightRecord r : records) {
                r.committer().markProcessed(r.event());
                committers.put(r.committer(), Boolean.TRUE);
            }
            for (RecordCommitter<RecordChangeEvent<SourceRecord>> c : committers.keySet()) {
                c.markBatchFinished();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isOffsetFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OffsetFile.OffsetFileException) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        if (t == null) {
            return "stopped";
        }
        Throwable root = t;
        while (root.getCause() != null
                && (root.getMessage() == null || root.getMessage().startsWith("Exiting"))) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private Properties engineProps(Map<String, String> sourceConfig, SourceRuntime runtime) {
        Properties p = new Properties();
        p.setProperty("name", sourceConfig.get(ConnectorConfig.NAME_CONFIG));
        p.setProperty("connector.class", IsolatedSourceConnector.class.getName());
        p.setProperty(IsolatedSourceConnector.RUNTIME_ID, runtime.id());
        p.setProperty("tasks.max", sourceConfig.getOrDefault(ConnectorConfig.TASKS_MAX_CONFIG, "1"));
        p.setProperty("offset.storage", OffsetFile.class.getName());
        p.setProperty(
                StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG,
                config.offsetsFile().toString());
        p.setProperty("offset.flush.timeout.ms", "30000");
        // a RetriableException from poll() is retried without limit, as a worker does
        p.setProperty("errors.max.retries", "-1");
        return p;
    }

    private WorkerConfig workerConfig() {
        Map<String, String> p = new HashMap<>();
        // never contacted: the runner has no Kafka; the worker config only carries metrics settings here
        p.put(WorkerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        p.put(WorkerConfig.KEY_CONVERTER_CLASS_CONFIG, JsonConverter.class.getName());
        p.put(WorkerConfig.VALUE_CONVERTER_CLASS_CONFIG, JsonConverter.class.getName());
        p.put(
                StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG,
                config.offsetsFile().toString());
        return new StandaloneConfig(p);
    }

    /** The pipeline file's own transform chain: it runs on the sink side, before the sink config's chain. */
    private List<TransformationStage<SinkRecord>> pipelineStages(
            Plugins plugins, String sinkClass, ConnectorTaskId taskId, ConnectMetrics connectMetrics) {
        Map<String, String> chain = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.equals(ConnectorConfig.TRANSFORMS_CONFIG)
                    || k.startsWith(ConnectorConfig.TRANSFORMS_CONFIG + ".")
                    || k.equals(ConnectorConfig.PREDICATES_CONFIG)
                    || k.startsWith(ConnectorConfig.PREDICATES_PREFIX)) {
                chain.put(k, v);
            }
        });
        if (chain.isEmpty()) {
            return List.of();
        }
        chain.put(ConnectorConfig.NAME_CONFIG, config.name());
        chain.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, sinkClass);
        try {
            return new ConnectorConfig(plugins, chain).transformationStages(plugins, taskId, connectMetrics);
        } catch (ConfigException e) {
            throw new PipelineException(
                    ExitCode.CONFIG, "The pipeline's transform chain is invalid: " + e.getMessage(), e);
        }
    }

    private static Predicate<String> subscription(Map<String, String> sinkConfig) {
        if (SinkConnectorConfig.hasTopicsConfig(sinkConfig)) {
            Set<String> topics = Set.copyOf(ConnectorValidator.list(sinkConfig.get(SinkConnectorConfig.TOPICS_CONFIG)));
            return topics::contains;
        }
        Pattern regex = Pattern.compile(
                sinkConfig.get(SinkConnectorConfig.TOPICS_REGEX_CONFIG).trim());
        return t -> regex.matcher(t).matches();
    }

    private static int maxPollRecords(Map<String, String> sinkConfig) {
        String v = sinkConfig.get(ConnectorConfig.CONNECTOR_CLIENT_CONSUMER_OVERRIDES_PREFIX + "max.poll.records");
        try {
            return v == null ? 500 : Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new PipelineException(ExitCode.CONFIG, "consumer.override.max.poll.records is not a number: " + v);
        }
    }

    private static void inLoader(ClassLoader loader, Runnable action) {
        callInLoader(loader, () -> {
            action.run();
            return null;
        });
    }

    private static <T> T callInLoader(ClassLoader loader, Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * The sink connector's context: task reconfiguration has nothing to act on in one process; an error the
     * connector raises fails the run.
     */
    private static final class SinkConnectorContext implements ConnectorContext {
        private final PluginMetricsImpl metrics;
        private volatile Exception raised;

        SinkConnectorContext(PluginMetricsImpl metrics) {
            this.metrics = metrics;
        }

        @Override
        public void requestTaskReconfiguration() {
            LOG.debug("Sink connector asked for task reconfiguration; the runner keeps its one task");
        }

        @Override
        public void raiseError(Exception e) {
            LOG.error("Sink connector raised an error: {}", e.getMessage(), e);
            raised = e;
        }

        Exception raised() {
            return raised;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return metrics;
        }
    }
}
