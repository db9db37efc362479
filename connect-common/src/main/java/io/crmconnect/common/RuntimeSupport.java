package io.crmconnect.common;

import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
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

    private RuntimeSupport() {}

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

    /**
     * The topic a sink record was consumed from, before any SMT renamed it (KIP-793, Kafka 3.6): the key Connect
     * passes to {@code preCommit} and {@code close}. Older workers: the record's topic.
     */
    public static String originalTopic(SinkRecord r) {
        try {
            return r.originalTopic();
        } catch (NoSuchMethodError e) {
            return r.topic();
        }
    }

    /** The partition a sink record was consumed from, before any SMT changed it (KIP-793). */
    public static int originalPartition(SinkRecord r) {
        try {
            Integer p = r.originalKafkaPartition();
            return p == null ? r.kafkaPartition() : p;
        } catch (NoSuchMethodError e) {
            return r.kafkaPartition();
        }
    }

    /** The offset a sink record was consumed at, before any SMT changed it (KIP-793). */
    public static long originalOffset(SinkRecord r) {
        try {
            return r.originalKafkaOffset();
        } catch (NoSuchMethodError e) {
            return r.kafkaOffset();
        }
    }

    /** {@link #originalTopic} and {@link #originalPartition} together. */
    public static TopicPartition originalTopicPartition(SinkRecord r) {
        return new TopicPartition(originalTopic(r), originalPartition(r));
    }
}
