package io.crmconnect.smt.predicates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class PredicatesTest {
    static final Schema INNER = SchemaBuilder.struct()
            .optional()
            .field("stage", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema S = SchemaBuilder.struct()
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("score", Schema.OPTIONAL_INT32_SCHEMA)
            .field("props", INNER)
            .build();

    static SinkRecord struct(String email, Integer score, String stage) {
        Struct v = new Struct(S)
                .put("email", email)
                .put("score", score)
                .put("props", stage == null ? null : new Struct(INNER).put("stage", stage));
        return new SinkRecord("t", 0, null, null, S, v, 0);
    }

    static SinkRecord map(Map<String, ?> value) {
        return new SinkRecord("t", 0, null, null, null, value, 0);
    }

    @Test
    void fieldEquals() {
        FieldEquals.Value<SinkRecord> p = new FieldEquals.Value<>();
        p.configure(Map.of("field", "props.stage", "value", "customer"));
        assertThat(p.test(struct("a", 1, "customer"))).isTrue();
        assertThat(p.test(struct("a", 1, "lead"))).isFalse();
        assertThat(p.test(struct("a", 1, null))).isFalse();
        assertThat(p.test(map(Map.of("props", Map.of("stage", "customer"))))).isTrue();
        assertThat(p.test(map(Map.of("other", 1)))).isFalse();
        assertThat(p.test(new SinkRecord("t", 0, null, null, S, null, 0))).isFalse();
        FieldEquals.Value<SinkRecord> num = new FieldEquals.Value<>();
        num.configure(Map.of("field", "score", "value", "7"));
        assertThat(num.test(struct("a", 7, null))).isTrue();
        FieldEquals.Value<SinkRecord> ci = new FieldEquals.Value<>();
        ci.configure(Map.of("field", "props.stage", "value", "CUSTOMER", "ignore.case", "true"));
        assertThat(ci.test(struct("a", 1, "customer"))).isTrue();
        FieldEquals.Key<SinkRecord> key = new FieldEquals.Key<>();
        key.configure(Map.of("field", "id", "value", "9"));
        assertThat(key.test(new SinkRecord("t", 0, null, Map.of("id", 9), null, null, 0)))
                .isTrue();
        assertThat(key.test(new SinkRecord("t", 0, null, "9", null, null, 0))).isFalse();
    }

    @Test
    void fieldMatches() {
        FieldMatches.Value<SinkRecord> p = new FieldMatches.Value<>();
        p.configure(Map.of("field", "email", "pattern", ".*@example\\.test"));
        assertThat(p.test(struct("qa@example.test", 1, null))).isTrue();
        assertThat(p.test(struct("qa@example.test.com", 1, null))).isFalse();
        assertThat(p.test(struct(null, 1, null))).isFalse();
        assertThatThrownBy(
                        () -> new FieldMatches.Value<SinkRecord>().configure(Map.of("field", "email", "pattern", "([")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pattern");
    }

    @Test
    void fieldIsNull() {
        FieldIsNull.Value<SinkRecord> p = new FieldIsNull.Value<>();
        p.configure(Map.of("field", "email", "blank.is.null", "true"));
        assertThat(p.test(struct(null, 1, null))).isTrue();
        assertThat(p.test(struct("  ", 1, null))).isTrue();
        assertThat(p.test(struct("a@b", 1, null))).isFalse();
        assertThat(p.test(map(Map.of("x", 1)))).isTrue();
        assertThat(p.test(new SinkRecord("t", 0, null, null, S, null, 0))).isTrue();
        assertThatThrownBy(() -> new FieldIsNull.Value<SinkRecord>().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field");
    }

    @Test
    void headerEquals() {
        HeaderEquals<SinkRecord> p = new HeaderEquals<>();
        p.configure(Map.of("header", "source", "value", "hubspot"));
        SinkRecord r = struct("a", 1, null);
        assertThat(p.test(r)).isFalse();
        r.headers().addString("source", "dynamics");
        assertThat(p.test(r)).isFalse();
        r.headers().addString("source", "hubspot");
        assertThat(p.test(r)).isTrue();
        r.headers().addBytes("source", "hubspot".getBytes(StandardCharsets.UTF_8));
        assertThat(p.test(r)).isTrue();
        assertThat(p.version()).isNotBlank();
    }
}
