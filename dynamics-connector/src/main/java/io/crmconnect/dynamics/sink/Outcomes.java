package io.crmconnect.dynamics.sink;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where the writer reports what became of each record, as it happens (from several threads): the task records
 * written ones in its delivery ledger, dead-letters failed ones, and counts everything.
 */
interface Outcomes {
    /** Created, updated or upserted; {@code rowId} when known. */
    void written(SinkRow row, WritePlan.Action action);

    /** Handled without a write: unchanged, existing in create_only, already deleted, tombstone ignored. */
    void skipped(SinkRecord record, WritePlan.Action why);

    void deleted(SinkRow row);

    void failed(SinkRecord record, RecordFailure failure);

    /** Not written: the row changed since the record was planned against it (412 on If-Match); consume it again. */
    void changedSincePlanned(SinkRecord record);
}
