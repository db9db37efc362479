package io.crmconnect.warehouse.source.core;

import io.crmconnect.common.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task's table captures: one chunk of the next due table per poll, round-robin; transient warehouse errors
 * are retried with backoff inside the poll budget and then reported as RetriableException (the position does not
 * move), anything else stops the task with a first line naming the table.
 */
public final class CaptureRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureRunner.class);

    /** A table's capture and its record factory (created once the columns are known). */
    public interface Table {
        TableCapture capture();

        RecordFactory records();

        /** Called after a transient failure: drop connections so the next attempt starts clean. */
        void reset();
    }

    private final List<Table> tables;
    private final CaptureMetrics metrics;
    private final Backoff backoff;
    private Backoff.Attempts attempts;
    private int next;
    private volatile boolean stopping;

    public CaptureRunner(List<Table> tables, CaptureMetrics metrics, Duration retryBudget) {
        this.tables = tables;
        this.metrics = metrics;
        this.backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 50, retryBudget);
    }

    public List<SourceRecord> poll() throws InterruptedException {
        long now = System.currentTimeMillis();
        Table chosen = null;
        long due = Long.MAX_VALUE;
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get((next + i) % tables.size());
            long d = t.capture().nextDue();
            if (d <= now) {
                chosen = t;
                next = (next + i + 1) % tables.size();
                break;
            }
            due = Math.min(due, d);
        }
        if (chosen == null) {
            if (!stopping) {
                Thread.sleep(Math.max(5, Math.min(500, due - now)));
            }
            return null;
        }
        String name = chosen.capture().spec().name();
        List<Emit> emits;
        try {
            emits = chosen.capture().step(now);
            attempts = null;
        } catch (WarehouseError e) {
            if (e.kind() != WarehouseError.Kind.TRANSIENT) {
                throw new ConnectException("Table " + name + ": " + e.getMessage(), e);
            }
            chosen.reset();
            if (attempts == null) {
                attempts = backoff.start();
            }
            long delay = attempts.nextDelayMillis();
            if (delay < 0) {
                attempts = null;
                throw new RetriableException(
                        "Table " + name + ": warehouse unavailable, will retry: " + e.getMessage(), e);
            }
            LOG.warn("Table {}: transient failure, retrying in {} ms: {}", name, delay, e.getMessage());
            if (!stopping) {
                Thread.sleep(delay);
            }
            return null;
        }
        if (emits.isEmpty()) {
            return null;
        }
        List<SourceRecord> out = new ArrayList<>(emits.size());
        RecordFactory f = chosen.records();
        for (Emit e : emits) {
            out.add(f.record(e, now));
        }
        for (int i = 0; i < out.size(); i++) {
            metrics.sent(name);
        }
        return out;
    }

    /** The source partitions of every table, for reading committed offsets. */
    public List<Map<String, Object>> partitions() {
        List<Map<String, Object>> out = new ArrayList<>();
        tables.forEach(t -> out.add(t.capture().partition()));
        return out;
    }

    public void stop() {
        stopping = true;
    }
}
