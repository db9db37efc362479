package io.crmconnect.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Log-safe stand-ins for personal data. Emails, names, birth dates and addresses never reach a log in clear text;
 * a short stable fingerprint still lets an operator correlate log lines about the same value.
 */
public final class Redact {
    private Redact() {
    }

    /** "pii:3f2a9c1b" for a value, "pii:null" for null. Stable across runs; not reversible in practice. */
    public static String pii(Object value) {
        if (value == null) {
            return "pii:null";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(value.toString().getBytes(StandardCharsets.UTF_8));
            return "pii:" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
