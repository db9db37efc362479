package io.crmconnect.smt.util;

import io.crmconnect.common.Redact;
import org.apache.kafka.connect.errors.DataException;

/**
 * Record-level failures. Every message starts with the transform and the field so that the dead-letter queue's
 * {@code __connect.errors.exception.message} header says what to fix; values appear only as redacted fingerprints.
 */
public final class Errors {
    private Errors() {}

    public static DataException field(String transform, String field, String reason) {
        return new DataException(transform + ": field '" + field + "': " + reason);
    }

    public static DataException field(String transform, String field, String reason, Throwable cause) {
        return new DataException(transform + ": field '" + field + "': " + reason, cause);
    }

    /** A log- and DLQ-safe rendering of a record value: its type and a fingerprint, never the clear text. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        return value.getClass().getSimpleName() + " " + Redact.pii(value);
    }
}
