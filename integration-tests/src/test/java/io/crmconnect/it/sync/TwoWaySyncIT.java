package io.crmconnect.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import io.crmconnect.testharness.TwoWaySyncSamples;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two-way sync in a real Connect worker on the BUILT archives (HubSpot source and sink, Dynamics 365 source and
 * sink, the two-way-sync transforms), against both simulators: first-time linking (by email where a row already
 * exists), then people editing the same contacts on both sides at once for a while, then a burst of simultaneous
 * edits of the same fields on both sides. Once the edits stop, both sides must converge field by field to what the
 * policies say (oracle from the edit log), the sync must write no more than once per edit and nothing once quiet
 * (no ping-pong), and the changes the sync must refuse (a row claiming a HubSpot contact already linked elsewhere,
 * a choice its value map does not translate) must be in the dead-letter topic.
 */
class TwoWaySyncIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CONTACTS = 12;
    /** Records the random edits touch (the others carry the dead-letter cases). */
    static final int EDITED = 10;

    static ConnectCluster cluster;
    static HubSpotSimulator hs;
    static DynamicsSimulator d365;
    static HubSpotClient api;

    @BeforeAll
    static void start() {
        hs = HubSpotSimulator.builder()
                .seed(16)
                .contacts(0)
                .companies(0)
                .deals(0)
                .tickets(0)
                .start();
        d365 = DynamicsSimulator.builder().seed(16).start();
        api = HubSpotClient.builder()
                .baseUrl(hs.baseUrl())
                .accessToken(hs.token())
                .build();
        cluster = ConnectCluster.start(
                "two-way-sync-it",
                Map.of(
                        "config.providers",
                        "file",
                        "config.providers.file.class",
                        "org.apache.kafka.common.config.provider.FileConfigProvider"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (api != null) {
            api.close();
        }
        if (hs != null) {
            hs.close();
        }
        if (d365 != null) {
            d365.close();
        }
    }

    static ObjectNode hsInput(String id, Map<String, String> props) {
        ObjectNode n = JSON.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        ObjectNode p = n.putObject("properties");
        props.forEach(p::put);
        return n;
    }

    /** A HubSpot contact's values under the mapping's field names (HubSpot spelling). */
    static Map<String, String> hubspotValues(String id) {
        Map<String, String> r = hs.record("contacts", id);
        Map<String, String> v = new HashMap<>();
        for (String[] f : FIELDS) {
            String x = r.get(f[1]);
            v.put(f[0], x == null || x.isEmpty() ? null : x);
        }
        return v;
    }

    /** A Dynamics 365 row's values under the mapping's field names, translated to HubSpot spelling. */
    static Map<String, String> dynamicsValues(String id) {
        Map<String, Object> r = d365.row("contact", id);
        Map<String, String> v = new HashMap<>();
        for (String[] f : FIELDS) {
            Object x = r.get(f[2]);
            String s = x == null || x.toString().isEmpty() ? null : x.toString();
            if (s != null && f[0].equals("country")) {
                s = Map.of("United States", "US", "Germany", "DE", "France", "FR")
                        .getOrDefault(s, "?" + s);
            }
            if (s != null && f[0].equals("method")) {
                s = Map.of("1", "any", "2", "email", "3", "phone", "4", "fax", "5", "mail")
                        .get(s);
            }
            v.put(f[0], s);
        }
        return v;
    }

    /** Mapping field, HubSpot property, Dynamics 365 column. */
    static final String[][] FIELDS = {
        {"email", "email", "emailaddress1"},
        {"firstname", "firstname", "firstname"},
        {"lastname", "lastname", "lastname"},
        {"city", "city", "address1_city"},
        {"jobtitle", "jobtitle", "jobtitle"},
        {"phone", "phone", "telephone1"},
        {"country", "country", "address1_country"},
        {"method", "crm_contact_method", "preferredcontactmethodcode"}
    };

    @Test
    void concurrentEditsOnBothSidesConvergeToThePoliciesWithoutPingPong() throws Exception {
        api.createProperty(
                "contacts", "d365_contactid", "Dynamics 365 contact id", "string", "text", "contactinformation");
        api.createProperty("contacts", "crmconnect_sync_state", "Sync state", "string", "text", "contactinformation");
        api.createProperty("contacts", "crm_contact_method", "Contact method", "string", "text", "contactinformation");
        List<ObjectNode> creates = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            creates.add(hsInput(
                    null,
                    Map.of(
                            "email",
                            "person" + i + "@example.com",
                            "firstname",
                            "First" + i,
                            "lastname",
                            "Last" + i,
                            "city",
                            "City" + i,
                            "country",
                            i % 2 == 0 ? "US" : "DE",
                            "crm_contact_method",
                            "email")));
        }
        api.batchCreate("contacts", creates);
        // A row that already exists in Dynamics 365 with the same email: linked by email, not duplicated.
        String existing = d365.create(
                "contact",
                Map.of(
                        "emailaddress1",
                        "person0@example.com",
                        "lastname",
                        "Last0",
                        "firstname",
                        "First0",
                        "jobtitle",
                        "Founder",
                        "telephone1",
                        "+1 555 0100"));

        // The connector configurations and the mapping the archive ships, with this machine's coordinates.
        TwoWaySyncSamples samples = new TwoWaySyncSamples(
                cluster, hs.baseUrl(), hs.token(), d365.baseUrl(), d365.clientSecret(), d365.applicationUserId());
        Map<String, String> hsSource = samples.config("sync-hubspot-source.json");
        hsSource.put("poll.interval.ms", "500");
        hsSource.put("search.index.lag.overlap.ms", "2000");
        hsSource.put("properties.refresh.interval.ms", "3000");
        hsSource.put("deletes.interval.ms", "1000");
        Map<String, String> dSource = samples.config("sync-dynamics-source.json");
        dSource.put("poll.interval.ms", "500");
        Map<String, String> toD = samples.config("sync-hubspot-to-dynamics.json");
        Map<String, String> toH = samples.config("sync-dynamics-to-hubspot.json");
        // One record per write call, so the simulators' request logs count the sync's writes.
        toD.put("batch.size", "1");
        toH.put("batch.size", "1");
        // HubSpot has no conditional update: the HubSpot sink reads the versions right before each update call, and
        // an edit between the two is overwritten. With the sample's 0.3 budget share, a busy sink waits for its
        // budget between them (one paced interval, ~175 ms); with the whole budget the window is one round trip.
        toH.put("hubspot.burst.budget.share", "1.0");

        cluster.createTopic(TwoWaySyncSamples.AUDIT_TOPIC, 1);
        cluster.configureConnector("sync-hs-source", hsSource);
        cluster.configureConnector("sync-d-source", dSource);
        cluster.configureConnector("sync-to-d365", toD);
        cluster.configureConnector("sync-to-hubspot", toH);
        for (String c : List.of("sync-hs-source", "sync-d-source", "sync-to-d365", "sync-to-hubspot")) {
            cluster.awaitRunning(c, 1, Duration.ofSeconds(60));
        }

        // First-time linking: every HubSpot contact has its row, and knows it.
        List<String> hsIds = new ArrayList<>(hs.ids("contacts"));
        assertThat(hsIds).hasSize(CONTACTS);
        samples.awaitLinked(
                hsIds,
                id -> hs.record("contacts", id).get("d365_contactid"),
                id -> d365.row("contact", id) != null,
                Duration.ofSeconds(90));
        assertThat(d365.ids("contact")).hasSize(CONTACTS);
        String hsOfExisting =
                d365.row("contact", existing).get("crmc_hubspotid").toString();
        assertThat(hs.record("contacts", hsOfExisting).get("email")).isEqualTo("person0@example.com");
        assertThat(hs.record("contacts", hsOfExisting).get("jobtitle")).isEqualTo("Founder");
        assertThat(hs.record("contacts", hsOfExisting).get("phone")).isEqualTo("+1 555 0100");

        // The dead-letter cases: a row claiming a contact linked elsewhere, a choice the value map cannot translate.
        // (Dynamics 365's alternate key on crmc_hubspotid already stops a second row claiming a HubSpot contact.)
        api.batchCreate(
                "contacts",
                List.of(hsInput(
                        null,
                        Map.of(
                                "email",
                                "impostor@example.com",
                                "lastname",
                                "Impostor",
                                "d365_contactid",
                                dynamicsId(hsIds.get(1))))));
        String faxRow = dynamicsId(hsIds.get(CONTACTS - 1));
        d365.update("contact", faxRow, Map.of("preferredcontactmethodcode", 4));

        long writesBefore = syncWrites();
        int humanHubSpotCalls = 0;
        Random rnd = new Random(16);
        int edits = 0;
        Map<String, Map<String, String>> lastOneWay = new HashMap<>();
        long end = System.currentTimeMillis() + 8_000;
        while (System.currentTimeMillis() < end) {
            String hsId = hsIds.get(rnd.nextInt(EDITED));
            String dId = dynamicsId(hsId);
            String tag = "e" + edits;
            int kind = rnd.nextInt(7);
            if (kind == 0 || kind == 2 || kind == 5) {
                humanHubSpotCalls++;
            }
            switch (kind) {
                case 0 -> api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("firstname", "Hf" + tag))));
                case 1 -> d365.update("contact", dId, Map.of("firstname", "Df" + tag));
                case 2 -> api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("city", "Hc" + tag))));
                case 3 -> d365.update("contact", dId, Map.of("address1_city", "Dc" + tag));
                case 4 -> {
                    d365.update("contact", dId, Map.of("jobtitle", "Dj" + tag));
                    lastOneWay.computeIfAbsent(hsId, k -> new HashMap<>()).put("jobtitle", "Dj" + tag);
                }
                case 5 ->
                    api.batchUpdate(
                            "contacts",
                            List.of(hsInput(
                                    hsId, Map.of("lastname", "Hl" + tag, "country", rnd.nextBoolean() ? "FR" : "US"))));
                default ->
                    d365.update(
                            "contact",
                            dId,
                            Map.of("lastname", "Dl" + tag, "preferredcontactmethodcode", rnd.nextBoolean() ? 3 : 5));
            }
            edits++;
            Thread.sleep(60 + rnd.nextInt(120));
        }
        // Phase 1 ends with both sides equal: no edit left half-synced, no loop.
        awaitConvergence(hsIds, Map.of());
        // The burst: the same fields edited on both sides before either change is synced (Dynamics 365 first).
        Map<String, Map<String, String>> oracle = new LinkedHashMap<>();
        for (int i = 0; i < EDITED; i++) {
            String hsId = hsIds.get(i);
            String dId = dynamicsId(hsId);
            d365.update(
                    "contact",
                    dId,
                    Map.of("firstname", "BurstD" + i, "lastname", "BurstDl" + i, "address1_city", "BurstDc" + i));
            Thread.sleep(30);
            api.batchUpdate(
                    "contacts", List.of(hsInput(hsId, Map.of("lastname", "BurstHl" + i, "city", "BurstHc" + i))));
            edits += 2;
            humanHubSpotCalls++;
        }
        // most_recent_wins: HubSpot's edit of the first name comes later than Dynamics 365's, by more than the
        // one-second precision of Dataverse's modifiedon (edits within one second tie, and the tie breaker wins).
        // A Dynamics 365 change planned before HubSpot's edit and written after it would overwrite it: the sinks
        // write only over the version the plan read (ExpectedVersion), so the later edit must win in every record.
        Thread.sleep(1_200);
        for (int i = 0; i < EDITED; i++) {
            String hsId = hsIds.get(i);
            api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("firstname", "BurstH" + i))));
            edits++;
            humanHubSpotCalls++;
            // source_of_truth: the named side, whoever edited last; most_recent_wins: the later edit.
            oracle.put(hsId, Map.of("lastname", "BurstHl" + i, "city", "BurstDc" + i, "firstname", "BurstH" + i));
        }

        try {
            awaitConvergence(hsIds, oracle);
        } catch (AssertionError e) {
            for (String hsId : hsIds.subList(0, EDITED)) {
                System.out.println("diverged? " + hsId + " hubspot=" + new TreeMap<>(hubspotValues(hsId))
                        + " dynamics=" + new TreeMap<>(dynamicsValues(dynamicsId(hsId))) + " oracle="
                        + oracle.get(hsId) + " hs.state="
                        + hs.record("contacts", hsId).get("crmconnect_sync_state")
                        + " d.state=" + d365.row("contact", dynamicsId(hsId)).get("crmc_syncstate"));
            }
            System.out.printf(
                    "two-way sync: lost edits (oracle fields not reached): %d%n",
                    hsIds.subList(0, EDITED).stream()
                            .mapToLong(id -> oracle.get(id).entrySet().stream()
                                    .filter(f -> !f.getValue()
                                            .equals(hubspotValues(id).get(f.getKey())))
                                    .count())
                            .sum());
            throw e;
        }
        int laterWon = 0;
        for (String hsId : hsIds.subList(0, EDITED)) {
            Map<String, String> h = hubspotValues(hsId);
            Map<String, String> d = dynamicsValues(dynamicsId(hsId));
            for (String[] f : FIELDS) {
                if (!f[0].equals("phone")) {
                    assertThat(d.get(f[0])).as("record %s field %s", hsId, f[0]).isEqualTo(h.get(f[0]));
                }
            }
            laterWon += h.get("firstname").startsWith("BurstH") ? 1 : 0;
            assertThat(h).containsAllEntriesOf(oracle.get(hsId));
            Map<String, String> oneWay = lastOneWay.getOrDefault(hsId, Map.of());
            if (oneWay.containsKey("jobtitle")) {
                assertThat(h.get("jobtitle")).isEqualTo(oneWay.get("jobtitle"));
            }
        }
        System.out.printf("two-way sync: the later first-name edit won in %d of %d contacts%n", laterWon, EDITED);
        // No ping-pong: the writes are bounded by the edits, and nothing is written once the edits stopped.
        long writes = syncWrites() - writesBefore - humanHubSpotCalls;
        System.out.printf(
                "two-way sync: %d human edits, %d sync writes (%.2f per edit)%n",
                edits, writes, writes / (double) edits);
        assertThat(writes).isLessThanOrEqualTo(edits + 4L);
        long quiet = syncWrites();
        Thread.sleep(5_000);
        assertThat(syncWrites()).as("writes while nobody edits").isEqualTo(quiet);

        // Deletions travel both ways (the mapping says deletes: both): a contact archived in HubSpot loses its row,
        // a row deleted in Dynamics 365 loses its contact; nothing else is deleted.
        String deletedInHubSpot = hsIds.get(2);
        String itsRow = dynamicsId(deletedInHubSpot);
        String rowDeletedInDynamics = dynamicsId(hsIds.get(3));
        // An edit racing the deletion of its linked record on the other side: the deletion wins, nothing comes back.
        String editedHere = hsIds.get(4);
        String rowDeletedThere = dynamicsId(editedHere);
        String rowEditedHere = dynamicsId(hsIds.get(5));
        long deletionsFrom = System.currentTimeMillis();
        api.batchArchive("contacts", List.of(deletedInHubSpot));
        d365.delete("contact", rowDeletedInDynamics);
        d365.delete("contact", rowDeletedThere);
        api.batchUpdate("contacts", List.of(hsInput(editedHere, Map.of("firstname", "Racing"))));
        api.batchArchive("contacts", List.of(hsIds.get(5)));
        d365.update("contact", rowEditedHere, Map.of("firstname", "RacingD"));
        cluster.awaitCondition(
                "deletions reach the other side",
                Duration.ofSeconds(60),
                () -> d365.row("contact", itsRow) == null
                        && hs.record("contacts", hsIds.get(3)) == null
                        && hs.record("contacts", editedHere) == null
                        && d365.row("contact", rowEditedHere) == null);
        Thread.sleep(3_000); // an edit's change the deletion raced would have recreated its record by now
        assertThat(d365.ids("contact")).hasSize(CONTACTS - 4);
        assertThat(hs.ids("contacts")).as("the impostor stays").hasSize(CONTACTS + 1 - 4);
        // Every change the sync refused is in the dead-letter topic, with a reason and no personal data.
        List<DeadLetter> dlq =
                new ArrayList<>(cluster.readDeadLetters("sync.dynamics-to-hubspot.dlq", 1, Duration.ofSeconds(30)));
        dlq.addAll(cluster.readDeadLetters("sync.hubspot-to-dynamics.dlq", 1, Duration.ofSeconds(30)));
        Set<String> reasons = new HashSet<>();
        for (DeadLetter l : dlq) {
            String msg = l.exceptionMessage();
            reasons.add(msg.split(" ")[1]);
            assertThat(msg).doesNotContain("@example.com", "Impostor", "Fax");
        }
        assertThat(reasons).contains("LINK_CONFLICT", "UNMAPPED_VALUE");
        // The audit topic has every decision, rejected ones with their code, and no personal data.
        Map<String, Integer> outcomes = new HashMap<>();
        Set<String> codes = new HashSet<>();
        for (var r : cluster.consumeAll(Duration.ofSeconds(20), TwoWaySyncSamples.AUDIT_TOPIC)) {
            String event = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(event).doesNotContain("@example.com", "Impostor", "Burst", "Last", "First");
            var n = JSON.readTree(event);
            outcomes.merge(n.path("outcome").asText(), 1, Integer::sum);
            if (n.path("outcome").asText().equals("target_changed")) {
                // a write the sink refused because the other record changed: planned again, with its reason
                assertThat(n.path("reason").asText()).contains("changed after the write was planned");
            }
            if (n.path("at").asLong() >= deletionsFrom) {
                assertThat(n.path("operation").asText())
                        .as("no record recreated after the deletions")
                        .isNotEqualTo("create");
            }
            if (n.has("error_code")) {
                codes.add(n.get("error_code").asText());
            }
        }
        System.out.println("two-way sync audit outcomes: " + outcomes);
        assertThat(outcomes.getOrDefault("write", 0)).isGreaterThanOrEqualTo((int) writes);
        assertThat(outcomes).containsKeys("echo", "rejected", "delete");
        assertThat(codes).contains("LINK_CONFLICT", "UNMAPPED_VALUE");
        assertThat(cluster.status("sync-to-hubspot").tasks()).allMatch(t -> "RUNNING".equals(t.state()));
        assertThat(cluster.status("sync-to-d365").tasks()).allMatch(t -> "RUNNING".equals(t.state()));
    }

    private static void awaitConvergence(List<String> hsIds, Map<String, Map<String, String>> oracle) {
        cluster.awaitCondition("both sides converge to the policies", Duration.ofSeconds(120), () -> {
            for (String hsId : hsIds.subList(0, EDITED)) {
                Map<String, String> h = hubspotValues(hsId);
                Map<String, String> d = dynamicsValues(dynamicsId(hsId));
                for (String[] f : FIELDS) {
                    if (!f[0].equals("phone") && !Objects.equals(h.get(f[0]), d.get(f[0]))) {
                        return false;
                    }
                }
                for (Map.Entry<String, String> e :
                        oracle.getOrDefault(hsId, Map.of()).entrySet()) {
                    if (!e.getValue().equals(h.get(e.getKey()))) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static String dynamicsId(String hsId) {
        return hs.record("contacts", hsId).get("d365_contactid");
    }

    /** Write calls on both sides (one record per call: batch.size=1), the people's HubSpot calls included. */
    private static long syncWrites() {
        long h = hs.requestLog().stream()
                .filter(r -> "POST".equals(r.method())
                        && (r.path().endsWith("/batch/update")
                                || r.path().endsWith("/batch/upsert")
                                || r.path().endsWith("/batch/create")))
                .count();
        long d = d365.requestLog().stream()
                .filter(r -> !"GET".equals(r.method())
                        && r.path().startsWith("/api/")
                        && d365.applicationUserId().equalsIgnoreCase(String.valueOf(r.userId())))
                .count();
        return h + d;
    }
}
