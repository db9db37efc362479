package io.crmconnect.hubspot.sink;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.common.sink.HandledOffsets;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotException;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes records to HubSpot; see {@link SinkWriter}. */
public class HubSpotSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSinkTask.class);
    static final String TASK_COUNT = "task.count";

    private HubSpotSinkConfig config;
    private HubSpotClient client;
    private SinkWriter writer;
    private ErrantRecordReporter reporter;
    private final List<Future<Void>> pendingReports = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    /**
     * Records of batches not yet fully written that this task already sent to the DLQ: a batch handed back after a
     * transient failure is redelivered whole, and its bad records must not reach the DLQ a second time.
     */
    private final HandledOffsets deadLettered = new HandledOffsets();
    private long lastLog;
    private long retryBudgetMs;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new HubSpotSinkConfig(props);
        int tasks = Integer.parseInt(props.getOrDefault(TASK_COUNT, "1"));
        retryBudgetMs = config.connection().retryBudget().toMillis();
        client = new HubSpotClientFactory(config.connection()).taskClient(tasks);
        try {
            reporter = context == null ? null : RuntimeSupport.errantRecordReporter(context).orElse(null);
        } catch (RuntimeException e) {
            reporter = null;
        }
        String objectType;
        try {
            objectType = PropertyCatalog.resolveObjectType(client, config.object());
        } catch (HubSpotRetriableException e) {
            throw new RetriableException("HubSpot unreachable while starting: " + e.getMessage(), e);
        }
        if (objectType == null) {
            throw new ConnectException("HubSpot object " + config.object() + " does not exist (object)");
        }
        PropertyCatalog catalog = PropertyCatalog.load(client, objectType);
        writer = new SinkWriter(client, config, catalog, this::deadLetter);
        registerMetrics();
        LOG.info("HubSpot sink task started: object {} ({}), mode {}, {} match tier(s), DLQ {}", config.object(),
                objectType, config.writeMode(), config.tiers().size(), reporter == null ? "off" : "on");
    }

    /** Task counters as PluginMetrics gauges (KIP-877) where the worker supports them. */
    private void registerMetrics() {
        if (context == null) {
            return;
        }
        RuntimeSupport.pluginMetrics(context).ifPresent(pm -> {
            try {
                SinkWriter.Stats st = writer.stats;
                gauge(pm, "records-created", "Records created in HubSpot", st.created::get);
                gauge(pm, "records-updated", "Records updated in HubSpot", st.updated::get);
                gauge(pm, "records-skipped", "Records skipped (guards, create-only matches, nothing to change)",
                        st.skipped::get);
                gauge(pm, "records-archived", "Objects archived for tombstones", st.archived::get);
                gauge(pm, "records-dead-lettered", "Records sent to the dead-letter topic", st.deadLettered::get);
                gauge(pm, "associations-created", "Associations created", st.associations::get);
                gauge(pm, "api-calls", "API calls sent (general budget)", client.budget()::calls);
                gauge(pm, "api-search-calls", "Search calls sent", client.budget()::searchCalls);
                gauge(pm, "api-429-count", "429 answers received", client.budget()::throttled);
            } catch (RuntimeException e) {
                LOG.info("Plugin metrics unavailable: {}", e.toString());
            }
        });
    }

    private static void gauge(org.apache.kafka.common.metrics.PluginMetrics pm, String name, String doc,
            java.util.function.LongSupplier value) {
        org.apache.kafka.common.MetricName mn = pm.metricName(name, doc, new java.util.LinkedHashMap<>());
        pm.addMetric(mn, (org.apache.kafka.common.metrics.Gauge<Long>) (cfg, now) -> value.getAsLong());
    }

    /** Builds a record copy carrying the failure in headers, then hands it to Connect's errant record reporter. */
    private void deadLetter(SinkRecord r, Failure f) {
        HubSpotSinkRecordException ex = new HubSpotSinkRecordException(f.summary());
        if (reporter == null) {
            throw new ConnectException("Record " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
                    + " cannot be written and no dead-letter queue is configured "
                    + "(set errors.tolerance=all and errors.deadletterqueue.topic.name): " + f.summary());
        }
        // where the record was consumed (before SMTs renamed its topic): the ledger's key and the DLQ's coordinates
        TopicPartition consumedFrom = RuntimeSupport.originalTopicPartition(r);
        long consumedAt = RuntimeSupport.originalOffset(r);
        if (!deadLettered.add(consumedFrom, consumedAt)) {
            LOG.debug("record {}@{} was already dead-lettered by this task (redelivered batch)", consumedFrom,
                    consumedAt);
            return;
        }
        Headers h = new ConnectHeaders();
        r.headers().forEach(h::add);
        h.addString(Failure.H_REASON, f.reason());
        h.addString(Failure.H_MESSAGE, f.message() == null ? "" : f.message());
        if (f.category() != null) {
            h.addString(Failure.H_CATEGORY, f.category());
        }
        if (f.status() > 0) {
            h.addString(Failure.H_STATUS, Integer.toString(f.status()));
        }
        h.addString(Failure.H_CONTEXT, f.contextText());
        if (f.correlationId() != null) {
            h.addString(Failure.H_CORRELATION, f.correlationId());
        }
        List<String> objectIds = f.context() == null ? null : f.context().get("objectId");
        if (objectIds != null && !objectIds.isEmpty()) {
            h.addString(Failure.H_OBJECT_ID, objectIds.get(0));
        }
        // A plain SinkRecord (not the runtime's internal one) makes the reporter serialize these headers too. It
        // carries where the record was consumed, so the DLQ's __connect.errors.topic/partition/offset point at it
        // even when an SMT renamed the topic.
        SinkRecord copy = new SinkRecord(consumedFrom.topic(), consumedFrom.partition(), r.keySchema(), r.key(),
                r.valueSchema(), r.value(), consumedAt, r.timestamp(), r.timestampType(), h);
        Future<Void> sent = reporter.report(copy, ex);
        synchronized (pendingReports) {
            pendingReports.add(sent);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            writer.write(new ArrayList<>(records));
        } catch (HubSpotRetriableException e) {
            long wait = Math.max(1_000, Math.min(60_000, e.retryAfterMillis()));
            if (context != null) {
                context.timeout(wait);
            }
            LOG.warn("HubSpot is not answering normally ({}); the batch of {} records is redelivered in {} ms. "
                    + "Writes are idempotent, nothing is created twice.", e.getMessage(), records.size(), wait);
            throw new RetriableException(e.getMessage(), e);
        } catch (HubSpotException e) {
            throw new ConnectException("HubSpot refused a call that is not about one record: " + e.getMessage(), e);
        }
        // Keyed by where each record was consumed (before SMTs renamed its topic): what preCommit is asked about.
        Map<TopicPartition, Long> batchEnd = new HashMap<>();
        for (SinkRecord r : records) {
            batchEnd.merge(RuntimeSupport.originalTopicPartition(r), RuntimeSupport.originalOffset(r) + 1, Math::max);
        }
        batchEnd.forEach((tp, next) -> {
            OffsetAndMetadata prev = written.get(tp);
            if (prev == null || prev.offset() < next) {
                written.put(tp, new OffsetAndMetadata(next));
            }
            deadLettered.pruneBelow(tp, next);
        });
        long now = System.currentTimeMillis();
        if (now - lastLog > 30_000) {
            lastLog = now;
            LOG.info("HubSpot sink progress: {}; requests {} (throttled {})", writer.stats, client.budget().calls(),
                    client.budget().throttled());
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
        awaitReports();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : current.keySet()) {
            OffsetAndMetadata w = written.get(tp);
            if (w != null) {
                out.put(tp, w);
            }
        }
        return out;
    }

    private synchronized void awaitReports() {
        List<Future<Void>> reports;
        synchronized (pendingReports) {
            reports = new ArrayList<>(pendingReports);
            pendingReports.clear();
        }
        for (Future<Void> f : reports) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while writing to the dead-letter topic", e);
            } catch (ExecutionException e) {
                throw new ConnectException("could not write to the dead-letter topic: " + e.getCause(), e);
            }
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(written::remove);
        deadLettered.forget(partitions);
    }

    @Override
    public void stop() {
        if (writer != null) {
            LOG.info("HubSpot sink task stopping: {}", writer.stats);
            writer.close();
        }
        if (client != null) {
            client.close();
        }
    }

    SinkWriter writer() {
        return writer;
    }

    /** Counters of this task (created, updated, skipped, archived, dead-lettered, matches by tier). */
    public String statsSummary() {
        return writer == null ? "" : writer.stats.toString();
    }

    /** Requests this task sent and how many of them HubSpot throttled (429). */
    public long[] requestCounts() {
        return client == null ? new long[] {0, 0, 0} : new long[] {client.budget().calls(),
            client.budget().searchCalls(), client.budget().throttled()};
    }
}
