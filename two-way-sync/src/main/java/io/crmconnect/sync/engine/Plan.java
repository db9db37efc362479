package io.crmconnect.sync.engine;

import java.util.List;
import java.util.Map;

/**
 * What the sync does with one change: the canonical values to write to the other side (null = clear), whether the
 * other side's link to this record must be written, the state the other side's record carries after the write, and
 * the decision taken for every field (for the audit trail and tests).
 */
public record Plan(
        Outcome outcome,
        Map<String, String> writes,
        boolean writeLink,
        SyncState newState,
        List<FieldDecision> decisions) {

    public enum Outcome {
        /** Something is written to the other side. */
        WRITE,
        /** Nothing changed on this side since the two sides were last in sync: the sync's own write coming back. */
        ECHO,
        /** This side changed, but the rules write nothing (direction, fill-if-missing, a conflict lost, equal). */
        NOTHING_TO_WRITE
    }

    public enum Action {
        WRITE,
        IN_SYNC,
        UNCHANGED,
        NOT_THIS_DIRECTION,
        FILL_SKIPPED,
        CONFLICT_WON,
        CONFLICT_LOST
    }

    public record FieldDecision(String field, Action action) {}

    public boolean isWrite() {
        return outcome == Outcome.WRITE;
    }
}
