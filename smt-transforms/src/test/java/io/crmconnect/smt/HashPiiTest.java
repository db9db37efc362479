package io.crmconnect.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.smt.util.Hmac256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class HashPiiTest {
    static final String SECRET = "0123456789abcdef-secret";
    static final Schema S = SchemaBuilder.struct()
            .name("contact")
            .field("id", Schema.INT64_SCHEMA)
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ssn_last4", Schema.OPTIONAL_INT32_SCHEMA)
            .build();

    static String reference(String secret, String value) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    static HashPii.Value<SinkRecord> hmac(String fields) {
        HashPii.Value<SinkRecord> t = new HashPii.Value<>();
        t.configure(Map.of("fields", fields, "hmac.secret", SECRET));
        return t;
    }

    @Test
    void hmacMatchesTheJdkMacForShortAndLongKeysAndValues() throws Exception {
        String longKey = "k".repeat(100);
        for (String key : new String[] {SECRET, longKey}) {
            Hmac256 h = new Hmac256(key.getBytes(StandardCharsets.UTF_8));
            for (String v : new String[] {"", "a", "ana@example.com", "x".repeat(200), "Zoë"}) {
                assertThat(Hmac256.hex(h.mac(v))).isEqualTo(reference(key, v));
                assertThat(h.macHex(v)).isEqualTo(reference(key, v));
            }
        }
        // every message length across block and padding boundaries, random keys of every size class
        SplittableRandom random = new SplittableRandom(3);
        for (int keyLen : new int[] {1, 16, 63, 64, 65, 200}) {
            byte[] key = new byte[keyLen];
            for (int i = 0; i < keyLen; i++) {
                key[i] = (byte) random.nextInt(256);
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            Hmac256 h = new Hmac256(key);
            for (int len = 0; len <= 260; len++) {
                byte[] msg = new byte[len];
                for (int i = 0; i < len; i++) {
                    msg[i] = (byte) random.nextInt(256);
                }
                assertThat(h.mac(msg)).as("key %d, message %d", keyLen, len).isEqualTo(mac.doFinal(msg));
            }
        }
    }

    @Test
    void hexFastPathMatchesTheJdkMacForAsciiAndOtherText() throws Exception {
        // ASCII up to 256 chars is encoded into a reused buffer; longer or non-ASCII text takes getBytes(UTF-8).
        Hmac256 h = new Hmac256(SECRET.getBytes(StandardCharsets.UTF_8));
        StringBuilder ascii = new StringBuilder();
        for (int len = 0; len <= 300; len++) {
            String v = ascii.toString();
            assertThat(h.macHex(v)).as("ascii length %d", len).isEqualTo(reference(SECRET, v));
            ascii.append((char) (' ' + len % 95));
        }
        for (String v : new String[] {
            "\u00e9",
            "ana.l\u00f3pez@example.com",
            "\u0141ukasz",
            "\u540d\u524d",
            "a\u007f",
            "\u0080",
            "x".repeat(255) + "\u00e9",
            "\ud83d\ude00"
        }) {
            assertThat(h.macHex(v)).as(v).isEqualTo(reference(SECRET, v));
        }
        // the reused buffers do not leak between calls
        assertThat(h.macHex("short")).isEqualTo(reference(SECRET, "short"));
    }

    @Test
    void hashesStructFieldsAndConvertsNonStringsToText() throws Exception {
        HashPii.Value<SinkRecord> t = hmac("email,ssn_last4");
        Struct in = new Struct(S)
                .put("id", 1L)
                .put("email", "ana@example.com")
                .put("phone", "555")
                .put("ssn_last4", 1234);
        SinkRecord out = t.apply(Records.value(S, in));
        Struct v = (Struct) out.value();
        assertThat(v.getString("email"))
                .isEqualTo(reference(SECRET, "ana@example.com"))
                .hasSize(64);
        assertThat(v.getString("ssn_last4")).isEqualTo(reference(SECRET, "1234"));
        assertThat(out.valueSchema().field("ssn_last4").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(v.getString("phone")).isEqualTo("555");
        assertThat(v.getInt64("id")).isEqualTo(1L);
        v.validate();
        // nulls stay null, empty strings stay empty
        Struct nulls = new Struct(S).put("id", 2L).put("email", "");
        Struct nv = (Struct) t.apply(Records.value(S, nulls)).value();
        assertThat(nv.getString("email")).isEmpty();
        assertThat(nv.get("ssn_last4")).isNull();
    }

    @Test
    void schemalessBase64AndTombstones() throws Exception {
        HashPii.Value<SinkRecord> t = new HashPii.Value<>();
        t.configure(Map.of("fields", "email", "hmac.secret", SECRET, "hmac.encoding", "base64"));
        Map<String, Object> value = new HashMap<>();
        value.put("email", "ana@example.com");
        value.put("name", "Ana");
        @SuppressWarnings("unchecked")
        Map<String, Object> out =
                (Map<String, Object>) t.apply(Records.schemaless(value)).value();
        assertThat(out.get("email"))
                .isEqualTo(Base64.getEncoder()
                        .encodeToString(HexFormat.of().parseHex(reference(SECRET, "ana@example.com"))));
        assertThat(out).containsEntry("name", "Ana");
        assertThat(value).containsEntry("email", "ana@example.com"); // input untouched
        SinkRecord tomb = Records.tombstone(S);
        assertThat(t.apply(tomb)).isSameAs(tomb);
        @SuppressWarnings("unchecked")
        Map<String, Object> noEmail = (Map<String, Object>)
                t.apply(Records.schemaless(Map.of("name", "A"))).value();
        assertThat(noEmail).containsOnlyKeys("name");
    }

    @Test
    void masks() {
        HashPii.Value<SinkRecord> t = new HashPii.Value<>();
        t.configure(Map.of("fields", "phone,email", "mode", "mask", "mask.keep.last", "4", "mask.char", "#"));
        Struct in = new Struct(S).put("id", 1L).put("email", "ab").put("phone", "+1 212 555 0100");
        Struct v = (Struct) t.apply(Records.value(S, in)).value();
        assertThat(v.getString("phone")).isEqualTo("###########0100");
        assertThat(v.getString("email")).isEqualTo("ab");
    }

    @Test
    void missingFieldsAndBadValuesFailNamingTheField() {
        HashPii.Value<SinkRecord> t = hmac("email,ssn");
        Struct in = new Struct(S).put("id", 1L).put("email", "a@b.c");
        assertThatThrownBy(() -> t.apply(Records.value(S, in)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("HashPii")
                .hasMessageContaining("field 'ssn'")
                .hasMessageContaining("ignore.missing");
        HashPii.Value<SinkRecord> lenient = new HashPii.Value<>();
        lenient.configure(Map.of("fields", "email,ssn", "hmac.secret", SECRET, "ignore.missing", "true"));
        assertThat(((Struct) lenient.apply(Records.value(S, in)).value()).getString("email"))
                .hasSize(64);
        HashPii.Value<SinkRecord> nested = hmac("address");
        Map<String, Object> value = Map.of("address", Map.of("street", "x"));
        assertThatThrownBy(() -> nested.apply(Records.schemaless(value)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'address'");
    }

    @Test
    void secretIsRequiredLongEnoughAndHidden() {
        assertThatThrownBy(() -> new HashPii.Value<SinkRecord>().configure(Map.of("fields", "email")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hmac.secret");
        assertThatThrownBy(() ->
                        new HashPii.Value<SinkRecord>().configure(Map.of("fields", "email", "hmac.secret", "short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("short'");
        assertThat(HashPii.CONFIG_DEF.configKeys().get("hmac.secret").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
        assertThatThrownBy(
                        () -> new HashPii.Value<SinkRecord>().configure(Map.of("fields", "a.b", "hmac.secret", SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("top-level");
    }
}
