package io.crmconnect.it.hubspot.sink;

import static io.crmconnect.testharness.JsonEnvelope.fields;
import static io.crmconnect.testharness.JsonEnvelope.json;
import static io.crmconnect.testharness.JsonEnvelope.jsonBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.it.hubspot.DeletedConnector;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BUILT HubSpot sink plugin in a real Connect worker against the HubSpot simulator (real HTTP, OpenAPI request
 * validation on): tiered patient matching with quarantine, the ROI custom object, id-then-email, and faults with
 * replay from offset 0. Dead letters are read back from Kafka with their headers.
 */
class HubSpotSinkIT {
    static final String CONNECTOR = "io.crmconnect.hubspot.sink.HubSpotSinkConnector";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static ConnectCluster cluster;
    final List<String> connectors = new ArrayList<>();
    HubSpotSimulator sim;
    HubSpotClient client;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start("hubspot-sink");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void cleanUp() {
        for (String c : connectors) {
            try {
                cluster.deleteConnector(c);
            } catch (RuntimeException e) {
                // already gone
            }
        }
        if (sim != null) {
            assertThat(sim.contractViolations())
                    .as("requests follow HubSpot's OpenAPI contract")
                    .isEmpty();
            client.close();
            sim.close();
        }
    }

    void startSimulator() {
        sim = HubSpotSimulator.builder().seed(5).validateRequests(true).start();
        client = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .build();
    }

    // ------------------------------------------------------------------------------------------ helpers

    JsonNode api(String path, String json) {
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
            return r.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    void property(String object, String name, String type, String fieldType, boolean unique) {
        api(
                "/crm/v3/properties/" + object,
                "{\"name\":\"" + name + "\",\"label\":\"" + name + "\",\"type\":\""
                        + type + "\",\"fieldType\":\"" + fieldType + "\",\"groupName\":\"contactinformation\","
                        + "\"hasUniqueValue\":" + unique + "}");
    }

    String contact(Map<String, String> props) {
        ObjectNode in = MAPPER.createObjectNode();
        ObjectNode p = in.putObject("properties");
        props.forEach(p::put);
        return client.batchCreate("contacts", List.of(in)).results().get(0).id();
    }

    Map<String, String> config(String topic, String dlq, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CONNECTOR);
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
        c.putAll(extra);
        return c;
    }

    void run(String name, Map<String, String> config) {
        connectors.add(name);
        cluster.configureConnector(name, config);
        cluster.awaitRunning(name, 1, Duration.ofSeconds(60));
    }

    /** Waits until the connector's consumer group has committed everything in the topic. */
    void awaitCaughtUp(String connector, String topic, long records) {
        cluster.awaitCondition(
                connector + " committed " + records + " records of " + topic,
                Duration.ofSeconds(120),
                () -> committed(connector, topic) >= records);
    }

    long committed(String connector, String topic) {
        try (var admin =
                org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            var offsets = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata()
                    .get();
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    static Map<String, Integer> reasons(List<DeadLetter> dls) {
        Map<String, Integer> out = new HashMap<>();
        dls.forEach(d -> out.merge(d.header("crmconnect.error.reason"), 1, Integer::sum));
        return out;
    }

    // ------------------------------------------------------------------------------------------ scenarios

    @Test
    void patientsAreMatchedTierByTierCreatedOrQuarantinedAndReplayFromZeroCreatesNothing() {
        startSimulator();
        property("contacts", "address2", "string", "text", false);
        property("contacts", "patient_id", "string", "text", true);
        String byEmail = contact(Map.of("email", "ann.lee@example.com", "firstname", "Ann", "lastname", "Lee"));
        String byName = contact(Map.of("firstname", "José", "lastname", "Núñez", "date_of_birth", "1980-03-05"));
        String byAddress = contact(Map.of(
                "firstname",
                "Robert",
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
        String amb1 = contact(Map.of("firstname", "Mary", "lastname", "Smith", "date_of_birth", "1990-01-01"));
        String amb2 = contact(Map.of("firstname", "MARY", "lastname", "smith", "date_of_birth", "1990-01-01"));
        int before = sim.ids("contacts").size();

        String topic = "clinic.patients";
        cluster.createTopic(topic, 1);
        cluster.produce(
                topic,
                "P1",
                json(fields(
                        "patient_id",
                        "P1",
                        "email",
                        " ANN.Lee@Example.com ",
                        "first_name",
                        "Annie",
                        "last_name",
                        "Lee")));
        cluster.produce(
                topic,
                "P2",
                json(fields(
                        "patient_id",
                        "P2",
                        "email",
                        null,
                        "first_name",
                        "Jose",
                        "last_name",
                        "Nunez",
                        "dob",
                        "03/05/1980")));
        cluster.produce(
                topic,
                "P3",
                json(fields(
                        "patient_id",
                        "P3",
                        "first_name",
                        "Bob",
                        "last_name",
                        "Ford",
                        "address1",
                        "12 N. Main St",
                        "address2",
                        "Apartment 4",
                        "city",
                        "springfield",
                        "state",
                        "il",
                        "zip",
                        "62701-1234")));
        cluster.produce(
                topic,
                "P4",
                json(fields("patient_id", "P4", "first_name", "Mary", "last_name", "Smith", "dob", "1990-01-01")));
        cluster.produce(
                topic,
                "P5",
                json(fields("patient_id", "P5", "first_name", "Nobody", "last_name", "Known", "dob", "2001-02-03")));
        cluster.produce(
                topic,
                "P6",
                json(fields(
                        "patient_id",
                        "P6",
                        "email",
                        "new.patient@example.com",
                        "first_name",
                        "Nina",
                        "last_name",
                        "New",
                        "dob",
                        "1975-12-31")));

        Map<String, String> cfg = config(
                topic,
                "clinic.patients.quarantine",
                Map.of(
                        "object", "contacts",
                        "unique.property", "patient_id",
                        "field.mapping",
                                "patient_id:patient_id,email:email,first_name:firstname,last_name:lastname,"
                                        + "dob:date_of_birth,address1:address,address2:address2,city:city,state:state,zip:zip",
                        "match.tiers", "email;firstname,lastname,date_of_birth;address,address2?,city,state,zip",
                        "properties.fill.if.missing", "firstname"));
        run("sink-patients", cfg);
        awaitCaughtUp("sink-patients", topic, 6);

        assertThat(client.get("contacts", byEmail, List.of("patient_id", "firstname"))
                        .properties())
                .containsEntry("patient_id", "P1")
                .containsEntry("firstname", "Ann"); // fill-if-missing kept Ann
        assertThat(client.get("contacts", byName, List.of("patient_id")).property("patient_id"))
                .isEqualTo("P2");
        assertThat(client.get("contacts", byAddress, List.of("patient_id")).property("patient_id"))
                .isEqualTo("P3");
        assertThat(client.get("contacts", amb1, List.of("patient_id")).property("patient_id"))
                .isNull();
        assertThat(client.get("contacts", amb2, List.of("patient_id")).property("patient_id"))
                .isNull();
        assertThat(sim.ids("contacts")).hasSize(before + 1);
        CrmObject created = client.batchRead(
                        "contacts", List.of("P6"), List.of("email", "date_of_birth"), "patient_id", false)
                .results()
                .get(0);
        assertThat(created.property("email")).isEqualTo("new.patient@example.com");
        assertThat(created.property("date_of_birth")).isEqualTo("1975-12-31");

        List<DeadLetter> dls = cluster.readDeadLetters("clinic.patients.quarantine", 2, Duration.ofSeconds(30));
        assertThat(dls).hasSize(2);
        DeadLetter ambiguous =
                dls.stream().filter(d -> "P4".equals(d.key())).findFirst().orElseThrow();
        assertThat(ambiguous.header("crmconnect.error.reason")).isEqualTo("AMBIGUOUS_MATCH");
        assertThat(ambiguous.header("crmconnect.error.context"))
                .contains(amb1)
                .contains(amb2)
                .contains("\"tier\":[\"2\"]");
        assertThat(ambiguous.exceptionMessage()).startsWith("AMBIGUOUS_MATCH: 2 contacts records match tier 2");
        assertThat(ambiguous.exceptionClass()).isEqualTo("io.crmconnect.common.sink.DeadLetterException");
        assertThat(ambiguous.originalTopic()).isEqualTo(topic);
        assertThat(ambiguous.value()).contains("\"patient_id\":\"P4\"");
        DeadLetter noEmail =
                dls.stream().filter(d -> "P5".equals(d.key())).findFirst().orElseThrow();
        assertThat(noEmail.header("crmconnect.error.reason")).isEqualTo("NO_EMAIL_NO_MATCH");
        assertThat(noEmail.exceptionMessage()).startsWith("NO_EMAIL_NO_MATCH");

        // Replay the whole topic from offset 0 under a new consumer group: nothing new is created.
        cluster.deleteConnector("sink-patients");
        run("sink-patients-replay", cfg);
        awaitCaughtUp("sink-patients-replay", topic, 6);
        assertThat(sim.ids("contacts")).hasSize(before + 1);
        assertThat(reasons(cluster.readDeadLetters("clinic.patients.quarantine", 4, Duration.ofSeconds(30))))
                .containsEntry("AMBIGUOUS_MATCH", 2)
                .containsEntry("NO_EMAIL_NO_MATCH", 2);
    }

    @Test
    void roiCustomObjectAndWarehouseUsersByIdThenEmail() {
        startSimulator();
        String roiType =
                api("/crm-object-schemas/v3/schemas", """
                {"name":"roi","labels":{"singular":"ROI","plural":"ROIs"},"primaryDisplayProperty":"roi_id",
                 "requiredProperties":["roi_id"],"searchableProperties":["roi_id"],"associatedObjects":["CONTACT"],
                 "properties":[
                  {"name":"roi_id","label":"ROI id","type":"string","fieldType":"text","hasUniqueValue":true},
                  {"name":"request_date","label":"Request date","type":"date","fieldType":"date"},
                  {"name":"status","label":"Status","type":"enumeration","fieldType":"select","options":[
                    {"label":"Open","value":"open","hidden":false,"displayOrder":0},
                    {"label":"Closed","value":"closed","hidden":false,"displayOrder":1}]},
                  {"name":"processing_status","label":"Processing","type":"string","fieldType":"text"},
                  {"name":"reviewer_notes","label":"Reviewer notes","type":"string","fieldType":"textarea"}]}
                """).path("objectTypeId").asText();
        client.createAssociationLabel(roiType, "contacts", "Patient", "patient");
        String patient = contact(Map.of("email", "pat@example.com", "firstname", "Pat"));
        ObjectNode done = MAPPER.createObjectNode();
        done.putObject("properties")
                .put("roi_id", "R2")
                .put("processing_status", "Processed")
                .put("reviewer_notes", "checked by staff")
                .put("status", "closed");
        String r2 = client.batchCreate(roiType, List.of(done)).results().get(0).id();

        cluster.createTopic("clinic.roi", 1);
        long lateEvening = Instant.parse("2024-03-11T03:30:00Z").toEpochMilli(); // March 10 in New York
        for (String id : List.of("R1", "R2", "R3")) {
            cluster.produce(
                    "clinic.roi",
                    id,
                    json(fields(
                            "roi_id",
                            id,
                            "patient_email",
                            "PAT@example.com",
                            "requested_at",
                            lateEvening,
                            "status",
                            "R3".equals(id) ? "archived" : "open",
                            "reviewer_notes",
                            "from the warehouse")));
        }
        Map<String, String> roiCfg = new HashMap<>(Map.of(
                "object",
                "roi",
                "unique.property",
                "roi_id",
                "timezone",
                "America/New_York",
                "field.mapping",
                "roi_id:roi_id,requested_at:request_date,status:status,reviewer_notes:reviewer_notes",
                "properties.protected",
                "reviewer_notes",
                "skip.if",
                "processing_status=Processed",
                "associations",
                "patient_email>contacts.email/Patient"));
        run("sink-roi", config("clinic.roi", "clinic.roi.dlq", roiCfg));

        // warehouse users -> contacts by id, else by email
        String known = contact(Map.of("email", "old.address@example.com", "firstname", "Known"));
        String byMail = contact(Map.of("email", "by.mail@example.com", "firstname", "Mail"));
        cluster.createTopic("warehouse.users", 1);
        cluster.produce(
                "warehouse.users",
                "u1",
                json(fields("hubspot_id", known, "email", "new.address@example.com", "first_name", "Known2")));
        cluster.produce(
                "warehouse.users",
                "u2",
                json(fields("hubspot_id", null, "email", "BY.MAIL@example.com", "first_name", "Mail2")));
        cluster.produce(
                "warehouse.users",
                "u3",
                json(fields("hubspot_id", "999999999", "email", "fresh@example.com", "first_name", "Fresh")));
        int contactsBefore = sim.ids("contacts").size();
        run(
                "sink-users",
                config(
                        "warehouse.users",
                        "warehouse.users.dlq",
                        Map.of(
                                "object",
                                "contacts",
                                "id.field",
                                "hubspot_id",
                                "unique.property",
                                "email",
                                "field.mapping",
                                "email:email,first_name:firstname")));

        awaitCaughtUp("sink-roi", "clinic.roi", 3);
        awaitCaughtUp("sink-users", "warehouse.users", 3);

        Map<String, CrmObject> byRoi = new HashMap<>();
        client.batchRead(
                        roiType,
                        List.of("R1", "R2", "R3"),
                        List.of("roi_id", "request_date", "status", "reviewer_notes", "processing_status"),
                        "roi_id",
                        false)
                .results()
                .forEach(o -> byRoi.put(o.property("roi_id"), o));
        assertThat(byRoi).containsOnlyKeys("R1", "R2"); // R3 has an invalid status option: DLQ
        assertThat(byRoi.get("R1").property("request_date")).isEqualTo("2024-03-10");
        assertThat(byRoi.get("R1").property("reviewer_notes")).isNull();
        assertThat(byRoi.get("R2").property("status")).isEqualTo("closed");
        assertThat(byRoi.get("R2").property("reviewer_notes")).isEqualTo("checked by staff");
        assertThat(sim.associations(roiType, byRoi.get("R1").id(), "contacts"))
                .containsOnlyKeys(Long.parseLong(patient));
        assertThat(sim.associations(roiType, r2, "contacts")).isEmpty();
        List<DeadLetter> roiDead = cluster.readDeadLetters("clinic.roi.dlq", 1, Duration.ofSeconds(30));
        assertThat(roiDead).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("R3");
            assertThat(d.header("crmconnect.error.reason")).isEqualTo("INVALID_OPTION");
            // the record's value stays in the dead letter's value, not in its headers
            assertThat(d.exceptionMessage())
                    .contains("is not an option of enumeration status")
                    .doesNotContain("archived");
        });

        assertThat(client.get("contacts", known, List.of("email", "firstname")).properties())
                .containsEntry("email", "new.address@example.com")
                .containsEntry("firstname", "Known2");
        assertThat(client.get("contacts", byMail, List.of("firstname")).property("firstname"))
                .isEqualTo("Mail2");
        assertThat(sim.ids("contacts")).hasSize(contactsBefore + 1);
        assertThat(client.batchRead("contacts", List.of("fresh@example.com"), List.of("firstname"), "email", false)
                        .results())
                .singleElement()
                .satisfies(c -> assertThat(c.property("firstname")).isEqualTo("Fresh"));
    }

    @Test
    void deletingTheConnectorMidWritesStopsItsCallsToHubSpotAndItsThreads() {
        startSimulator();
        // slow upserts keep the task (and its parallel writers) busy when the delete comes
        sim.addFault(Fault.latency("POST /crm/v3/objects/*/batch/upsert", 300, 500));
        String topic = "deleted.contacts";
        cluster.createTopic(topic, 1);
        int n = 3000;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String email = "d" + i + "@example.com";
            records.add(new ProducerRecord<>(
                    topic,
                    email.getBytes(StandardCharsets.UTF_8),
                    jsonBytes(fields("email", email, "first_name", "D" + i))));
        }
        cluster.produce(records);
        Set<Thread> before = DeletedConnector.hubSpotThreads();
        int contactsBefore = sim.ids("contacts").size();
        run(
                "sink-delete",
                config(
                        topic,
                        "deleted.dlq",
                        Map.of(
                                "object",
                                "contacts",
                                "unique.property",
                                "email",
                                "field.mapping",
                                "email:email,first_name:firstname")));
        cluster.awaitCondition(
                "writes under way",
                Duration.ofSeconds(60),
                () -> sim.routeCount("POST /crm/v3/objects/{objectType}/batch/upsert") >= 3);

        DeletedConnector.deleteAndAwaitSilence(cluster, "sink-delete", sim, before);
        connectors.remove("sink-delete");
        assertThat(sim.ids("contacts").size() - contactsBefore)
                .as("deleted in the middle of the writes")
                .isLessThan(n);
    }

    @Test
    void faultsLoseNothingDuplicateNothingAndReplayFromZeroCreatesNoDuplicates() {
        startSimulator();
        property("contacts", "patient_id", "string", "text", true);
        String topic = "faults.patients";
        cluster.createTopic(topic, 2);
        int n = 600;
        Set<String> bad = Set.of("P17", "P230", "P555");
        for (int i = 0; i < n; i++) {
            String id = "P" + i;
            cluster.produce(
                    topic,
                    id,
                    json(fields(
                            "patient_id",
                            id,
                            "email",
                            bad.contains(id) ? "broken-at-" + i : "p" + i + "@example.com",
                            "first_name",
                            "F" + i)));
        }
        int before = sim.ids("contacts").size();
        String upsert = "POST /crm/v3/objects/*/batch/upsert";
        sim.addFault(Fault.of(upsert, Fault.Kind.RATE_LIMIT_429, 1.0).times(4)); // a 429 storm first
        sim.addFault(Fault.status(upsert, 503, 0.15));
        sim.addFault(Fault.status(upsert, 502, 0.05));
        sim.addFault(Fault.of(upsert, Fault.Kind.CONNECTION_RESET, 0.08));
        sim.addFault(Fault.of(upsert, Fault.Kind.TRUNCATED_BODY, 0.04));
        Map<String, String> cfg = config(
                topic,
                "faults.dlq",
                Map.of(
                        "object",
                        "contacts",
                        "unique.property",
                        "patient_id",
                        "field.mapping",
                        "patient_id:patient_id,email:email," + "first_name:firstname",
                        "hubspot.retry.budget.ms",
                        "15000"));
        run("sink-faults", cfg);
        awaitCaughtUp("sink-faults", topic, n);
        sim.clearFaults();

        Set<String> written = new TreeSet<>();
        int dupes = 0;
        for (Map<String, Object> c : sim.dump("contacts", false)) {
            Object pid = c.get("patient_id");
            if (pid == null && c.get("properties") instanceof Map<?, ?> p) {
                pid = p.get("patient_id");
            }
            if (pid != null && !written.add(pid.toString())) {
                dupes++;
            }
        }
        assertThat(dupes).isZero();
        assertThat(written).hasSize(n - bad.size()).doesNotContainAnyElementsOf(bad);
        assertThat(sim.ids("contacts")).hasSize(before + n - bad.size());
        List<DeadLetter> dls = cluster.readDeadLetters("faults.dlq", 3, Duration.ofSeconds(30));
        assertThat(dls).extracting(DeadLetter::key).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(dls).allSatisfy(d -> {
            assertThat(d.header("crmconnect.error.code")).isEqualTo("VALIDATION_ERROR");
            assertThat(d.header("crmconnect.error.reason")).isEqualTo("REJECTED");
            assertThat(d.header("crmconnect.error.message")).containsIgnoringCase("email");
        });

        cluster.deleteConnector("sink-faults");
        sim.addFault(Fault.status(upsert, 503, 0.1));
        run("sink-faults-replay", cfg);
        awaitCaughtUp("sink-faults-replay", topic, n);
        assertThat(sim.ids("contacts")).hasSize(before + n - bad.size());
        assertThat(cluster.readDeadLetters("faults.dlq", 6, Duration.ofSeconds(30)))
                .hasSize(6);
    }
}
