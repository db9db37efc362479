package io.crmconnect.it.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.AssociationType;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.it.hubspot.DeletedConnector;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.Tier;
import io.crmconnect.testharness.ConnectCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BUILT HubSpot source plugin in a real Connect worker against the HubSpot simulator (real HTTP, OpenAPI request
 * validation on): after every scenario the compacted topics must equal the simulator's state exactly.
 */
class HubSpotSourceIT {
    static final String CONNECTOR = "io.crmconnect.hubspot.source.HubSpotSourceConnector";
    static ConnectCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start("hubspot-source");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void deleteConnectors() {
        cluster.deleteConnectorsIfPresent("hs-torture", "hs-restart", "hs-faults", "hs-delete");
    }

    static Map<String, String> config(HubSpotSimulator sim, String prefix, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "2");
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("hubspot.portal.id", Long.toString(sim.portalId()));
        c.put("objects.include", "contacts,companies,deals");
        c.put("associations", "contacts:companies");
        c.put("topic.format", prefix + ".${object}");
        c.put("number.mapping", "double");
        c.put("poll.interval.ms", "1000");
        c.put("search.index.lag.overlap.ms", "3000");
        c.put("deletes.interval.ms", "2000");
        c.put("snapshot.interval.ms", "3000");
        c.put("reconcile.interval.ms", "20000");
        c.put("properties.refresh.interval.ms", "3000");
        c.putAll(extra);
        return c;
    }

    static HubSpotClient client(HubSpotSimulator sim) {
        return HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .build();
    }

    /** Waits until every listed object topic equals the simulator; fails with the last difference. */
    static void awaitExact(HubSpotSimulator sim, String prefix, Duration timeout, String... types) {
        String[] last = {""};
        Supplier<Boolean> same = () -> {
            StringBuilder d = new StringBuilder();
            try {
                for (String t : types) {
                    String props = t.equals("contacts")
                            ? "email,jobtitle"
                            : t.equals("companies") ? "city,name" : "amount,dealname";
                    String x = TopicState.read(cluster, prefix + "." + t).diff(sim, t, props.split(","));
                    if (!x.isEmpty()) {
                        d.append(x).append("; ");
                    }
                }
            } catch (RuntimeException e) {
                d.append("cannot read topics: ").append(e);
            }
            last[0] = d.toString();
            return last[0].isEmpty();
        };
        try {
            cluster.awaitCondition("topics equal to the simulator", timeout, same);
        } catch (AssertionError e) {
            throw new AssertionError("not converged: " + last[0], e);
        }
    }

    static Set<String> simAssociations(HubSpotSimulator sim) {
        Set<String> out = new TreeSet<>();
        for (String c : sim.ids("contacts")) {
            for (Long co : sim.associations("contacts", c, "companies").keySet()) {
                out.add(c + "-" + co);
            }
        }
        return out;
    }

    @Test
    void tortureRunEndsWithTopicsEqualToHubSpot() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(11)
                        .contacts(1500)
                        .companies(300)
                        .deals(300)
                        .owners(12)
                        .indexLag(Duration.ofSeconds(5))
                        .validateRequests(true)
                        .start();
                HubSpotClient api = client(sim)) {
            String prefix = "torture";
            // overlap > index lag + the time a 12,000-change burst stamped with one millisecond takes to apply
            cluster.configureConnector(
                    "hs-torture",
                    config(
                            sim,
                            prefix,
                            Map.of(
                                    "objects.include",
                                    "contacts,companies,deals,owners,pipelines",
                                    "search.index.lag.overlap.ms",
                                    "8000")));
            cluster.awaitRunning("hs-torture", 2, Duration.ofSeconds(60));
            awaitExact(sim, prefix, Duration.ofSeconds(90), "contacts", "companies", "deals");

            // 12,000 changes sharing ONE millisecond (creates, updates, deletes, merges, association changes)
            long burst = System.nanoTime();
            sim.mutateNow(12_000);
            System.out.println("12,000-change burst applied in " + (System.nanoTime() - burst) / 1_000_000 + " ms");
            // a property added mid-run, then used
            api.createProperty(
                    "contacts", "favourite_colour", "Favourite colour", "string", "text", "contactinformation");
            List<ObjectNode> updates = new ArrayList<>();
            for (String id : sim.ids("contacts").subList(0, 20)) {
                ObjectNode u = TopicState.MAPPER.createObjectNode().put("id", id);
                u.putObject("properties").put("favourite_colour", "teal-" + id);
                updates.add(u);
            }
            api.batchUpdate("contacts", updates);
            // a labelled association
            int label = api.createAssociationLabel("contacts", "companies", "Billing contact", "billing_contact");
            String labelledContact = sim.ids("contacts").get(3);
            String labelledCompany = sim.ids("companies").get(4);
            api.createAssociations(
                    "contacts",
                    "companies",
                    List.of(new HubSpotClient.AssociationInput(
                            labelledContact,
                            labelledCompany,
                            List.of(new AssociationType("USER_DEFINED", label, null)))));
            // steady churn with index lag on top
            sim.startMutator(150);
            sleep(5_000);
            sim.stopMutator();
            // an explicit merge and deletes
            List<String> contacts = sim.ids("contacts");
            String survivor = contacts.get(10);
            String merged = contacts.get(11);
            api.merge("contacts", survivor, merged);
            api.batchArchive("companies", sim.ids("companies").subList(0, 3));

            awaitExact(sim, prefix, Duration.ofSeconds(120), "contacts", "companies", "deals");

            TopicState contactsTopic = TopicState.read(cluster, prefix + ".contacts");
            for (String id : sim.ids("contacts").subList(0, 20)) {
                if (sim.record("contacts", id).containsKey("favourite_colour")) {
                    assertThat(contactsTopic
                                    .live
                                    .get(id)
                                    .path("favourite_colour")
                                    .asText())
                            .isEqualTo("teal-" + id);
                }
            }
            assertThat(contactsTopic.tombstoneHeaders).anySatisfy(h -> {
                assertThat(h.get("_key")).isEqualTo(merged);
                assertThat(h.get("hubspot.change")).isEqualTo("merge");
                assertThat(h.get("hubspot.merged.into")).isEqualTo(survivor);
            });
            assertThat(contactsTopic.lastHeaders.get(survivor))
                    .containsEntry("hubspot.system", "hubspot")
                    .containsEntry("hubspot.object", "contacts")
                    .containsEntry("hubspot.portal", Long.toString(sim.portalId()));

            // associations (with labels) converge too: they never bump last-modified
            String[] lastAssoc = {""};
            cluster.awaitCondition("association topic equal to the simulator", Duration.ofSeconds(60), () -> {
                TopicState a = TopicState.read(cluster, prefix + ".associations.contacts.companies");
                Set<String> want = simAssociations(sim);
                Set<String> got = new TreeSet<>(a.live.keySet());
                lastAssoc[0] = "missing " + minus(want, got) + " extra " + minus(got, want);
                JsonNode l = a.live.get(labelledContact + "-" + labelledCompany);
                return want.equals(got)
                        && l != null
                        && l.path("labels").toString().contains("Billing contact");
            });
            assertThat(TopicState.read(cluster, prefix + ".owners").live).hasSize(12);
            assertThat(TopicState.read(cluster, prefix + ".pipelines").live).isNotEmpty();
            assertThat(sim.contractViolations()).isEmpty();
            assertThat(cluster.status("hs-torture").tasks())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
        }
    }

    @Test
    void workerRestartsDuringTheLoadAndDuringIncrementalLoseNothing() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(12)
                .contacts(3000)
                .companies(100)
                .deals(50)
                .tier(Tier.STARTER)
                .start()) {
            String prefix = "restart";
            cluster.configureConnector(
                    "hs-restart",
                    config(sim, prefix, Map.of("hubspot.tier", "starter", "tasks.max", "1", "associations", "")));
            cluster.awaitRunning("hs-restart", 1, Duration.ofSeconds(60));
            cluster.awaitCondition(
                    "part of the initial load",
                    Duration.ofSeconds(60),
                    () -> TopicState.read(cluster, prefix + ".contacts").live.size() >= 600);
            assertThat(TopicState.read(cluster, prefix + ".contacts").live.size())
                    .isLessThan(3000);
            restartWorker();
            cluster.awaitRunning("hs-restart", 1, Duration.ofSeconds(60));
            awaitExact(sim, prefix, Duration.ofSeconds(90), "contacts", "companies", "deals");

            sim.startMutator(100);
            sleep(2_000);
            restartWorker();
            sleep(2_000);
            sim.stopMutator();
            cluster.awaitRunning("hs-restart", 1, Duration.ofSeconds(60));
            awaitExact(sim, prefix, Duration.ofSeconds(90), "contacts", "companies", "deals");
            assertThat(sim.rateLimited429Count())
                    .as("the budget keeps the task under the tier's limit")
                    .isZero();
        }
    }

    @Test
    void faultsKeepTheTaskRunningAndLoseNothing() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(13)
                .contacts(1200)
                .companies(150)
                .deals(100)
                .fault(Fault.status("*", 502, 0.05))
                .fault(Fault.of("*", Fault.Kind.CONNECTION_RESET, 0.03))
                .fault(Fault.of("*", Fault.Kind.TRUNCATED_BODY, 0.03))
                .fault(Fault.of("*", Fault.Kind.MALFORMED_JSON, 0.02))
                .fault(Fault.of("*", Fault.Kind.RATE_LIMIT_429, 0.05))
                .start()) {
            String prefix = "faults";
            cluster.configureConnector("hs-faults", config(sim, prefix, Map.of()));
            cluster.awaitRunning("hs-faults", 2, Duration.ofSeconds(60));
            sim.startMutator(60);
            sleep(4_000);
            sim.stopMutator();
            awaitExact(sim, prefix, Duration.ofSeconds(120), "contacts", "companies", "deals");
            assertThat(sim.faults().stream().mapToInt(Fault::firedCount).sum()).isGreaterThan(10);
            assertThat(cluster.status("hs-faults").tasks())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));

            // KIP-875: offsets of a stopped connector can be altered, but only to shapes the connector understands
            assertThat(cluster.rest("PUT", "connectors/hs-faults/stop", null).status())
                    .isEqualTo(204);
            cluster.awaitCondition(
                    "connector stopped",
                    Duration.ofSeconds(60),
                    () -> "STOPPED"
                            .equals(cluster.status("hs-faults").connector().state()));
            ConnectCluster.RestResponse bad = cluster.rest(
                    "PATCH",
                    "connectors/hs-faults/offsets",
                    "{\"offsets\":[{\"partition\":{\"stream\":\"contacts\"},"
                            + "\"offset\":{\"v\":1,\"phase\":\"oops\",\"since\":1}}]}");
            // the worker answers 500 for any exception from alterOffsets; the body carries the connector's reason
            assertThat(bad.status()).isIn(400, 500);
            assertThat(bad.body()).contains("phase").contains("oops");
            ConnectCluster.RestResponse good = cluster.rest(
                    "PATCH",
                    "connectors/hs-faults/offsets",
                    "{\"offsets\":[{\"partition\":{\"stream\":\"contacts\"},\"offset\":{\"v\":1,"
                            + "\"phase\":\"inc\",\"since\":" + (System.currentTimeMillis() - 3_600_000L) + "}}]}");
            assertThat(good.status()).as(good.body()).isEqualTo(200);
        }
    }

    @Test
    void deletingTheConnectorMidLoadStopsItsCallsToHubSpotAndItsThreads() throws Exception {
        // slow list pages keep the initial-load readers busy when the delete comes; a custom object keeps the
        // connector's schema refresher running every second
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(14)
                        .contacts(2000)
                        .fault(Fault.latency("GET /crm/v3/objects/*", 300, 500))
                        .start();
                HubSpotClient api = client(sim)) {
            HubSpotSourceFeaturesIT.createCustomObject(sim, api, "machines", 3);
            Set<Thread> before = DeletedConnector.hubSpotThreads();
            String prefix = "deleted";
            cluster.configureConnector(
                    "hs-delete",
                    config(
                            sim,
                            prefix,
                            Map.of(
                                    "tasks.max",
                                    "1",
                                    "objects.include",
                                    "contacts,custom",
                                    "associations",
                                    "",
                                    "custom.objects.refresh.interval.ms",
                                    "1000")));
            cluster.awaitRunning("hs-delete", 1, Duration.ofSeconds(60));
            cluster.awaitCondition(
                    "initial-load pages read",
                    Duration.ofSeconds(60),
                    () -> sim.routeCount("GET /crm/v3/objects/{objectType}") >= 6);
            assertThat(DeletedConnector.hubSpotThreads())
                    .as("deleted in the middle of the initial load: its readers and the refresher are running")
                    .anyMatch(t -> !before.contains(t) && t.getName().contains("-load-"))
                    .anyMatch(t -> !before.contains(t) && t.getName().contains("custom-objects"));

            DeletedConnector.deleteAndAwaitSilence(cluster, "hs-delete", sim, before);
        }
    }

    @Test
    void validateReportsTokenScopeAndObjectProblemsOnTheirKeys() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(14)
                .contacts(10)
                .companies(5)
                .privateAppToken("pat-contacts-only", "crm.objects.contacts.read")
                .start()) {
            Map<String, String> base = config(sim, "validate", Map.of());
            base.remove("connector.class");
            base.put("name", "hs-validate");

            Map<String, String> good = new HashMap<>(base);
            assertThat(ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, good)))
                    .isEmpty();

            Map<String, String> badToken = new HashMap<>(base);
            badToken.put("hubspot.access.token", "pat-na1-not-a-real-token");
            Map<String, List<String>> e1 = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, badToken));
            assertThat(e1).containsOnlyKeys("hubspot.access.token");
            assertThat(e1.get("hubspot.access.token").get(0)).contains("401").doesNotContain("not-a-real-token");

            Map<String, String> scopes = new HashMap<>(base);
            scopes.put("hubspot.access.token", "pat-contacts-only");
            Map<String, List<String>> e2 = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, scopes));
            assertThat(e2).containsOnlyKeys("objects.include");
            assertThat(String.join(" ", e2.get("objects.include")))
                    .contains("companies")
                    .contains("scope");

            Map<String, String> unknown = new HashMap<>(base);
            unknown.put("objects.include", "contacts,widgets");
            ConfigInfos infos = cluster.validate(CONNECTOR, unknown);
            Map<String, List<String>> e3 = ConnectCluster.errorsByKey(infos);
            assertThat(e3).containsOnlyKeys("objects.include");
            assertThat(e3.get("objects.include").get(0)).contains("widgets");

            Map<String, String> history = new HashMap<>(base);
            history.put("property.history", "contacts.email,tickets.subject");
            Map<String, List<String>> e4 = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, history));
            assertThat(e4).containsOnlyKeys("property.history");
            assertThat(e4.get("property.history").get(0)).contains("tickets.subject");
            history.put("property.history", "contacts");
            assertThat(ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, history)))
                    .containsOnlyKeys("property.history");

            Map<String, String> badEnum = new HashMap<>(base);
            badEnum.put("hubspot.tier", "platinum");
            assertThat(ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, badEnum)))
                    .containsOnlyKeys("hubspot.tier");
        }
    }

    static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out.size() > 5 ? Set.of(out.size() + " e.g. " + out.iterator().next()) : out;
    }

    static void restartWorker() {
        var connect = cluster.raw();
        var worker = connect.workers().iterator().next();
        connect.removeWorker(worker);
        connect.addWorker();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
