package io.crmconnect.hubspot.sink;

import io.crmconnect.common.sink.DeadLetter;
import org.apache.kafka.connect.sink.SinkRecord;

/** Records what became of each record: dead-lettered (once) or skipped, counted in the task's stats. */
final class Outcomes {
    /** Receives dead-lettered records (the task's delivery core). */
    interface DeadLetters {
        void report(SinkRecord record, DeadLetter failure);
    }

    final SinkStats stats;
    private final DeadLetters dlq;

    Outcomes(SinkStats stats, DeadLetters dlq) {
        this.stats = stats;
        this.dlq = dlq;
    }

    /** Sends the record to the dead-letter topic unless it is already there; it gets no further work. */
    synchronized void fail(PendingRecord it, DeadLetter why) {
        if (it.done) {
            return;
        }
        it.done = true;
        stats.deadLettered.incrementAndGet();
        dlq.report(it.record, why);
    }

    /** Nothing to write for this record (guards, create-only matches, no change, ignored tombstones). */
    void skip(PendingRecord it) {
        if (!it.done) {
            stats.skipped.incrementAndGet();
        }
    }
}
