package io.crmconnect.common.sink;

import io.crmconnect.common.Redact;
import io.crmconnect.common.RuntimeSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a sink task's bad records to Connect's errant record reporter (the dead-letter topic) with the
 * {@link DeadLetter} headers, and waits for those writes before offsets are committed.
 *
 * <p>Without a reporter: with {@code errors.tolerance=all} the record is logged (reason and coordinates, a key
 * fingerprint, never values) and skipped, as the user asked, and a warning at start says so; otherwise the task
 * fails with an actionable first line. Thread-safe.
 */
public final class DeadLetterQueue {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    static final String TOLERANCE = "errors.tolerance";
    static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";

    private final ErrantRecordReporter reporter;
    private final boolean tolerateAll;
    private final Redact redact;
    private final List<Future<Void>> pending = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private final String startWarning;

    /**
     * @param context    the task's context (null in tests without a worker: no reporter)
     * @param taskConfig the task's config, which carries the connector's {@code errors.*} keys
     * @param pluginName how the warning at start names the connector type, e.g. "HubSpot sink"
     * @param redact     fingerprints of record keys in log lines
     */
    public DeadLetterQueue(SinkTaskContext context, Map<String, String> taskConfig, String pluginName, Redact redact) {
        ErrantRecordReporter r = null;
        if (context != null) {
            try {
                r = RuntimeSupport.errantRecordReporter(context).orElse(null);
            } catch (RuntimeException e) {
                LOG.info("The errant record reporter is unavailable: {}", e.toString());
            }
        }
        this.reporter = r;
        this.redact = redact;
        String tolerance = taskConfig.getOrDefault(TOLERANCE, "none").trim().toLowerCase(Locale.ROOT);
        String topic = taskConfig.getOrDefault(DLQ_TOPIC, "").trim();
        this.tolerateAll = "all".equals(tolerance);
        if (tolerateAll && topic.isEmpty()) {
            startWarning = pluginName + ": errors.tolerance=all without errors.deadletterqueue.topic.name: records "
                    + "this connector cannot write are only logged (reason and coordinates, no values) and skipped. "
                    + "Set errors.deadletterqueue.topic.name to keep them for inspection and replay.";
        } else if (!tolerateAll && !topic.isEmpty()) {
            startWarning = pluginName + ": errors.deadletterqueue.topic.name is set but errors.tolerance is "
                    + tolerance + ": the first record this connector cannot write fails the task; set "
                    + "errors.tolerance=all to dead-letter it.";
        } else {
            startWarning = null;
        }
        if (startWarning != null) {
            LOG.warn(startWarning);
        }
    }

    /** The warning logged at start about the error-handling settings, or null when they are consistent. */
    public String startWarning() {
        return startWarning;
    }

    /** Whether bad records reach a reporter (a DLQ topic, or Connect's error log). */
    public boolean hasReporter() {
        return reporter != null;
    }

    /** Records dead-lettered (or, without a reporter, logged and skipped) by this task. */
    public long count() {
        return count.get();
    }

    /**
     * Sends a copy of the record, placed where it was consumed (before SMTs renamed its topic) and carrying the
     * dead letter's headers, so Connect's {@code __connect.errors.topic/partition/offset} point at it.
     *
     * @throws ConnectException when there is no reporter and errors.tolerance is not {@code all}
     */
    public void send(SinkRecord r, TopicPartition consumedFrom, long consumedAt, DeadLetter d) {
        if (reporter == null) {
            if (!tolerateAll) {
                throw new ConnectException("Record " + consumedFrom + "@" + consumedAt + " cannot be written ("
                        + d.summary() + ") and no dead-letter queue is configured: set errors.tolerance=all and "
                        + "errors.deadletterqueue.topic.name to send such records there");
            }
            count.incrementAndGet();
            LOG.warn(
                    "Record {}@{} skipped (no dead-letter topic configured, errors.tolerance=all): {} (key {})",
                    consumedFrom,
                    consumedAt,
                    d.summary(),
                    redact.fingerprint(r.key()));
            return;
        }
        Headers h = new ConnectHeaders();
        r.headers().forEach(h::add);
        d.addTo(h);
        // A plain SinkRecord (not the runtime's internal one) makes the reporter serialize these headers too.
        SinkRecord copy = new SinkRecord(
                consumedFrom.topic(),
                consumedFrom.partition(),
                r.keySchema(),
                r.key(),
                r.valueSchema(),
                r.value(),
                consumedAt,
                r.timestamp(),
                r.timestampType(),
                h);
        Future<Void> sent = reporter.report(copy, new DeadLetterException(d));
        count.incrementAndGet();
        LOG.debug(
                "Record {}@{} to the dead-letter topic: {} (key {})",
                consumedFrom,
                consumedAt,
                d.reason(),
                redact.fingerprint(r.key()));
        synchronized (pending) {
            pending.add(sent);
        }
    }

    /** Waits until every dead letter sent so far is written; call before offsets are committed. */
    public void awaitSent() {
        List<Future<Void>> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        for (Future<Void> f : batch) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("interrupted while writing to the dead-letter topic", e);
            } catch (ExecutionException e) {
                throw new ConnectException("could not write to the dead-letter topic: " + e.getCause(), e.getCause());
            }
        }
    }
}
