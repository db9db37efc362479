package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.RateBudget;
import io.crmconnect.hubspot.client.Tier;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer against the real simulator (OpenAPI request validation on): matching, rules, DLQ, idempotence. */
class HubSpotSinkWriterIT {
    static final Schema PATIENT = SchemaBuilder.struct()
            .name("patient")
            .field("patient_id", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("dob", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address1", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address2", Schema.OPTIONAL_STRING_SCHEMA)
            .field("city", Schema.OPTIONAL_STRING_SCHEMA)
            .field("state", Schema.OPTIONAL_STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    HubSpotSimulator sim;
    HubSpotClient client;
    final List<Object[]> dead = new ArrayList<>();
    long offset;

    @BeforeEach
    void start() {
        sim = HubSpotSimulator.builder().seed(11).validateRequests(true).start();
        client = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0))
                .build();
        SimAdmin.property(sim, "contacts", "address2", "string", "text", false);
        SimAdmin.property(sim, "contacts", "patient_id", "string", "text", true);
    }

    @AfterEach
    void stop() {
        assertThat(sim.contractViolations())
                .as("requests follow HubSpot's OpenAPI contract")
                .isEmpty();
        client.close();
        sim.close();
    }

    String contact(Map<String, String> props) {
        ObjectNode in = SimAdmin.MAPPER.createObjectNode();
        ObjectNode p = in.putObject("properties");
        props.forEach(p::put);
        return client.batchCreate("contacts", List.of(in)).results().get(0).id();
    }

    SinkRecord patient(
            String id,
            String email,
            String first,
            String last,
            String dob,
            String a1,
            String a2,
            String city,
            String state,
            String zip) {
        Struct s = new Struct(PATIENT)
                .put("patient_id", id)
                .put("email", email)
                .put("first_name", first)
                .put("last_name", last)
                .put("dob", dob)
                .put("address1", a1)
                .put("address2", a2)
                .put("city", city)
                .put("state", state)
                .put("zip", zip);
        return new SinkRecord("patients", 0, Schema.STRING_SCHEMA, id, PATIENT, s, offset++);
    }

    Map<String, String> patientConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("object", "contacts");
        c.put("unique.property", "patient_id");
        c.put(
                "field.mapping",
                "patient_id:patient_id,email:email,first_name:firstname,last_name:lastname,"
                        + "dob:date_of_birth,address1:address,address2:address2,city:city,state:state,zip:zip");
        c.put("match.tiers", "email;firstname,lastname,date_of_birth;address,address2?,city,state,zip");
        return c;
    }

    SinkWriter writer(Map<String, String> cfg) {
        HubSpotSinkConfig config = new HubSpotSinkConfig(cfg);
        String type = PropertyCatalog.resolveObjectType(client, config.object());
        PropertyCatalog catalog = PropertyCatalog.load(client, type);
        return new SinkWriter(client, config, catalog, (r, f) -> dead.add(new Object[] {r, f}));
    }

    DeadLetter deadFor(String key) {
        return dead.stream()
                .filter(d -> key.equals(((SinkRecord) d[0]).key()))
                .map(d -> (DeadLetter) d[1])
                .findFirst()
                .orElse(null);
    }

    /**
     * Hundreds of contacts share one birth date: after the first batch the name+DOB tier stops blocking on the date
     * alone and narrows with the names over several filter groups; a HubSpot name spelled with diacritics is still
     * found by the second, date-only pass, and a contact this writer created is found by the first.
     */
    @Test
    void crowdedBirthDatesNarrowTheSearchAndStillFindSpellingVariants() {
        for (int b = 0; b < 3; b++) {
            List<ObjectNode> inputs = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                ObjectNode in = SimAdmin.MAPPER.createObjectNode();
                in.putObject("properties")
                        .put("firstname", "Crowd" + b)
                        .put("lastname", "Member" + i)
                        .put("date_of_birth", "1985-06-15");
                inputs.add(in);
            }
            client.batchCreate("contacts", inputs);
        }
        String jose = contact(Map.of("firstname", "José", "lastname", "Núñez", "date_of_birth", "1985-06-15"));
        int before = sim.ids("contacts").size();
        SinkWriter w = writer(patientConfig());
        List<SinkRecord> first = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            first.add(patient(
                    "W" + i,
                    "walk" + i + "@example.com",
                    "Walk" + i,
                    "In" + i,
                    "1985-06-15",
                    null,
                    null,
                    null,
                    null,
                    null));
        }
        w.write(first);
        assertThat(sim.ids("contacts")).hasSize(before + 50);
        assertThat(w.stats.matchedBy).containsKey("searches.tier2.exact").doesNotContainKey("searches.tier2.narrow");

        w.write(List.of(
                patient("Q1", null, "Jose", "Nunez", "06/15/1985", null, null, null, null, null),
                patient("Q2", null, "WALK3", "in3", "1985-06-15", null, null, null, null, null),
                patient("Q3", null, "Lost", "Soul", "1985-06-15", null, null, null, null, null)));
        assertThat(w.stats.matchedBy).containsKeys("searches.tier2.narrow", "searches.tier2.exact2");
        assertThat(client.get("contacts", jose, List.of("patient_id")).property("patient_id"))
                .isEqualTo("Q1");
        CrmObject walk3 = client.batchRead("contacts", List.of("Q2"), List.of("email"), "patient_id", false)
                .results()
                .get(0);
        assertThat(walk3.property("email")).isEqualTo("walk3@example.com");
        assertThat(deadFor("Q3").reason()).isEqualTo("NO_EMAIL_NO_MATCH");
        assertThat(dead).hasSize(1);
        assertThat(sim.ids("contacts")).hasSize(before + 50);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"search", "index"})
    void patientsMatchEveryTierQuarantineAmbiguousAndNoEmailAndReplayCreatesNothing(String strategy) {
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
        String amb2 = contact(Map.of("firstname", "mary", "lastname", "SMITH", "date_of_birth", "1990-01-01"));
        int before = sim.ids("contacts").size();

        List<SinkRecord> batch = List.of(
                patient("P1", "  ANN.Lee@Example.com ", "Annie", "Lee", null, null, null, null, null, null),
                patient("P2", null, "Jose", "Nunez", "03/05/1980", null, null, null, null, null),
                patient(
                        "P3",
                        null,
                        "Bob",
                        "Ford-Smith",
                        null,
                        "12 N. Main St",
                        "Apartment 4",
                        "springfield",
                        "il",
                        "62701-1234"),
                patient("P4", null, "Mary", "Smith", "1990-01-01", null, null, null, null, null),
                patient("P5", null, "Nobody", "Known", "2001-02-03", null, null, null, null, null),
                patient("P6", "new.patient@example.com", "Nina", "New", "1975-12-31", null, null, null, null, null));
        Map<String, String> cfg = patientConfig();
        cfg.put("match.strategy", strategy);
        SinkWriter w = writer(cfg);
        w.write(batch);

        assertThat(client.get("contacts", byEmail, List.of("patient_id", "firstname"))
                        .properties())
                .containsEntry("patient_id", "P1")
                .containsEntry("firstname", "Annie");
        assertThat(client.get("contacts", byName, List.of("patient_id")).property("patient_id"))
                .isEqualTo("P2");
        assertThat(client.get("contacts", byAddress, List.of("patient_id", "zip"))
                        .properties())
                .containsEntry("patient_id", "P3")
                .containsEntry("zip", "62701-1234");
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

        assertThat(dead).hasSize(2);
        DeadLetter ambiguous = deadFor("P4");
        assertThat(ambiguous.reason()).isEqualTo("AMBIGUOUS_MATCH");
        assertThat(ambiguous.context().get("candidateIds")).containsExactlyInAnyOrder(amb1, amb2);
        assertThat(ambiguous.context().get("tier")).containsExactly("2");
        assertThat(deadFor("P5").reason()).isEqualTo("NO_EMAIL_NO_MATCH");
        assertThat(w.stats.matchedBy.get("tier1").get()).isEqualTo(1);
        assertThat(w.stats.matchedBy.get("tier2").get()).isEqualTo(1);
        assertThat(w.stats.matchedBy.get("tier3").get()).isEqualTo(1);
        assertThat(w.stats.created.get()).isEqualTo(1);

        // Replay of the same batch (crash before the offset commit): nothing is created twice.
        dead.clear();
        writer(cfg).write(batch);
        assertThat(sim.ids("contacts")).hasSize(before + 1);
        assertThat(dead)
                .extracting(d -> ((DeadLetter) d[1]).reason())
                .containsExactlyInAnyOrder("AMBIGUOUS_MATCH", "NO_EMAIL_NO_MATCH");
    }

    @Test
    void partialFailuresGoToTheDlqExactlyAndTransientFaultsAreRetried() {
        SimAdmin.post(
                sim,
                "/crm/v3/properties/contacts",
                "{\"name\":\"tier\",\"label\":\"tier\",\"type\":"
                        + "\"enumeration\",\"fieldType\":\"select\",\"groupName\":\"contactinformation\",\"options\":["
                        + "{\"label\":\"Gold\",\"value\":\"gold\",\"hidden\":false,\"displayOrder\":0},{\"label\":\"Silver\",\"value\":\"silver\",\"hidden\":false,\"displayOrder\":1}]}");
        Map<String, String> cfg = new HashMap<>();
        cfg.put("hubspot.base.url", sim.baseUrl());
        cfg.put("hubspot.access.token", sim.token());
        cfg.put("object", "contacts");
        cfg.put("unique.property", "email");
        cfg.put("hubspot.retry.budget.ms", "20000");
        Schema s = SchemaBuilder.struct()
                .field("email", Schema.STRING_SCHEMA)
                .field("firstname", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tier", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String email = i == 17 ? "not-an-email" : "user" + i + "@example.com";
            String tier = i == 123 ? "platinum" : i % 2 == 0 ? "gold" : "silver";
            batch.add(new SinkRecord(
                    "users",
                    0,
                    Schema.STRING_SCHEMA,
                    "k" + i,
                    s,
                    new Struct(s).put("email", email).put("firstname", "U" + i).put("tier", tier),
                    i));
        }
        sim.addFault(Fault.status("POST /crm/v3/objects/*/batch/upsert", 503, 0.2));
        sim.addFault(Fault.of("POST /crm/v3/objects/*/batch/upsert", Fault.Kind.RATE_LIMIT_429, 0.1));
        sim.addFault(Fault.of("POST /crm/v3/objects/*/batch/upsert", Fault.Kind.CONNECTION_RESET, 0.1));
        SinkWriter w = writer(cfg);
        w.write(batch);
        sim.clearFaults();

        assertThat(dead).hasSize(2);
        DeadLetter badEmail = deadFor("k17");
        assertThat(badEmail.reason()).isEqualTo("REJECTED");
        assertThat(badEmail.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(badEmail.message()).containsIgnoringCase("email");
        assertThat(deadFor("k123").reason()).isEqualTo("INVALID_OPTION");
        assertThat(sim.ids("contacts")).hasSize(248);
        // replay: upserts by email, nothing duplicated
        dead.clear();
        writer(cfg).write(batch);
        assertThat(sim.ids("contacts")).hasSize(248);
        assertThat(dead).hasSize(2);
    }

    @Test
    void twoRecordsMatchingTheSameContactAreWrittenInOffsetOrder() {
        String target = contact(Map.of("firstname", "Lena", "lastname", "Berg", "date_of_birth", "1970-07-07"));
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(patient(
                    "Q" + i, null, "Lena", "Berg", "07/07/1970", i + " Elm Street", null, "Oslo", "NA", "00150"));
        }
        Map<String, String> cfg = patientConfig();
        cfg.put("unique.property", "");
        cfg.put(
                "field.mapping",
                "email:email,first_name:firstname,last_name:lastname,dob:date_of_birth,"
                        + "address1:address,city:city,state:state,zip:zip");
        writer(cfg).write(batch);
        assertThat(dead).isEmpty();
        assertThat(client.get("contacts", target, List.of("address")).property("address"))
                .isEqualTo("5 Elm Street");
    }

    static final Schema ROI = SchemaBuilder.struct()
            .name("roi")
            .field("roi_id", Schema.STRING_SCHEMA)
            .field("patient_email", Schema.OPTIONAL_STRING_SCHEMA)
            .field(
                    "requested_at",
                    org.apache.kafka.connect.data.Timestamp.builder().optional().build())
            .field("received_local", Schema.OPTIONAL_STRING_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .field("reviewer_notes", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static String createRoiSchema(HubSpotSimulator sim) {
        return SimAdmin.post(sim, "/crm-object-schemas/v3/schemas", """
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
                """)
                .path("objectTypeId")
                .asText();
    }

    @Test
    void roiUpsertByNaturalIdWithProtectedPropertiesSkipGuardZoneDatesAndAssociation() {
        String roiType = createRoiSchema(sim);
        client.createAssociationLabel(roiType, "contacts", "Patient", "patient");
        String patient = contact(Map.of("email", "pat@example.com", "firstname", "Pat"));
        // an ROI HubSpot users already finished and annotated
        ObjectNode done = SimAdmin.MAPPER.createObjectNode();
        done.putObject("properties")
                .put("roi_id", "R2")
                .put("processing_status", "Processed")
                .put("processing_datetime", "1710028800000")
                .put("reviewer_notes", "checked by staff")
                .put("status", "closed");
        client.batchCreate(roiType, List.of(done));
        // marked Processed but never given a processing time: the AND guard does not hold, it is written
        ObjectNode half = SimAdmin.MAPPER.createObjectNode();
        half.putObject("properties")
                .put("roi_id", "R4")
                .put("processing_status", "Processed")
                .put("status", "closed");
        client.batchCreate(roiType, List.of(half));
        ObjectNode open = SimAdmin.MAPPER.createObjectNode();
        open.putObject("properties").put("roi_id", "R3").put("reviewer_notes", "keep me");
        client.batchCreate(roiType, List.of(open));

        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("object", "roi");
        c.put("unique.property", "roi_id");
        c.put("timezone", "America/New_York");
        c.put(
                "field.mapping",
                "roi_id:roi_id,requested_at:request_date,received_local:received_at,status:status,"
                        + "reviewer_notes:reviewer_notes");
        c.put("properties.protected", "reviewer_notes");
        c.put("skip.if", "processing_status=Processed&processing_datetime=*");
        c.put("associations", "patient_email>contacts.email/Patient");
        // 2024-03-11T03:30Z is still March 10 in New York
        Date late = Date.from(Instant.parse("2024-03-11T03:30:00Z"));
        List<SinkRecord> batch = new ArrayList<>();
        for (String id : List.of("R1", "R2", "R3", "R4")) {
            batch.add(new SinkRecord(
                    "roi",
                    0,
                    Schema.STRING_SCHEMA,
                    id,
                    ROI,
                    new Struct(ROI)
                            .put("roi_id", id)
                            .put("patient_email", "PAT@example.com")
                            .put("requested_at", late)
                            .put("received_local", "2024-07-01 09:15:00")
                            .put("status", "open")
                            .put("reviewer_notes", "from the warehouse"),
                    offset++));
        }
        writer(c).write(batch);
        assertThat(dead).isEmpty();
        Map<String, CrmObject> byRoi = new HashMap<>();
        client.batchRead(
                        roiType,
                        List.of("R1", "R2", "R3", "R4"),
                        List.of(
                                "roi_id",
                                "request_date",
                                "received_at",
                                "status",
                                "reviewer_notes",
                                "processing_status"),
                        "roi_id",
                        false)
                .results()
                .forEach(o -> byRoi.put(o.property("roi_id"), o));
        assertThat(byRoi).hasSize(4);
        CrmObject r1 = byRoi.get("R1");
        assertThat(r1.property("request_date")).isEqualTo("2024-03-10");
        // 09:15 in New York in July is 13:15 UTC
        assertThat(HubSpotClient.parseInstant(r1.property("received_at")))
                .isEqualTo(Instant.parse("2024-07-01T13:15:00Z"));
        assertThat(r1.property("reviewer_notes")).isNull();
        assertThat(byRoi.get("R2").property("status")).isEqualTo("closed"); // Processed: skipped
        assertThat(byRoi.get("R2").property("reviewer_notes")).isEqualTo("checked by staff");
        assertThat(byRoi.get("R3").property("status")).isEqualTo("open");
        assertThat(byRoi.get("R4").property("status"))
                .as("Processed without a time: written")
                .isEqualTo("open");
        assertThat(byRoi.get("R3").property("reviewer_notes")).isEqualTo("keep me");
        List<io.crmconnect.hubspot.client.Associations> links = client.associations(
                roiType,
                "contacts",
                List.of(r1.id(), byRoi.get("R3").id(), byRoi.get("R2").id()));
        Map<String, List<String>> labels = new HashMap<>();
        for (var a : links) {
            for (var t : a.to()) {
                assertThat(t.toObjectId()).isEqualTo(patient);
                labels.put(
                        a.fromId(),
                        t.types().stream().map(x -> String.valueOf(x.label())).toList());
            }
        }
        assertThat(labels).containsOnlyKeys(r1.id(), byRoi.get("R3").id());
        assertThat(labels.get(r1.id())).contains("Patient");
        // replay: still three ROIs
        writer(c).write(batch);
        assertThat(sim.ids(roiType)).hasSize(4);
    }
}
