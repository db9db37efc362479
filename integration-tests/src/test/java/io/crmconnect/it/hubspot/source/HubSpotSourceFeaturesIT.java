package io.crmconnect.it.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Features of the BUILT HubSpot source plugin beyond the torture/restart/fault runs of {@link HubSpotSourceIT}, in a
 * worker with exactly-once source support ENABLED (KIP-618), against the HubSpot simulator: custom objects from the
 * schemas API (discovered despite faults at start, and while running), PluginMetrics on the worker's JMX, the OAuth refresh-token flow across an access-token expiry, property
 * history, and reconciliation that still knows the ids sent before a worker restart.
 */
class HubSpotSourceFeaturesIT {
    static final String CONNECTOR = HubSpotSourceIT.CONNECTOR;
    static ConnectCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start("hubspot-source-features", Map.of("exactly.once.source.support", "enabled"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void deleteConnectors() {
        cluster.deleteConnectorsIfPresent("hs-eos", "hs-oauth", "hs-history", "hs-discovery");
    }

    static Map<String, String> config(HubSpotSimulator sim, String prefix, Map<String, String> extra) {
        Map<String, String> c =
                new HashMap<>(HubSpotSourceIT.config(sim, prefix, Map.of("associations", "", "tasks.max", "1")));
        c.putAll(extra);
        return c;
    }

    @Test
    void customObjectMetricsAndExactlyOnceDelivery() throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(31)
                        .contacts(400)
                        .validateRequests(true)
                        .fault(Fault.of("*", Fault.Kind.RATE_LIMIT_429, 0.05))
                        .start();
                HubSpotClient api = HubSpotSourceIT.client(sim)) {
            // a custom object defined through the schemas API, with records
            JsonNode schema = post(
                    sim,
                    "/crm-object-schemas/v3/schemas",
                    "{\"name\":\"machines\",\"labels\":"
                            + "{\"singular\":\"Machine\",\"plural\":\"Machines\"},\"primaryDisplayProperty\":\"machine_name\","
                            + "\"requiredProperties\":[\"machine_name\"],\"associatedObjects\":[\"CONTACT\"],"
                            + "\"properties\":[{\"name\":\"machine_name\","
                            + "\"label\":\"Name\",\"type\":\"string\",\"fieldType\":\"text\"},{\"name\":\"rpm\",\"label\":"
                            + "\"RPM\",\"type\":\"number\",\"fieldType\":\"number\"}]}");
            String typeId = schema.path("objectTypeId").asText();
            List<ObjectNode> inputs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ObjectNode in = TopicState.MAPPER.createObjectNode();
                in.putObject("properties").put("machine_name", "press-" + i).put("rpm", Integer.toString(900 + i));
                inputs.add(in);
            }
            api.batchCreate(typeId, inputs);

            String prefix = "eos";
            Map<String, String> cfg = config(
                    sim, prefix, Map.of("objects.include", "contacts,custom", "exactly.once.support", "required"));
            Map<String, String> forValidate = new HashMap<>(cfg);
            forValidate.remove("connector.class");
            forValidate.put("name", "hs-eos");
            assertThat(ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, forValidate)))
                    .as("exactly.once.support=required is accepted by an EOS worker")
                    .isEmpty();
            cluster.configureConnector("hs-eos", cfg);
            cluster.awaitRunning("hs-eos", 1, Duration.ofSeconds(60));

            // read_committed consumers see exactly HubSpot's state, custom object included
            String[] last = {""};
            cluster.awaitCondition("committed topics equal to the simulator", Duration.ofSeconds(90), () -> {
                last[0] = TopicState.readCommitted(cluster, prefix + ".contacts")
                                .diff(sim, "contacts", "email", "jobtitle")
                        + TopicState.readCommitted(cluster, prefix + ".machines")
                                .diff(sim, "machines", "machine_name");
                return last[0].isEmpty();
            });
            TopicState machines = TopicState.readCommitted(cluster, prefix + ".machines");
            assertThat(machines.live).hasSize(60);
            JsonNode press7 = machines.live.values().stream()
                    .filter(n -> "press-7".equals(n.path("machine_name").asText()))
                    .findFirst()
                    .orElseThrow();
            assertThat(press7.path("rpm").asDouble()).isEqualTo(907.0);
            assertThat(machines.lastHeaders.values())
                    .allSatisfy(h -> assertThat(h).containsEntry("hubspot.object", "machines"));
            // records were written in transactions: every commit leaves a control marker behind the records
            long end = cluster.raw().kafka().endOffset(new TopicPartition(prefix + ".contacts", 0));
            int committed = TopicState.readCommitted(cluster, prefix + ".contacts").records;
            assertThat(end)
                    .as("end offset vs committed records (transaction markers)")
                    .isGreaterThan(committed);

            // PluginMetrics, as the worker exposes them over JMX
            Map<String, Object> m = pluginMetrics("hs-eos");
            System.out.println("plugin metrics: " + m);
            assertThat(((Number) m.get("initial-load-done{contacts}")).longValue())
                    .isEqualTo(400);
            assertThat(((Number) m.get("initial-load-total{contacts}")).longValue())
                    .isEqualTo(400);
            assertThat(((Number) m.get("initial-load-done{machines}")).longValue())
                    .isEqualTo(60);
            assertThat(((Number) m.get("records-total{contacts}")).longValue()).isGreaterThanOrEqualTo(400);
            assertThat(((Number) m.get("api-calls")).longValue()).isGreaterThan(4);
            long injected429 =
                    sim.faults().stream().mapToLong(Fault::firedCount).sum();
            assertThat(injected429).isPositive();
            // the connector's own calls (schemas at start, validate) use other clients: at most all injected 429s
            assertThat(((Number) m.get("api-429-count")).longValue())
                    .isPositive()
                    .isLessThanOrEqualTo(injected429);
            assertThat(sim.contractViolations()).isEmpty();
        }
    }

    @Test
    void oauthAccessTokenExpiryMidRunIsRefreshedAndNothingIsLost() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(32)
                        .contacts(300)
                        .oauthClient("crm-connect-app", "s3cret-client", "refresh-token-1")
                        .start();
                HubSpotClient api = HubSpotSourceIT.client(sim)) {
            String prefix = "oauth";
            Map<String, String> cfg = config(sim, prefix, Map.of("objects.include", "contacts"));
            cfg.remove("hubspot.access.token");
            cfg.put("hubspot.oauth.client.id", "crm-connect-app");
            cfg.put("hubspot.oauth.client.secret", "s3cret-client");
            cfg.put("hubspot.oauth.refresh.token", "refresh-token-1");
            cluster.configureConnector("hs-oauth", cfg);
            cluster.awaitRunning("hs-oauth", 1, Duration.ofSeconds(60));
            awaitExact(sim, prefix, Duration.ofSeconds(60), "contacts");
            long refreshes = sim.routeCount("POST /oauth/v1/token");
            assertThat(refreshes)
                    .as("access tokens obtained through the refresh token")
                    .isPositive();

            // HubSpot access tokens live 30 minutes: jump past the expiry, then change records
            sim.advanceClock(Duration.ofMinutes(31));
            List<ObjectNode> updates = new ArrayList<>();
            for (String id : sim.ids("contacts").subList(0, 25)) {
                ObjectNode u = TopicState.MAPPER.createObjectNode().put("id", id);
                u.putObject("properties").put("jobtitle", "after-expiry-" + id);
                updates.add(u);
            }
            api.batchUpdate("contacts", updates);
            awaitExact(sim, prefix, Duration.ofSeconds(60), "contacts");
            assertThat(sim.routeCount("POST /oauth/v1/token"))
                    .as("a new access token after the expiry")
                    .isGreaterThan(refreshes);
            assertThat(TopicState.readCommitted(cluster, prefix + ".contacts")
                            .live
                            .get(sim.ids("contacts").get(3))
                            .path("jobtitle")
                            .asText())
                    .isEqualTo("after-expiry-" + sim.ids("contacts").get(3));
            assertThat(cluster.status("hs-oauth").tasks())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
        }
    }

    @Test
    void propertyHistoryAndReconciliationAcrossAWorkerRestart() throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(33)
                        .contacts(300)
                        .validateRequests(true)
                        .start();
                HubSpotClient api = HubSpotSourceIT.client(sim)) {
            String prefix = "hist";
            cluster.configureConnector(
                    "hs-history",
                    config(
                            sim,
                            prefix,
                            Map.of(
                                    "objects.include",
                                    "contacts",
                                    "property.history",
                                    "contacts.email",
                                    "reconcile.interval.ms",
                                    "4000",
                                    "reconcile.checkpoint.interval.ms",
                                    "1000")));
            cluster.awaitRunning("hs-history", 1, Duration.ofSeconds(60));
            awaitExact(sim, prefix, Duration.ofSeconds(60), "contacts");

            String id = sim.ids("contacts").get(8);
            String original = sim.record("contacts", id).get("email");
            for (String email : List.of("history-one@example.com", "history-two@example.com")) {
                ObjectNode u = TopicState.MAPPER.createObjectNode().put("id", id);
                u.putObject("properties").put("email", email);
                api.batchUpdate("contacts", List.of(u));
                Thread.sleep(5);
            }
            String historyTopic = prefix + ".contacts.property_history";
            List<String> values = new ArrayList<>();
            cluster.awaitCondition("three email values in the history topic", Duration.ofSeconds(60), () -> {
                values.clear();
                values.addAll(historyValues(historyTopic, id));
                return values.size() >= 3;
            });
            assertThat(values).containsExactly(original, "history-one@example.com", "history-two@example.com");
            long withEmail = sim.ids("contacts").stream()
                    .filter(c -> sim.record("contacts", c).get("email") != null)
                    .count();
            assertThat(TopicState.readCommitted(cluster, historyTopic).live)
                    .as("one key per change")
                    .hasSize((int) withEmail + 2);

            // the id checkpoint is committed with its record (EOS): wait for it, restart the worker, then delete a
            // contact for good (GDPR: no recycle bin, no trace) — only the checkpoint knows it was ever sent
            cluster.awaitCondition(
                    "an id checkpoint after the load",
                    Duration.ofSeconds(30),
                    () -> TopicState.readCommitted(cluster, prefix + ".contacts").lastHeaders.values().stream()
                            .anyMatch(h -> "checkpoint".equals(h.get("hubspot.change"))));
            var connect = cluster.raw();
            connect.removeWorker(connect.workers().iterator().next());
            connect.addWorker();
            cluster.awaitRunning("hs-history", 1, Duration.ofSeconds(60));
            String gone = sim.ids("contacts").get(40);
            HttpResponse<String> r =
                    http(sim, "/crm/v3/objects/contacts/gdpr-delete", "{\"objectId\":\"" + gone + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
            cluster.awaitCondition(
                    "a reconcile-delete tombstone for the GDPR-deleted contact",
                    Duration.ofSeconds(45),
                    () -> TopicState.readCommitted(cluster, prefix + ".contacts").tombstoneHeaders.stream()
                            .anyMatch(h ->
                                    gone.equals(h.get("_key")) && "reconcile-delete".equals(h.get("hubspot.change"))));
            awaitExact(sim, prefix, Duration.ofSeconds(30), "contacts");
            assertThat(sim.contractViolations()).isEmpty();
        }
    }

    @Test
    void customObjectsAreNotDroppedOnSchemaFaultsAndNewOnesArePickedUpWhileRunning() throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(34)
                        .contacts(40)
                        .validateRequests(true)
                        .start();
                HubSpotClient api = HubSpotSourceIT.client(sim)) {
            createCustomObject(sim, api, "machines", 12);
            // every object implicitly (objects.include empty), narrowed to contacts and the custom objects
            String prefix = "disc";
            Map<String, String> cfg = config(
                    sim,
                    prefix,
                    Map.of(
                            "objects.include",
                            "",
                            "objects.exclude",
                            "companies,deals,tickets,line_items,products,calls,emails,meetings,notes,tasks,owners,pipelines",
                            "hubspot.retry.budget.ms",
                            "2000",
                            "custom.objects.refresh.interval.ms",
                            "1500"));

            // the schemas API keeps failing: the connector stops with an actionable first line (it used to start
            // without the custom objects and never read them)
            String schemas = "GET /crm-object-schemas/v3/schemas";
            sim.addFault(Fault.status(schemas, 503, 1.0));
            cluster.configureConnector("hs-discovery", cfg);
            String[] trace = {null};
            cluster.awaitCondition("connector FAILED", Duration.ofSeconds(45), () -> {
                var c = cluster.status("hs-discovery").connector();
                trace[0] = c.trace();
                return "FAILED".equals(c.state());
            });
            assertThat(trace[0].lines().findFirst().orElse(""))
                    .contains("custom objects cannot be discovered")
                    .contains("hubspot.retry.budget.ms")
                    .contains("objects.exclude=custom");

            // a short outage is retried with backoff within the retry budget
            sim.clearFaults();
            sim.addFault(Fault.status(schemas, 503, 1.0).times(2));
            ConnectCluster.RestResponse restart = cluster.rest("POST", "connectors/hs-discovery/restart", null);
            assertThat(restart.status()).as(restart.body()).isBetween(200, 204);
            cluster.awaitRunning("hs-discovery", 1, Duration.ofSeconds(60));
            assertThat(sim.faults().get(0).firedCount()).isEqualTo(2);
            awaitExact(sim, prefix, Duration.ofSeconds(60), "contacts", "machines");

            // a custom object created while the connector runs is read without a restart
            createCustomObject(sim, api, "pumps", 5);
            awaitExact(sim, prefix, Duration.ofSeconds(60), "contacts", "machines", "pumps");
            assertThat(cluster.status("hs-discovery").tasks())
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo("RUNNING"));
            assertThat(sim.contractViolations()).isEmpty();
        }
    }

    /** A custom object (name, required name property, a number) with {@code n} records; returns its type id. */
    static String createCustomObject(HubSpotSimulator sim, HubSpotClient api, String name, int n) throws Exception {
        JsonNode schema = post(
                sim,
                "/crm-object-schemas/v3/schemas",
                "{\"name\":\"" + name + "\",\"labels\":"
                        + "{\"singular\":\"" + name + "\",\"plural\":\"" + name + "\"},\"primaryDisplayProperty\":"
                        + "\"" + name + "_name\",\"requiredProperties\":[\"" + name + "_name\"],\"associatedObjects\":"
                        + "[\"CONTACT\"],\"properties\":[{\"name\":\"" + name + "_name\",\"label\":\"Name\",\"type\":"
                        + "\"string\",\"fieldType\":\"text\"},{\"name\":\"rpm\",\"label\":\"RPM\",\"type\":\"number\","
                        + "\"fieldType\":\"number\"}]}");
        String typeId = schema.path("objectTypeId").asText();
        List<ObjectNode> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode in = TopicState.MAPPER.createObjectNode();
            in.putObject("properties").put(name + "_name", name + "-" + i).put("rpm", Integer.toString(900 + i));
            inputs.add(in);
        }
        api.batchCreate(typeId, inputs);
        return typeId;
    }

    /** Waits until the committed view of each object topic equals the simulator; fails with the last difference. */
    static void awaitExact(HubSpotSimulator sim, String prefix, Duration timeout, String... types) {
        String[] last = {""};
        try {
            cluster.awaitCondition("committed topics equal to the simulator", timeout, () -> {
                StringBuilder d = new StringBuilder();
                for (String t : types) {
                    d.append(TopicState.readCommitted(cluster, prefix + "." + t).diff(sim, t, "email", "jobtitle"));
                }
                last[0] = d.toString();
                return last[0].isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError("not converged: " + last[0], e);
        }
    }

    /** Values of one contact's email history records in topic order (each change once). */
    static List<String> historyValues(String topic, String id) {
        List<String> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : cluster.consumeAll(Duration.ofSeconds(30), topic)) {
            String key = new String(rec.key(), StandardCharsets.UTF_8);
            if (key.startsWith(id + ":email:") && !keys.contains(key)) {
                try {
                    JsonNode v = TopicState.MAPPER.readTree(rec.value()).path("payload");
                    assertThat(v.path("objectId").asText()).isEqualTo(id);
                    assertThat(key)
                            .isEqualTo(id + ":email:" + v.path("timestamp").asLong());
                    keys.add(key);
                    out.add(v.path("value").asText());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** Every PluginMetrics value of a connector's tasks on the worker's JMX: name{object} -> value. */
    static Map<String, Object> pluginMetrics(String connector) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Object> out = new TreeMap<>();
        for (ObjectName n : server.queryNames(new ObjectName("kafka.connect:type=plugins,*"), null)) {
            if (!connector.equals(n.getKeyProperty("connector"))) {
                continue;
            }
            String object = n.getKeyProperty("object");
            for (MBeanAttributeInfo a : server.getMBeanInfo(n).getAttributes()) {
                out.put(a.getName() + (object == null ? "" : "{" + object + "}"), server.getAttribute(n, a.getName()));
            }
        }
        if (out.isEmpty()) {
            throw new AssertionError("no plugin metrics for " + connector + "; kafka.connect MBeans: "
                    + server.queryNames(new ObjectName("kafka.connect:*"), null));
        }
        return out;
    }

    static JsonNode post(HubSpotSimulator sim, String path, String json) throws Exception {
        HttpResponse<String> r = http(sim, path, json);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return TopicState.MAPPER.readTree(r.body());
    }

    static HttpResponse<String> http(HubSpotSimulator sim, String path, String json) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                                .header("Authorization", "Bearer " + sim.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
