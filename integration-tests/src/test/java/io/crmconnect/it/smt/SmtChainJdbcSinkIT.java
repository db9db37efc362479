package io.crmconnect.it.smt;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import io.crmconnect.testharness.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transforms from the BUILT smt-transforms archive, chained in a real Connect worker in front of the BUILT JDBC
 * sink, writing to a real PostgreSQL: Filter + FieldMatches skips test contacts, FieldMapping reshapes with a YAML
 * mapping file (nested paths, JSON column, casts, New York local time to UTC), FieldDirection drops a field the sync
 * rules forbid in this direction, MatchKeys adds normalized keys and HashPii replaces email and the email key with
 * an HMAC. A record that cannot be mapped goes to the dead-letter topic with the field named; the others land.
 */
class SmtChainJdbcSinkIT {
    static final String TOPIC = "crm.contacts";
    static final String DLQ = "crm.contacts.dlq";
    static final String SECRET = "it-secret-0123456789abcdef";
    static final Schema PROPS = SchemaBuilder.struct()
            .optional()
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("firstname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("date_of_birth", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last_visit_local", Schema.OPTIONAL_STRING_SCHEMA)
            .field("preferences_json", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema CONTACT = SchemaBuilder.struct()
            .name("hubspot.contact")
            .field("id", Schema.STRING_SCHEMA)
            .field("properties", PROPS)
            .field("archived", Schema.BOOLEAN_SCHEMA)
            .build();
    static final String MAPPING = String.join(
            "\n",
            "objects:",
            "  contact:",
            "    rules: { phone: b_to_a, email: both, contact_id: both }",
            "    a_to_b:",
            "      fields:",
            "        - { from: id, to: contact_id, type: int64, required: true }",
            "        - { from: properties.email, to: email }",
            "        - { concat: [properties.firstname, properties.lastname], to: full_name }",
            "        - { from: properties.firstname, to: first_name }",
            "        - { from: properties.lastname, to: last_name }",
            "        - { from: properties.phone, to: phone }",
            "        - { from: properties.date_of_birth, to: birth_date, type: date, format: [MM/dd/yyyy, yyyy-MM-dd] }",
            "        - { from: properties.last_visit_local, to: last_visit_utc_ms, type: timestamp,",
            "            format: 'yyyy-MM-dd HH:mm:ss', timezone: America/New_York, output: epoch_millis }",
            "        - { from: properties.preferences_json, json: channel, to: preferred_channel, default: none }",
            "        - { constant: hubspot, to: source_system }",
            "");

    @TempDir
    static Path dir;

    static ConnectCluster cluster;
    static PostgresServer pg;
    static String db;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.shared();
        db = pg.createDatabase("smt");
        cluster = ConnectCluster.start("smt-chain");
        cluster.createTopic(TOPIC, 1);
        cluster.createTopic(DLQ, 1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Struct contact(String id, String email, String first, String last, String dob, String visit, String prefs) {
        Struct p = new Struct(PROPS)
                .put("email", email)
                .put("firstname", first)
                .put("lastname", last)
                .put("phone", "+1 212 555 0100")
                .put("date_of_birth", dob)
                .put("last_visit_local", visit)
                .put("preferences_json", prefs);
        return new Struct(CONTACT).put("id", id).put("properties", p).put("archived", false);
    }

    @Test
    void brokenMappingIsReportedAgainstItsKeyWhenTheConnectorIsValidated() throws Exception {
        Path bad = dir.resolve("broken-mapping.yaml");
        Files.writeString(
                bad,
                "objects:\n  contact:\n    a_to_b:\n      fields:\n"
                        + "        - { from: id, to: contact_id, type: integer64 }\n");
        Map<String, String> config = new HashMap<>();
        config.put("name", "smt-broken-mapping");
        config.put("topics", TOPIC);
        config.put("connection.url", pg.jdbcUrl(db));
        config.put("connection.user", pg.user());
        config.put("connection.password", pg.password());
        config.put("delete.mode", "none");
        config.put("transforms", "map");
        config.put("transforms.map.type", "io.crmconnect.smt.FieldMapping$Value");
        config.put("transforms.map.mapping.file", bad.toString());
        Map<String, List<String>> errors =
                ConnectCluster.errorsByKey(cluster.validate("io.crmconnect.jdbc.JdbcSinkConnector", config));
        assertThat(errors).containsOnlyKeys("transforms.map.mapping.file");
        assertThat(errors.get("transforms.map.mapping.file"))
                .singleElement()
                .asString()
                .contains("fields[0]")
                .contains("integer64");
    }

    static String hmac(String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void chainReshapesKeysAndHashesRecordsOnTheirWayToPostgres() throws Exception {
        Path mappingFile = dir.resolve("crm-mapping.yaml");
        Files.writeString(mappingFile, MAPPING);

        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        List<Struct> contacts = List.of(
                contact(
                        "1001",
                        " Ana.Lopez@Example.COM ",
                        "Ana",
                        "López",
                        "03/05/1990",
                        "2024-03-10 01:30:00",
                        "{\"channel\":\"email\"}"),
                contact("1002", "zoe@example.org", "Zoë", "Saldaña", "1978-06-19", "2024-07-01 12:00:00", null),
                contact("1003", "qa@example.test", "Test", "User", "2000-01-01", "2024-01-01 00:00:00", null),
                contact("1004", "bad@example.org", "Bad", "Date", "31/31/1990", "2024-01-01 00:00:00", null),
                contact(
                        "1005",
                        "last@example.org",
                        "Jean-Luc",
                        "Picard",
                        "2305-07-13",
                        "2024-12-31 23:59:59",
                        "{\"channel\":\"sms\"}"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Struct c : contacts) {
            records.add(new ProducerRecord<>(
                    TOPIC,
                    c.getString("id").getBytes(StandardCharsets.UTF_8),
                    json.fromConnectData(TOPIC, CONTACT, c)));
        }
        // a tombstone passes every transform and predicate untouched (this sink is configured to skip deletes)
        records.add(new ProducerRecord<>(TOPIC, "1002".getBytes(StandardCharsets.UTF_8), null));
        cluster.produce(records);

        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.crmconnect.jdbc.JdbcSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", TOPIC);
        config.put("connection.url", pg.jdbcUrl(db));
        config.put("connection.user", pg.user());
        config.put("connection.password", pg.password());
        config.put("insert.mode", "upsert");
        config.put("pk.mode", "record_value");
        config.put("pk.fields", "contact_id");
        config.put("delete.mode", "none");
        config.put("table.name.format", "contacts");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", DLQ);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("predicates", "isTest");
        config.put("predicates.isTest.type", "io.crmconnect.smt.predicates.FieldMatches$Value");
        config.put("predicates.isTest.field", "properties.email");
        config.put("predicates.isTest.pattern", ".*@example\\.test");
        config.put("transforms", "dropTest,map,direction,keys,pii");
        config.put("transforms.dropTest.type", "org.apache.kafka.connect.transforms.Filter");
        config.put("transforms.dropTest.predicate", "isTest");
        config.put("transforms.map.type", "io.crmconnect.smt.FieldMapping$Value");
        config.put("transforms.map.mapping.file", mappingFile.toString());
        config.put("transforms.map.mapping.object", "contact");
        config.put("transforms.map.mapping.direction", "a_to_b");
        config.put("transforms.direction.type", "io.crmconnect.smt.FieldDirection$Value");
        config.put("transforms.direction.mapping.file", mappingFile.toString());
        config.put("transforms.direction.mapping.object", "contact");
        config.put("transforms.direction.direction", "a_to_b");
        config.put("transforms.direction.unlisted", "keep");
        config.put("transforms.keys.type", "io.crmconnect.smt.MatchKeys$Value");
        config.put("transforms.keys.keys", "email_key,name_key,dob_key,person_key");
        config.put("transforms.keys.key.email_key.type", "email");
        config.put("transforms.keys.key.email_key.fields", "email");
        config.put("transforms.keys.key.name_key.type", "name");
        config.put("transforms.keys.key.name_key.fields", "first_name,last_name");
        config.put("transforms.keys.key.dob_key.type", "date");
        config.put("transforms.keys.key.dob_key.fields", "birth_date");
        config.put("transforms.keys.key.person_key.type", "composite");
        config.put("transforms.keys.key.person_key.fields", "name_key,dob_key");
        config.put("transforms.pii.type", "io.crmconnect.smt.HashPii$Value");
        config.put("transforms.pii.fields", "email,email_key");
        config.put("transforms.pii.hmac.secret", SECRET);
        cluster.configureConnector("smt-chain-sink", config);
        cluster.awaitRunning("smt-chain-sink", 1, Duration.ofSeconds(60));

        cluster.awaitCondition("3 rows in contacts", Duration.ofSeconds(60), () -> {
            try {
                return ((Number) pg.query(db, "SELECT count(*) AS n FROM contacts")
                                        .get(0)
                                        .get("n"))
                                .intValue()
                        == 3;
            } catch (RuntimeException e) {
                return false; // table not created yet
            }
        });
        List<Map<String, Object>> rows = pg.query(db, "SELECT * FROM contacts ORDER BY contact_id");
        assertThat(rows)
                .extracting(r -> ((Number) r.get("contact_id")).longValue())
                .containsExactly(1001L, 1002L, 1005L); // 1003 filtered (test address), 1004 dead-lettered

        Map<String, Object> ana = rows.get(0);
        assertThat(ana.get("email")).isEqualTo(hmac(" Ana.Lopez@Example.COM "));
        assertThat(ana.get("email_key")).isEqualTo(hmac("ana.lopez@example.com"));
        assertThat(ana.get("full_name")).isEqualTo("Ana López");
        assertThat(ana.get("name_key")).isEqualTo("ana lopez");
        assertThat(ana.get("dob_key")).isEqualTo("1990-03-05");
        assertThat(ana.get("person_key")).isEqualTo("ana lopez|1990-03-05");
        assertThat(String.valueOf(ana.get("birth_date")))
                .isEqualTo(LocalDate.of(1990, 3, 5).toString());
        // 01:30 on 2024-03-10 in New York is EST (UTC-5)
        assertThat(((Number) ana.get("last_visit_utc_ms")).longValue())
                .isEqualTo(Instant.parse("2024-03-10T06:30:00Z").toEpochMilli());
        assertThat(ana.get("preferred_channel")).isEqualTo("email");
        assertThat(ana.get("source_system")).isEqualTo("hubspot");

        Map<String, Object> zoe = rows.get(1);
        assertThat(zoe.get("name_key")).isEqualTo("zoe saldana");
        assertThat(zoe.get("preferred_channel")).isEqualTo("none"); // default for a null JSON column
        // 12:00 in New York in July is EDT (UTC-4)
        assertThat(((Number) zoe.get("last_visit_utc_ms")).longValue())
                .isEqualTo(Instant.parse("2024-07-01T16:00:00Z").toEpochMilli());
        assertThat(rows.get(2).get("name_key")).isEqualTo("jean luc picard");
        assertThat(rows.get(2).get("preferred_channel")).isEqualTo("sms");

        // FieldDirection: phone is b_to_a only, so no phone column was ever created in this direction
        List<Map<String, Object>> columns =
                pg.query(db, "SELECT column_name FROM information_schema.columns " + "WHERE table_name = 'contacts'");
        assertThat(columns)
                .extracting(c -> c.get("column_name"))
                .contains("email", "person_key")
                .doesNotContain("phone", "properties", "id");

        List<DeadLetter> dead = cluster.readDeadLetters(DLQ, 1, Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        assertThat(cluster.consumeAll(Duration.ofSeconds(10), DLQ))
                .as("only the unmappable record is dead")
                .hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("1004");
        assertThat(dead.get(0).exceptionMessage())
                .contains("FieldMapping")
                .contains("properties.date_of_birth")
                .contains("birth_date")
                .doesNotContain("31/31/1990");
    }
}
