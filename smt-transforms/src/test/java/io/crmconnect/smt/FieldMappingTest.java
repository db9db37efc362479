package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldMappingTest {
    static final String SAMPLE = "src/test/resources/nested-mapping.yaml";

    static final Schema PROPS = SchemaBuilder.struct()
            .name("hubspot.contact.properties")
            .optional()
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("firstname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("date_of_birth", Schema.OPTIONAL_STRING_SCHEMA)
            .field("createdate", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last_visit_local", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lifecyclestage", Schema.OPTIONAL_STRING_SCHEMA)
            .field("annualrevenue", Schema.OPTIONAL_STRING_SCHEMA)
            .field("hs_email_optout", Schema.OPTIONAL_STRING_SCHEMA)
            .field("preferences_json", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema CONTACT = SchemaBuilder.struct()
            .name("hubspot.contact")
            .field("id", Schema.STRING_SCHEMA)
            .field("properties", PROPS)
            .field("archived", Schema.BOOLEAN_SCHEMA)
            .build();

    static Struct contact(String id, String dob, String visit) {
        Struct p = new Struct(PROPS)
                .put("email", " Ana.Lopez@Example.com ")
                .put("firstname", "Ana")
                .put("lastname", "López")
                .put("phone", "+1 (212) 555-0100")
                .put("date_of_birth", dob)
                .put("createdate", "2024-03-10T06:30:00.123Z")
                .put("last_visit_local", visit)
                .put("annualrevenue", "1234.567")
                .put("hs_email_optout", "yes")
                .put("preferences_json", "{\"channel\":\"email\",\"newsletter\":{\"weekly\":true}}");
        return new Struct(CONTACT).put("id", id).put("properties", p).put("archived", false);
    }

    static FieldMapping.Value<SinkRecord> sample(String object, String direction) {
        FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
        t.configure(Map.of("mapping.file", SAMPLE, "mapping.object", object, "mapping.direction", direction));
        return t;
    }

    @Test
    void mapsStructWithTheSampleFileIncludingTimezonesJsonAndCasts() {
        FieldMapping.Value<SinkRecord> t = sample("contact", "a_to_b");
        SinkRecord out = t.apply(Records.value(CONTACT, contact("1001", "03/05/1990", "2024-03-10 01:30:00")));
        Struct v = (Struct) out.value();
        Schema s = out.valueSchema();
        assertThat(s.fields())
                .extracting(f -> f.name())
                .containsExactly(
                        "contact_id",
                        "email",
                        "first_name",
                        "last_name",
                        "full_name",
                        "phone",
                        "birth_date",
                        "created_at",
                        "last_visit_utc_ms",
                        "lifecycle_stage",
                        "annual_revenue",
                        "email_opt_out",
                        "preferred_channel",
                        "weekly_newsletter",
                        "source_system");
        assertThat(v.getInt64("contact_id")).isEqualTo(1001L);
        assertThat(s.field("contact_id").schema().isOptional()).isFalse();
        assertThat(v.getString("email")).isEqualTo(" Ana.Lopez@Example.com ");
        assertThat(v.getString("full_name")).isEqualTo("Ana López");
        assertThat(s.field("birth_date").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(v.get("birth_date")).isEqualTo(Date.toLogical(Date.SCHEMA, (int)
                LocalDate.of(1990, 3, 5).toEpochDay()));
        assertThat(s.field("created_at").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(((java.util.Date) v.get("created_at")).toInstant())
                .isEqualTo(Instant.parse("2024-03-10T06:30:00.123Z"));
        // 01:30 in New York on 2024-03-10 is EST (-05:00), before the 02:00 DST switch
        assertThat(v.getInt64("last_visit_utc_ms"))
                .isEqualTo(Instant.parse("2024-03-10T06:30:00Z").toEpochMilli());
        assertThat(v.getString("lifecycle_stage")).isEqualTo("lead");
        assertThat(s.field("annual_revenue").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(v.get("annual_revenue")).isEqualTo(new BigDecimal("1234.57"));
        assertThat(v.getBoolean("email_opt_out")).isTrue();
        assertThat(v.getString("preferred_channel")).isEqualTo("email");
        assertThat(v.getBoolean("weekly_newsletter")).isTrue();
        assertThat(v.getString("source_system")).isEqualTo("hubspot");
        v.validate();
        // The same schema instance for the next record: the bound plan and schema are reused.
        SinkRecord out2 = t.apply(Records.value(CONTACT, contact("1002", "1991-12-31", "2024-07-01 12:00:00")));
        assertThat(out2.valueSchema()).isSameAs(out.valueSchema());
        // 12:00 in New York in July is EDT (-04:00)
        assertThat(((Struct) out2.value()).getInt64("last_visit_utc_ms"))
                .isEqualTo(Instant.parse("2024-07-01T16:00:00Z").toEpochMilli());
        assertThat(out2.key()).isEqualTo("k1");
        assertThat(out2.kafkaOffset()).isEqualTo(42L);
    }

    @Test
    void theOtherDirectionOfTheSameObjectBuildsNestedTargets() {
        Schema row = SchemaBuilder.struct()
                .field("contact_id", Schema.INT64_SCHEMA)
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("lead_score", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("birth_date", Date.builder().optional().build())
                .build();
        Struct in = new Struct(row)
                .put("contact_id", 7L)
                .put("email", "a@b.c")
                .put("first_name", "A")
                .put("lead_score", 42.0)
                .put("birth_date", new java.util.Date(0));
        SinkRecord out = sample("contact", "b_to_a").apply(Records.value(row, in));
        Struct v = (Struct) out.value();
        assertThat(v.getString("id")).isEqualTo("7");
        Struct props = v.getStruct("properties");
        assertThat(props.getString("email")).isEqualTo("a@b.c");
        assertThat(props.getString("lastname")).isNull();
        assertThat(props.getInt32("lead_score")).isEqualTo(42);
        assertThat(props.getString("date_of_birth")).isEqualTo("1970-01-01");
        v.validate();
    }

    @Test
    void mapsSchemalessRecords() {
        Map<String, Object> props = new HashMap<>();
        props.put("email", "x@y.z");
        props.put("firstname", "Zoë");
        props.put("lastname", null);
        props.put("date_of_birth", "1985-07-04");
        props.put("createdate", "1710052200000"); // epoch millis as text (HubSpot v1 style)
        props.put("last_visit_local", "2024-11-03 01:30:00"); // ambiguous hour: the earlier offset (EDT) wins
        props.put("preferences_json", "{\"channel\":\"sms\"}");
        Map<String, Object> value = new HashMap<>();
        value.put("id", 5);
        value.put("properties", props);
        SinkRecord out = sample("contact", "a_to_b").apply(Records.schemaless(value));
        @SuppressWarnings("unchecked")
        Map<String, Object> v = (Map<String, Object>) out.value();
        assertThat(out.valueSchema()).isNull();
        assertThat(v)
                .containsEntry("contact_id", 5L)
                .containsEntry("full_name", "Zoë")
                .containsEntry("email", "x@y.z")
                .containsEntry("lifecycle_stage", "lead")
                .containsEntry("email_opt_out", false)
                .containsEntry("preferred_channel", "sms")
                .containsEntry("weekly_newsletter", null)
                .containsEntry("source_system", "hubspot")
                .containsEntry(
                        "last_visit_utc_ms",
                        Instant.parse("2024-11-03T05:30:00Z").toEpochMilli());
        assertThat(((java.util.Date) v.get("created_at")).getTime()).isEqualTo(1710052200000L);
        assertThat(v).doesNotContainKey("properties");
    }

    @Test
    void keepsUnmappedFieldsAndDropsListedOnes() {
        Schema company = SchemaBuilder.struct()
                .field("id", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA)
                .field("employees", Schema.OPTIONAL_STRING_SCHEMA)
                .field("hs_object_source_detail_1", Schema.OPTIONAL_STRING_SCHEMA)
                .field("properties_json", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct in = new Struct(company)
                .put("id", "9")
                .put("name", "Acme")
                .put("employees", "250")
                .put("hs_object_source_detail_1", "x")
                .put("properties_json", "{\"industry\":\"Retail\"}");
        SinkRecord out = sample("company", "a_to_b").apply(Records.value(company, in));
        Struct v = (Struct) out.value();
        assertThat(out.valueSchema().fields())
                .extracting(f -> f.name())
                .containsExactly("company_id", "employees", "industry", "name"); // sources are consumed
        assertThat(v.getInt32("employees")).isEqualTo(250);
        assertThat(v.getString("name")).isEqualTo("Acme");
        assertThat(v.getString("industry")).isEqualTo("Retail");

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "9");
        m.put("name", "Acme");
        m.put("hs_object_source_detail_1", "x");
        @SuppressWarnings("unchecked")
        Map<String, Object> mv = (Map<String, Object>)
                sample("company", "a_to_b").apply(Records.schemaless(m)).value();
        assertThat(mv).containsOnlyKeys("company_id", "employees", "industry", "name");
    }

    @Test
    void tombstonesAndNullsPassThrough() {
        FieldMapping.Value<SinkRecord> t = sample("contact", "a_to_b");
        SinkRecord tomb = Records.tombstone(CONTACT);
        assertThat(t.apply(tomb)).isSameAs(tomb);
        Struct in = new Struct(CONTACT).put("id", "3").put("archived", true); // properties null
        Struct v = (Struct) t.apply(Records.value(CONTACT, in)).value();
        assertThat(v.getInt64("contact_id")).isEqualTo(3L);
        assertThat(v.getString("email")).isNull();
        assertThat(v.getString("full_name")).isNull();
        assertThat(v.getString("lifecycle_stage")).isEqualTo("lead");
        assertThat(v.getBoolean("email_opt_out")).isFalse();
        v.validate();
    }

    @Test
    void movesWholeNestedStructsAndKeepsTheirSchema() {
        FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
        t.configure(Map.of(
                "mapping",
                "{\"fields\":[{\"from\":\"properties\",\"to\":\"props\"}," + "{\"from\":\"id\",\"to\":\"meta.id\"}]}"));
        Struct in = contact("1", "1990-01-01", "2024-01-01 00:00:00");
        SinkRecord out = t.apply(Records.value(CONTACT, in));
        Struct v = (Struct) out.value();
        assertThat(v.getStruct("props")).isEqualTo(in.getStruct("properties"));
        assertThat(v.getStruct("meta").getString("id")).isEqualTo("1");
        v.validate();
    }

    @Test
    void worksOnTheKey() {
        FieldMapping.Key<SinkRecord> t = new FieldMapping.Key<>();
        t.configure(Map.of("mapping", "{\"fields\":[{\"from\":\"id\",\"to\":\"contact_id\",\"type\":\"int64\"}]}"));
        Schema key = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        SinkRecord out = t.apply(Records.key(key, new Struct(key).put("id", "77")));
        assertThat(((Struct) out.key()).getInt64("contact_id")).isEqualTo(77L);
        assertThat(out.value()).isEqualTo("v");
    }

    @Test
    void badValuesFailWithTheFieldNameAndWithoutTheValue() {
        FieldMapping.Value<SinkRecord> t = sample("contact", "a_to_b");
        assertThatThrownBy(() -> t.apply(Records.value(CONTACT, contact("1", "31/31/1990", "2024-01-01 00:00:00"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("FieldMapping")
                .hasMessageContaining("properties.date_of_birth")
                .hasMessageContaining("birth_date")
                .hasMessageNotContaining("31/31/1990");
        assertThatThrownBy(() -> t.apply(Records.value(CONTACT, contact("abc", "1990-01-01", "2024-01-01 00:00:00"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'id'")
                .hasMessageContaining("not a number");
        Struct badJson = contact("1", "1990-01-01", "2024-01-01 00:00:00");
        badJson.getStruct("properties").put("preferences_json", "{not json");
        assertThatThrownBy(() -> t.apply(Records.value(CONTACT, badJson)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("properties.preferences_json")
                .hasMessageContaining("not valid JSON");
        Struct badTime = contact("1", "1990-01-01", "yesterday");
        assertThatThrownBy(() -> t.apply(Records.value(CONTACT, badTime)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("properties.last_visit_local");
    }

    @Test
    void requiredFieldsAndMissingSourceFieldsFail() {
        FieldMapping.Value<SinkRecord> t = sample("contact", "a_to_b");
        Map<String, Object> noId = new HashMap<>();
        noId.put("properties", Map.of("email", "a@b.c"));
        assertThatThrownBy(() -> t.apply(Records.schemaless(noId)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'id'")
                .hasMessageContaining("required");
        Schema other = SchemaBuilder.struct()
                .name("other")
                .field("id", Schema.STRING_SCHEMA)
                .build();
        assertThatThrownBy(() -> t.apply(Records.value(other, new Struct(other).put("id", "1"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("properties.email")
                .hasMessageContaining("not in the record schema 'other'");
    }

    @Test
    void wrongRecordShapesFail() {
        FieldMapping.Value<SinkRecord> t = sample("contact", "a_to_b");
        assertThatThrownBy(() -> t.apply(Records.value(null, "plain text")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("FieldMapping")
                .hasMessageContaining("String");
        assertThatThrownBy(() -> t.apply(Records.value(Schema.STRING_SCHEMA, "plain text")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("expected a Struct");
    }

    @Test
    void inlineJsonMappingWithCastsBetweenTypes() {
        String mapping = "{\"fields\":["
                + "{\"from\":\"n\",\"to\":\"n_text\",\"type\":\"string\"},"
                + "{\"from\":\"s\",\"to\":\"s_double\",\"type\":\"float64\"},"
                + "{\"from\":\"b\",\"to\":\"b_int\",\"type\":\"int32\"},"
                + "{\"from\":\"ts\",\"to\":\"ts_iso\",\"type\":\"timestamp\",\"output\":\"iso\"},"
                + "{\"from\":\"ts\",\"to\":\"ts_ny\",\"type\":\"string\",\"format\":\"yyyy-MM-dd HH:mm\","
                + "\"timezone\":\"America/New_York\"},"
                + "{\"from\":\"ts\",\"to\":\"ts_date\",\"type\":\"date\",\"output\":\"iso\","
                + "\"timezone\":\"America/New_York\"},"
                + "{\"from\":\"ntz\",\"to\":\"ntz_utc\",\"type\":\"timestamp\",\"timezone\":\"America/New_York\","
                + "\"output\":\"iso\"},"
                + "{\"from\":\"secs\",\"to\":\"secs_ts\",\"type\":\"timestamp\",\"format\":\"epoch_seconds\","
                + "\"output\":\"epoch_millis\"},"
                + "{\"from\":\"d\",\"to\":\"d_days\",\"type\":\"date\",\"output\":\"epoch_days\"}]}";
        FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
        t.configure(Map.of("mapping", mapping));
        Schema in = SchemaBuilder.struct()
                .field("n", Schema.INT64_SCHEMA)
                .field("s", Schema.STRING_SCHEMA)
                .field("b", Schema.BOOLEAN_SCHEMA)
                .field("ts", Timestamp.SCHEMA)
                .field("ntz", Timestamp.SCHEMA)
                .field("secs", Schema.INT64_SCHEMA)
                .field("d", Schema.STRING_SCHEMA)
                .build();
        java.util.Date ts = java.util.Date.from(Instant.parse("2024-01-01T03:00:00Z"));
        Struct v = (Struct) t.apply(Records.value(
                        in,
                        new Struct(in)
                                .put("n", 12L)
                                .put("s", " 3.5 ")
                                .put("b", true)
                                .put("ts", ts)
                                .put("ntz", ts)
                                .put("secs", 1_700_000_000L)
                                .put("d", "1970-01-11")))
                .value();
        assertThat(v.getString("n_text")).isEqualTo("12");
        assertThat(v.getFloat64("s_double")).isEqualTo(3.5);
        assertThat(v.getInt32("b_int")).isEqualTo(1);
        assertThat(v.getString("ts_iso")).isEqualTo("2024-01-01T03:00:00Z");
        assertThat(v.getString("ts_ny")).isEqualTo("2023-12-31 22:00");
        assertThat(v.getString("ts_date")).isEqualTo("2023-12-31");
        // a NTZ timestamp: the wall clock 03:00 was New York time -> 08:00 UTC
        assertThat(v.getString("ntz_utc")).isEqualTo("2024-01-01T08:00:00Z");
        assertThat(v.getInt64("secs_ts")).isEqualTo(1_700_000_000_000L);
        assertThat(v.getInt32("d_days")).isEqualTo(10);
    }

    @Test
    void concatenationLiteralsJsonArraysAndDstGaps() {
        String yaml = String.join(
                "\n",
                "fields:",
                "  - { concat: [city, {literal: ', '}, country], separator: '', to: place }",
                "  - { concat: [first, middle, last], to: name }",
                "  - { from: doc, json: items.1.sku, to: second_sku }",
                "  - { from: doc, json: items.0.qty, to: first_qty, type: int32 }",
                "  - { from: doc, json: items, to: items_text }",
                "  - { from: local, to: utc, type: timestamp, timezone: America/New_York, output: iso }",
                "  - { from: doc, json: missing.path, to: nothing, default: n/a }");
        FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
        t.configure(Map.of("mapping", yaml));
        Schema in = SchemaBuilder.struct()
                .field("city", Schema.OPTIONAL_STRING_SCHEMA)
                .field("country", Schema.OPTIONAL_STRING_SCHEMA)
                .field("first", Schema.OPTIONAL_STRING_SCHEMA)
                .field("middle", Schema.OPTIONAL_STRING_SCHEMA)
                .field("last", Schema.OPTIONAL_STRING_SCHEMA)
                .field("doc", Schema.OPTIONAL_STRING_SCHEMA)
                .field("local", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct v = (Struct) t.apply(Records.value(
                        in,
                        new Struct(in)
                                .put("city", "Lyon")
                                .put("country", "France")
                                .put("first", "Jean")
                                .put("last", "Valjean")
                                .put("doc", "{\"items\":[{\"sku\":\"A1\",\"qty\":2},{\"sku\":\"B2\",\"qty\":5}]}")
                                // 02:30 does not exist in New York on 2024-03-10 (clocks jump 02:00 -> 03:00): moved
                                // forward
                                .put("local", "2024-03-10T02:30:00")))
                .value();
        assertThat(v.getString("place")).isEqualTo("Lyon, France");
        assertThat(v.getString("name")).isEqualTo("Jean Valjean");
        assertThat(v.getString("second_sku")).isEqualTo("B2");
        assertThat(v.getInt32("first_qty")).isEqualTo(2);
        assertThat(v.getString("items_text")).startsWith("[{\"sku\":\"A1\"");
        assertThat(v.getString("utc")).isEqualTo("2024-03-10T07:30:00Z");
        assertThat(v.getString("nothing")).isEqualTo("n/a");
        v.validate();
        // schemaless: JSON leaves keep their JSON types, containers become maps and lists
        Map<String, Object> m = new HashMap<>();
        m.put("doc", "{\"items\":[{\"sku\":\"A1\",\"qty\":2}]}");
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) t.apply(Records.schemaless(m)).value();
        assertThat(out.get("items_text")).isEqualTo(List.of(Map.of("sku", "A1", "qty", 2L)));
        assertThat(out.get("place")).isNull();
    }

    @Test
    void yamlAndJsonFilesLoadTheSameWay(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("m.yml");
        Files.writeString(yaml, "fields:\n  - {from: a, to: b}\n  - c\n");
        Path json = dir.resolve("m.json");
        Files.writeString(json, "{\"fields\": [{\"from\": \"a\", \"to\": \"b\"}, \"c\"]}");
        for (Path p : List.of(yaml, json)) {
            FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
            t.configure(Map.of("mapping.file", p.toString()));
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>)
                    t.apply(Records.schemaless(Map.of("a", 1, "c", 2, "d", 3))).value();
            assertThat(out).containsExactly(Map.entry("b", 1), Map.entry("c", 2));
        }
    }

    @Test
    void configurationErrorsNameTheProblem() {
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mapping.file");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>().configure(Map.of("mapping.file", SAMPLE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("several objects")
                .hasMessageContaining("contact");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>()
                        .configure(Map.of("mapping.file", SAMPLE, "mapping.object", "deal")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("deal");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>()
                        .configure(Map.of(
                                "mapping.file", SAMPLE, "mapping.object", "company", "mapping.direction", "b_to_a")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no b_to_a mapping");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>()
                        .configure(Map.of("mapping", "{\"fields\":[{\"form\":\"a\",\"to\":\"b\"}]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fields[0].form")
                .hasMessageContaining("unknown key");
        assertThatThrownBy(
                        () -> new FieldMapping.Value<SinkRecord>()
                                .configure(
                                        Map.of(
                                                "mapping",
                                                "{\"fields\":[{\"from\":\"a\",\"type\":\"timestamp\",\"timezone\":\"Mars/Olympus\"}]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Mars/Olympus");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>()
                        .configure(Map.of(
                                "mapping", "{\"fields\":[{\"from\":\"a\",\"type\":\"int32\",\"default\":\"many\"}]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("default");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>()
                        .configure(Map.of(
                                "mapping",
                                "{\"fields\":[{\"from\":\"a\",\"to\":\"x\"},{\"from\":\"b\",\"to\":\"x.y\"}]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("clashes");
        assertThatThrownBy(() -> new FieldMapping.Value<SinkRecord>().configure(Map.of("mapping", "{\"fields\": [")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void configDefValidationReportsBrokenMappingsAgainstTheirKey(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(
                bad, "objects:\n  contact:\n    fields:\n      - {from: a, type: timestamp, timezone: Nowhere}\n");
        Map<String, String> props = Map.of("mapping.file", bad.toString());
        List<org.apache.kafka.common.config.ConfigValue> values = FieldMapping.CONFIG_DEF.validate(props);
        org.apache.kafka.common.config.ConfigValue file = values.stream()
                .filter(v -> v.name().equals("mapping.file"))
                .findFirst()
                .orElseThrow();
        assertThat(file.errorMessages()).singleElement().asString().contains("Nowhere");
        org.apache.kafka.common.config.ConfigValue missing =
                FieldMapping.CONFIG_DEF
                        .validate(
                                Map.of("mapping.file", dir.resolve("nope.yaml").toString()))
                        .stream()
                        .filter(v -> v.name().equals("mapping.file"))
                        .findFirst()
                        .orElseThrow();
        assertThat(missing.errorMessages()).singleElement().asString().contains("not readable");
        assertThat(FieldMapping.CONFIG_DEF.validate(Map.of("mapping.file", SAMPLE)).stream()
                        .allMatch(v -> v.errorMessages().isEmpty()))
                .isTrue();
    }

    @Test
    void configDefAndVersion() {
        FieldMapping.Value<SinkRecord> t = new FieldMapping.Value<>();
        assertThat(t.config().names()).contains("mapping", "mapping.file", "mapping.object", "mapping.direction");
        assertThat(t.version()).isNotBlank();
        assertThat(FieldMapping.OVERVIEW_DOC).contains("mapping");
    }
}
