package io.crmconnect.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmconnect.sync.mapping.Direction;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.MergePolicy;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import io.crmconnect.sync.mapping.SyncMapping;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner driven the way the connectors drive it, over two in-memory CRMs: each side's changes (human edits
 * and the sync's own writes) come out of a change feed as snapshots, in order, possibly long after they were made;
 * the sync reads the other side's current record when it handles a change. Random interleavings of edits on both
 * sides and feed handling; after the edits stop and the feeds drain, both sides must hold what the policies say,
 * checked field by field against an oracle from the edit log, with a bounded number of writes.
 */
class ConvergenceSimulationTest {
    static final ObjectMapping M = SyncMapping.parse("""
            objects:
              contact:
                hubspot:  { object: contacts, link: d365_contactid, state: s, match_key: email }
                dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: s, match_key: emailaddress1,
                            integration_user: sync }
                defaults: { conflict: most_recent_wins, tie_breaker: hubspot }
                fields:
                  email:     { hubspot: email, dynamics: emailaddress1, conflict: "source_of_truth:hubspot" }
                  stage:     { hubspot: lifecyclestage, dynamics: crmc_stage, conflict: "source_of_truth:dynamics" }
                  firstname: { hubspot: firstname, dynamics: firstname }
                  lastname:  { hubspot: lastname, dynamics: lastname }
                  jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
                  website:   { hubspot: website, dynamics: websiteurl, direction: hubspot_to_d365 }
                  phone:     { hubspot: phone, dynamics: telephone1, merge: fill_if_missing }
            """).object("contact");

    static final class Rec {
        String id;
        String link = "";
        Map<String, String> values = new HashMap<>();
        SyncState state = SyncState.NONE;
        long modified;
        String modifiedBy = "";
        /** HubSpot only: every property's own last change (property history). */
        Map<String, Long> fieldModified = new HashMap<>();

        RecordView view() {
            return new RecordView(
                    id, link, new HashMap<>(values), state, modified, new HashMap<>(fieldModified), modifiedBy);
        }
    }

    static final class World {
        final Random rnd;
        long clock = 1000;
        final Map<Side, Map<String, Rec>> recs = new EnumMap<>(Side.class);
        final Map<Side, ArrayDeque<RecordView>> feed = new EnumMap<>(Side.class);
        int syncWrites;
        int humanEdits;
        /** field -> side -> record -> last value a human wrote, and when. */
        final Map<String, Map<Side, Map<String, long[]>>> lastEditAt = new HashMap<>();

        final Map<String, Map<Side, Map<String, String>>> lastEdit = new HashMap<>();

        World(long seed) {
            rnd = new Random(seed);
            for (Side s : Side.values()) {
                recs.put(s, new HashMap<>());
                feed.put(s, new ArrayDeque<>());
            }
        }

        void touch(Side side, Rec r, boolean bySync, Iterable<String> fields) {
            r.modified = ++clock;
            if (side == Side.DYNAMICS) {
                r.modifiedBy = bySync ? "sync" : "human";
            } else {
                for (String f : fields) {
                    r.fieldModified.put(f, r.modified);
                }
            }
            feed.get(side).add(r.view());
        }

        void humanEdit(Side side, String hsId, String field, String value) {
            Rec r = byHubSpotId(side, hsId);
            r.values.put(field, value);
            humanEdits++;
            lastEdit.computeIfAbsent(field, k -> new EnumMap<>(Side.class))
                    .computeIfAbsent(side, k -> new HashMap<>())
                    .put(hsId, value);
            touch(side, r, false, List.of(field));
            lastEditAt
                    .computeIfAbsent(field, k -> new EnumMap<>(Side.class))
                    .computeIfAbsent(side, k -> new HashMap<>())
                    .put(hsId, new long[] {r.modified});
        }

        Rec byHubSpotId(Side side, String hsId) {
            if (side == Side.HUBSPOT) {
                return recs.get(side).get(hsId);
            }
            return recs.get(side).values().stream()
                    .filter(r -> hsId.equals(r.link))
                    .findFirst()
                    .orElseThrow();
        }

        /** Handles the oldest change of a side's feed, as the sync connector of the other side would. */
        boolean handle(Side from) {
            RecordView change = feed.get(from).poll();
            if (change == null) {
                return false;
            }
            // The change is only the trigger: the record is read as it is now on both sides.
            RecordView ev = recs.get(from).get(change.id()).view();
            Side to = from.other();
            Rec target = ev.linkedId().isEmpty() ? null : recs.get(to).get(ev.linkedId());
            if (target == null) {
                target = recs.get(to).values().stream()
                        .filter(r -> ev.id().equals(r.link))
                        .findFirst()
                        .orElse(null);
            }
            Plan p = SyncPlanner.plan(M, from, ev, target == null ? null : target.view(), clock);
            if (!p.isWrite()) {
                return true;
            }
            if (target == null) {
                target = new Rec();
                target.id = (to == Side.HUBSPOT ? "h" : "d") + recs.get(to).size();
                recs.get(to).put(target.id, target);
            }
            target.values.putAll(p.writes());
            if (p.writeLink()) {
                target.link = ev.id();
            }
            target.state = p.newState();
            syncWrites++;
            touch(to, target, true, p.writes().keySet());
            return true;
        }

        void drain() {
            while (handle(Side.HUBSPOT) | handle(Side.DYNAMICS)) {
                // until both feeds are empty
            }
        }

        void handleSome(int n) {
            for (int i = 0; i < n; i++) {
                handle(rnd.nextBoolean() ? Side.HUBSPOT : Side.DYNAMICS);
            }
        }
    }

    static final List<String> IDS = List.of("h0", "h1", "h2", "h3", "h4");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void concurrentEditsConvergeToWhatThePoliciesSay(long seed) {
        World w = new World(seed);
        for (String id : IDS) {
            Rec r = new Rec();
            r.id = id;
            r.values.putAll(Map.of(
                    "email",
                    id + "@example.com",
                    "firstname",
                    "F" + id,
                    "lastname",
                    "L" + id,
                    "stage",
                    "lead",
                    "website",
                    "w" + id,
                    "phone",
                    "p" + id));
            w.recs.get(Side.HUBSPOT).put(id, r);
            w.touch(Side.HUBSPOT, r, false, r.values.keySet());
        }
        w.drain();
        int linkWrites = w.syncWrites;
        assertEquals(2 * IDS.size(), linkWrites, "a create on Dynamics 365 and the link written back on HubSpot");
        assertEquals(
                0, w.feed.get(Side.HUBSPOT).size() + w.feed.get(Side.DYNAMICS).size());

        // Phase 1: random edits on both sides, feeds handled at random in between (stale snapshots, conflicts).
        List<FieldRule> editable = M.fields();
        for (int i = 0; i < 300; i++) {
            String id = IDS.get(w.rnd.nextInt(IDS.size()));
            FieldRule f = editable.get(w.rnd.nextInt(editable.size()));
            Side side = w.rnd.nextBoolean() ? Side.HUBSPOT : Side.DYNAMICS;
            if (f.direction() == Direction.HUBSPOT_TO_D365) {
                side = Side.HUBSPOT;
            } else if (f.direction() == Direction.D365_TO_HUBSPOT) {
                side = Side.DYNAMICS;
            }
            w.humanEdit(
                    side,
                    id,
                    f.name(),
                    f.name().equals("phone") && w.rnd.nextInt(4) == 0
                            ? null
                            : f.name() + "-" + side.name().charAt(0) + i);
            w.handleSome(w.rnd.nextInt(4));
        }
        // Phase 2: a burst of simultaneous edits of one field on both sides before either is handled.
        for (String id : IDS) {
            w.humanEdit(Side.DYNAMICS, id, "email", "burst-d-" + id);
            w.humanEdit(Side.HUBSPOT, id, "email", "burst-h-" + id);
            w.humanEdit(Side.HUBSPOT, id, "stage", "burst-h-" + id);
            w.humanEdit(Side.DYNAMICS, id, "stage", "burst-d-" + id);
            w.humanEdit(Side.HUBSPOT, id, "firstname", "burst-h-" + id);
            w.humanEdit(Side.DYNAMICS, id, "firstname", "burst-d-" + id);
        }
        w.drain();

        for (String id : IDS) {
            Rec h = w.recs.get(Side.HUBSPOT).get(id);
            Rec d = w.byHubSpotId(Side.DYNAMICS, id);
            for (FieldRule f : M.fields()) {
                if (f.merge() != MergePolicy.FILL_IF_MISSING) {
                    assertEquals(
                            h.values.get(f.name()),
                            d.values.get(f.name()),
                            "seed " + seed + " record " + id + " field " + f.name() + " differs between the sides");
                }
            }
            // The oracle of the burst: source_of_truth sides win, most_recent_wins takes the later edit.
            assertEquals("burst-h-" + id, h.values.get("email"));
            assertEquals("burst-d-" + id, d.values.get("stage"));
            assertEquals("burst-d-" + id, h.values.get("firstname"));
            // One-way fields carry the last edit of their source side.
            assertEquals(
                    w.lastEdit.get("jobtitle") == null
                            ? null
                            : w.lastEdit.get("jobtitle").get(Side.DYNAMICS).get(id),
                    h.values.get("jobtitle"));
            String lastWebsite = w.lastEdit.containsKey("website")
                    ? w.lastEdit.get("website").get(Side.HUBSPOT).get(id)
                    : null;
            assertEquals(lastWebsite == null ? "w" + id : lastWebsite, d.values.get("website"));
        }
        // Bounded: every sync write carries at least one human edit; echoes write nothing.
        int editWrites = w.syncWrites - linkWrites;
        assertTrue(
                editWrites <= w.humanEdits,
                "seed " + seed + ": " + editWrites + " writes for " + w.humanEdits + " edits");
        // Quiet: handling every record once more writes nothing.
        for (Side s : Side.values()) {
            for (Rec r : new ArrayList<>(w.recs.get(s).values())) {
                w.feed.get(s).add(r.view());
            }
        }
        int before = w.syncWrites;
        w.drain();
        assertEquals(before, w.syncWrites, "seed " + seed + ": a replay of every record writes nothing");
    }
}
