package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What to do with one row: its action, the existing row's id when known, the body to send (only the columns to
 * write, lookups as {@code @odata.bind}), or the failure that sends it to the dead-letter topic.
 */
record WritePlan(SinkRow row, Action action, String existingId, ObjectNode body, RecordFailure failure) {
    enum Action {
        /** The row does not exist: create it (by id or alternate key, so a replay cannot duplicate it). */
        CREATE,
        /** The row exists: send the changed columns. */
        UPDATE,
        /** Existence not read (write.changed.columns.only=false): upsert blindly. */
        UPSERT,
        DELETE,
        /** Nothing differs from the current row. */
        SKIP_UNCHANGED,
        /** create_only and the row exists. */
        SKIP_EXISTS,
        /** A tombstone for a row that is already gone. */
        SKIP_GONE,
        FAIL
    }

    static WritePlan fail(SinkRow row, RecordFailure f) {
        return new WritePlan(row, Action.FAIL, null, null, f);
    }

    static WritePlan skip(SinkRow row, Action a, String existingId) {
        return new WritePlan(row, a, existingId, null, null);
    }
}
