package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RedactTest {

    @Test
    void neverContainsTheValueAndIsStable() {
        String email = "Jane.Doe@example.com";
        String redacted = Redact.pii(email);
        assertThat(redacted)
                .startsWith("pii:")
                .hasSize(12)
                .doesNotContainIgnoringCase("jane")
                .doesNotContain("example");
        assertThat(Redact.pii(email)).isEqualTo(redacted);
        assertThat(Redact.pii("jane.doe@example.com")).isNotEqualTo(redacted);
        assertThat(Redact.pii(null)).isEqualTo("pii:null");
    }

    @Test
    void fingerprintsAreKeyedSoGuessingWithoutTheSecretFindsNothing() throws Exception {
        String birthDate = "1985-03-02";
        Redact a = Redact.withSecret(new Password("deployment-a-secret"));
        Redact b = Redact.withSecret(new Password("deployment-b-secret"));
        // the same secret agrees across instances (connectors, tasks, restarts); another secret does not
        assertThat(Redact.withSecret(new Password("deployment-a-secret")).fingerprint(birthDate))
                .isEqualTo(a.fingerprint(birthDate));
        assertThat(b.fingerprint(birthDate)).isNotEqualTo(a.fingerprint(birthDate));
        // the old unsalted scheme (a SHA-256 prefix) is what an attacker can compute; it no longer matches
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(birthDate.getBytes(StandardCharsets.UTF_8));
        String unsalted = "pii:" + HexFormat.of().formatHex(sha, 0, 4);
        assertThat(a.fingerprint(birthDate)).isNotEqualTo(unsalted);
        assertThat(Redact.pii(birthDate)).isNotEqualTo(unsalted);
    }

    @Test
    void unsetSecretFallsBackToTheProcessKey() {
        assertThat(Redact.withSecret(null).isProcessLocal()).isTrue();
        assertThat(Redact.withSecret(new Password("")).isProcessLocal()).isTrue();
        assertThat(Redact.withSecret(null).fingerprint("x")).isEqualTo(Redact.pii("x"));
        assertThat(Redact.withSecret(new Password("s")).isProcessLocal()).isFalse();
    }

    @Test
    void definesAnOptionalPasswordKey() {
        ConfigDef def = Redact.define(new ConfigDef(), "Privacy", 1);
        ConfigDef.ConfigKey key = def.configKeys().get(Redact.SECRET_CONFIG);
        assertThat(key.type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(key.defaultValue).isNull();
        assertThat(def.parse(Map.of())).containsEntry(Redact.SECRET_CONFIG, null);
    }
}
