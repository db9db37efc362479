package io.crmconnect.it.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.it.samples.DocumentedMBean;
import io.crmconnect.simulator.dynamics.DynamicsFault;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BUILT dynamics-connector archive in a real Connect worker with exactly-once source support enabled, against
 * the Dataverse simulator: Dynamics 365 → Kafka → PostgreSQL and MariaDB (through the JDBC sink) with changes,
 * deletes, access tokens expiring mid-run and 429 storms / 5xx / resets; a Kafka topic → Dynamics 365 contacts by
 * alternate key with dead letters and a replay; validate() reporting each problem on its key.
 */
class DynamicsClusterIT {
    private static final String SOURCE = "io.crmconnect.dynamics.source.DynamicsSourceConnector";
    private static final String SINK = "io.crmconnect.dynamics.sink.DynamicsSinkConnector";
    private static final String JDBC = "io.crmconnect.jdbc.JdbcSinkConnector";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static ConnectCluster cluster;
    private static DynamicsSimulator sim;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(5)
                .contacts(400)
                .accounts(40)
                .tokenLifetime(Duration.ofSeconds(20))
                .start();
        cluster = ConnectCluster.start("dynamics-it", Map.of("exactly.once.source.support", "enabled"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static Map<String, String> connection(String connectorClass) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", connectorClass);
        c.put("dynamics.url", sim.baseUrl());
        c.put("dynamics.scope", sim.scope());
        c.put("dynamics.tenant.id", sim.tenantId());
        c.put("dynamics.client.id", sim.clientId());
        c.put("dynamics.client.secret", sim.clientSecret());
        c.put("dynamics.token.url", sim.tokenUrl());
        c.put("dynamics.retry.budget.ms", "20000");
        return c;
    }

    private static Map<String, String> jdbc(SqlServer server, String db, String topic) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", JDBC);
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("connection.url", server.jdbcUrl(db));
        c.put("connection.user", server.user());
        c.put("connection.password", server.password());
        c.put("delete.mode", "hard");
        return c;
    }

    private static Set<String> ids(SqlServer server, String db, String table) {
        Set<String> out = new TreeSet<>();
        try {
            for (Map<String, Object> r : server.query(db, "SELECT id FROM " + table)) {
                out.add(String.valueOf(r.get("id")));
            }
        } catch (RuntimeException e) {
            // not created yet
        }
        return out;
    }

    private static Object value(SqlServer server, String db, String table, String column, String id) {
        List<Map<String, Object>> rows =
                server.query(db, "SELECT " + column + " AS v FROM " + table + " WHERE id = '" + id + "'");
        return rows.isEmpty() ? null : rows.get(0).get("v");
    }

    /** Last value per key (tombstones remove) of a topic as a read_committed consumer sees it. */
    private static Map<String, JsonNode> committedState(String topic) throws Exception {
        Map<String, JsonNode> live = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : cluster.raw()
                .kafka()
                .consumeAll(30_000, Map.of("isolation.level", "read_committed"), Map.of(), topic)) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                live.remove(key);
            } else {
                JsonNode n = JSON.readTree(r.value());
                live.put(key, n.has("payload") ? n.get("payload") : n);
            }
        }
        return live;
    }

    @Test
    void dynamicsToPostgresAndMariaDbFollowsChangesThroughTokenExpiryAndThrottling() throws Exception {
        Map<String, String> src = connection(SOURCE);
        src.put("tasks.max", "2");
        src.put("tables", "contact,account");
        src.put("topic.format", "crm.${table}");
        src.put("poll.interval.ms", "500");
        src.put("page.size", "150");
        src.put("exactly.once.support", "required");
        src.put("topic.creation.default.replication.factor", "1");
        src.put("topic.creation.default.partitions", "1");
        assertThat(errors(SOURCE, src)).isEmpty();
        cluster.configureConnector("d365-source", src);
        cluster.awaitRunning("d365-source", 2, Duration.ofSeconds(60));

        PostgresServer pg = PostgresServer.shared();
        MariaDbServer maria = MariaDbServer.shared();
        String pgDb = pg.createDatabase("it_d365");
        String mariaDb = maria.createDatabase("it_d365");
        cluster.configureConnector("d365-to-pg", jdbc(pg, pgDb, "crm.contact"));
        cluster.configureConnector("d365-to-maria", jdbc(maria, mariaDb, "crm.contact"));
        Set<String> expected = new TreeSet<>(sim.ids("contact"));
        cluster.awaitCondition(
                "the initial load in both databases",
                Duration.ofSeconds(90),
                () -> ids(pg, pgDb, "crm_contact").equals(expected)
                        && ids(maria, mariaDb, "crm_contact").equals(expected));

        // changes while Dataverse throttles and fails, and while access tokens expire (20 s lifetime)
        sim.addFault(sometimes(DynamicsFault.throttle("GET /{entityset}", "0x80072322", 1), 0.3));
        sim.addFault(DynamicsFault.status("GET /{entityset}", 503, 0.05));
        sim.addFault(DynamicsFault.of("GET /{entityset}", DynamicsFault.Kind.CONNECTION_RESET, 0.03));
        List<String> ids = sim.ids("contact");
        for (int round = 0; round < 3; round++) {
            sim.update("contact", ids.get(round), Map.of("jobtitle", "Round " + round));
            sim.delete("contact", ids.get(100 + round));
            sim.create(
                    "contact",
                    Map.of("lastname", "Created " + round, "emailaddress1", "created" + round + "@example.com"));
            Thread.sleep(3_000);
        }
        Set<String> now = new TreeSet<>(sim.ids("contact"));
        cluster.awaitCondition(
                "changes, deletes and creates in both databases",
                Duration.ofSeconds(90),
                () -> ids(pg, pgDb, "crm_contact").equals(now)
                        && ids(maria, mariaDb, "crm_contact").equals(now)
                        && "Round 2".equals(value(pg, pgDb, "crm_contact", "jobtitle", ids.get(2)))
                        && "Round 2".equals(value(maria, mariaDb, "crm_contact", "jobtitle", ids.get(2))));
        sim.clearFaults();
        assertDocumentedMetrics("Dynamics source", "d365-source");
        assertThat(sim.throttled429Count()).isPositive();
        // typed columns made it through: a choice's label next to its value
        Map<String, Object> withGender = pg.query(
                        pgDb,
                        "SELECT gendercode, gendercode_label FROM crm_contact "
                                + "WHERE gendercode IS NOT NULL LIMIT 1")
                .get(0);
        assertThat(withGender.get("gendercode_label")).isIn("Male", "Female");
        // tokens were renewed before they expired: no call was refused for an expired token
        long tokens = sim.requestLog().stream()
                .filter(r -> r.path().endsWith("/oauth2/v2.0/token"))
                .count();
        assertThat(tokens).isGreaterThan(2);
        assertThat(sim.requestLog().stream()
                        .filter(r -> r.status() == 401 && r.path().startsWith("/api/")))
                .isEmpty();
        // exactly-once: read_committed consumers see exactly Dataverse's rows
        Map<String, JsonNode> topic = committedState("crm.contact");
        assertThat(new TreeSet<>(topic.keySet())).isEqualTo(now);
        assertThat(topic.get(ids.get(2)).path("jobtitle").asText()).isEqualTo("Round 2");
        assertThat(new TreeSet<>(committedState("crm.account").keySet())).isEqualTo(new TreeSet<>(sim.ids("account")));
        assertThat(cluster.status("d365-source").tasks()).allMatch(t -> "RUNNING".equals(t.state()));
        cluster.deleteConnectorsIfPresent("d365-source", "d365-to-pg", "d365-to-maria");
    }

    private static String person(String email, String first, String last, String gender) {
        return "{\"schema\":{\"type\":\"struct\",\"name\":\"person\",\"optional\":false,\"fields\":["
                + "{\"field\":\"email\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"first_name\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"last_name\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"gender\",\"type\":\"string\",\"optional\":true}]},"
                + "\"payload\":{\"email\":" + (email == null ? "null" : "\"" + email + "\"") + ",\"first_name\":\""
                + first + "\",\"last_name\":\"" + last + "\",\"gender\":"
                + (gender == null ? "null" : "\"" + gender + "\"") + "}}";
    }

    private static Map<String, String> sink(String topic) {
        Map<String, String> c = connection(SINK);
        c.put("tasks.max", "2");
        c.put("topics", topic);
        c.put("table", "contact");
        c.put("alternate.key", "emailaddress1");
        c.put("field.mapping", "email:emailaddress1,first_name:firstname,last_name:lastname,gender:gendercode");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        return c;
    }

    @Test
    void topicToDynamicsContactsWithDeadLettersAndAReplayThatCreatesNothing() {
        String topic = "warehouse.people";
        cluster.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            String email = "person" + i + "@example.org";
            records.add(new ProducerRecord<>(
                    topic,
                    i % 2,
                    bytes(email),
                    bytes(person(email, "First" + i, "Last" + i, i % 3 == 0 ? "Female" : "Male"))));
        }
        // the same people again with a change (same partition as before: key order holds per partition)
        for (int i = 0; i < 20; i++) {
            String email = "person" + i + "@example.org";
            records.add(new ProducerRecord<>(
                    topic, i % 2, bytes(email), bytes(person(email, "First" + i, "Changed" + i, null))));
        }
        records.add(new ProducerRecord<>(
                topic, 0, bytes("bad1"), bytes(person("bad1@example.org", "B", "x".repeat(300), null))));
        records.add(
                new ProducerRecord<>(topic, 1, bytes("bad2"), bytes(person("bad2@example.org", "B", "Bad", "Alien"))));
        records.add(new ProducerRecord<>(topic, 0, bytes("bad3"), bytes(person(null, "No", "Key", null))));
        cluster.produce(records);
        sim.addFault(sometimes(
                DynamicsFault.throttle("POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple", "0x80072321", 1),
                0.3));

        cluster.configureConnector("d365-sink", sink(topic));
        cluster.awaitRunning("d365-sink", 2, Duration.ofSeconds(60));
        List<DeadLetter> dlq = cluster.readDeadLetters(topic + ".dlq", 3, Duration.ofSeconds(90));
        cluster.awaitCondition(
                "150 people in Dynamics 365",
                Duration.ofSeconds(90),
                () -> people().size() == 150
                        && "Changed19"
                                .equals(people().get("person19@example.org").get("lastname")));
        sim.clearFaults();
        assertDocumentedMetrics("Dynamics sink", "d365-sink");
        Map<String, Map<String, Object>> people = people();
        assertThat(people.get("person3@example.org").get("gendercode")).isEqualTo(2);
        assertThat(people.get("person30@example.org").get("lastname")).isEqualTo("Last30");
        Map<String, String> reasons = new HashMap<>();
        for (DeadLetter d : dlq) {
            reasons.put(
                    new String(d.record().key(), StandardCharsets.UTF_8),
                    d.headers().get("crmconnect.error.reason"));
            assertThat(d.headers().get("crmconnect.error.system")).isEqualTo("dynamics365");
            assertThat(d.headers().toString())
                    .doesNotContain("bad1@example.org")
                    .doesNotContain("xxxxxxxxxx");
        }
        assertThat(reasons)
                .containsEntry("bad1", "REJECTED")
                .containsEntry("bad2", "INVALID_CHOICE")
                .containsEntry("bad3", "MISSING_KEY");
        assertThat(dlq.stream()
                        .filter(d -> "bad1".equals(new String(d.record().key(), StandardCharsets.UTF_8)))
                        .findFirst()
                        .orElseThrow()
                        .headers()
                        .get("crmconnect.error.code"))
                .isEqualTo("0x80044331");
        cluster.deleteConnector("d365-sink");

        // a second connector (its own consumer group) replays the topic from the start: nothing is created again,
        // and rows whose records change nothing are not written (their versions stay)
        Map<String, Object> versions = new HashMap<>();
        people().forEach((email, row) -> versions.put(email, row.get("versionnumber")));
        int contactsBefore = sim.rows("contact").size();
        Map<String, String> replay = sink(topic);
        replay.put("errors.deadletterqueue.topic.name", topic + ".dlq2");
        cluster.configureConnector("d365-sink-replay", replay);
        cluster.readDeadLetters(topic + ".dlq2", 3, Duration.ofSeconds(90));
        cluster.awaitCondition(
                "the replay's last versions written",
                Duration.ofSeconds(60),
                () -> "Changed19".equals(people().get("person19@example.org").get("lastname")));
        assertThat(sim.rows("contact")).hasSize(contactsBefore);
        Map<String, Map<String, Object>> after = people();
        for (int i = 20; i < 150; i++) {
            String email = "person" + i + "@example.org";
            assertThat(after.get(email).get("versionnumber")).as(email).isEqualTo(versions.get(email));
        }
        cluster.deleteConnector("d365-sink-replay");
    }

    /**
     * Every MBean docs/guides/operations.md lists for {@code plugin} exists on the running worker with every attribute
     * it names (SampleConfigsIT leaves the Dynamics rows to this test, which runs the Dynamics samples' connectors).
     */
    private static void assertDocumentedMetrics(String plugin, String connector) {
        List<DocumentedMBean> rows = DocumentedMBean.read(REPO.resolve("docs/guides/operations.md")).stream()
                .filter(d -> d.plugin().equals(plugin))
                .toList();
        assertThat(rows).as("operations.md rows of " + plugin).isNotEmpty();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (DocumentedMBean doc : rows) {
            String[] problem = {""};
            try {
                cluster.awaitCondition(connector + ": " + doc.mbean(), Duration.ofSeconds(30), () -> {
                    problem[0] = doc.missingOn(server, connector);
                    return problem[0].isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(
                        connector + ": " + problem[0] + " (documented in docs/guides/operations.md)", e);
            }
        }
    }

    private static Map<String, Map<String, Object>> people() {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> r : sim.rows("contact")) {
            Object e = r.get("emailaddress1");
            if (e != null && e.toString().startsWith("person")) {
                out.put(e.toString(), r);
            }
        }
        return out;
    }

    @Test
    void validateNamesTheKeyOfEachProblem() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> unreachable = connection(SOURCE);
        unreachable.put("tables", "contact");
        unreachable.put("dynamics.url", "http://127.0.0.1:" + closedPort);
        assertThat(errors(SOURCE, unreachable)).containsOnlyKeys("dynamics.url");

        Map<String, String> badSecret = connection(SOURCE);
        badSecret.put("tables", "contact");
        badSecret.put("dynamics.client.secret", "not-the-secret");
        Map<String, List<String>> e = errors(SOURCE, badSecret);
        assertThat(e).containsOnlyKeys("dynamics.client.secret");
        assertThat(e.toString()).contains("AADSTS7000215").doesNotContain("not-the-secret");

        Map<String, String> unknownTable = connection(SOURCE);
        unknownTable.put("tables", "contact,no_such_table");
        assertThat(errors(SOURCE, unknownTable)).containsOnlyKeys("tables");

        Map<String, String> badKey = sink("x");
        badKey.put("alternate.key", "telephone1");
        badKey.put("lookups", "company>parentcustomerid_account.no_such_column");
        assertThat(errors(SINK, badKey)).containsOnlyKeys("alternate.key", "lookups");
        Map<String, String> badTable = sink("x");
        badTable.put("table", "contacts");
        assertThat(errors(SINK, badTable)).containsOnlyKeys("table");
    }

    /**
     * Every sample the built archive ships in etc/ runs as shipped, only the coordinates a user changes substituted
     * (environment URL, tenant, app, secret, token endpoint); topics the samples create with three replicas are made
     * first with one (this cluster has one broker). SampleConfigsIT lists these samples as covered here.
     */
    @Test
    void shippedSamplesRunAsShipped() throws Exception {
        Map<String, Map<String, String>> samples = shippedSamples();
        assertThat(samples)
                .containsOnlyKeys(
                        "dynamics-source.json", "dynamics-source-simulator.json", "dynamics-sink-contacts.json");
        for (String table : List.of("contact", "account", "lead", "opportunity")) {
            cluster.createTopic("dynamics." + table, 1);
        }
        // both source samples at once (their own offsets, the same topics): each table's topic gets every row twice
        Map<String, Integer> loads = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (String file : List.of("dynamics-source.json", "dynamics-source-simulator.json")) {
            Map<String, String> config = withCoordinates(samples.get(file));
            String name = config.remove("name");
            assertThat(errors(config.get("connector.class"), config)).as(file).isEmpty();
            for (String table : config.get("tables").split(",")) {
                loads.merge(table, 1, Integer::sum);
            }
            names.add(name);
            cluster.configureConnector(name, config);
        }
        cluster.awaitCondition(
                "every row of " + loads.keySet() + " in its topic once per sample",
                Duration.ofSeconds(90),
                () -> loads.entrySet().stream()
                        .allMatch(e -> records("dynamics." + e.getKey())
                                >= (long) e.getValue() * sim.ids(e.getKey()).size()));
        for (String name : names) {
            assertThat(cluster.status(name).tasks()).as(name).allMatch(t -> "RUNNING".equals(t.state()));
            cluster.deleteConnector(name);
        }

        Map<String, String> sink = withCoordinates(samples.get("dynamics-sink-contacts.json"));
        String name = sink.remove("name");
        String topic = sink.get("topics");
        cluster.createTopic(topic, 1);
        cluster.createTopic(sink.get("errors.deadletterqueue.topic.name"), 1);
        Map<String, Object> account = sim.rows("account").get(0);
        List<ProducerRecord<byte[], byte[]>> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String email = "sample.user" + i + "@example.org";
            users.add(new ProducerRecord<>(
                    topic,
                    bytes(email),
                    bytes("{\"schema\":{\"type\":\"struct\","
                            + "\"optional\":false,\"fields\":["
                            + Stream.of(
                                            "email",
                                            "first_name",
                                            "last_name",
                                            "phone",
                                            "job_title",
                                            "gender",
                                            "company_number")
                                    .map(f -> "{\"field\":\"" + f + "\",\"type\":\"string\",\"optional\":true}")
                                    .collect(Collectors.joining(","))
                            + "]},\"payload\":{\"email\":\"" + email + "\",\"first_name\":\"Sample" + i
                            + "\",\"last_name\":\"User\",\"phone\":\"+1 212 555 010" + i
                            + "\",\"job_title\":\"Analyst\","
                            + "\"gender\":\"Female\",\"company_number\":\"" + account.get("accountnumber") + "\"}}")));
        }
        cluster.produce(users);
        assertThat(errors(sink.get("connector.class"), sink)).isEmpty();
        cluster.configureConnector(name, sink);
        cluster.awaitCondition(
                "the sample's five contacts in Dynamics 365",
                Duration.ofSeconds(90),
                () -> sim.rows("contact").stream()
                                .filter(r ->
                                        String.valueOf(r.get("emailaddress1")).startsWith("sample.user"))
                                .count()
                        == 5);
        Map<String, Object> created = sim.rows("contact").stream()
                .filter(r -> "sample.user3@example.org".equals(r.get("emailaddress1")))
                .findFirst()
                .orElseThrow();
        assertThat(created.get("_parentcustomerid_value")).isEqualTo(account.get("accountid"));
        assertThat(created.get("gendercode")).isEqualTo(2);
        assertThat(records(sink.get("errors.deadletterqueue.topic.name"))).isZero();
        cluster.deleteConnector(name);
    }

    /** The connector configs in the built archive's etc/, by file name. */
    private static Map<String, Map<String, String>> shippedSamples() throws IOException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Stream<Path> archives = Files.list(ConnectCluster.pluginPathFromBuild())) {
            Path archive = archives.filter(p -> p.getFileName().toString().startsWith("crmconnect-dynamics-connector-"))
                    .findFirst()
                    .orElseThrow();
            try (Stream<Path> files = Files.list(archive.resolve("etc"))) {
                for (Path f : files.toList()) {
                    JsonNode n = JSON.readTree(f.toFile());
                    Map<String, String> config = new LinkedHashMap<>();
                    config.put("name", n.path("name").asText());
                    n.path("config")
                            .fields()
                            .forEachRemaining(
                                    e -> config.put(e.getKey(), e.getValue().asText()));
                    out.put(f.getFileName().toString(), config);
                }
            }
        }
        return out;
    }

    private static Map<String, String> withCoordinates(Map<String, String> sample) {
        Map<String, String> c = new LinkedHashMap<>(sample);
        for (String key : List.of(
                "dynamics.url",
                "dynamics.tenant.id",
                "dynamics.client.id",
                "dynamics.client.secret",
                "dynamics.token.url")) {
            c.put(key, connection(SOURCE).get(key));
        }
        return c;
    }

    /** Records (tombstones included) a read_committed consumer sees in a topic. */
    private static long records(String topic) {
        try {
            return cluster.raw()
                    .kafka()
                    .consumeAll(30_000, Map.of("isolation.level", "read_committed"), Map.of(), topic)
                    .count();
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Validation errors by key, as PUT /connector-plugins/.../config/validate reports them. */
    private static Map<String, List<String>> errors(String connectorClass, Map<String, String> config) {
        Map<String, String> c = new HashMap<>(config);
        c.put("name", "d365-validate");
        return ConnectCluster.errorsByKey(cluster.validate(connectorClass, c));
    }

    private static DynamicsFault sometimes(DynamicsFault f, double p) {
        f.probability = p;
        return f;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
