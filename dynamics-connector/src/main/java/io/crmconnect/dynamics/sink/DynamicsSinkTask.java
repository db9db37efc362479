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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * records are handled, the dead letters and the offsets to commit are connect-common's {@link SinkDelivery}.
 *
 * <p>put() does not wait for its writes: a batch stays pending while its calls are in flight (at most
 * {@link #MAX_PENDING} batches), so the service-protection budget is used while the next batch is read and planned.
 * Pending batches complete in the order they were put; offsets are committed only below the first record of a
 * pending batch. When a write fails transiently beyond the retry budget, every call in flight is let end and each
 * partition is consumed again from the first record of the oldest pending batch (records already written or
 * dead-lettered are skipped then), so rows are still written in offset order.
 */
public class DynamicsSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicsSinkTask.class);
    static final String SYSTEM = "dynamics365";

    private DynamicsClient client;
    private DynamicsSinkWriter writer;
    private SinkDelivery delivery;
    private ExecutorService pool;
    private ExecutorService readPool;
    /** Batches put whose writes have not all ended, oldest first. */
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** At most this many batches have writes in flight; put() waits for the oldest beyond. */
    static final int MAX_PENDING = 2;

    private final SinkMetrics metrics = new SinkMetrics();
    private String table;
    private long lastLog;
    private final Outcomes outcomes = new TaskOutcomes();

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
        readPool = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "dynamics-sink-read-" + table);
            t.setDaemon(true);
            return t;
        });
        writer = new DynamicsSinkWriter(client, target, config, executor, readPool);
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
        List<SinkRecord> batch = new ArrayList<>(records);
        try {
            completeEnded();
            while (pending.size() >= MAX_PENDING) {
                pending.peekFirst().await();
                completeEnded();
            }
            if (batch.isEmpty()) {
                return;
            }
            List<SinkRecord> todo = new ArrayList<>(batch.size());
            for (SinkRecord r : batch) {
                if (!delivery.isHandled(r)) {
                    todo.add(r);
                }
            }
            pending.addLast(new Pending(batch, writer.write(todo, outcomes)));
            completeEnded();
        } catch (DynamicsRetriableException e) {
            consumeAgain(batch, Set.of(), e);
        } catch (DynamicsApiException e) {
            throw permanent(e);
        }
        long now = System.currentTimeMillis();
        if (now - lastLog > 30_000) {
            lastLog = now;
            LOG.info(
                    "Dynamics 365 sink progress ({}): {}; requests {} (throttled {}), {} batches writing",
                    table,
                    metrics,
                    client.budget().calls(),
                    client.budget().throttled(),
                    pending.size());
        }
    }

    private ConnectException permanent(DynamicsApiException e) {
        return new ConnectException(
                "Dynamics 365 refused a call that is not about one record"
                        + (e.isAuthentication() ? " (check dynamics.client.id / dynamics.client.secret)" : "")
                        + (e.isPrivilege()
                                ? " (the application user's security role lacks a privilege on " + table + ")"
                                : "")
                        + ": " + e.getMessage(),
                e);
    }

    /**
     * Completes the oldest pending batches whose writes all ended well, in order; throws the error of the oldest
     * one that failed.
     */
    private void completeEnded() {
        while (!pending.isEmpty() && pending.peekFirst().ended()) {
            Pending p = pending.peekFirst();
            RuntimeException failure = p.failure();
            if (failure != null) {
                throw failure;
            }
            pending.pollFirst();
            delivery.completed(p.records);
            Map<TopicPartition, Long> again = delivery.takeConsumeAgain();
            if (!again.isEmpty() && context != null) {
                // the transforms that planned these records plan them again against the rows as they are now
                context.offset(again);
                LOG.info(
                        "Dynamics 365 {}: rows changed since their records were planned (If-Match refused); "
                                + "consuming again from {}",
                        table,
                        again);
            }
        }
    }

    /**
     * A write failed transiently beyond the retry budget: lets every call in flight end, then has each partition
     * consumed again from the first record of the oldest batch not completed (this one included), so no row is
     * written out of offset order; records written or dead-lettered meanwhile are skipped when they come again.
     */
    private void consumeAgain(List<SinkRecord> current, Set<TopicPartition> closing, DynamicsRetriableException e) {
        writer.awaitAll();
        List<List<SinkRecord>> open = new ArrayList<>();
        pending.forEach(p -> open.add(p.records));
        pending.clear();
        if (!current.isEmpty() && (open.isEmpty() || open.get(open.size() - 1) != current)) {
            open.add(current);
        }
        for (List<SinkRecord> b : open) {
            Set<TopicPartition> seen = new HashSet<>();
            for (SinkRecord r : b) {
                if (seen.add(RuntimeSupport.originalTopicPartition(r))) {
                    delivery.consumeAgain(r);
                }
            }
        }
        open.forEach(delivery::completed);
        Map<TopicPartition, Long> again = delivery.takeConsumeAgain();
        if (context != null) {
            again.keySet().retainAll(context.assignment());
            again.keySet().removeAll(closing);
            context.offset(again);
        }
        LOG.warn(
                "Dynamics 365 is not answering normally ({}); consuming again from {}; rows already written are not "
                        + "written again",
                e.getMessage(),
                again);
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

    /**
     * Commits what is written: batches whose writes ended are completed first (a failed one is left to the next
     * put()), and no partition commits past the first record of a batch still pending.
     */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
        try {
            completeEnded();
        } catch (RuntimeException e) {
            // the next put() consumes the failed batch again
        }
        Map<TopicPartition, OffsetAndMetadata> capped = new HashMap<>(current);
        for (Pending p : pending) {
            p.first.forEach((tp, offset) -> capped.computeIfPresent(
                    tp, (k, delivered) -> delivered.offset() > offset ? new OffsetAndMetadata(offset) : delivered));
        }
        return delivery.preCommit(capped);
    }

    /** Lets the writes in flight end before the partitions go, so what they wrote is known to the ledger. */
    @Override
    public void close(Collection<TopicPartition> partitions) {
        awaitWrites(Set.copyOf(partitions));
        delivery.close(partitions);
    }

    /**
     * Lets every write in flight end and completes the pending batches (a transient failure has them consumed
     * again from their first records, except on the partitions {@code closing}).
     */
    void awaitWrites(Set<TopicPartition> closing) {
        if (pending.isEmpty()) {
            return;
        }
        writer.awaitAll();
        try {
            completeEnded();
        } catch (DynamicsRetriableException e) {
            consumeAgain(List.of(), closing, e);
        } catch (DynamicsApiException e) {
            pending.clear(); // not committed: written again when consumed again
            throw permanent(e);
        }
    }

    @Override
    public void stop() {
        LOG.info("Dynamics 365 sink task stopping ({}): {}", table, metrics);
        if (pool != null) {
            pool.shutdownNow();
        }
        if (readPool != null) {
            readPool.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
    }

    SinkMetrics metrics() {
        return metrics;
    }

    /** A batch put whose write calls have not all been accounted for. */
    private static final class Pending {
        final List<SinkRecord> records;
        final List<CompletableFuture<Void>> calls;
        /** The first offset of each consumed topic-partition in the batch: nothing from it on may be committed. */
        final Map<TopicPartition, Long> first = new HashMap<>();

        Pending(List<SinkRecord> records, List<CompletableFuture<Void>> calls) {
            this.records = records;
            this.calls = calls;
            for (SinkRecord r : records) {
                first.merge(RuntimeSupport.originalTopicPartition(r), RuntimeSupport.originalOffset(r), Math::min);
            }
        }

        boolean ended() {
            return calls.stream().allMatch(CompletableFuture::isDone);
        }

        void await() {
            for (CompletableFuture<Void> c : calls) {
                try {
                    c.join();
                } catch (CompletionException | CancellationException e) {
                    // read by failure()
                }
            }
        }

        /** The error that ended a call (a transient one first: the batch is consumed again), or null. */
        RuntimeException failure() {
            RuntimeException first = null;
            for (CompletableFuture<Void> c : calls) {
                if (!c.isCompletedExceptionally()) {
                    continue;
                }
                Throwable t;
                try {
                    c.join();
                    continue;
                } catch (CompletionException e) {
                    t = e.getCause();
                } catch (CancellationException e) {
                    t = new DynamicsRetriableException("write cancelled", 0, null, null, 0, e);
                }
                RuntimeException cause = t instanceof RuntimeException re ? re : new IllegalStateException(t);
                if (first == null || cause instanceof DynamicsRetriableException) {
                    first = cause;
                }
            }
            return first;
        }
    }

    /** For the benchmark and tests: the client's budget counters. */
    DynamicsClient client() {
        return client;
    }
}
