package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.RateBudget;
import io.crmconnect.hubspot.client.Tier;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.util.ArrayList;
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
    static final Schema PATIENT = SchemaBuilder.struct().name("patient")
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
        client = HubSpotClient.builder().baseUrl(sim.baseUrl()).accessToken(sim.token())
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0)).build();
        SimAdmin.property(sim, "contacts", "address2", "string", "text", false);
        SimAdmin.property(sim, "contacts", "patient_id", "string", "text", true);
    }

    @AfterEach
    void stop() {
        assertThat(sim.contractViolations()).as("requests follow HubSpot's OpenAPI contract").isEmpty();
        client.close();
        sim.close();
    }

    String contact(Map<String, String> props) {
        ObjectNode in = SimAdmin.MAPPER.createObjectNode();
        ObjectNode p = in.putObject("properties");
        props.forEach(p::put);
        return client.batchCreate("contacts", List.of(in)).results().get(0).id();
    }

    SinkRecord patient(String id, String email, String first, String last, String dob, String a1, String a2,
            String city, String state, String zip) {
        Struct s = new Struct(PATIENT).put("patient_id", id).put("email", email).put("first_name", first)
                .put("last_name", last).put("dob", dob).put("address1", a1).put("address2", a2).put("city", city)
                .put("state", state).put("zip", zip);
        return new SinkRecord("patients", 0, Schema.STRING_SCHEMA, id, PATIENT, s, offset++);
    }

    Map<String, String> patientConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("object", "contacts");
        c.put("unique.property", "patient_id");
        c.put("field.mapping", "patient_id:patient_id,email:email,first_name:firstname,last_name:lastname,"
                + "dob:date_of_birth,address1:address,address2:address2,city:city,state:state,zip:zip");
        c.put("match.tiers", "email;firstname,lastname,date_of_birth;address,address2?,city,state,zip");
        return c;
    }

    SinkWriter writer(Map<String, String> cfg) {
        HubSpotSinkConfig config = new HubSpotSinkConfig(cfg);
        String type = PropertyCatalog.resolveObjectType(client, config.object());
        PropertyCatalog catalog = PropertyCatalog.load(client, sim.baseUrl(), sim.token(), type);
        return new SinkWriter(client, config, catalog, (r, f) -> dead.add(new Object[] {r, f}));
    }

    Failure deadFor(String key) {
        return dead.stream().filter(d -> key.equals(((SinkRecord) d[0]).key())).map(d -> (Failure) d[1])
                .findFirst().orElse(null);
    }

    @Test
    void patientsMatchEveryTierQuarantineAmbiguousAndNoEmailAndReplayCreatesNothing() {
        String byEmail = contact(Map.of("email", "ann.lee@example.com", "firstname", "Ann", "lastname", "Lee"));
        String byName = contact(Map.of("firstname", "José", "lastname", "Núñez", "date_of_birth", "1980-03-05"));
        String byAddress = contact(Map.of("firstname", "Robert", "lastname", "Ford", "address",
                "12 North Main Street", "address2", "Apt 4", "city", "Springfield", "state", "IL", "zip", "62701"));
        String amb1 = contact(Map.of("firstname", "Mary", "lastname", "Smith", "date_of_birth", "1990-01-01"));
        String amb2 = contact(Map.of("firstname", "mary", "lastname", "SMITH", "date_of_birth", "1990-01-01"));
        int before = sim.ids("contacts").size();

        List<SinkRecord> batch = List.of(
                patient("P1", "  ANN.Lee@Example.com ", "Annie", "Lee", null, null, null, null, null, null),
                patient("P2", null, "Jose", "Nunez", "03/05/1980", null, null, null, null, null),
                patient("P3", null, "Bob", "Ford-Smith", null, "12 N. Main St", "Apartment 4", "springfield", "il",
                        "62701-1234"),
                patient("P4", null, "Mary", "Smith", "1990-01-01", null, null, null, null, null),
                patient("P5", null, "Nobody", "Known", "2001-02-03", null, null, null, null, null),
                patient("P6", "new.patient@example.com", "Nina", "New", "1975-12-31", null, null, null, null, null));
        SinkWriter w = writer(patientConfig());
        w.write(batch);

        assertThat(client.get("contacts", byEmail, List.of("patient_id", "firstname")).properties())
                .containsEntry("patient_id", "P1").containsEntry("firstname", "Annie");
        assertThat(client.get("contacts", byName, List.of("patient_id")).property("patient_id")).isEqualTo("P2");
        assertThat(client.get("contacts", byAddress, List.of("patient_id", "zip")).properties())
                .containsEntry("patient_id", "P3").containsEntry("zip", "62701-1234");
        assertThat(client.get("contacts", amb1, List.of("patient_id")).property("patient_id")).isNull();
        assertThat(client.get("contacts", amb2, List.of("patient_id")).property("patient_id")).isNull();
        assertThat(sim.ids("contacts")).hasSize(before + 1);
        CrmObject created = client.batchRead("contacts", List.of("P6"), List.of("email", "date_of_birth"),
                "patient_id", false).results().get(0);
        assertThat(created.property("email")).isEqualTo("new.patient@example.com");

        assertThat(dead).hasSize(2);
        Failure ambiguous = deadFor("P4");
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
        writer(patientConfig()).write(batch);
        assertThat(sim.ids("contacts")).hasSize(before + 1);
        assertThat(dead).extracting(d -> ((Failure) d[1]).reason())
                .containsExactlyInAnyOrder("AMBIGUOUS_MATCH", "NO_EMAIL_NO_MATCH");
    }

    @Test
    void partialFailuresGoToTheDlqExactlyAndTransientFaultsAreRetried() {
        SimAdmin.post(sim, "/crm/v3/properties/contacts", "{\"name\":\"tier\",\"label\":\"tier\",\"type\":"
                + "\"enumeration\",\"fieldType\":\"select\",\"groupName\":\"contactinformation\",\"options\":["
                + "{\"label\":\"Gold\",\"value\":\"gold\",\"hidden\":false,\"displayOrder\":0},{\"label\":\"Silver\",\"value\":\"silver\",\"hidden\":false,\"displayOrder\":1}]}");
        Map<String, String> cfg = new HashMap<>();
        cfg.put("hubspot.base.url", sim.baseUrl());
        cfg.put("hubspot.access.token", sim.token());
        cfg.put("object", "contacts");
        cfg.put("unique.property", "email");
        cfg.put("hubspot.retry.budget.ms", "20000");
        Schema s = SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA)
                .field("firstname", Schema.OPTIONAL_STRING_SCHEMA).field("tier", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String email = i == 17 ? "not-an-email" : "user" + i + "@example.com";
            String tier = i == 123 ? "platinum" : i % 2 == 0 ? "gold" : "silver";
            batch.add(new SinkRecord("users", 0, Schema.STRING_SCHEMA, "k" + i, s,
                    new Struct(s).put("email", email).put("firstname", "U" + i).put("tier", tier), i));
        }
        sim.addFault(Fault.status("POST /crm/v3/objects/*/batch/upsert", 503, 0.2));
        sim.addFault(Fault.of("POST /crm/v3/objects/*/batch/upsert", Fault.Kind.RATE_LIMIT_429, 0.1));
        sim.addFault(Fault.of("POST /crm/v3/objects/*/batch/upsert", Fault.Kind.CONNECTION_RESET, 0.1));
        SinkWriter w = writer(cfg);
        w.write(batch);
        sim.clearFaults();

        assertThat(dead).hasSize(2);
        Failure badEmail = deadFor("k17");
        assertThat(badEmail.reason()).isEqualTo("HUBSPOT_REJECTED");
        assertThat(badEmail.category()).isEqualTo("VALIDATION_ERROR");
        assertThat(badEmail.message()).containsIgnoringCase("email");
        assertThat(deadFor("k123").reason()).isEqualTo("INVALID_OPTION");
        assertThat(sim.ids("contacts")).hasSize(248);
        // replay: upserts by email, nothing duplicated
        dead.clear();
        writer(cfg).write(batch);
        assertThat(sim.ids("contacts")).hasSize(248);
        assertThat(dead).hasSize(2);
    }
}
