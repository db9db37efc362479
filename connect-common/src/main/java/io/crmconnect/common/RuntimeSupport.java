package io.crmconnect.common;

import java.util.Optional;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Newer Connect runtime APIs, guarded so one plugin artifact still runs on older workers: the method may be missing
 * (NoSuchMethodError) or return null when the feature is not configured.
 */
public final class RuntimeSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeSupport.class);

    private RuntimeSupport() {
    }

    /** The DLQ reporter; empty when the worker predates 2.6 or the connector has no errors.tolerance/DLQ set. */
    public static Optional<ErrantRecordReporter> errantRecordReporter(SinkTaskContext context) {
        try {
            return Optional.ofNullable(context.errantRecordReporter());
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            LOG.info("This Connect worker predates ErrantRecordReporter (Kafka 2.6); bad records fail the task");
            return Optional.empty();
        }
    }

    /** Plugin metrics (KIP-877); empty on workers older than Kafka 4.1. */
    public static Optional<PluginMetrics> pluginMetrics(SinkTaskContext context) {
        try {
            return Optional.ofNullable(context.pluginMetrics());
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            LOG.info("This Connect worker predates PluginMetrics (Kafka 4.1); domain metrics are not published");
            return Optional.empty();
        }
    }

    /** Plugin metrics (KIP-877); empty on workers older than Kafka 4.1. */
    public static Optional<PluginMetrics> pluginMetrics(SourceTaskContext context) {
        try {
            return Optional.ofNullable(context.pluginMetrics());
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            LOG.info("This Connect worker predates PluginMetrics (Kafka 4.1); domain metrics are not published");
            return Optional.empty();
        }
    }
}
