package io.crmconnect.hubspot.sink;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.Redact;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.common.sink.DeadLetterQueue;
import io.crmconnect.common.sink.SinkDelivery;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotException;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to HubSpot; see {@link SinkWriter}.
 *
 * <p>Connect calls {@link #stop()} (and hands partitions over in a rebalance) only once {@link #put} has returned, so
 * a put() that sleeps through a long retry budget holds a delete, a restart or a rebalance until it returns (the
 * worker gives up waiting after 5 s and leaves the thread writing). So put()'s calls retry for at most
 * {@value #PUT_CALL_RETRY_MS} ms each; a failure that outlasts that hands the batch back with
 * {@code RetriableException} and the wait goes to Connect ({@code context.timeout}: the redelivery waits in the
 * consumer's poll, which a stop wakes at once), growing from 1 s (or the server's delay) to 60 s while failures
 * last.
 */
public class HubSpotSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSinkTask.class);
    static final String TASK_COUNT = "task.count";
    /** Retry budget of one call inside put(); longer waits happen between redeliveries. */
    static final long PUT_CALL_RETRY_MS = 3_000;

    private static final long MAX_REDELIVERY_WAIT_MS = 60_000;

    private HubSpotSinkConfig config;
    private HubSpotClient client;
    private SinkWriter writer;
    /** Committed offsets, dead letters, and what a redelivered batch already had written or dead-lettered. */
    private SinkDelivery delivery;

    private long lastLog;
    private long retryBudgetMs;
    /** put() calls in a row that ended in a transient failure. */
    private int failedPuts;

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
        delivery = new SinkDelivery(new DeadLetterQueue(
                context, props, "HubSpot sink", Redact.withSecret(config.getPassword(Redact.SECRET_CONFIG))));
        String objectType;
        try {
            objectType = PropertyCatalog.resolveObjectType(client, config.object());
        } catch (HubSpotRetriableException e) {
            throw new RetriableException(
                    "HubSpot unreachable while starting: " + e.getMessage(), ErrorSanitizer.DEFAULT.scrub(e));
        }
        if (objectType == null) {
            throw new ConnectException("HubSpot object " + config.object() + " does not exist (object)");
        }
        PropertyCatalog catalog = PropertyCatalog.load(client, objectType);
        HubSpotClient putClient = client.withBackoff(new Backoff(
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                50,
                Duration.ofMillis(Math.min(retryBudgetMs, PUT_CALL_RETRY_MS))));
        writer = new SinkWriter(
                putClient, config, catalog, delivery::deadLetter, delivery::written, delivery::consumeAgain);
        registerMetrics();
        LOG.info(
                "HubSpot sink task started: object {} ({}), mode {}, {} match tier(s), DLQ {}",
                config.object(),
                objectType,
                config.writeMode(),
                config.tiers().size(),
                delivery.deadLetters().hasReporter() ? "on" : "off");
    }

    /** Task counters as PluginMetrics gauges (KIP-877) where the worker supports them. */
    private void registerMetrics() {
        if (context == null) {
            return;
        }
        RuntimeSupport.pluginMetrics(context).ifPresent(pm -> {
            try {
                SinkStats st = writer.stats;
                gauge(pm, "records-created", "Records created in HubSpot", st.created::get);
                gauge(pm, "records-updated", "Records updated in HubSpot", st.updated::get);
                gauge(
                        pm,
                        "records-skipped",
                        "Records skipped (guards, create-only matches, nothing to change)",
                        st.skipped::get);
                gauge(pm, "records-archived", "Objects archived for tombstones", st.archived::get);
                gauge(pm, "records-dead-lettered", "Records sent to the dead-letter topic", st.deadLettered::get);
                // the name every CRM Connect sink uses for this count (docs/guides/operations.md)
                gauge(pm, "dead-letters-total", "Records sent to the dead-letter topic", st.deadLettered::get);
                gauge(
                        pm,
                        "records-changed-since-planned",
                        "Records not written because their HubSpot record "
                                + "changed after they were planned; consumed again",
                        st.changedSincePlanned::get);
                gauge(pm, "associations-created", "Associations created", st.associations::get);
                gauge(pm, "api-calls", "API calls sent (general budget)", client.budget()::calls);
                gauge(pm, "api-search-calls", "Search calls sent", client.budget()::searchCalls);
                gauge(pm, "api-429-count", "429 answers received", client.budget()::throttled);
                gauge(
                        pm,
                        "api-wait-ms",
                        "Time spent waiting for the rate budget (pacing, Retry-After)",
                        client.budget()::waitedMillis);
            } catch (RuntimeException e) {
                LOG.info("Plugin metrics unavailable: {}", e.toString());
            }
        });
    }

    private static void gauge(
            org.apache.kafka.common.metrics.PluginMetrics pm, String name, String doc, LongSupplier value) {
        org.apache.kafka.common.MetricName mn = pm.metricName(name, doc, new LinkedHashMap<>());
        pm.addMetric(mn, (org.apache.kafka.common.metrics.Gauge<Long>) (cfg, now) -> value.getAsLong());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<SinkRecord> todo = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            if (!delivery.isHandled(r)) {
                todo.add(r); // else written or dead-lettered by an earlier attempt at this batch, or a replay
            }
        }
        try {
            writer.write(todo);
        } catch (HubSpotRetriableException e) {
            failedPuts++;
            long wait = Math.min(
                    MAX_REDELIVERY_WAIT_MS, Math.max(e.retryAfterMillis(), 1_000L << Math.min(failedPuts - 1, 6)));
            if (context != null) {
                context.timeout(wait);
            }
            LOG.warn(
                    "HubSpot is not answering normally ({}); the batch of {} records is redelivered in {} ms. "
                            + "Writes are idempotent, nothing is created twice.",
                    e.getMessage(),
                    records.size(),
                    wait);
            throw new RetriableException(e.getMessage(), ErrorSanitizer.DEFAULT.scrub(e));
        } catch (HubSpotException e) {
            throw new ConnectException(
                    "HubSpot refused a call that is not about one record: " + e.getMessage(),
                    ErrorSanitizer.DEFAULT.scrub(e));
        }
        failedPuts = 0;
        delivery.completed(records);
        Map<TopicPartition, Long> again = delivery.takeConsumeAgain();
        if (!again.isEmpty() && context != null) {
            // the transforms that planned these records plan them again against the records as they are now
            context.offset(again);
            LOG.info(
                    "HubSpot {}: records changed since they were planned; consuming again from {}",
                    config.object(),
                    again);
        }
        long now = System.currentTimeMillis();
        if (now - lastLog > 30_000) {
            lastLog = now;
            LOG.info(
                    "HubSpot sink progress: {}; requests {} (throttled {})",
                    writer.stats,
                    client.budget().calls(),
                    client.budget().throttled());
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
        return delivery.preCommit(current);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        delivery.close(partitions);
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
}
