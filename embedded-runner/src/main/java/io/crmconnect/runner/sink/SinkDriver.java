package io.crmconnect.runner.sink;

import io.crmconnect.runner.flow.CommitTracker;
import io.crmconnect.runner.flow.Handoff;
import io.crmconnect.runner.flow.InFlightRecord;
import io.crmconnect.runner.flow.VirtualLog;
import io.crmconnect.runner.metrics.RunnerMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.runtime.TransformationStage;
import org.apache.kafka.connect.runtime.errors.Stage;
import org.apache.kafka.connect.runtime.errors.ToleranceType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one SinkTask the way WorkerSinkTask does: initialize, start, open partitions before their first records,
 * put batches of at most max.poll.records, redeliver a batch after a RetriableException (once the task's
 * context.timeout has passed), act on rewinds, pauses and commit requests, call preCommit every
 * offset.flush.interval.ms and accept only offsets that were delivered, then close the partitions and stop.
 * What preCommit confirms becomes committable source offsets, handed to {@code commitSource}.
 */
public final class SinkDriver implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkDriver.class);

    /** Tunables the worker takes from its own and the consumer's config. */
    public record Settings(int maxPollRecords, long flushIntervalMs, int commitAfterRecords, long drainTimeoutMs) {}

    private final String name;
    private final SinkTask task;
    private final Map<String, String> taskConfig;
    private final ClassLoader pluginLoader;
    private final RunnerSinkTaskContext context;
    private final TransformChain<SinkRecord> transforms;
    private final Handoff handoff;
    private final Predicate<String> subscribed;
    private final DeadLetterFile deadLetters;
    private final RunnerMetrics metrics;
    private final Settings settings;
    private final Consumer<List<InFlightRecord>> commitSource;

    private final VirtualLog log = new VirtualLog();
    private final CommitTracker tracker = new CommitTracker();
    private final Map<TopicPartition, Long> delivered = new HashMap<>();
    private final Map<TopicPartition, Long> confirmed = new HashMap<>();
    private final Set<String> ignoredTopics = new HashSet<>();
    private List<SinkRecord> redelivery;
    private List<InFlightRecord> redeliveryRecords;
    private long redeliverAt;
    private long nextCommit;
    private long lastCommit;
    private volatile boolean stopRequested;
    private volatile boolean drain;
    private volatile Throwable failure;
    private volatile boolean stopped;

    public SinkDriver(
            String name,
            SinkTask task,
            Map<String, String> taskConfig,
            ClassLoader pluginLoader,
            RunnerSinkTaskContext context,
            List<TransformationStage<SinkRecord>> transforms,
            ToleranceType tolerance,
            Handoff handoff,
            Predicate<String> subscribed,
            DeadLetterFile deadLetters,
            RunnerMetrics metrics,
            Settings settings,
            Consumer<List<InFlightRecord>> commitSource) {
        this.name = name;
        this.task = task;
        this.taskConfig = taskConfig;
        this.pluginLoader = pluginLoader;
        this.context = context;
        this.transforms = new TransformChain<>("sink connector " + name, transforms, tolerance, this::transformFailed);
        this.handoff = handoff;
        this.subscribed = subscribed;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.settings = settings;
        this.commitSource = commitSource;
    }

    /** The retained in-flight record at these virtual coordinates (for dead-letter lines), or null. */
    public InFlightRecord find(String topic, int partition, long offset) {
        return log.find(new TopicPartition(topic, partition), offset);
    }

    /**
     * Asks the loop to end. With {@code drain} it first delivers what the hand-off holds and commits it; without,
     * it commits what the task has already confirmed and stops.
     */
    public void requestStop(boolean drain) {
        this.drain = drain;
        this.stopRequested = true;
    }

    /** The error that ended the loop, or null. */
    public Throwable failure() {
        return failure;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Nothing taken in is waiting to be delivered or committed. */
    public boolean idle() {
        return handoff.uncommitted() == 0;
    }

    @Override
    public void run() {
        Thread.currentThread().setName("sink-" + name);
        boolean started = false;
        try {
            inPluginLoader(() -> {
                task.initialize(context);
                task.start(taskConfig);
            });
            started = true;
            LOG.info("Sink task {} started", name);
            nextCommit = System.currentTimeMillis() + settings.flushIntervalMs();
            long drainDeadline = Long.MAX_VALUE;
            while (true) {
                if (stopRequested) {
                    if (!drain) {
                        break;
                    }
                    if (drainDeadline == Long.MAX_VALUE) {
                        drainDeadline = System.currentTimeMillis() + settings.drainTimeoutMs();
                    }
                    if (drained() || System.currentTimeMillis() > drainDeadline) {
                        break;
                    }
                }
                iteration();
            }
            commit("stop");
        } catch (Throwable t) {
            failure = t;
            LOG.error("Sink task {} failed: {}", name, t.getMessage(), t);
        } finally {
            if (started) {
                closeAndStop();
            }
            stopped = true;
        }
    }

    private boolean drained() {
        return handoff.queued() == 0 && log.undelivered() == 0 && redelivery == null;
    }

    private void iteration() throws InterruptedException {
        applyRewinds();
        long now = System.currentTimeMillis();
        // like the worker's consumer poll: wait for records until the next commit is due
        long wait = stopRequested ? 20 : Math.max(0, nextCommit - now);
        if (redelivery != null) {
            wait = Math.max(0, Math.min(wait, redeliverAt - now));
        }
        List<InFlightRecord> arrived = handoff.take(settings.maxPollRecords(), wait);
        if (arrived.isEmpty() && handoff.closed() && log.undelivered() == 0) {
            Thread.sleep(Math.min(wait, 20));
        }
        place(arrived);
        deliver();
        now = System.currentTimeMillis();
        boolean memoryDue = tracker.pending() >= settings.commitAfterRecords() && now - lastCommit >= 1_000;
        if (now >= nextCommit || context.takeCommitRequest() || memoryDue) {
            commit(memoryDue ? "buffer" : "interval");
        }
    }

    /** Gives arriving records their virtual coordinates; new partitions are opened first, as on an assignment. */
    private void place(List<InFlightRecord> arrived) {
        if (arrived.isEmpty()) {
            return;
        }
        List<TopicPartition> opened = new ArrayList<>();
        for (InFlightRecord r : arrived) {
            SourceRecord s = r.transformed();
            if (s == null) {
                continue;
            }
            if (!subscribed.test(s.topic())) {
                if (ignoredTopics.add(s.topic())) {
                    LOG.warn(
                            "Records for topic {} are not delivered to the sink: it is not in the sink's topics / "
                                    + "topics.regex (their source offsets are still committed, as a worker would never "
                                    + "have consumed them)",
                            s.topic());
                }
                continue;
            }
            TopicPartition tp = new TopicPartition(s.topic(), s.kafkaPartition() == null ? 0 : s.kafkaPartition());
            if (log.append(r, tp)) {
                opened.add(tp);
                delivered.put(tp, 0L);
                confirmed.put(tp, 0L);
            }
        }
        tracker.arrived(arrived);
        if (!opened.isEmpty()) {
            opened.forEach(context::assigned);
            inPluginLoader(() -> task.open(opened));
            LOG.info("Sink task {} assigned {}", name, opened);
        }
    }

    private void deliver() {
        List<InFlightRecord> records;
        List<SinkRecord> batch;
        if (redelivery != null) {
            if (System.currentTimeMillis() < redeliverAt) {
                return;
            }
            records = redeliveryRecords;
            batch = redelivery;
        } else {
            records = log.nextBatch(settings.maxPollRecords(), context.pausedPartitions());
            batch = new ArrayList<>(records.size());
            for (InFlightRecord r : records) {
                SinkRecord converted = transforms.apply(toSinkRecord(r));
                if (converted == null) {
                    log.dropped(r);
                } else {
                    batch.add(converted);
                }
            }
        }
        long started = System.nanoTime();
        try {
            List<SinkRecord> copy = new ArrayList<>(batch);
            inPluginLoader(() -> task.put(copy));
        } catch (RetriableException e) {
            long timeout = context.takeTimeout();
            long wait = timeout > 0 ? timeout : Math.max(0, nextCommit - System.currentTimeMillis());
            LOG.warn(
                    "Sink task {} asked for redelivery of {} records in {} ms: {}",
                    name,
                    batch.size(),
                    wait,
                    e.getMessage());
            redelivery = batch;
            redeliveryRecords = records;
            redeliverAt = System.currentTimeMillis() + wait;
            metrics.sinkRetried();
            return;
        }
        redelivery = null;
        redeliveryRecords = null;
        for (InFlightRecord r : records) {
            delivered.merge(r.partition(), r.offset() + 1, Math::max);
        }
        if (!batch.isEmpty()) {
            long nanos = System.nanoTime() - started;
            metrics.delivered(batch.size(), nanos);
            LOG.debug("put() of {} records took {} ms", batch.size(), nanos / 1_000_000);
        }
    }

    private SinkRecord toSinkRecord(InFlightRecord r) {
        SourceRecord s = r.transformed();
        TopicPartition tp = r.partition();
        long timestamp = s.timestamp() == null ? System.currentTimeMillis() : s.timestamp();
        return new SinkRecord(
                s.topic(),
                tp.partition(),
                s.keySchema(),
                s.key(),
                s.valueSchema(),
                s.value(),
                r.offset(),
                timestamp,
                TimestampType.CREATE_TIME,
                new ConnectHeaders(s.headers()),
                tp.topic(),
                tp.partition(),
                r.offset());
    }

    private void applyRewinds() {
        Map<TopicPartition, Long> rewinds = context.takeRewinds();
        if (rewinds.isEmpty()) {
            return;
        }
        rewinds.forEach((tp, offset) -> {
            try {
                log.seek(tp, offset);
            } catch (IllegalArgumentException e) {
                throw new ConnectException(
                        "Sink task " + name + " asked to consume " + tp + " from offset " + offset
                                + ", but the runner keeps only records not yet committed: " + e.getMessage(),
                        e);
            }
            delivered.put(tp, offset);
            LOG.info("Sink task {} rewound {} to offset {}", name, tp, offset);
        });
        redelivery = null;
        redeliveryRecords = null;
    }

    /**
     * preCommit with the delivered offsets; what the task returns (if delivered and assigned) is confirmed, and the
     * source offsets of the records before it are committed. A failing preCommit rewinds to the last confirmed
     * offsets, as the worker does.
     */
    private void commit(String why) {
        lastCommit = System.currentTimeMillis();
        nextCommit = lastCommit + settings.flushIntervalMs();
        if (delivered.isEmpty() && tracker.pending() == 0) {
            return;
        }
        if (deadLetters != null) {
            deadLetters.sync();
        }
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        delivered.forEach((tp, next) -> current.put(tp, new OffsetAndMetadata(next)));
        Map<TopicPartition, OffsetAndMetadata> returned;
        try {
            returned = callInPluginLoader(() -> task.preCommit(new HashMap<>(current)));
        } catch (RuntimeException e) {
            LOG.error(
                    "Sink task {} preCommit failed ({}); rewinding to the last committed offsets",
                    name,
                    e.getMessage(),
                    e);
            confirmed.forEach((tp, next) -> {
                log.seek(tp, next);
                delivered.put(tp, next);
            });
            redelivery = null;
            redeliveryRecords = null;
            return;
        }
        if (returned != null) {
            returned.forEach((tp, oam) -> {
                Long deliveredNext = delivered.get(tp);
                if (deliveredNext == null) {
                    LOG.warn("Ignoring offset {} for {} from sink task {}: partition not assigned", oam, tp, name);
                } else if (oam != null && oam.offset() > deliveredNext) {
                    LOG.warn(
                            "Ignoring offset {} for {} from sink task {}: not yet delivered (delivered up to {})",
                            oam.offset(),
                            tp,
                            name,
                            deliveredNext);
                } else if (oam != null && oam.offset() > confirmed.get(tp)) {
                    confirmed.put(tp, oam.offset());
                }
            });
        }
        confirmed.replaceAll((tp, next) -> log.settle(tp, next));
        List<InFlightRecord> done = tracker.confirm(confirmed);
        confirmed.forEach(log::trim);
        if (!done.isEmpty()) {
            commitSource.accept(done);
            handoff.release(done.size());
            metrics.committed(done.size());
            LOG.debug("Sink task {}: {} records committed ({})", name, done.size(), why);
        }
    }

    private void closeAndStop() {
        try {
            List<TopicPartition> assigned = new ArrayList<>(delivered.keySet());
            inPluginLoader(() -> task.close(assigned));
        } catch (RuntimeException e) {
            LOG.warn("Sink task {} failed to close its partitions: {}", name, e.toString());
        }
        try {
            inPluginLoader(task::stop);
        } catch (RuntimeException e) {
            LOG.warn("Sink task {} failed to stop: {}", name, e.toString());
        }
        transforms.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
        tracker.abandon();
        LOG.info("Sink task {} stopped", name);
    }

    /** Dead letters from transforms of records on their way to the sink. */
    private void transformFailed(SinkRecord record, Class<?> transformClass, RuntimeException error) {
        if (deadLetters == null) {
            LOG.warn(
                    "Transform {} failed for a record of {}; skipped (errors.tolerance=all, no dead-letter queue)",
                    transformClass.getName(),
                    record.topic());
            return;
        }
        deadLetters.report(record, error, Stage.TRANSFORMATION, transformClass);
    }

    private void inPluginLoader(Runnable action) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(pluginLoader);
        try {
            action.run();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private <T> T callInPluginLoader(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(pluginLoader);
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
