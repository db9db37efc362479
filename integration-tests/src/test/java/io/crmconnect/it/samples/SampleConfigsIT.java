package io.crmconnect.it.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every connector sample a plugin archive ships in its etc/ (and every connector file of the embedded runner's
 * examples/) runs as shipped in a real Connect worker against the HubSpot simulator and real PostgreSQL / MariaDB:
 * only the coordinates a user changes are substituted ({@link Coordinates}); records must land and no record may go
 * to the sample's dead-letter topic. The worker is configured like the quickstart's and docker's (JSON converters
 * with schemas, FileConfigProvider), so a sample that relies on a test-friendly worker default fails here.
 *
 * <p>Samples are discovered from the BUILT archives: a sample without a scenario in {@link #SCENARIOS} fails
 * {@link #everyShippedSampleHasAScenario()}. Sources run first and fill the hubspot.* topics the sinks then read.
 */
class SampleConfigsIT {
    static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    static final Path RUNNER_EXAMPLES = REPO.resolve("embedded-runner/src/main/dist/examples");
    static final Pattern ARCHIVE_DIR = Pattern.compile("crmconnect-(.+)-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Integer> SEEDED = Map.of("contacts", 120, "companies", 30, "deals", 30, "tickets", 20);

    /** The worker users run: the quickstart's and docker/connect-distributed.properties' converters and providers. */
    static final Map<String, String> WORKER = Map.of(
            "key.converter", "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable", "true",
            "value.converter", "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable", "true",
            "config.providers", "file",
            "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");

    /** Sample id -> how it runs, in the order they run. */
    static final Map<String, Consumer<Sample>> SCENARIOS = new LinkedHashMap<>();
    /** Files shipped next to the samples that are not connector configs, and the sample that uses each. */
    static final Map<String, String> SUPPORT_FILES =
            Map.of("smt-transforms/crm-mapping.yaml", "smt-transforms/postgres-contacts-with-transforms.properties");
    /** Shipped files run by another test, and that test. */
    static final Map<String, String> COVERED_ELSEWHERE = Map.ofEntries(
            Map.entry("embedded-runner/hubspot-to-postgres.properties", "embedded-runner HubSpotToPostgresRunnerIT"),
            Map.entry("embedded-runner/hubspot-to-mariadb.properties", "embedded-runner HubSpotToMariaDbRunnerIT"),
            Map.entry("embedded-runner/bigquery-to-hubspot.properties", "embedded-runner BigQueryToHubSpotRunnerIT"),
            Map.entry("embedded-runner/bigquery-source.json", "embedded-runner BigQueryToHubSpotRunnerIT (runner)"),
            Map.entry(
                    "embedded-runner/hubspot-patients-sink.json", "embedded-runner BigQueryToHubSpotRunnerIT (runner)"),
            Map.entry(
                    "dynamics-connector/dynamics-source.json",
                    "integration-tests DynamicsClusterIT (Dataverse simulator)"),
            Map.entry("dynamics-connector/dynamics-source-simulator.json", "integration-tests DynamicsClusterIT"),
            Map.entry("dynamics-connector/dynamics-sink-contacts.json", "integration-tests DynamicsClusterIT"),
            Map.entry("two-way-sync/two-way-sync-contacts.yaml", "integration-tests TwoWaySyncIT"),
            Map.entry("two-way-sync/sync-hubspot-source.json", "integration-tests TwoWaySyncIT"),
            Map.entry("two-way-sync/sync-dynamics-source.json", "integration-tests TwoWaySyncIT"),
            Map.entry("two-way-sync/sync-hubspot-to-dynamics.json", "integration-tests TwoWaySyncIT"),
            Map.entry("two-way-sync/sync-dynamics-to-hubspot.json", "integration-tests TwoWaySyncIT"));

    static {
        SCENARIOS.put("hubspot-source-connector/quickstart-hubspot-source.json", SampleConfigsIT::source);
        SCENARIOS.put("hubspot-source-connector/hubspot-source.json", SampleConfigsIT::source);
        SCENARIOS.put("warehouse-source-connector/snowflake-source.json", SampleConfigsIT::snowflakeSource);
        SCENARIOS.put("warehouse-source-connector/bigquery-source.json", SampleConfigsIT::bigQuerySource);
        SCENARIOS.put("embedded-runner/hubspot-source.json", SampleConfigsIT::source);
        SCENARIOS.put("jdbc-sink-connector/quickstart-postgres-sink.json", s -> jdbcSink(s, postgres()));
        SCENARIOS.put("jdbc-sink-connector/jdbc-sink-postgres.json", s -> jdbcSink(s, postgres()));
        SCENARIOS.put("jdbc-sink-connector/quickstart-mariadb-sink.json", s -> jdbcSink(s, mariadb()));
        SCENARIOS.put("jdbc-sink-connector/jdbc-sink-mariadb.properties", s -> jdbcSink(s, mariadb()));
        SCENARIOS.put("embedded-runner/postgres-sink.json", s -> jdbcSink(s, postgres()));
        SCENARIOS.put("embedded-runner/mariadb-sink.json", s -> jdbcSink(s, mariadb()));
        SCENARIOS.put("smt-transforms/postgres-contacts-with-transforms.properties", SampleConfigsIT::transformChain);
        SCENARIOS.put("hubspot-sink-connector/quickstart-hubspot-sink.json", SampleConfigsIT::warehouseUsers);
        SCENARIOS.put("hubspot-sink-connector/hubspot-sink-roi.json", SampleConfigsIT::roi);
        SCENARIOS.put("hubspot-sink-connector/hubspot-sink-patients.json", SampleConfigsIT::patients);
    }

    /** operations.md's plugin labels by connector class. */
    static final Map<String, String> PLUGIN_LABELS = Map.of(
            "io.crmconnect.hubspot.source.HubSpotSourceConnector", "HubSpot source",
            "io.crmconnect.hubspot.sink.HubSpotSinkConnector", "HubSpot sink",
            "io.crmconnect.jdbc.JdbcSinkConnector", "JDBC sink",
            "io.crmconnect.warehouse.source.snowflake.SnowflakeSourceConnector", "Snowflake source",
            "io.crmconnect.warehouse.source.bigquery.BigQuerySourceConnector", "BigQuery source");
    /** operations.md's plugin labels whose rows another test checks on a running worker, with that test. */
    static final Map<String, String> METRICS_CHECKED_ELSEWHERE = Map.of(
            "Dynamics source", "integration-tests DynamicsClusterIT",
            "Dynamics sink", "integration-tests DynamicsClusterIT");
    /** Rows of operations.md's metrics table checked on a running connector so far. */
    static final Set<String> CHECKED_METRICS = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path secrets;

    static ConnectCluster cluster;
    static Admin admin;
    static HubSpotSimulator sim;
    static HubSpotClient client;
    static Coordinates coordinates;

    @BeforeAll
    static void start() {
        sim = HubSpotSimulator.builder()
                .seed(20)
                .contacts(SEEDED.get("contacts"))
                .companies(SEEDED.get("companies"))
                .deals(SEEDED.get("deals"))
                .tickets(SEEDED.get("tickets"))
                .validateRequests(true)
                .start();
        client = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .build();
        coordinates = new Coordinates(secrets, sim.baseUrl(), sim.token());
        cluster = ConnectCluster.start("samples", WORKER);
        admin = cluster.raw().kafka().createAdminClient();
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            cluster.close();
        }
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    static PostgresServer postgres() {
        return PostgresServer.shared();
    }

    static MariaDbServer mariadb() {
        return MariaDbServer.shared();
    }

    // ---------------------------------------------------------------------------------------- discovery

    /** Every file in every built archive's etc/ and in the runner's examples/, by id. */
    static Map<String, Path> shipped() {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> archives = Files.list(ConnectCluster.pluginPathFromBuild())) {
            for (Path archive : archives.toList()) {
                Matcher m = ARCHIVE_DIR.matcher(archive.getFileName().toString());
                Path etc = archive.resolve("etc");
                if (m.matches() && Files.isDirectory(etc)) {
                    addFiles(files, m.group(1), etc);
                }
            }
            addFiles(files, "embedded-runner", RUNNER_EXAMPLES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static void addFiles(Map<String, Path> files, String module, Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(f -> files.put(module + "/" + f.getFileName(), f));
        }
    }

    @Test
    void everyShippedSampleHasAScenario() {
        Map<String, Path> shipped = shipped();
        assertThat(shipped)
                .as("samples found in the built archives")
                .containsKeys(
                        "hubspot-source-connector/hubspot-source.json",
                        "jdbc-sink-connector/jdbc-sink-postgres.json",
                        "hubspot-sink-connector/hubspot-sink-roi.json",
                        "smt-transforms/crm-mapping.yaml",
                        "embedded-runner/postgres-sink.json");
        List<String> uncovered = shipped.keySet().stream()
                .filter(id -> !SCENARIOS.containsKey(id)
                        && !SUPPORT_FILES.containsKey(id)
                        && !COVERED_ELSEWHERE.containsKey(id))
                .toList();
        assertThat(uncovered)
                .as("shipped samples without a scenario: add one to SampleConfigsIT.SCENARIOS "
                        + "(a sample users cannot run as shipped is a bug)")
                .isEmpty();
        assertThat(SCENARIOS.keySet())
                .as("scenarios whose sample is no longer shipped")
                .allMatch(shipped::containsKey);
        SUPPORT_FILES.forEach((file, user) -> assertThat(
                        Sample.load(user, shipped.get(user)).config().values())
                .as(user + " uses " + file)
                .anyMatch(v -> v.endsWith("/" + Path.of(file).getFileName())));
    }

    @TestFactory
    Stream<DynamicTest> everySampleRunsAsShipped() {
        Map<String, Path> shipped = shipped();
        Stream<DynamicTest> samples = SCENARIOS.entrySet().stream()
                .filter(e -> shipped.containsKey(e.getKey()))
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    Sample sample = Sample.load(e.getKey(), shipped.get(e.getKey()));
                    long t0 = System.nanoTime();
                    try {
                        e.getValue().accept(sample);
                    } finally {
                        cluster.deleteConnectorsIfPresent(sample.name());
                    }
                    System.out.printf("sample %s ran in %d ms%n", sample.id(), (System.nanoTime() - t0) / 1_000_000);
                }));
        DynamicTest everyDocumentedMetricChecked = DynamicTest.dynamicTest(
                "every MBean in operations.md was seen",
                () -> assertThat(CHECKED_METRICS)
                        .as("operations.md rows checked on a running worker")
                        .containsExactlyInAnyOrderElementsOf(
                                DocumentedMBean.read(REPO.resolve("docs/guides/operations.md")).stream()
                                        .filter(d -> !METRICS_CHECKED_ELSEWHERE.containsKey(d.plugin()))
                                        .map(d -> d.plugin() + " " + d.mbean())
                                        .toList()));
        return Stream.concat(samples, Stream.of(everyDocumentedMetricChecked));
    }

    // ---------------------------------------------------------------------------------------- scenarios

    /** A HubSpot source sample fills its topics with every seeded record, then forgets its offsets. */
    static void source(Sample s) {
        Map<String, String> objectTopics = new LinkedHashMap<>();
        for (String object : s.get("objects.include").split(",")) {
            objectTopics.put(object.trim(), s.get("topic.format").replace("${object}", object.trim()));
        }
        Map<String, Long> before = new HashMap<>();
        objectTopics.values().forEach(t -> before.put(t, records(t)));
        cluster.configureConnector(s.name(), s.with(coordinates.changes(s, null, null)));
        awaitTasksRunning(s.name());
        cluster.awaitCondition(
                s.id() + ": every seeded record in " + objectTopics.values(), Duration.ofSeconds(120), () -> {
                    failOnFailedTask(s.name());
                    return objectTopics.entrySet().stream()
                            .allMatch(e -> records(e.getValue()) - before.get(e.getValue())
                                    >= sim.ids(e.getKey()).size());
                });
        assertThat(sim.contractViolations())
                .as("requests follow HubSpot's OpenAPI contract")
                .isEmpty();
        assertDocumentedMetrics(s);
        // the next sample may share this connector name: stop, forget the offsets (KIP-875), delete
        assertThat(cluster.rest("PUT", "connectors/" + s.name() + "/stop", null).status())
                .isLessThan(300);
        cluster.awaitCondition(
                s.name() + " STOPPED",
                Duration.ofSeconds(30),
                () -> "STOPPED".equals(cluster.status(s.name()).connector().state()));
        assertThat(cluster.rest("DELETE", "connectors/" + s.name() + "/offsets", null)
                        .status())
                .isLessThan(300);
        cluster.deleteConnector(s.name());
    }

    /**
     * A Snowflake source sample against the Snowflake wire fake: its account, its key-pair user and its tables (keyed
     * as the sample's "tables" says) with change tracking; every row of every table reaches its topic.
     */
    static void snowflakeSource(Sample s) {
        Warehouse warehouse = new Warehouse();
        KeyPair keys = rsaKeys();
        try (SnowflakeFake fake = new SnowflakeFake(warehouse, s.get("snowflake.account"))
                .keyPairUser(s.get("snowflake.user"), keys.getPublic())) {
            Map<String, Integer> rowsPerTable = new LinkedHashMap<>();
            for (String entry : s.get("tables").split(",")) {
                String qualified = entry.substring(0, entry.indexOf(':'));
                String table = qualified.substring(qualified.lastIndexOf('.') + 1);
                String key = entry.substring(entry.indexOf(':') + 1);
                warehouse.createTable(
                        table,
                        List.of(Column.number(key, 18, 0), Column.of("NAME", "TEXT")),
                        List.of(key),
                        Duration.ofDays(1),
                        true);
                for (long id = 1; id <= 7; id++) {
                    warehouse.insert(table, new Object[] {id, table.toLowerCase() + "-" + id});
                }
                rowsPerTable.put(table, 7);
            }
            coordinates.snowflake(
                    "http://127.0.0.1:" + fake.port(),
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder()
                                    .encodeToString(keys.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----");
            cluster.configureConnector(s.name(), s.with(coordinates.changes(s, null, null)));
            awaitTasksRunning(s.name());
            cluster.awaitCondition(s.id() + ": every row of " + rowsPerTable.keySet(), Duration.ofSeconds(120), () -> {
                failOnFailedTask(s.name());
                return rowsPerTable.entrySet().stream()
                        .allMatch(e -> records(s.get("topic.format")
                                        .replace("${table}", e.getKey().toLowerCase(Locale.ROOT)))
                                >= e.getValue());
            });
            assertDocumentedMetrics(s);
            cluster.deleteConnector(s.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A BigQuery source sample against the BigQuery REST fake, signed in with a service-account key through the
     * fake's token endpoint: its project and its tables (keyed and watermarked as the sample's "tables" says, without
     * change history) holding rows older than the sample's watermark delay and one with an empty watermark; every
     * row of every table reaches its topic.
     */
    static void bigQuerySource(Sample s) {
        Warehouse warehouse = new Warehouse();
        try (BigQueryFake fake = new BigQueryFake(warehouse, s.get("bigquery.project")).requireToken(true)) {
            Instant settled = warehouse.clock().now().minus(Duration.ofHours(1));
            Map<String, Integer> rowsPerTable = new LinkedHashMap<>();
            for (String entry : s.get("tables").split(",")) {
                String table = entry.substring(0, entry.indexOf(':'));
                String key = entry.substring(entry.indexOf(':') + 1, entry.indexOf('@'));
                String watermark = entry.substring(entry.indexOf('@') + 1);
                warehouse.createTable(
                        table,
                        List.of(
                                Column.of(key, "INT64"),
                                Column.of("name", "STRING"),
                                Column.of(watermark, "TIMESTAMP")),
                        List.of(key),
                        Duration.ofDays(7),
                        false);
                for (long id = 1; id <= 7; id++) {
                    warehouse.insert(table, new Object[] {id, "row-" + id, id == 7 ? null : settled.plusSeconds(id)});
                }
                rowsPerTable.put(table.substring(table.lastIndexOf('.') + 1), 7);
            }
            coordinates.bigQuery(fake.rootUrl(), serviceAccountKey(s.get("bigquery.project"), fake.tokenUri()));
            cluster.configureConnector(s.name(), s.with(coordinates.changes(s, null, null)));
            awaitTasksRunning(s.name());
            cluster.awaitCondition(s.id() + ": every row of " + rowsPerTable.keySet(), Duration.ofSeconds(120), () -> {
                failOnFailedTask(s.name());
                return rowsPerTable.entrySet().stream()
                        .allMatch(e -> records(s.get("topic.format").replace("${table}", e.getKey())) >= e.getValue());
            });
            assertThat(fake.tokensIssued())
                    .as("signed in with the service-account key")
                    .isPositive();
            assertDocumentedMetrics(s);
            cluster.deleteConnector(s.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A service-account key file whose token_uri is the fake's token endpoint. */
    static String serviceAccountKey(String project, String tokenUri) {
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", project);
        key.put("private_key_id", "sample-key");
        key.put(
                "private_key",
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(rsaKeys().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        key.put("client_email", "crm-connect@" + project + ".iam.gserviceaccount.com");
        key.put("client_id", "1");
        key.put("token_uri", tokenUri);
        return key.toString();
    }

    static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDBC sink sample writes one row per HubSpot record of each of its topics into a fresh database. */
    static void jdbcSink(Sample s, SqlServer server) {
        String database = server.createDatabase("sample");
        List<String> topics = List.of(s.get("topics").split(","));
        runSink(s, server, database, topics);
        for (String topic : topics) {
            String object = topic.substring(topic.indexOf('.') + 1);
            assertThat(count(server, database, table(server, database, topic)))
                    .as(s.id() + ": rows from " + topic)
                    .isEqualTo(sim.ids(object).size());
        }
        assertDocumentedMetrics(s);
        cluster.deleteConnector(s.name());
    }

    /** The transforms sample: HubSpot contacts reshaped by the shipped mapping file, keyed, hashed, written. */
    static void transformChain(Sample s) {
        PostgresServer server = postgres();
        String database = server.createDatabase("sample");
        runSink(s, server, database, List.of(s.get("topics").split(",")));
        String table = table(server, database, s.get("table.name.format"));
        Pattern testAddress = Pattern.compile(s.get("predicates.isTest.pattern"));
        long expected = sim.ids("contacts").stream()
                .map(id -> sim.record("contacts", id).get("email"))
                .filter(email -> email == null || !testAddress.matcher(email).matches())
                .count();
        List<Map<String, Object>> rows = server.query(database, "SELECT * FROM " + table);
        assertThat(rows).as(s.id() + ": one row per contact").hasSize((int) expected);
        for (Map<String, Object> row : rows) {
            String id = String.valueOf(row.get("contact_id"));
            Map<String, String> contact = sim.record("contacts", id);
            assertThat(contact).as("contact_id %s is a HubSpot contact", id).isNotNull();
            assertThat(row.get("last_name")).isEqualTo(contact.get("lastname"));
            if (contact.get("email") != null) {
                assertThat(String.valueOf(row.get("email")))
                        .as("hashed, not in clear")
                        .matches("[0-9a-f]{64}");
            }
            assertThat(row.get("source_system")).isEqualTo("hubspot");
        }
        cluster.deleteConnector(s.name());
    }

    /** quickstart-hubspot-sink: warehouse users update contacts by HubSpot id, else by email, else create. */
    static void warehouseUsers(Sample s) {
        String topic = s.get("topics");
        List<String> ids = sim.ids("contacts").subList(0, 5);
        int before = sim.ids("contacts").size();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("hubspot_id", i < ids.size() ? ids.get(i) : null);
            user.put(
                    "email",
                    i < ids.size()
                            ? sim.record("contacts", ids.get(i)).get("email")
                            : "warehouse.user" + i + "@example.org");
            user.put("first_name", "Wh" + i);
            user.put("last_name", "User");
            user.put("phone", "+1 212 555 01" + (10 + i));
            user.put("company", "Sample Co");
            user.put("job_title", "Analyst");
            values.add(envelope(user));
        }
        produce(topic, values);
        runSink(s, null, null, List.of(topic));
        assertThat(sim.ids("contacts")).as("5 updated, 5 created").hasSize(before + 5);
        assertThat(client.get("contacts", ids.get(0), List.of("firstname")).property("firstname"))
                .isEqualTo("Wh0");
        assertThat(client.batchRead(
                                "contacts",
                                List.of("warehouse.user9@example.org"),
                                List.of("firstname"),
                                "email",
                                false)
                        .results())
                .singleElement()
                .satisfies(c -> assertThat(c.property("firstname")).isEqualTo("Wh9"));
        finishHubSpotSink(s);
    }

    /** hubspot-sink-roi: the ROI custom object by its natural id, dates in New York time, a Patient association. */
    static void roi(Sample s) {
        String roiType =
                post("/crm-object-schemas/v3/schemas", """
                {"name":"roi","labels":{"singular":"ROI","plural":"ROIs"},"primaryDisplayProperty":"roi_id",
                 "requiredProperties":["roi_id"],"searchableProperties":["roi_id"],"associatedObjects":["CONTACT"],
                 "properties":[
                  {"name":"roi_id","label":"ROI id","type":"string","fieldType":"text","hasUniqueValue":true},
                  {"name":"request_date","label":"Request date","type":"date","fieldType":"date"},
                  {"name":"received_at","label":"Received","type":"datetime","fieldType":"date"},
                  {"name":"status","label":"Status","type":"enumeration","fieldType":"select","options":[
                    {"label":"Open","value":"open","hidden":false,"displayOrder":0},
                    {"label":"Closed","value":"closed","hidden":false,"displayOrder":1}]},
                  {"name":"processing_status","label":"Processing","type":"string","fieldType":"text"},
                  {"name":"processing_datetime","label":"Processed at","type":"datetime","fieldType":"date"},
                  {"name":"reviewer_notes","label":"Reviewer notes","type":"string","fieldType":"textarea"}]}
                """).path("objectTypeId").asText();
        client.createAssociationLabel(roiType, "contacts", "Patient", "patient");
        String patient = sim.ids("contacts").get(10);
        String email = sim.record("contacts", patient).get("email");
        long lateEvening = Instant.parse("2024-03-11T03:30:00Z").toEpochMilli(); // March 10 in New York
        List<String> values = new ArrayList<>();
        for (String id : List.of("R1", "R2", "R3")) {
            Map<String, Object> roi = new LinkedHashMap<>();
            roi.put("roi_id", id);
            roi.put("patient_email", email);
            roi.put("requested_at", lateEvening);
            roi.put("received_local", "2024-07-01 09:15:00");
            roi.put("status", "open");
            values.add(envelope(roi));
        }
        produce(s.get("topics"), values);
        runSink(s, null, null, List.of(s.get("topics")));
        Map<String, CrmObject> byRoi = new HashMap<>();
        client.batchRead(
                        roiType,
                        List.of("R1", "R2", "R3"),
                        List.of("roi_id", "request_date", "status"),
                        "roi_id",
                        false)
                .results()
                .forEach(o -> byRoi.put(o.property("roi_id"), o));
        assertThat(byRoi).containsOnlyKeys("R1", "R2", "R3");
        assertThat(byRoi.get("R1").property("request_date")).isEqualTo("2024-03-10");
        assertThat(sim.associations(roiType, byRoi.get("R1").id(), "contacts"))
                .containsOnlyKeys(Long.parseLong(patient));
        finishHubSpotSink(s);
    }

    /** hubspot-sink-patients: patients matched to contacts by email, else created, with the portal's custom fields. */
    static void patients(Sample s) {
        // the portal properties the sample's field.mapping names beyond HubSpot's defaults
        post(
                "/crm/v3/properties/contacts",
                "{\"name\":\"patient_id\",\"label\":\"Patient id\",\"type\":\"string\","
                        + "\"fieldType\":\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":true}");
        post(
                "/crm/v3/properties/contacts",
                "{\"name\":\"address2\",\"label\":\"Address line 2\",\"type\":\"string\","
                        + "\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}");
        List<String> known = sim.ids("contacts").subList(20, 23);
        int before = sim.ids("contacts").size();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Map<String, Object> patient = new LinkedHashMap<>();
            patient.put("patient_id", "P" + (100 + i));
            patient.put(
                    "email",
                    i < known.size()
                            ? sim.record("contacts", known.get(i)).get("email")
                            : "new.patient" + i + "@example.org");
            patient.put("first_name", "Pat" + i);
            patient.put("last_name", "Ient");
            patient.put("dob", "1980-04-1" + i);
            patient.put("address1", i + " Elm Street");
            patient.put("address2", "Apt " + i);
            patient.put("city", "Springfield");
            patient.put("state", "IL");
            patient.put("zip", "6270" + i);
            values.add(envelope(patient));
        }
        produce(s.get("topics"), values);
        runSink(s, null, null, List.of(s.get("topics")));
        assertThat(sim.ids("contacts")).as("3 matched by email, 3 created").hasSize(before + 3);
        assertThat(client.get("contacts", known.get(0), List.of("patient_id")).property("patient_id"))
                .isEqualTo("P100");
        finishHubSpotSink(s);
    }

    // ---------------------------------------------------------------------------------------- helpers

    /**
     * Registers a sink sample and waits until it committed every record of its topics; its dead-letter topic (created
     * with one replica first: the sample keeps the production default of three) must stay empty.
     */
    static void runSink(Sample s, SqlServer server, String database, List<String> topics) {
        String dlq = s.get("errors.deadletterqueue.topic.name");
        assertThat(dlq).as(s.id() + " names a dead-letter topic").isNotBlank();
        if (s.get("errors.deadletterqueue.topic.replication.factor") == null) {
            cluster.createTopic(dlq, 1);
        }
        cluster.configureConnector(s.name(), s.with(coordinates.changes(s, server, database)));
        awaitTasksRunning(s.name());
        try {
            cluster.awaitCondition(
                    s.id() + ": every record of " + topics + " committed", Duration.ofSeconds(90), () -> {
                        failOnFailedTask(s.name());
                        return caughtUp(s.name(), topics);
                    });
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; end offsets " + endOffsets(topics) + ", committed "
                            + get(() -> admin.listConsumerGroupOffsets("connect-" + s.name())
                                    .partitionsToOffsetAndMetadata()
                                    .get())
                            + ", dead letters " + records(dlq),
                    e);
        }
        assertThat(records(dlq))
                .as(s.id() + ": records in the dead-letter topic " + dlq
                        + (records(dlq) > 0
                                ? ", first: "
                                        + cluster.readDeadLetters(dlq, 1, Duration.ofSeconds(10))
                                                .get(0)
                                                .headers()
                                : ""))
                .isZero();
    }

    /**
     * Every MBean docs/guides/operations.md lists for this sample's plugin (and for every connector / source / sink)
     * exists on the running worker with every attribute the doc names.
     */
    static void assertDocumentedMetrics(Sample s) {
        String type = s.get("connector.class").endsWith("SourceConnector") ? "every source" : "every sink";
        String plugin = PLUGIN_LABELS.get(s.get("connector.class"));
        assertThat(plugin)
                .as("operations.md label of " + s.get("connector.class"))
                .isNotNull();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (DocumentedMBean doc : DocumentedMBean.read(REPO.resolve("docs/guides/operations.md"))) {
            if (!doc.plugin().equals("every connector")
                    && !doc.plugin().equals(type)
                    && !doc.plugin().equals(plugin)) {
                continue;
            }
            String[] problem = {""};
            try {
                // gauges appear when their stream first reports: give a running task a moment
                cluster.awaitCondition(s.id() + ": " + doc.mbean(), Duration.ofSeconds(30), () -> {
                    problem[0] = doc.missingOn(server, s.name());
                    return problem[0].isEmpty();
                });
            } catch (AssertionError e) {
                throw new AssertionError(s.id() + ": " + problem[0] + " (documented in docs/guides/operations.md)", e);
            }
            CHECKED_METRICS.add(doc.plugin() + " " + doc.mbean());
        }
    }

    static void finishHubSpotSink(Sample s) {
        assertDocumentedMetrics(s);
        assertThat(sim.contractViolations())
                .as("requests follow HubSpot's OpenAPI contract")
                .isEmpty();
        cluster.deleteConnector(s.name());
    }

    static void awaitTasksRunning(String connector) {
        cluster.awaitCondition(connector + " RUNNING with all tasks running", Duration.ofSeconds(60), () -> {
            failOnFailedTask(connector);
            ConnectorStateInfo info = cluster.status(connector);
            return "RUNNING".equals(info.connector().state())
                    && !info.tasks().isEmpty()
                    && info.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
        });
    }

    static void failOnFailedTask(String connector) {
        ConnectorStateInfo info;
        try {
            info = cluster.status(connector);
        } catch (RuntimeException e) {
            return; // not created yet
        }
        if ("FAILED".equals(info.connector().state())) {
            throw new AssertionError(connector + " FAILED: " + info.connector().trace());
        }
        info.tasks().stream()
                .filter(t -> "FAILED".equals(t.state()))
                .findFirst()
                .ifPresent(t -> {
                    throw new AssertionError(connector + " task " + t.id() + " FAILED: " + t.trace());
                });
    }

    static boolean caughtUp(String connector, List<String> topics) {
        Map<TopicPartition, Long> ends = endOffsets(topics);
        Map<TopicPartition, OffsetAndMetadata> committed =
                get(() -> admin.listConsumerGroupOffsets("connect-" + connector)
                        .partitionsToOffsetAndMetadata()
                        .get());
        return ends.entrySet().stream()
                .allMatch(e -> e.getValue() == 0
                        || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue()));
    }

    /** Records ever written to a topic (0 when it does not exist). */
    static long records(String topic) {
        return endOffsets(List.of(topic)).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    static Map<TopicPartition, Long> endOffsets(List<String> topics) {
        Set<String> existing = get(() -> admin.listTopics().names().get());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : topics) {
            if (existing.contains(topic)) {
                get(() -> admin.describeTopics(List.of(topic)).allTopicNames().get())
                        .get(topic)
                        .partitions()
                        .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        get(() -> admin.listOffsets(request).all().get()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** The table a topic's rows went to: the sink's sanitized name for table.name.format ${topic}. */
    static String table(SqlServer server, String database, String topicOrTable) {
        String wanted = topicOrTable.replaceAll("[^A-Za-z0-9_]", "_");
        Set<String> tables = new TreeSet<>();
        server.query(
                        database,
                        "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = "
                                + (server instanceof PostgresServer ? "'public'" : "DATABASE()"))
                .forEach(r -> tables.add(String.valueOf(r.get("t"))));
        assertThat(tables).as("tables in " + database).contains(wanted);
        return wanted;
    }

    static long count(SqlServer server, String database, String table) {
        return ((Number) server.query(database, "SELECT count(*) AS n FROM " + table)
                        .get(0)
                        .get("n"))
                .longValue();
    }

    static void produce(String topic, List<String> values) {
        cluster.createTopic(topic, 1);
        for (int i = 0; i < values.size(); i++) {
            cluster.produce(topic, topic + "-" + i, values.get(i)); // the samples read keys as plain strings
        }
    }

    /** A JsonConverter envelope with optional string fields, or Timestamp for Long values. */
    static String envelope(Map<String, Object> fields) {
        ObjectNode env = JSON.createObjectNode();
        ObjectNode schema = env.putObject("schema").put("type", "struct").put("optional", false);
        ArrayNode fs = schema.putArray("fields");
        ObjectNode payload = env.putObject("payload");
        fields.forEach((k, v) -> {
            ObjectNode f = fs.addObject().put("field", k).put("optional", true);
            if (v instanceof Long l) {
                f.put("type", "int64")
                        .put("name", "org.apache.kafka.connect.data.Timestamp")
                        .put("version", 1);
                payload.put(k, l);
            } else {
                f.put("type", "string");
                payload.put(k, v == null ? null : v.toString());
            }
        });
        return env.toString();
    }

    static com.fasterxml.jackson.databind.JsonNode post(String path, String json) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                                    .header("Authorization", "Bearer " + sim.token())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    interface Call<T> {
        T call() throws InterruptedException, ExecutionException;
    }

    static <T> T get(Call<T> call) {
        try {
            return call.call();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
