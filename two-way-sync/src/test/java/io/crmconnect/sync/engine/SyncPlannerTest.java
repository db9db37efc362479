package io.crmconnect.sync.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import io.crmconnect.sync.mapping.SyncMapping;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
    static final ObjectMapping M = SyncMapping.parse("""
            objects:
              contact:
                hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
                dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
                            match_key: emailaddress1 }
                defaults: { conflict: most_recent_wins, tie_breaker: hubspot }
                fields:
                  email:     { hubspot: email, dynamics: emailaddress1, conflict: "source_of_truth:hubspot" }
                  firstname: { hubspot: firstname, dynamics: firstname }
                  jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
                  phone:     { hubspot: phone, dynamics: telephone1, merge: fill_if_missing }
                  notes:     { hubspot: hs_notes, dynamics: description, direction: none }
            """).object("contact");

    static Map<String, String> vals(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static SyncState stateOf(long t, Map<String, String> values) {
        Map<String, String> fp = new HashMap<>();
        for (String f : List.of("email", "firstname", "jobtitle", "phone", "notes")) {
            fp.put(f, SyncState.fingerprint(f, values.get(f)));
        }
        return new SyncState(t, 0L, fp);
    }

    static RecordView view(String id, String link, Map<String, String> v, SyncState s, long modified) {
        return new RecordView(id, link, v, s, modified, Map.of(), "");
    }

    static final Map<String, String> BASE =
            vals("email", "ada@example.com", "firstname", "Ada", "jobtitle", "CTO", "phone", "123", "notes", "n");

    @Test
    void aChangeHereOnlyIsWrittenAndItsEchoWritesNothing() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("firstname", "Augusta");
        Plan p = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", BASE, s, 100), 300);
        assertEquals(Plan.Outcome.WRITE, p.outcome());
        assertEquals(Map.of("firstname", "Augusta"), p.writes());
        assertFalse(p.writeLink());
        // The write comes back from Dynamics 365 with the new state: an echo.
        Plan echo = SyncPlanner.plan(
                M, Side.DYNAMICS, view("d1", "1", hs, p.newState(), 301), view("1", "d1", hs, s, 200), 400);
        assertEquals(Plan.Outcome.ECHO, echo.outcome());
        assertTrue(echo.writes().isEmpty());
    }

    @Test
    void theSyncsOwnWriteIsToldFromTheChangeAloneOnlyWhenItsSideNamesTheSyncAndEveryFieldMatchesTheState() {
        ObjectMapping m = SyncMapping.parse("""
                objects:
                  contact:
                    hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
                    dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
                                match_key: emailaddress1, integration_user: U-SYNC }
                    fields:
                      email:     { hubspot: email, dynamics: emailaddress1 }
                      firstname: { hubspot: firstname, dynamics: firstname }
                      jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
                      phone:     { hubspot: phone, dynamics: telephone1, merge: fill_if_missing }
                      notes:     { hubspot: hs_notes, dynamics: description, direction: none }
                """).object("contact");
        SyncState s = stateOf(100, BASE);
        Plan own = SyncPlanner.ownWrite(m, Side.DYNAMICS, new RecordView("d1", "1", BASE, s, 150, Map.of(), "u-sync"));
        assertEquals(Plan.Outcome.ECHO, own.outcome());
        assertTrue(own.writes().isEmpty());
        // the last modifier is a person: only the full plan can tell
        assertEquals(
                null,
                SyncPlanner.ownWrite(m, Side.DYNAMICS, new RecordView("d1", "1", BASE, s, 150, Map.of(), "u-ann")));
        // a person's edit of the job title the sync's later write kept: the job title still has to travel
        Map<String, String> edited = new HashMap<>(BASE);
        edited.put("jobtitle", "CEO");
        assertEquals(
                null,
                SyncPlanner.ownWrite(m, Side.DYNAMICS, new RecordView("d1", "1", edited, s, 150, Map.of(), "u-sync")));
        // no state yet, or a side that does not say who modified the record
        assertEquals(
                null,
                SyncPlanner.ownWrite(
                        m, Side.DYNAMICS, new RecordView("d1", "1", BASE, SyncState.NONE, 150, Map.of(), "u-sync")));
        assertEquals(
                null, SyncPlanner.ownWrite(m, Side.HUBSPOT, new RecordView("1", "d1", BASE, s, 150, Map.of(), "")));
    }

    @Test
    void directionNoneAndOneWayFieldsAreNotWritten() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("jobtitle", "CEO");
        hs.put("notes", "secret");
        Plan p = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", BASE, s, 100), 300);
        assertEquals(Plan.Outcome.ECHO, p.outcome(), "changes no rule lets through are not changes to sync");
        Map<String, String> d = new HashMap<>(BASE);
        d.put("jobtitle", "CEO");
        Plan back = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 200), view("1", "d1", BASE, s, 100), 300);
        assertEquals(Map.of("jobtitle", "CEO"), back.writes());
    }

    @Test
    void fillIfMissingWritesOnlyIntoEmpty() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("phone", "999");
        Plan p = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", BASE, s, 100), 300);
        assertEquals(Plan.Outcome.NOTHING_TO_WRITE, p.outcome());
        Map<String, String> d = new HashMap<>(BASE);
        d.remove("phone");
        Plan fill = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", d, s, 150), 300);
        assertEquals(Map.of("phone", "999"), fill.writes());
    }

    @Test
    void sourceOfTruthDecidesBothDirectionsAlike() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("email", "a@hs.example");
        Map<String, String> d = new HashMap<>(BASE);
        d.put("email", "a@d.example");
        Plan fromHs = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", d, s, 300), 400);
        Plan fromD = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 300), view("1", "d1", hs, s, 200), 400);
        assertEquals(Map.of("email", "a@hs.example"), fromHs.writes());
        assertTrue(fromD.writes().isEmpty());
        assertTrue(fromD.decisions().contains(new Plan.FieldDecision("email", Plan.Action.CONFLICT_LOST)));
    }

    @Test
    void mostRecentWinsByModificationTimeTiesToTheNamedSide() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("firstname", "Hs");
        Map<String, String> d = new HashMap<>(BASE);
        d.put("firstname", "Dyn");
        Plan fromHs = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 200), view("d1", "1", d, s, 300), 400);
        Plan fromD = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 300), view("1", "d1", hs, s, 200), 400);
        assertTrue(fromHs.writes().isEmpty());
        assertEquals(Map.of("firstname", "Dyn"), fromD.writes());
        Plan tieHs = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "d1", hs, s, 250), view("d1", "1", d, s, 250), 400);
        Plan tieD = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 250), view("1", "d1", hs, s, 250), 400);
        assertEquals(Map.of("firstname", "Hs"), tieHs.writes());
        assertTrue(tieD.writes().isEmpty());
    }

    @Test
    void perFieldTimesWinOverTheRecordsTime() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("firstname", "Hs");
        Map<String, String> d = new HashMap<>(BASE);
        d.put("firstname", "Dyn");
        RecordView hsView = new RecordView("1", "d1", hs, s, 900, Map.of("firstname", 200L), "");
        Plan fromD = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 300), hsView, 1000);
        assertEquals(Map.of("firstname", "Dyn"), fromD.writes());
    }

    @Test
    void firstLinkCreatesWithLinkAndDifferingValuesAreAConflict() {
        Plan create = SyncPlanner.plan(M, Side.HUBSPOT, view("1", "", BASE, SyncState.NONE, 200), null, 300);
        assertEquals(Plan.Outcome.WRITE, create.outcome());
        assertTrue(create.writeLink());
        assertEquals(Map.of("email", "ada@example.com", "firstname", "Ada", "phone", "123"), create.writes());
        Map<String, String> d = new HashMap<>(BASE);
        d.put("firstname", "Adeline");
        d.put("phone", null);
        Plan link = SyncPlanner.plan(
                M, Side.HUBSPOT, view("1", "", BASE, SyncState.NONE, 200), view("d9", "", d, SyncState.NONE, 100), 300);
        assertTrue(link.writeLink());
        assertEquals(Map.of("firstname", "Ada", "phone", "123"), link.writes(), "HubSpot's newer record wins");
        // The link is written back on HubSpot once the created row comes back: then nothing else is written.
        Plan back = SyncPlanner.plan(
                M,
                Side.DYNAMICS,
                view("d1", "1", BASE, create.newState(), 301),
                view("1", "", BASE, SyncState.NONE, 200),
                400);
        assertTrue(back.writeLink());
        assertTrue(back.writes().isEmpty());
    }

    @Test
    void aConflictLostKeepsTheBaseSoTheWinnersValueStillTravels() {
        SyncState s = stateOf(100, BASE);
        Map<String, String> hs = new HashMap<>(BASE);
        hs.put("email", "a@hs.example");
        Map<String, String> d = new HashMap<>(BASE);
        d.put("email", "a@d.example");
        d.put("firstname", "Dyn");
        // Dynamics' change arrives first: it writes its firstname, loses email, and keeps email's old base.
        Plan fromD = SyncPlanner.plan(M, Side.DYNAMICS, view("d1", "1", d, s, 300), view("1", "d1", hs, s, 200), 400);
        assertEquals(Map.of("firstname", "Dyn"), fromD.writes());
        assertEquals(s.base("email"), fromD.newState().base("email"));
        Map<String, String> hsAfter = new HashMap<>(hs);
        hsAfter.put("firstname", "Dyn");
        Plan fromHs = SyncPlanner.plan(
                M, Side.HUBSPOT, view("1", "d1", hsAfter, fromD.newState(), 401), view("d1", "1", d, s, 300), 500);
        assertEquals(Map.of("email", "a@hs.example"), fromHs.writes());
    }
}
