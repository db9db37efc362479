package io.crmconnect.it.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Key;
import io.crmconnect.simulator.warehouse.Seed004;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeds 000 and 004 end to end on the BUILT archives in one Connect cluster: a warehouse fake (Snowflake wire fake,
 * BigQuery REST fake, one commit-versioned model) -> warehouse source connector -> Kafka -> transforms -> HubSpot
 * sink connector -> the HubSpot simulator (OpenAPI request validation on). Both seeds share the cluster, the model
 * and the simulator.
 */
class WarehouseToHubSpotIT {
    static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    static final ObjectMapper JSON = new ObjectMapper();
    static ConnectCluster cluster;
    static HubSpotSimulator sim;
    static HubSpotClient client;
    static Warehouse wh;
    static SnowflakeFake snowflake;
    static BigQueryFake bigQuery;
    static KeyPair keys;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConnectCluster.start("warehouse-to-hubspot");
        sim = HubSpotSimulator.builder()
                .seed(11)
                .contacts(20)
                .validateRequests(true)
                .start();
        client = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .build();
        wh = new Warehouse();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        snowflake = new SnowflakeFake(wh, "myorg-acct").keyPairUser("CONNECT_SVC", keys.getPublic());
        bigQuery = new BigQueryFake(wh, "acme-analytics");
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            assertThat(sim.contractViolations())
                    .as("requests follow HubSpot's OpenAPI contract")
                    .isEmpty();
        }
        if (cluster != null) {
            cluster.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {client, sim, snowflake, bigQuery}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what is left
            }
        }
    }

    /**
     * Seed 000: a Snowflake users table -> FieldMapping (warehouse names to HubSpot properties) -> HubSpot contacts,
     * matched by HubSpot id, then email; created and updated counted by the sink; a row HubSpot refuses in the DLQ with
     * its reason; a later change in Snowflake arrives in HubSpot.
     */
    @Test
    void seed000SnowflakeUsersThroughTransformsToHubSpotContacts() throws Exception {
        List<String> ids = sim.ids("contacts");
        String byId = ids.get(0);
        String byEmail = ids.get(1);
        String knownEmail = sim.record("contacts", byEmail).get("email");
        int before = ids.size();
        // created just before the connector starts (the first snapshot point must wait for the table)
        wh.createTable(
                "USERS",
                List.of(
                        Column.number("ID", 18, 0),
                        Column.of("HUBSPOT_ID", "TEXT"),
                        Column.of("EMAIL", "TEXT"),
                        Column.of("FIRST_NAME", "TEXT"),
                        Column.of("LAST_NAME", "TEXT")),
                List.of("ID"),
                Duration.ofDays(1),
                true);
        wh.insert(
                "USERS",
                new Object[] {1L, byId, "moved.address@example.org", "Byid", "User"},
                new Object[] {2L, null, knownEmail.toUpperCase(), "Byemail", "User"},
                new Object[] {3L, null, "new.user3@example.org", "New", "Three"},
                new Object[] {4L, null, "not-an-email", "Bad", "Row"},
                new Object[] {5L, "999999999", "new.user5@example.org", "Gone", "Id"});

        Path mapping = dir.resolve("users-mapping.yaml");
        Files.writeString(mapping, """
                objects:
                  user:
                    b_to_a:
                      unmapped: drop
                      fields:
                        - { from: hubspot_id, to: hubspot_id, type: string }
                        - { from: email, to: email }
                        - { from: first_name, to: firstname }
                        - { from: last_name, to: lastname }
                """);
        Map<String, String> source = snowflakeSource("USERS:ID");
        Map<String, String> sink = sink("warehouse.users", "warehouse.users.dlq");
        sink.put("object", "contacts");
        sink.put("id.field", "hubspot_id");
        sink.put("unique.property", "email");
        sink.put("field.mapping", "email:email,firstname:firstname,lastname:lastname");
        sink.put("transforms", "map");
        sink.put("transforms.map.type", "io.crmconnect.smt.FieldMapping$Value");
        sink.put("transforms.map.mapping.file", mapping.toString());
        sink.put("transforms.map.mapping.object", "user");
        sink.put("transforms.map.mapping.direction", "b_to_a");
        cluster.configureConnector("seed000-source", source);
        cluster.configureConnector("seed000-sink", sink);
        cluster.awaitRunning("seed000-source", 1, Duration.ofSeconds(60));
        cluster.awaitRunning("seed000-sink", 1, Duration.ofSeconds(60));
        awaitCommitted("seed000-sink", "warehouse.users", 5);

        assertThat(client.get("contacts", byId, List.of("email", "firstname")).properties())
                .containsEntry("email", "moved.address@example.org")
                .containsEntry("firstname", "Byid");
        assertThat(client.get("contacts", byEmail, List.of("firstname")).property("firstname"))
                .isEqualTo("Byemail");
        assertThat(sim.ids("contacts"))
                .as("rows 3 and 5 created, 1 and 2 updated, 4 refused")
                .hasSize(before + 2);
        assertThat(contactByEmail("new.user5@example.org").property("firstname"))
                .isEqualTo("Gone");
        assertThat(sinkMetric("seed000-sink", "records-created")).isEqualTo(2);
        assertThat(sinkMetric("seed000-sink", "records-updated")).isEqualTo(2);
        List<DeadLetter> dead = cluster.readDeadLetters("warehouse.users.dlq", 1, Duration.ofSeconds(30));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.key()).contains("4");
            assertThat(d.header("crmconnect.error.reason")).isEqualTo("REJECTED"); // HubSpot's INVALID_EMAIL
            assertThat(d.exceptionMessage()).doesNotContain("not-an-email");
        });

        wh.begin().update("USERS", 3L, "FIRST_NAME", "Renamed").commit();
        cluster.awaitCondition(
                "the Snowflake update in HubSpot",
                Duration.ofSeconds(60),
                () -> "Renamed".equals(contactByEmail("new.user3@example.org").property("firstname")));
        assertThat(sim.ids("contacts")).hasSize(before + 2);
        cluster.deleteConnector("seed000-sink");
        cluster.deleteConnector("seed000-source");
    }

    /**
     * Seed 004: BigQuery patients and release-of-information requests (watermark mode on updated_at, no change
     * history) -> the shipped patients and ROI sink samples: contacts by the 3-tier match (email; name + date of
     * birth; address), unmatched without email quarantined; the ROI custom object by roi_id with the request time
     * read in New York, the Patient association, the protected reviewer notes kept, and requests HubSpot staff marked
     * Processed AND gave a processing time skipped (Processed alone is not enough).
     */
    @Test
    void seed004BigQueryPatientsAndRoiRequestsToHubSpot() throws Exception {
        String roiType = Seed004.preparePortal(sim.baseUrl(), sim.token());
        String byMail = contact(Map.of("email", "ann.lee@example.com", "firstname", "Ann", "lastname", "Lee"));
        String byName = contact(Map.of("firstname", "José", "lastname", "Nuñez", "date_of_birth", "1980-03-05"));
        String byAddress = contact(Map.of(
                "firstname",
                "Bob",
                "lastname",
                "Ford",
                "address",
                "12 North Main Street",
                "address2",
                "Apt 4",
                "city",
                "Springfield",
                "state",
                "IL",
                "zip",
                "62701"));
        String processed = roi(
                roiType,
                Map.of(
                        "roi_id",
                        "R2",
                        "status",
                        "closed",
                        "processing_status",
                        "Processed",
                        "processing_datetime",
                        "2024-05-01T10:00:00Z",
                        "reviewer_notes",
                        "released by staff"));
        String pending = roi(
                roiType,
                Map.of(
                        "roi_id",
                        "R3",
                        "status",
                        "open",
                        "processing_status",
                        "Processed",
                        "reviewer_notes",
                        "waiting for the date"));
        int contactsBefore = sim.ids("contacts").size();

        Instant stamped = wh.clock().now().minus(Duration.ofMinutes(5));
        Seed004.createPatients(wh);
        wh.insert(
                "crm.patients",
                new Object[] {"P1", " ANN.Lee@Example.com ", "Annie", "Lee", null, null, null, null, null, null, stamped
                },
                new Object[] {"P2", null, "Jose", "Nunez", "03/05/1980", null, null, null, null, null, stamped},
                new Object[] {
                    "P3",
                    null,
                    "Bob",
                    "Ford",
                    null,
                    "12 N. Main St",
                    "Apartment 4",
                    "springfield",
                    "il",
                    "62701-1234",
                    stamped
                },
                new Object[] {
                    "P4", "new.patient@example.com", "Nina", "New", "1975-12-31", null, null, null, null, null, null
                },
                new Object[] {
                    "P5", null, "Nobody", "Known", "2001-02-03", null, null, null, null, null, stamped.plusSeconds(1)
                });
        Seed004.createRoiRequests(wh);
        Instant lateEvening = Instant.parse("2024-03-11T03:30:00Z"); // March 10 in New York
        wh.insert(
                "crm.roi_requests",
                new Object[] {
                    "R1",
                    "ann.lee@example.com",
                    lateEvening,
                    "2024-07-01 09:15:00",
                    "open",
                    "from the warehouse",
                    stamped
                },
                new Object[] {
                    "R2",
                    "ann.lee@example.com",
                    lateEvening,
                    "2024-07-01 09:15:00",
                    "open",
                    "from the warehouse",
                    stamped
                },
                new Object[] {
                    "R3",
                    "ann.lee@example.com",
                    lateEvening,
                    "2024-07-01 09:15:00",
                    "closed",
                    "from the warehouse",
                    stamped
                });

        Map<String, String> source = new HashMap<>();
        source.put("connector.class", "io.crmconnect.warehouse.source.bigquery.BigQuerySourceConnector");
        source.put("tasks.max", "1");
        source.put("bigquery.project", "acme-analytics");
        source.put("bigquery.root.url", bigQuery.rootUrl());
        source.put("bigquery.auth", "none");
        source.put("tables", "crm.patients:patient_id@updated_at,crm.roi_requests:roi_id@updated_at");
        source.put("mode", "watermark");
        source.put("watermark.delay.ms", "1000");
        source.put("poll.interval.ms", "300");
        source.put("topic.format", "bigquery.${table}");
        source.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        source.put("key.converter.schemas.enable", "false");
        Map<String, String> patients = shippedSink("hubspot-sink-patients.json", "bigquery.patients");
        Map<String, String> roi = shippedSink("hubspot-sink-roi.json", "bigquery.roi_requests");
        roi.put("field.mapping", roi.get("field.mapping") + ",reviewer_notes:reviewer_notes");
        cluster.configureConnector("seed004-source", source);
        cluster.configureConnector("seed004-patients", patients);
        cluster.configureConnector("seed004-roi", roi);
        for (String c : List.of("seed004-source", "seed004-patients", "seed004-roi")) {
            cluster.awaitRunning(c, 1, Duration.ofSeconds(60));
        }
        awaitCommitted("seed004-patients", "bigquery.patients", 5);
        awaitCommitted("seed004-roi", "bigquery.roi_requests", 3);

        assertThat(client.get("contacts", byMail, List.of("patient_id", "firstname"))
                        .properties())
                .containsEntry("patient_id", "P1")
                .containsEntry("firstname", "Ann"); // fill-if-missing kept Ann
        assertThat(client.get("contacts", byName, List.of("patient_id")).property("patient_id"))
                .isEqualTo("P2");
        assertThat(client.get("contacts", byAddress, List.of("patient_id")).property("patient_id"))
                .isEqualTo("P3");
        assertThat(sim.ids("contacts")).as("P4 created, P5 quarantined").hasSize(contactsBefore + 1);
        CrmObject created = client.batchRead(
                        "contacts", List.of("P4"), List.of("email", "date_of_birth"), "patient_id", false)
                .results()
                .get(0);
        assertThat(created.property("date_of_birth")).isEqualTo("1975-12-31");
        assertThat(cluster.readDeadLetters(
                        patients.get("errors.deadletterqueue.topic.name"), 1, Duration.ofSeconds(30)))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.key()).contains("P5");
                    assertThat(d.header("crmconnect.error.reason")).isEqualTo("NO_EMAIL_NO_MATCH");
                });

        Map<String, CrmObject> byRoi = new HashMap<>();
        client.batchRead(
                        roiType,
                        List.of("R1", "R2", "R3"),
                        List.of("roi_id", "request_date", "received_at", "status", "reviewer_notes"),
                        "roi_id",
                        false)
                .results()
                .forEach(o -> byRoi.put(o.property("roi_id"), o));
        assertThat(byRoi).containsOnlyKeys("R1", "R2", "R3");
        assertThat(byRoi.get("R1").property("request_date")).isEqualTo("2024-03-10");
        assertThat(Instant.parse(byRoi.get("R1").property("received_at")))
                .as("09:15 in New York in July is 13:15 UTC")
                .isEqualTo(Instant.parse("2024-07-01T13:15:00Z"));
        assertThat(byRoi.get("R1").property("reviewer_notes")).isNull();
        assertThat(sim.associations(roiType, byRoi.get("R1").id(), "contacts"))
                .containsOnlyKeys(Long.parseLong(byMail));
        assertThat(byRoi.get("R2").id()).isEqualTo(processed);
        assertThat(byRoi.get("R2").property("status"))
                .as("Processed with a time: skipped")
                .isEqualTo("closed");
        assertThat(sim.associations(roiType, processed, "contacts")).isEmpty();
        assertThat(byRoi.get("R3").id()).isEqualTo(pending);
        assertThat(byRoi.get("R3").property("status"))
                .as("Processed without a time: written")
                .isEqualTo("closed");
        assertThat(byRoi.get("R3").property("reviewer_notes")).as("protected").isEqualTo("waiting for the date");

        wh.begin()
                .update(
                        "crm.patients",
                        new Key(new Object[] {"P4"}),
                        Map.of("dob", "1975-12-30", "updated_at", wh.clock().now()))
                .commit(); // names are fill-if-missing in the sample
        cluster.awaitCondition(
                "the BigQuery update in HubSpot",
                Duration.ofSeconds(60),
                () -> "1975-12-30"
                        .equals(client.batchRead(
                                        "contacts", List.of("P4"), List.of("date_of_birth"), "patient_id", false)
                                .results()
                                .get(0)
                                .property("date_of_birth")));
        for (String c : List.of("seed004-roi", "seed004-patients", "seed004-source")) {
            cluster.deleteConnector(c);
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static Map<String, String> snowflakeSource(String tables) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.crmconnect.warehouse.source.snowflake.SnowflakeSourceConnector");
        c.put("tasks.max", "1");
        c.put("snowflake.url", "http://127.0.0.1:" + snowflake.port());
        c.put("snowflake.account", "myorg-acct");
        c.put("snowflake.user", "connect_svc");
        c.put(
                "snowflake.private.key",
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----");
        c.put("snowflake.warehouse", "WH");
        c.put("snowflake.disable.platform.detection", "true");
        c.put("snowflake.disable.ocsp.checks", "true");
        c.put("tables", tables);
        c.put("topic.format", "warehouse.${table}");
        c.put("poll.interval.ms", "300");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        return c;
    }

    static Map<String, String> sink(String topic, String dlq) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", "io.crmconnect.hubspot.sink.HubSpotSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topic);
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", dlq);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("consumer.override.auto.offset.reset", "earliest");
        return c;
    }

    /** A sink sample as shipped in the HubSpot sink archive, reading {@code topic} and pointed at the simulator. */
    static Map<String, String> shippedSink(String file, String topic) throws IOException {
        JsonNode config = JSON.readTree(REPO.resolve("hubspot-sink-connector/src/main/connect-plugin/etc")
                        .resolve(file)
                        .toFile())
                .path("config");
        Map<String, String> c = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            c.put(e.getKey(), e.getValue().asText());
        }
        c.put("topics", topic);
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("consumer.override.auto.offset.reset", "earliest");
        return c;
    }

    static void awaitCommitted(String connector, String topic, long records) {
        cluster.awaitCondition(
                connector + " committed " + records + " records of " + topic, Duration.ofSeconds(90), () -> {
                    String failed = cluster.status(connector).tasks().stream()
                            .filter(t -> "FAILED".equals(t.state()))
                            .map(t -> t.trace())
                            .findFirst()
                            .orElse(null);
                    assertThat(failed).as(connector + " task failed").isNull();
                    return committed(connector, topic) >= records;
                });
    }

    static long committed(String connector, String topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            return admin
                    .listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .entrySet()
                    .stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    static long sinkMetric(String connector, String attribute) throws JMException {
        Object v = ManagementFactory.getPlatformMBeanServer()
                .getAttribute(
                        new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",task=0"), attribute);
        return ((Number) v).longValue();
    }

    static CrmObject contactByEmail(String email) {
        List<CrmObject> found = client.batchRead("contacts", List.of(email), List.of("firstname"), "email", false)
                .results();
        assertThat(found).as("contact " + email).hasSize(1);
        return found.get(0);
    }

    static String contact(Map<String, String> props) {
        ObjectNode in = JSON.createObjectNode();
        ObjectNode p = in.putObject("properties");
        props.forEach(p::put);
        return client.batchCreate("contacts", List.of(in)).results().get(0).id();
    }

    static String roi(String type, Map<String, String> props) {
        ObjectNode in = JSON.createObjectNode();
        ObjectNode p = in.putObject("properties");
        props.forEach(p::put);
        return client.batchCreate(type, new ArrayList<>(List.of(in)))
                .results()
                .get(0)
                .id();
    }
}
