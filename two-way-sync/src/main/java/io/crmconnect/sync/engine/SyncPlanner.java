package io.crmconnect.sync.engine;

import io.crmconnect.sync.mapping.ConflictPolicy;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.MergePolicy;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides, field by field, what a change on one side writes to the other: a three-way merge of this side's
 * values, the other side's current values and the base both last agreed on (from the newer of the two records'
 * sync states).
 *
 * <ul>
 *   <li>equal on both sides → nothing (in sync);</li>
 *   <li>unchanged here since the base → nothing (the other side's change, if any, travels the other way);</li>
 *   <li>the field's direction forbids this way → nothing;</li>
 *   <li>fill_if_missing and the other side has a value → nothing;</li>
 *   <li>changed here only → written;</li>
 *   <li>changed on both sides (or, before the first sync, different on both) → the conflict policy decides: the
 *       named side, or the later modification (ties to the policy's side). Both directions take the same decision
 *       from the same two records, so a conflict never writes twice.</li>
 * </ul>
 * A change whose every field is unchanged since the base is an {@link Plan.Outcome#ECHO}: the sync's own write
 * coming back, which writes nothing — so no ping-pong even when the side does not say who wrote.
 *
 * <p>Pure: no I/O; the caller reads the other side and writes the plan.
 */
public final class SyncPlanner {
    private SyncPlanner() {}

    /**
     * @param from the side that changed
     * @param source its record as the change carries it
     * @param target the linked record on the other side as read now, null when there is none yet (create)
     * @param now the time of the planning, for the new state
     */
    public static Plan plan(ObjectMapping m, Side from, RecordView source, RecordView target, long now) {
        SyncState base = SyncState.latest(source.state(), target == null ? null : target.state());
        Map<String, String> writes = new LinkedHashMap<>();
        Map<String, String> newBase = new TreeMap<>();
        List<Plan.FieldDecision> decisions = new ArrayList<>();
        boolean anyChangedHere = false;
        for (FieldRule f : m.fields()) {
            String sv = source.value(f.name());
            String tv = target == null ? null : target.value(f.name());
            String hs = SyncState.fingerprint(f.name(), sv);
            String ht = SyncState.fingerprint(f.name(), tv);
            String b = base.base(f.name());
            if (b != null) {
                newBase.put(f.name(), b);
            }
            boolean changedHere = b == null ? !hs.equals(SyncState.EMPTY) : !hs.equals(b);
            anyChangedHere |= changedHere && f.direction().allows(from);
            if (hs.equals(ht)) {
                newBase.put(f.name(), hs);
                decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.IN_SYNC));
                continue;
            }
            if (!f.direction().allows(from)) {
                decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.NOT_THIS_DIRECTION));
                continue;
            }
            if (!changedHere) {
                decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.UNCHANGED));
                continue;
            }
            boolean targetHasValue = !ht.equals(SyncState.EMPTY);
            if (f.merge() == MergePolicy.FILL_IF_MISSING && targetHasValue) {
                decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.FILL_SKIPPED));
                continue;
            }
            // A field that only travels this way has no conflict: the other side's value is not its to keep.
            boolean changedThere = target != null
                    && f.direction().allows(from.other())
                    && (b == null ? targetHasValue : !ht.equals(b));
            Plan.Action action = Plan.Action.WRITE;
            if (changedThere) {
                if (winner(
                                f.conflict(),
                                from,
                                changeTime(source, f.name(), m.side(from).integrationUser()),
                                changeTime(
                                        target, f.name(), m.side(from.other()).integrationUser()))
                        != from) {
                    decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.CONFLICT_LOST));
                    continue;
                }
                action = Plan.Action.CONFLICT_WON;
            }
            writes.put(f.name(), sv);
            newBase.put(f.name(), hs);
            decisions.add(new Plan.FieldDecision(f.name(), action));
        }
        boolean writeLink = target == null || !source.id().equals(target.linkedId());
        long syncedAt = Math.max(
                now,
                Math.max(
                                source.state().syncedAt(),
                                target == null ? 0L : target.state().syncedAt())
                        + 1);
        long humanAt =
                target == null ? 0L : humanTime(target, m.side(from.other()).integrationUser());
        // the record planned from does not hold the other's id yet: the write's echo must take the link back
        boolean linkBack = target == null || !target.id().equals(source.linkedId());
        SyncState next = new SyncState(syncedAt, humanAt, linkBack, newBase);
        Plan.Outcome outcome;
        if (!writes.isEmpty() || writeLink) {
            outcome = Plan.Outcome.WRITE;
        } else {
            outcome = anyChangedHere ? Plan.Outcome.NOTHING_TO_WRITE : Plan.Outcome.ECHO;
        }
        return new Plan(outcome, writes, writeLink, next, decisions);
    }

    /**
     * The sync's own write coming back, told from the change alone: its side says who modified the record, that is
     * the sync's integration user, the record it was planned from already held this record's id, and every field still
     * holds the value its state says both sides agreed on. Such a
     * change carries no one's edit (an edit made since is a later change of its own), so it needs no read of either
     * side. Null when the change cannot be told apart this way (the full plan decides).
     */
    public static Plan ownWrite(ObjectMapping m, Side from, RecordView change) {
        String user = m.side(from).integrationUser();
        if (user == null
                || user.isEmpty()
                || !user.equalsIgnoreCase(change.modifiedBy())
                || change.state().syncedAt() == 0L
                || change.state().linkBack()) {
            return null;
        }
        List<Plan.FieldDecision> decisions = new ArrayList<>();
        for (FieldRule f : m.fields()) {
            String b = change.state().base(f.name());
            if (b == null || !b.equals(SyncState.fingerprint(f.name(), change.value(f.name())))) {
                return null;
            }
            decisions.add(new Plan.FieldDecision(f.name(), Plan.Action.IN_SYNC));
        }
        return new Plan(Plan.Outcome.ECHO, Map.of(), false, change.state(), decisions);
    }

    /**
     * When a side's differing value of a field was made: the field's own time where the side exposes it (HubSpot
     * property history), else the record's last modification by anyone but the sync.
     */
    static long changeTime(RecordView v, String field, String integrationUser) {
        Long own = v.fieldModifiedAt() == null ? null : v.fieldModifiedAt().get(field);
        return own != null ? own : humanTime(v, integrationUser);
    }

    /** The record's last modification by anyone but the sync, where the side says who modified it. */
    static long humanTime(RecordView v, String integrationUser) {
        boolean bySync = integrationUser != null
                && !integrationUser.isEmpty()
                && integrationUser.equalsIgnoreCase(v.modifiedBy());
        return bySync ? v.state().humanAt() : v.modifiedAt();
    }

    static Side winner(ConflictPolicy p, Side from, long ts, long tt) {
        if (p.kind() == ConflictPolicy.Kind.SOURCE_OF_TRUTH) {
            return p.side();
        }
        if (ts == tt) {
            return p.side();
        }
        return ts > tt ? from : from.other();
    }
}
