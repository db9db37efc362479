package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class MatchKeysTest {
    static final Schema ADDRESS = SchemaBuilder.struct()
            .optional()
            .field("street", Schema.OPTIONAL_STRING_SCHEMA)
            .field("city", Schema.OPTIONAL_STRING_SCHEMA)
            .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema PERSON = SchemaBuilder.struct()
            .name("person")
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("first", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last", Schema.OPTIONAL_STRING_SCHEMA)
            .field("dob", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address", ADDRESS)
            .build();

    static Map<String, String> config() {
        Map<String, String> c = new HashMap<>();
        c.put("keys", "email_key,name_key,dob_key,address_key,zip_key,person_key");
        c.put("key.email_key.type", "email");
        c.put("key.email_key.fields", "email");
        c.put("key.name_key.type", "name");
        c.put("key.name_key.fields", "first,last");
        c.put("key.dob_key.type", "date");
        c.put("key.dob_key.fields", "dob");
        c.put("key.address_key.type", "address");
        c.put("key.address_key.fields", "address.street,address.city,address.zip");
        c.put("key.zip_key.type", "postal_code");
        c.put("key.zip_key.fields", "address.zip");
        c.put("key.person_key.type", "composite");
        c.put("key.person_key.fields", "name_key,dob_key");
        return c;
    }

    static Struct person(String dob) {
        return new Struct(PERSON)
                .put("email", " Ana@Example.COM")
                .put("first", "Ána ")
                .put("last", "López-Díaz")
                .put("dob", dob)
                .put(
                        "address",
                        new Struct(ADDRESS)
                                .put("street", "12 West Oak Avenue, Suite 5")
                                .put("city", "Springfield")
                                .put("zip", "62704-1234"));
    }

    @Test
    void addsKeyFieldsToStructs() {
        MatchKeys.Value<SinkRecord> t = new MatchKeys.Value<>();
        t.configure(config());
        SinkRecord out = t.apply(Records.value(PERSON, person("7/4/1985")));
        Struct v = (Struct) out.value();
        assertThat(v.getString("email_key")).isEqualTo("ana@example.com");
        assertThat(v.getString("name_key")).isEqualTo("ana lopez diaz");
        assertThat(v.getString("dob_key")).isEqualTo("1985-07-04");
        assertThat(v.getString("address_key")).isEqualTo("12 w oak ave ste 5 springfield 62704");
        assertThat(v.getString("zip_key")).isEqualTo("62704");
        assertThat(v.getString("person_key")).isEqualTo("ana lopez diaz|1985-07-04");
        assertThat(v.getString("email")).isEqualTo(" Ana@Example.COM");
        assertThat(out.valueSchema().name()).isEqualTo("person");
        assertThat(out.valueSchema().field("email_key").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        v.validate();
    }

    @Test
    void nullComponentsGiveNullKeysAndTombstonesPass() {
        MatchKeys.Value<SinkRecord> t = new MatchKeys.Value<>();
        t.configure(config());
        Struct in = person(null).put("address", null);
        Struct v = (Struct) t.apply(Records.value(PERSON, in)).value();
        assertThat(v.getString("dob_key")).isNull();
        assertThat(v.getString("person_key")).isNull();
        assertThat(v.getString("address_key")).isNull();
        assertThat(v.getString("name_key")).isEqualTo("ana lopez diaz");
        SinkRecord tomb = Records.tombstone(PERSON);
        assertThat(t.apply(tomb)).isSameAs(tomb);
    }

    @Test
    void schemalessAndHeaders() {
        Map<String, String> c = config();
        c.put("target", "header");
        c.put("header.prefix", "match.");
        MatchKeys.Value<SinkRecord> t = new MatchKeys.Value<>();
        t.configure(c);
        Map<String, Object> value = new HashMap<>();
        value.put("email", "X@Y.Z");
        value.put("first", "Zoë");
        value.put("last", "Saldaña");
        value.put("dob", "1978-06-19");
        value.put("address", Map.of("street", "1 Main St", "zip", "10001"));
        SinkRecord out = t.apply(Records.schemaless(value));
        assertThat(out.value()).isSameAs(value);
        assertThat(out.headers().lastWithName("match.email_key").value()).isEqualTo("x@y.z");
        assertThat(out.headers().lastWithName("match.person_key").value()).isEqualTo("zoe saldana|1978-06-19");
        assertThat(out.headers().lastWithName("match.address_key").value()).isEqualTo("1 main st 10001");

        MatchKeys.Value<SinkRecord> fields = new MatchKeys.Value<>();
        fields.configure(config());
        @SuppressWarnings("unchecked")
        Map<String, Object> mv =
                (Map<String, Object>) fields.apply(Records.schemaless(value)).value();
        assertThat(mv)
                .containsEntry("name_key", "zoe saldana")
                .containsEntry("zip_key", "10001")
                .containsEntry("email", "X@Y.Z");
    }

    @Test
    void invalidDateFailsNamingTheFieldOrGivesNull() {
        MatchKeys.Value<SinkRecord> t = new MatchKeys.Value<>();
        t.configure(config());
        assertThatThrownBy(() -> t.apply(Records.value(PERSON, person("13/45/1985"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("MatchKeys")
                .hasMessageContaining("field 'dob'")
                .hasMessageContaining("dob_key")
                .hasMessageNotContaining("13/45/1985");
        Map<String, String> c = config();
        c.put("on.invalid", "null");
        MatchKeys.Value<SinkRecord> lenient = new MatchKeys.Value<>();
        lenient.configure(c);
        Struct v = (Struct)
                lenient.apply(Records.value(PERSON, person("13/45/1985"))).value();
        assertThat(v.getString("dob_key")).isNull();
        assertThat(v.getString("person_key")).isNull();
    }

    @Test
    void missingSourceFieldAndBadConfig() {
        MatchKeys.Value<SinkRecord> t = new MatchKeys.Value<>();
        t.configure(config());
        Schema other =
                SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA).build();
        assertThatThrownBy(() -> t.apply(Records.value(other, new Struct(other).put("email", "a@b"))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'first'");
        Map<String, String> c = config();
        c.remove("key.dob_key.type");
        assertThatThrownBy(() -> new MatchKeys.Value<SinkRecord>().configure(c))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.dob_key.type");
        Map<String, String> c2 = config();
        c2.put("key.person_key.fields", "name_key,nope");
        assertThatThrownBy(() -> new MatchKeys.Value<SinkRecord>().configure(c2))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope");
        Map<String, String> c3 = config();
        c3.put("key.email_key.type", "fingerprint");
        assertThatThrownBy(() -> new MatchKeys.Value<SinkRecord>().configure(c3))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.email_key.type");
    }

    @Test
    void worksOnKeys() {
        MatchKeys.Key<SinkRecord> t = new MatchKeys.Key<>();
        t.configure(Map.of("keys", "e", "key.e.type", "email", "key.e.fields", "email"));
        Schema key = SchemaBuilder.struct().field("email", Schema.STRING_SCHEMA).build();
        SinkRecord out = t.apply(Records.key(key, new Struct(key).put("email", "A@B.C")));
        assertThat(((Struct) out.key()).getString("e")).isEqualTo("a@b.c");
        assertThatThrownBy(() -> t.apply(Records.key(Schema.STRING_SCHEMA, "A@B.C")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("record key");
    }
}
