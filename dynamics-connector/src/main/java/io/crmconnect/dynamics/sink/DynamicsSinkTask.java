package io.crmconnect.dynamics.sink;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.common.sink.DeadLetterQueue;
import io.crmconnect.common.sink.SinkDelivery;
import io.crmconnect.dynamics.client.DynamicsApiException;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsRetriableException;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.connection.DynamicsConnection;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle and delivery bookkeeping of the Dynamics 365 sink: the writing is {@link DynamicsSinkWriter}'s; which
 * records are handled, the dead letters and the offsets to commit are connect-common's {@link SinkDelivery}. A
 * batch that meets a persistent transient failure is handed back as a {@link RetriableException}; on redelivery the
 * records already written or dead-lettered are skipped.
 */
public class DynamicsSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicsSinkTask.class);
    static final String SYSTEM = "dynamics365";

    private DynamicsClient client;
    private DynamicsSinkWriter writer;
    private SinkDelivery delivery;
    private ExecutorService pool;
    private final SinkMetrics metrics = new SinkMetrics();
    private String table;
    private long lastLog;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        DynamicsSinkConfig config = new DynamicsSinkConfig(props);
        DynamicsConnection conn = config.connection();
        table = config.table();
        client = conn.client(Math.max(1, config.getInt(DynamicsSinkConfig.TASK_COUNT)));
        delivery = new SinkDelivery(new DeadLetterQueue(context, props, "Dynamics 365 sink", config.redact()));
        TargetTable target;
        boolean bulk;
        try {
            TableMetadata md = client.table(table);
            if (md == null) {
                throw new ConnectException("Dynamics 365 table '" + table + "' does not exist (table): use its "
                        + "logical name, e.g. contact");
            }
            target = TargetTable.resolve(client, md, config);
            bulk = config.writeApi() == WriteApi.AUTO
                    && client.supportsMessage("UpsertMultiple", md.logicalName())
                            .orElse(true);
        } catch (DynamicsRetriableException e) {
            throw new RetriableException("Dynamics 365 unreachable while starting: " + e.getMessage(), e);
        } catch (DynamicsApiException e) {
            throw new ConnectException("Dynamics 365 sink cannot start: " + e.getMessage(), e);
        }
        if (!target.problems.isEmpty()) {
            throw new ConnectException(
                    "Dynamics 365 sink configuration does not match table " + table + ": " + target.problems);
        }
        List<String> names = new ArrayList<>(target.columnsByName.keySet());
        client.sanitizeKeeping(names);
        int inFlight = config.getInt(DynamicsSinkConfig.IN_FLIGHT);
        pool = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "dynamics-sink-" + table);
            t.setDaemon(true);
            return t;
        });
        WriteExecutor executor = new WriteExecutor(
                client,
                target,
                config.writeMode(),
                config.writeApi(),
                bulk,
                config.getInt(DynamicsSinkConfig.BATCH_SIZE),
                pool,
                new Backoff(
                        Duration.ofMillis(500), Duration.ofSeconds(10), 8, Duration.ofMillis(conn.retryBudgetMs())));
        writer = new DynamicsSinkWriter(client, target, config, executor);
        if (context != null) {
            metrics.register(RuntimeSupport.pluginMetrics(context), client.budget(), executor);
        }
        LOG.info(
                "Dynamics 365 sink task started: table {} by {}, mode {}, {}, {} in flight, DLQ {}",
                table,
                target.byAlternateKey() ? "alternate key " + target.keyName + " " + target.keyColumns : "row id",
                config.writeMode().name().toLowerCase(Locale.ROOT),
                bulk ? "UpsertMultiple" : "$batch",
                inFlight,
                delivery.deadLetters().hasReporter() ? "on" : "off");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<SinkRecord> todo = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            if (!delivery.isHandled(r)) {
                todo.add(r);
            }
        }
        try {
            writer.write(todo, new TaskOutcomes());
        } catch (DynamicsRetriableException e) {
            long wait = Math.max(1_000, Math.min(60_000, e.retryAfterMillis()));
            if (context != null) {
                context.timeout(wait);
            }
            LOG.warn(
                    "Dynamics 365 is not answering normally ({}); the batch of {} records is redelivered in {} ms; "
                            + "rows already written are not written again",
                    e.getMessage(),
                    records.size(),
                    wait);
            throw new RetriableException(e.getMessage(), e);
        } catch (DynamicsApiException e) {
            throw new ConnectException(
                    "Dynamics 365 refused a call that is not about one record"
                            + (e.isAuthentication() ? " (check dynamics.client.id / dynamics.client.secret)" : "")
                            + (e.isPrivilege()
                                    ? " (the application user's security role lacks a privilege on " + table + ")"
                                    : "")
                            + ": " + e.getMessage(),
                    e);
        }
        delivery.completed(records);
        Map<TopicPartition, Long> again = delivery.takeConsumeAgain();
        if (!again.isEmpty() && context != null) {
            // the transforms that planned these records plan them again against the rows as they are now
            context.offset(again);
            LOG.info(
                    "Dynamics 365 {}: rows changed since their records were planned (If-Match refused); consuming "
                            + "again from {}",
                    table,
                    again);
        }
        long now = System.currentTimeMillis();
        if (now - lastLog > 30_000) {
            lastLog = now;
            LOG.info(
                    "Dynamics 365 sink progress ({}): {}; requests {} (throttled {})",
                    table,
                    metrics,
                    client.budget().calls(),
                    client.budget().throttled());
        }
    }

    /** Outcomes into the delivery ledger and the counters (called from the writer's threads). */
    private final class TaskOutcomes implements Outcomes {
        @Override
        public void written(SinkRow row, WritePlan.Action action) {
            delivery.written(row.record());
            switch (action) {
                case CREATE -> metrics.created.incrementAndGet();
                case UPDATE -> metrics.updated.incrementAndGet();
                default -> metrics.upserted.incrementAndGet();
            }
        }

        @Override
        public void skipped(SinkRecord record, WritePlan.Action why) {
            delivery.written(record);
            if (why == WritePlan.Action.SKIP_UNCHANGED) {
                metrics.unchanged.incrementAndGet();
            } else {
                metrics.skipped.incrementAndGet();
            }
        }

        @Override
        public void deleted(SinkRow row) {
            delivery.written(row.record());
            metrics.deleted.incrementAndGet();
        }

        @Override
        public void changedSincePlanned(SinkRecord record) {
            delivery.consumeAgain(record);
            metrics.changedSincePlanned.incrementAndGet();
        }

        @Override
        public void failed(SinkRecord record, RecordFailure f) {
            if (delivery.deadLetter(record, deadLetter(f))) {
                metrics.deadLettered.incrementAndGet();
            }
        }
    }

    /**
     * The shared dead-letter contract: reason, system, Dataverse's code and status, the message (ours, or
     * Dataverse's already sanitized by the client with the table's column names kept readable).
     */
    static DeadLetter deadLetter(RecordFailure f) {
        return new DeadLetter(
                f.reason(), SYSTEM, f.code(), f.status(), f.message(), f.context(), f.requestId(), f.rowId());
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
        LOG.info("Dynamics 365 sink task stopping ({}): {}", table, metrics);
        if (pool != null) {
            pool.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
    }

    SinkMetrics metrics() {
        return metrics;
    }

    /** For the benchmark and tests: the client's budget counters. */
    DynamicsClient client() {
        return client;
    }
}
