package io.crmconnect.common.sink;

import io.crmconnect.common.RuntimeSupport;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A sink task's at-least-once bookkeeping: which consumed records are handled (written, or dead-lettered) and
 * which offsets may be committed. Everything is keyed by where a record was consumed (before any SMT renamed its
 * topic), the coordinates Connect passes to {@code preCommit} and {@code close}.
 *
 * <ul>
 *   <li>{@link #isHandled}: a record below the committed offset, or one an earlier attempt at a redelivered batch
 *   already wrote or dead-lettered, is skipped ({@link HandledOffsets}).</li>
 *   <li>{@link #written} / {@link #deadLetter} record each outcome as it happens, so a batch handed back after a
 *   transient failure neither writes nor dead-letters a record twice.</li>
 *   <li>{@link #completed} closes a batch: every record of it is handled. {@link #preCommit} then commits, once
 *   the dead-letter writes have completed, the offsets the worker delivered, which also cover the records the
 *   task never saw: those the worker's converter or transforms dead-lettered, and those a filter dropped. A
 *   partition with a batch still open (a put() that ended in a RetriableException) commits only what this task
 *   completed.</li>
 *   <li>{@link #consumeAgain}: a record not written because its target changed since it was planned
 *   ({@link ExpectedVersion}) is consumed again from its offset, which caps the committed offset until then.</li>
 * </ul>
 * This relies on put() being synchronous: when it returns, every record it was given is written, dead-lettered or
 * to be consumed again.
 * {@code written}, {@code deadLetter} and {@code consumeAgain} may be called from several threads; the rest from the
 * task's thread.
 */
public final class SinkDelivery {
    private final DeadLetterQueue dlq;
    private final HandledOffsets handled = new HandledOffsets();
    /** Next offset to commit per consumed topic-partition: everything below it is handled. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Lowest offset per consumed topic-partition to consume again, until the task seeks there. */
    private final Map<TopicPartition, Long> again = new ConcurrentHashMap<>();
    /**
     * Offsets to be consumed again that the worker has not rewound to yet: until it has, its delivered offset is
     * past them and only what this task completed may be committed.
     */
    private final Map<TopicPartition, Long> rewinding = new HashMap<>();
    /** Partitions with records of a batch that began (asked about, written or dead-lettered) and has not completed. */
    private final Set<TopicPartition> open = ConcurrentHashMap.newKeySet();

    public SinkDelivery(DeadLetterQueue dlq) {
        this.dlq = dlq;
    }

    public DeadLetterQueue deadLetters() {
        return dlq;
    }

    /** Whether this record was already written or dead-lettered (a redelivered batch): skip it. */
    public boolean isHandled(SinkRecord r) {
        TopicPartition tp = RuntimeSupport.originalTopicPartition(r);
        long offset = RuntimeSupport.originalOffset(r);
        open.add(tp);
        Long from = rewinding.get(tp);
        if (from != null && offset <= from) {
            rewinding.remove(tp); // the worker rewound: consumed again
        }
        Long next = committed.get(tp);
        return next != null && offset < next || handled.contains(tp, offset);
    }

    /** The record's write committed in the target system. */
    public void written(SinkRecord r) {
        TopicPartition tp = RuntimeSupport.originalTopicPartition(r);
        open.add(tp);
        handled.add(tp, RuntimeSupport.originalOffset(r));
    }

    /**
     * Dead-letters the record once: a record an earlier attempt at this batch already dead-lettered is not sent
     * again. Returns false in that case.
     */
    public boolean deadLetter(SinkRecord r, DeadLetter d) {
        TopicPartition tp = RuntimeSupport.originalTopicPartition(r);
        long offset = RuntimeSupport.originalOffset(r);
        open.add(tp);
        if (!handled.add(tp, offset)) {
            return false;
        }
        dlq.send(r, tp, offset, d);
        return true;
    }

    /**
     * The record was not written because its target changed after it was planned: it is to be consumed again from
     * its offset (the transforms that planned it then run again), and nothing from that offset on is committed.
     */
    public void consumeAgain(SinkRecord r) {
        again.merge(RuntimeSupport.originalTopicPartition(r), RuntimeSupport.originalOffset(r), Math::min);
    }

    /**
     * The offsets to seek to (for {@code SinkTaskContext.offset}) for the records handed to {@link #consumeAgain}
     * since the last call; empty when none. Call it after {@link #completed}.
     */
    public Map<TopicPartition, Long> takeConsumeAgain() {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : again.keySet()) {
            out.put(tp, again.remove(tp));
        }
        return out;
    }

    /**
     * Every record of this batch is written or dead-lettered, or to be consumed again: the offsets below the first
     * record to consume again (all, when none) may be committed.
     */
    public void completed(Collection<SinkRecord> batch) {
        Map<TopicPartition, Long> end = new HashMap<>();
        TopicPartition last = null;
        for (SinkRecord r : batch) {
            TopicPartition tp = RuntimeSupport.originalTopicPartition(r);
            if (last != null && last.equals(tp)) {
                tp = last;
            }
            last = tp;
            end.merge(tp, RuntimeSupport.originalOffset(r) + 1, Math::max);
        }
        end.forEach((tp, batchEnd) -> {
            Long from = again.get(tp);
            long next = from == null ? batchEnd : Math.min(batchEnd, from);
            if (from != null) {
                rewinding.merge(tp, from, Math::min);
            }
            committed.merge(tp, next, Math::max);
            handled.pruneBelow(tp, next);
        });
        open.clear();
    }

    /**
     * The offsets to commit for the partitions the worker asks about, once every dead letter is written: the
     * worker's offset (everything it delivered through put() is handled, and what it consumed without delivering
     * was dead-lettered or filtered by the worker) or what this task completed, whichever is further; for a
     * partition whose batch is still open, or with records to consume again the worker has not rewound to yet, only
     * what this task completed.
     */
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
        dlq.awaitSent();
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        current.forEach((tp, delivered) -> {
            Long done = committed.get(tp);
            Long from = rewinding.get(tp);
            if (from != null && delivered != null && delivered.offset() <= from) {
                rewinding.remove(tp); // the worker rewound
                from = null;
            }
            long next;
            if (open.contains(tp) || from != null || again.containsKey(tp)) {
                if (done == null) {
                    return;
                }
                next = delivered == null ? done : Math.min(done, delivered.offset());
            } else {
                next = Math.max(done == null ? -1 : done, delivered == null ? -1 : delivered.offset());
                if (next < 0) {
                    return;
                }
                if (done == null || next > done) {
                    committed.put(tp, next);
                    handled.pruneBelow(tp, next);
                }
            }
            out.put(tp, new OffsetAndMetadata(next));
        });
        return out;
    }

    /** Forgets partitions this task no longer owns. */
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
        partitions.forEach(again::remove);
        partitions.forEach(rewinding::remove);
        open.removeAll(partitions);
        handled.forget(partitions);
    }

    /** Offsets kept in the ledger (for tests and metrics). */
    public int ledgerSize() {
        return handled.size();
    }
}
