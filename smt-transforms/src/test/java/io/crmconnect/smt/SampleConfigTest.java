package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

/** The shipped sample connector config configures every transform and predicate it names, and the chain runs. */
class SampleConfigTest {

    @Test
    void sampleChainConfiguresAndTransformsAContact() throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(
                "src/main/connect-plugin/etc/postgres-contacts-with-transforms.properties"))) {
            props.load(in);
        }
        Map<String, Predicate<SinkRecord>> predicates = new HashMap<>();
        for (String alias : props.getProperty("predicates").split(",")) {
            @SuppressWarnings("unchecked")
            Predicate<SinkRecord> p = (Predicate<SinkRecord>) Class.forName(props.getProperty("predicates." + alias
                    + ".type")).getDeclaredConstructor().newInstance();
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
            Transformation<SinkRecord> t = (Transformation<SinkRecord>) Class.forName(type).getDeclaredConstructor()
                    .newInstance();
            Map<String, String> config = sub(props, "transforms." + alias + ".");
            config.computeIfPresent("mapping.file", (k, v) -> FieldMappingTest.SAMPLE);
            config.computeIfPresent("hmac.secret", (k, v) -> "a-test-secret-of-enough-length");
            t.configure(config);
            chain.add(t);
        }
        assertThat(chain).hasSize(aliases.size() - 1);

        SinkRecord record = Records.value(FieldMappingTest.CONTACT,
                FieldMappingTest.contact("42", "03/05/1990", "2024-03-10 01:30:00"));
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
        assertThat(v.schema().field("lead_score")).isNull();
        v.validate();

        Struct test = FieldMappingTest.contact("43", "1990-01-01", "2024-01-01 00:00:00");
        test.getStruct("properties").put("email", "qa@example.test");
        assertThat(predicates.get("isTest").test(Records.value(FieldMappingTest.CONTACT, test))).isTrue();
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
