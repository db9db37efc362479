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

class FieldDirectionTest {
    static final Schema ROW = SchemaBuilder.struct()
            .name("row")
            .field("email", Schema.STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lead_score", Schema.OPTIONAL_INT32_SCHEMA)
            .field("internal_notes", Schema.OPTIONAL_STRING_SCHEMA)
            .field("extra", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    static FieldDirection.Value<SinkRecord> direction(String dir, String unlisted) {
        FieldDirection.Value<SinkRecord> t = new FieldDirection.Value<>();
        t.configure(Map.of(
                "mapping.file",
                FieldMappingTest.SAMPLE,
                "mapping.object",
                "contact",
                "direction",
                dir,
                "unlisted",
                unlisted));
        return t;
    }

    static Struct row() {
        return new Struct(ROW)
                .put("email", "a@b.c")
                .put("phone", "1")
                .put("lead_score", 5)
                .put("internal_notes", "n")
                .put("extra", "e");
    }

    @Test
    void keepsOnlyFieldsAllowedInEachDirection() {
        SinkRecord ab = direction("a_to_b", "drop").apply(Records.value(ROW, row()));
        assertThat(ab.valueSchema().fields()).extracting(f -> f.name()).containsExactly("email", "phone");
        assertThat(((Struct) ab.value()).getString("phone")).isEqualTo("1");
        SinkRecord ba = direction("b_to_a", "keep").apply(Records.value(ROW, row()));
        assertThat(ba.valueSchema().fields()).extracting(f -> f.name()).containsExactly("email", "lead_score", "extra");
        assertThat(ba.valueSchema().name()).isEqualTo("row");
        ((Struct) ba.value()).validate();
    }

    @Test
    void schemalessTombstonesAndBadShapes() {
        FieldDirection.Value<SinkRecord> t = direction("b_to_a", "drop");
        Map<String, Object> value = new HashMap<>();
        value.put("email", "a@b.c");
        value.put("phone", "1");
        value.put("lead_score", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) t.apply(Records.schemaless(value)).value();
        assertThat(out).containsOnlyKeys("email", "lead_score");
        SinkRecord tomb = Records.tombstone(ROW);
        assertThat(t.apply(tomb)).isSameAs(tomb);
        assertThatThrownBy(() -> t.apply(Records.value(null, 42)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("FieldDirection")
                .hasMessageContaining("Integer");
    }

    @Test
    void configErrors() {
        assertThatThrownBy(() -> new FieldDirection.Value<SinkRecord>()
                        .configure(Map.of("mapping.file", FieldMappingTest.SAMPLE, "mapping.object", "contact")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("direction");
        assertThatThrownBy(() -> new FieldDirection.Value<SinkRecord>()
                        .configure(Map.of("mapping", "{\"fields\":[\"a\"]}", "direction", "a_to_b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no 'rules'");
        assertThatThrownBy(() -> new FieldDirection.Value<SinkRecord>()
                        .configure(Map.of("mapping", "{\"rules\":{\"a\":\"sideways\"}}", "direction", "a_to_b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.a");
    }
}
