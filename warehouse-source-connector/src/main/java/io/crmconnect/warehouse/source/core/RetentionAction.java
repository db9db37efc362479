package io.crmconnect.warehouse.source.core;

/** What to do when the stored position has fallen out of the table's time travel. */
public enum RetentionAction {
    /** Stop the task with a first line that says what happened and how to recover. */
    FAIL,
    /** Take a new snapshot now and continue from it (deletes in the gap are not seen). */
    RESNAPSHOT
}
