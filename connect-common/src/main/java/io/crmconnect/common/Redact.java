package io.crmconnect.common;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Log-safe stand-ins for personal data. Emails, names, birth dates and addresses never reach a log in clear text; a
 * short fingerprint still lets an operator correlate log lines about the same value.
 *
 * <p>A fingerprint is a keyed hash (HMAC-SHA256, first 32 bits) under a per-deployment secret, the PASSWORD config
 * key {@value #SECRET_CONFIG} that every plugin defines through {@link #define}: without the secret, guessing
 * candidate values (birth dates, phone numbers, a list of known emails) and hashing them finds nothing. With the
 * same secret on every connector of a deployment, fingerprints agree across connectors, tasks and restarts. When
 * the key is unset, each worker process draws a random secret at start: fingerprints still correlate the lines of
 * one process run and are never reversible, but differ between workers and after a restart.
 */
public final class Redact {
    /** The config key of the secret, defined by each plugin's config class. */
    public static final String SECRET_CONFIG = "pii.fingerprint.secret";

    static final String SECRET_DOC =
            "Secret key of the fingerprints (HMAC-SHA256) that stand in for personal values in "
                    + "logs (pii:xxxxxxxx). Set the same value on every connector of a deployment so fingerprints of one "
                    + "value agree across connectors and restarts; anyone holding it can test guessed values against a "
                    + "fingerprint, so keep it secret. Unset: a random secret per worker process (fingerprints correlate "
                    + "only within one process run).";

    private static final Redact PROCESS = new Redact(randomSecret());

    private final byte[] secret;
    private final ThreadLocal<Mac> macs;

    private Redact(byte[] secret) {
        this.secret = secret;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Adds {@value #SECRET_CONFIG} (PASSWORD, optional) to a plugin's ConfigDef. */
    public static ConfigDef define(ConfigDef def, String group, int orderInGroup) {
        return def.define(
                SECRET_CONFIG,
                ConfigDef.Type.PASSWORD,
                null,
                ConfigDef.Importance.LOW,
                SECRET_DOC,
                group,
                orderInGroup,
                ConfigDef.Width.LONG,
                "PII fingerprint secret");
    }

    /** Fingerprints under this secret; the process-wide random secret when it is null or empty. */
    public static Redact withSecret(Password secret) {
        String s = secret == null ? null : secret.value();
        return s == null || s.isEmpty() ? PROCESS : new Redact(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether this instance uses the process-wide random secret (no {@value #SECRET_CONFIG} configured). */
    public boolean isProcessLocal() {
        return this == PROCESS;
    }

    /** {@link #fingerprint} under the process-wide random secret, for code that has no plugin config at hand. */
    public static String pii(Object value) {
        return PROCESS.fingerprint(value);
    }

    /** "pii:3f2a9c1b" for a value, "pii:null" for null. Stable for one secret; not reversible without it. */
    public String fingerprint(Object value) {
        if (value == null) {
            return "pii:null";
        }
        byte[] mac = macs.get().doFinal(value.toString().getBytes(StandardCharsets.UTF_8));
        return "pii:" + HexFormat.of().formatHex(mac, 0, 4);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
        }
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
