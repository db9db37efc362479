package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The shipped sample connector config configures every transform and predicate it names with the shipped mapping
 * file, and the chain runs on a contact shaped as the HubSpot source writes it (flat property fields).
 */
class SampleConfigTest {
    static final String SHIPPED_MAPPING = "src/main/connect-plugin/etc/crm-mapping.yaml";
    static final Schema CONTACT = SchemaBuilder.struct()
            .name("hubspot.contacts")
            .field("id", Schema.STRING_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("firstname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lastname", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("date_of_birth", Schema.OPTIONAL_STRING_SCHEMA)
            .field("createdate", Timestamp.builder().optional().build())
            .field("lifecyclestage", Schema.OPTIONAL_STRING_SCHEMA)
            .field("annualrevenue", Decimal.builder(3).optional().build())
            .field("hs_email_optout", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("createdAt", Timestamp.builder().optional().build())
            .field("updatedAt", Timestamp.builder().optional().build())
            .field("archived", Schema.BOOLEAN_SCHEMA)
            .build();

    static Struct contact(String id, String email, String dob) {
        Date created = Date.from(Instant.parse("2024-03-10T06:30:00.123Z"));
        return new Struct(CONTACT)
                .put("id", id)
                .put("email", email)
                .put("firstname", "Ana")
                .put("lastname", "López")
                .put("phone", "+1 (212) 555-0100")
                .put("date_of_birth", dob)
                .put("createdate", created)
                .put("annualrevenue", new BigDecimal("1234.567"))
                .put("hs_email_optout", true)
                .put("createdAt", created)
                .put("updatedAt", created)
                .put("archived", false);
    }

    @Test
    void sampleChainConfiguresAndTransformsAContact() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(
                Path.of("src/main/connect-plugin/etc/postgres-contacts-with-transforms.properties"))) {
            props.load(in);
        }
        Map<String, Predicate<SinkRecord>> predicates = new HashMap<>();
        for (String alias : props.getProperty("predicates").split(",")) {
            @SuppressWarnings("unchecked")
            Predicate<SinkRecord> p =
                    (Predicate<SinkRecord>) Class.forName(props.getProperty("predicates." + alias + ".type"))
                            .getDeclaredConstructor()
                            .newInstance();
            p.configure(sub(props, "predicates." + alias + "."));
            predicates.put(alias, p);
        }
        List<Transformation<SinkRecord>> chain = new ArrayList<>();
        List<String> aliases = List.of(props.getProperty("transforms").split(","));
        for (String alias : aliases) {
            String type = props.getProperty("transforms." + alias + ".type");
            if (!type.startsWith("io.crmconnect.")) {
                continue; // Kafka's Filter: checked below through its predicate
            }
            @SuppressWarnings("unchecked")
            Transformation<SinkRecord> t = (Transformation<SinkRecord>)
                    Class.forName(type).getDeclaredConstructor().newInstance();
            Map<String, String> config = sub(props, "transforms." + alias + ".");
            config.computeIfPresent("mapping.file", (k, v) -> SHIPPED_MAPPING);
            config.computeIfPresent("hmac.secret", (k, v) -> "a-test-secret-of-enough-length");
            t.configure(config);
            chain.add(t);
        }
        assertThat(chain).hasSize(aliases.size() - 1);

        SinkRecord record = Records.value(CONTACT, contact("42", " Ana.Lopez@Example.com ", "03/05/1990"));
        assertThat(predicates.get("isTest").test(record)).isFalse();
        for (Transformation<SinkRecord> t : chain) {
            record = t.apply(record);
        }
        Struct v = (Struct) record.value();
        assertThat(v.getInt64("contact_id")).isEqualTo(42L);
        assertThat(v.getString("email")).hasSize(64);
        assertThat(v.getString("person_key")).hasSize(64);
        assertThat(v.getString("name_key")).isEqualTo("ana lopez");
        assertThat(v.getString("dob_key")).isEqualTo("1990-03-05");
        assertThat(v.getString("full_name")).isEqualTo("Ana López");
        assertThat(v.getInt64("updated_at_ms"))
                .isEqualTo(Instant.parse("2024-03-10T06:30:00.123Z").toEpochMilli());
        assertThat(v.get("annual_revenue")).isEqualTo(new BigDecimal("1234.57"));
        assertThat(v.schema().field("lead_score")).isNull();
        v.validate();

        Struct test = contact("43", "qa@example.test", "1990-01-01");
        assertThat(predicates.get("isTest").test(Records.value(CONTACT, test))).isTrue();
    }

    private static Map<String, String> sub(Properties props, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(prefix) && !name.equals(prefix + "type")) {
                out.put(name.substring(prefix.length()), props.getProperty(name));
            }
        }
        return out;
    }
}
