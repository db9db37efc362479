package io.crmconnect.sync.connect;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.dynamics.client.DynamicsException;
import io.crmconnect.dynamics.client.DynamicsRetriableException;
import io.crmconnect.dynamics.connection.DynamicsConnection;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotConnectionConfig;
import io.crmconnect.hubspot.client.HubSpotException;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.sync.engine.Plan;
import io.crmconnect.sync.engine.RecordView;
import io.crmconnect.sync.engine.SyncPlanner;
import io.crmconnect.sync.mapping.ConflictPolicy;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Turns a change captured on one side into the record the other side's sink writes, or into nothing: the transform
 * of a two-way sync pipeline. {@link ToDynamics} runs on the Dynamics 365 sink connector that consumes the HubSpot
 * source's topic, {@link ToHubSpot} on the HubSpot sink connector that consumes the Dynamics 365 source's topic.
 *
 * <p>For each change it reads the linked record on the other side as it is now (by the stored link, else the link
 * the other record carries, else the match key; several candidates go to the dead-letter topic, never guessed),
 * plans with {@link SyncPlanner} and emits a schemaless record keyed by the other record's id (null for a create)
 * holding only the fields to write, the link when it is missing, and the new sync state; a change planned to write
 * is planned again against the changed record read as it is now. Echoes and changes the rules do not let through are
 * dropped; an echo whose side names the sync as its last modifier and whose every field matches its sync state is
 * dropped without reading either side. A deletion (tombstone) travels where the mapping's {@code deletes} direction
 * allows: as a tombstone for the record linked to the deleted one.
 *
 * <p>An update carries the version of the other record it was planned against ({@link ExpectedVersion}): the sink
 * writes it only over that version, else hands the change back to be consumed again, and this transform then plans
 * it again against the record as it is now (audited as {@code target_changed}). So an edit made on the other side
 * while the change waited for its write is never overwritten by a plan that did not see it.
 */
public abstract class TwoWaySync<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    public static final String OVERVIEW_DOC = "One direction of a two-way HubSpot - Dynamics 365 sync: put "
            + "TwoWaySync$ToDynamics on the Dynamics 365 sink that reads the HubSpot source's topic and "
            + "TwoWaySync$ToHubSpot on the HubSpot sink that reads the Dynamics 365 source's topic, with the same "
            + "mapping. For each change it reads the linked record on the other side, applies the mapping's "
            + "direction, merge, conflict and value rules against the sync state both records carry, and emits only "
            + "the fields to write (keyed by the other record's id), or nothing for an echo of its own write.";
    static final String HEADER_PREFIX = "crmconnect.sync.";

    private final Side from;
    private ObjectMapping mapping;
    private int replanMaxRounds;
    private RecordViews views;
    private TargetReader target;
    /** Reads the changed record again as it is now: a change is only the trigger (it may be stale or replayed). */
    private TargetReader source;

    private final SyncCounters counters = new SyncCounters();
    /** Null when no audit topic is configured. */
    private AuditLog audit;
    /**
     * Consumed coordinates of the updates emitted lately, with how many writes planned for that change the sink has
     * refused so far: one seen again was handed back by the sink.
     */
    private final Map<String, Integer> emitted = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 10_000;
        }
    };

    TwoWaySync(Side from) {
        this.from = from;
    }

    /** HubSpot changes to Dynamics 365 rows: put it on the Dynamics 365 sink that reads the HubSpot topic. */
    public static final class ToDynamics<R extends ConnectRecord<R>> extends TwoWaySync<R> {
        public ToDynamics() {
            super(Side.HUBSPOT);
        }
    }

    /** Dynamics 365 changes to HubSpot records: put it on the HubSpot sink that reads the Dynamics 365 topic. */
    public static final class ToHubSpot<R extends ConnectRecord<R>> extends TwoWaySync<R> {
        public ToHubSpot() {
            super(Side.DYNAMICS);
        }
    }

    @Override
    public ConfigDef config() {
        // Both sides are read: the changed record as it is now, and the record it is linked to.
        return HubSpotConnectionConfig.define(
                DynamicsConnection.define(TwoWaySyncConfig.defineMapping(new ConfigDef())));
    }

    @Override
    public void configure(Map<String, ?> props) {
        TwoWaySyncConfig c = new TwoWaySyncConfig(config(), props);
        mapping = c.object();
        replanMaxRounds = c.replanMaxRounds();
        views = new RecordViews(mapping);
        TargetReader hubspot =
                new HubSpotReader(new HubSpotClientFactory(new HubSpotConnectionConfig(c)).taskClient(1), mapping);
        TargetReader dynamics = new DynamicsReader(DynamicsConnection.of(c).client(1), mapping);
        source = from == Side.HUBSPOT ? hubspot : dynamics;
        target = from == Side.HUBSPOT ? dynamics : hubspot;
        counters.start(mapping.name(), from);
        audit = c.auditLog(mapping.name(), from);
    }

    @Override
    public R apply(R record) {
        if (record.value() == null
                && (record.key() == null || !mapping.deletes().allows(from))) {
            return null; // a deletion that stays on its side
        }
        try {
            return record.value() == null ? deleteLinked(record) : sync(record);
        } catch (DataException e) {
            if (audit != null) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                String[] words = m.split(" ");
                audit.rejected(
                        String.valueOf(record.key()),
                        words.length > 1 ? words[1] : "DATA_ERROR",
                        System.currentTimeMillis());
            }
            throw e;
        } catch (HubSpotRetriableException | DynamicsRetriableException e) {
            throw new RetriableException("TwoWaySync: reading a linked record failed for now ("
                    + e.getClass().getSimpleName() + ", status " + status(e) + ")");
        } catch (HubSpotException | DynamicsException e) {
            if (audit != null) {
                audit.rejected(String.valueOf(record.key()), "READ_FAILED", System.currentTimeMillis());
            }
            throw new DataException(
                    "TwoWaySync: READ_FAILED reading a linked record failed (status " + status(e) + ")");
        }
    }

    private R sync(R record) {
        long started = System.currentTimeMillis();
        RecordView change = views.fromRecord(from, record.key(), record.value());
        Plan own = SyncPlanner.ownWrite(mapping, from, change);
        if (own != null) {
            // the sync's write coming back, told from the change itself: neither side is read
            counters.count(own);
            if (audit != null) {
                audit.confirmed(
                        change.id(),
                        change.linkedId().isEmpty() ? null : change.linkedId(),
                        change.state().syncedAt(),
                        System.currentTimeMillis());
            }
            return null;
        }
        // Planned first with the change as captured: when that writes nothing, neither does the record as it is now
        // (an edit made since is a later change of its own), so only a write reads the changed record again.
        RecordView source = change;
        RecordView other = null;
        Plan plan = null;
        try {
            other = resolve(change);
            plan = SyncPlanner.plan(mapping, from, change, other, started);
        } catch (DataException e) {
            // the captured links may be stale: the record as it is now decides what is rejected
        }
        if (plan == null || plan.isWrite() || needsFieldTimes(plan)) {
            // The planner writes from the record as it is now: a change the source captured earlier, delivered late
            // or replayed, would otherwise look like an edit back to old values and overwrite newer ones.
            source = this.source.byId(change.id());
            if (source == null) {
                return null; // deleted since: its tombstone follows
            }
            if (plan == null || !source.linkedId().equals(change.linkedId())) {
                other = resolve(source);
            }
            plan = SyncPlanner.plan(mapping, from, source, other, started);
        }
        if (other == null && !source.linkedId().isEmpty() && mapping.deletes().allows(from.other())) {
            // Its linked record is gone and deletions travel here from there: an edit racing that deletion does not
            // bring the record back; the deletion's tombstone deletes this one.
            counters.linkedDeleted();
            if (audit != null) {
                audit.linkedDeleted(source.id(), source.linkedId(), started, System.currentTimeMillis());
            }
            return null;
        }
        if (other != null && needsFieldTimes(plan)) {
            other = target.withFieldTimes(other); // read again: its version is the one the write expects
            plan = SyncPlanner.plan(mapping, from, this.source.withFieldTimes(source), other, started);
        }
        String consumedAt = consumedAt(record);
        Integer refused = consumedAt == null ? null : emitted.remove(consumedAt);
        if (refused != null) {
            // the sink refused the update planned for this change: the other record changed before the write
            counters.targetChanged();
            if (audit != null) {
                audit.targetChanged(source.id(), other == null ? null : other.id(), System.currentTimeMillis());
            }
            if (refused >= replanMaxRounds && plan.isWrite()) {
                throw new DataException("TwoWaySync: TARGET_KEEPS_CHANGING " + side(from.other()) + " record "
                        + (other == null ? "?" : other.id()) + " changed after each of the " + refused
                        + " writes planned for this change of " + side(from) + " record " + source.id()
                        + "; not planned again (" + TwoWaySyncConfig.REPLAN_MAX + "=" + replanMaxRounds + ")");
            }
        }
        counters.count(plan);
        if (audit != null) {
            long now = System.currentTimeMillis();
            String syncUser = mapping.side(from).integrationUser();
            // An echo last modified by the sync (or from a side that does not say who modified) confirms its write.
            if (plan.outcome() == Plan.Outcome.ECHO
                    && source.state().syncedAt() > 0
                    && (syncUser.isEmpty() || source.modifiedBy().equalsIgnoreCase(syncUser))) {
                audit.confirmed(
                        source.id(),
                        other == null ? null : other.id(),
                        source.state().syncedAt(),
                        now);
            } else {
                audit.decided(source.id(), other == null ? null : other.id(), plan, source.modifiedAt(), started, now);
            }
        }
        if (!plan.isWrite()) {
            return null;
        }
        Side to = from.other();
        ObjectMapping.SideSpec spec = mapping.side(to);
        Map<String, Object> value = new LinkedHashMap<>();
        StringJoiner fields = new StringJoiner(",");
        for (Map.Entry<String, String> w : plan.writes().entrySet()) {
            FieldRule f = mapping.field(w.getKey());
            value.put(f.on(to), Canonical.toSide(f, to, w.getValue()));
            fields.add(f.name());
        }
        if (plan.writeLink() || to == Side.DYNAMICS) {
            // Dynamics 365 rows are addressed by this alternate key when they have no id yet.
            value.put(spec.linkField(), source.id());
        }
        if (other == null && to == Side.HUBSPOT) {
            FieldRule key = matchField();
            if (key != null) {
                value.putIfAbsent(key.hubspot(), source.value(key.name()));
            }
        }
        value.put(spec.stateField(), plan.newState().encode());
        R out = record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                Schema.OPTIONAL_STRING_SCHEMA,
                other == null ? null : other.id(),
                null,
                value,
                record.timestamp());
        Headers h = out.headers();
        h.addString(HEADER_PREFIX + "direction", from == Side.HUBSPOT ? "hubspot_to_d365" : "d365_to_hubspot");
        h.addString(HEADER_PREFIX + "object", mapping.name());
        h.addString(HEADER_PREFIX + "source.id", source.id());
        h.addString(HEADER_PREFIX + "operation", other == null ? "create" : "update");
        h.addString(HEADER_PREFIX + "fields", fields.toString());
        h.addLong(HEADER_PREFIX + "planned.at", started);
        if (other != null && !other.version().isEmpty()) {
            h.addString(ExpectedVersion.HEADER, other.version());
            if (consumedAt != null) {
                emitted.put(consumedAt, refused == null ? 1 : refused + 1);
            }
        }
        return out;
    }

    /** Where the sink consumed the change (before any transform renamed it), or null outside a sink. */
    private static String consumedAt(ConnectRecord<?> record) {
        if (!(record instanceof SinkRecord r)) {
            return null;
        }
        return r.originalTopic() + "/" + r.originalKafkaPartition() + "/" + r.originalKafkaOffset();
    }

    /**
     * A record deleted on this side: a tombstone for the record linked to it, once this side confirms the deletion
     * (a tombstone replayed after the record came back deletes nothing). None when nothing is linked to it any more,
     * which is also how the sync's own deletion coming back ends.
     */
    private R deleteLinked(R record) {
        long started = System.currentTimeMillis();
        String id = String.valueOf(record.key());
        if (this.source.byId(id) != null) {
            return null;
        }
        List<String> linked = target.idsLinkedTo(id);
        if (linked.size() > 1) {
            throw new DataException("TwoWaySync: AMBIGUOUS_MATCH " + linked.size() + " " + side(from.other())
                    + " records are linked to deleted " + side(from) + " record " + id + " ("
                    + String.join(", ", linked.subList(0, Math.min(10, linked.size())))
                    + "); none deleted, never guessed");
        }
        String other = linked.isEmpty() ? null : linked.get(0);
        if (audit != null) {
            audit.deletion(id, other, started, System.currentTimeMillis());
        }
        if (other == null) {
            return null;
        }
        counters.deleted();
        R out = record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                Schema.OPTIONAL_STRING_SCHEMA,
                other,
                null,
                null,
                record.timestamp());
        Headers h = out.headers();
        h.addString(HEADER_PREFIX + "direction", from == Side.HUBSPOT ? "hubspot_to_d365" : "d365_to_hubspot");
        h.addString(HEADER_PREFIX + "object", mapping.name());
        h.addString(HEADER_PREFIX + "source.id", id);
        h.addString(HEADER_PREFIX + "operation", "delete");
        return out;
    }

    private boolean needsFieldTimes(Plan plan) {
        for (Plan.FieldDecision d : plan.decisions()) {
            if ((d.action() == Plan.Action.CONFLICT_LOST || d.action() == Plan.Action.CONFLICT_WON)
                    && mapping.field(d.field()).conflict().kind() == ConflictPolicy.Kind.MOST_RECENT_WINS) {
                return true;
            }
        }
        return false;
    }

    /** The linked record on the other side, null when there is none (the sink creates it). */
    private RecordView resolve(RecordView source) {
        if (!source.linkedId().isEmpty()) {
            RecordView t = target.byId(source.linkedId());
            if (t != null) {
                requireNotLinkedElsewhere(source, t);
                return t;
            }
        }
        List<RecordView> linked = target.byLink(source.id());
        if (linked.size() > 1) {
            throw ambiguous("link", linked);
        }
        if (linked.size() == 1) {
            return linked.get(0);
        }
        FieldRule key = matchField();
        String k = key == null ? null : source.value(key.name());
        if (k == null) {
            return null;
        }
        List<RecordView> candidates = target.byMatchKey(k);
        if (candidates.size() > 1) {
            throw ambiguous("match key " + mapping.side(from.other()).matchKey(), candidates);
        }
        if (candidates.isEmpty()) {
            return null;
        }
        requireNotLinkedElsewhere(source, candidates.get(0));
        return candidates.get(0);
    }

    private void requireNotLinkedElsewhere(RecordView source, RecordView t) {
        if (!t.linkedId().isEmpty() && !t.linkedId().equals(source.id())) {
            throw new DataException("TwoWaySync: LINK_CONFLICT " + side(from.other()) + " record " + t.id()
                    + " is linked to " + side(from) + " record " + t.linkedId() + ", not to " + source.id());
        }
    }

    private DataException ambiguous(String by, List<RecordView> candidates) {
        List<String> ids = new ArrayList<>();
        candidates.stream().limit(10).forEach(c -> ids.add(c.id()));
        return new DataException("TwoWaySync: AMBIGUOUS_MATCH " + candidates.size() + " " + side(from.other())
                + " records share the " + by + " (" + String.join(", ", ids) + "); link one by hand, never guessed");
    }

    private FieldRule matchField() {
        for (FieldRule f : mapping.fields()) {
            if (f.hubspot().equals(mapping.hubspot().matchKey())) {
                return f;
            }
        }
        return null;
    }

    private static String side(Side s) {
        return s == Side.HUBSPOT ? "HubSpot" : "Dynamics 365";
    }

    private static int status(RuntimeException e) {
        return e instanceof HubSpotException h ? h.status() : e instanceof DynamicsException d ? d.status() : 0;
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void close() {
        counters.stop();
        if (audit != null) {
            audit.close();
        }
        if (target != null) {
            target.close();
        }
        if (source != null) {
            source.close();
        }
    }
}
