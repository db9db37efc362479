package io.crmconnect.common.sink;

import io.crmconnect.common.ErrorSanitizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.header.Headers;

/**
 * Why one record could not be written: the one dead-letter contract of every sink. Rendered into the headers
 * below (on the DLQ copy of the record) and into the first line of the exception reported with it, which Connect
 * puts into {@code __connect.errors.exception.message} and Kafka UI shows.
 *
 * <p>The message is ours; text from the target system enters it only through {@link #withDetail}, which sanitizes
 * it, so a dead letter never carries personal data in its headers.
 *
 * @param reason        stable reason code ({@link #CONVERSION_FAILED}, {@link #REJECTED}, ... or a sink's own)
 * @param system        the target system: {@code hubspot}, {@code postgresql}, {@code mariadb}, {@code dynamics365}
 * @param code          the target system's own error code (HubSpot category, SQLState, Dataverse error code) or null
 * @param status        HTTP status or vendor error number, 0 when none
 * @param message       what happened, sanitized
 * @param context       ids and names that explain the failure (candidate ids, tier, property names), may be empty
 * @param correlationId the target system's request id, or null
 * @param objectId      the target record's id when the record was partly written, or null
 */
public record DeadLetter(
        String reason,
        String system,
        String code,
        int status,
        String message,
        Map<String, List<String>> context,
        String correlationId,
        String objectId) {

    /** Header: the stable reason code. */
    public static final String H_REASON = "crmconnect.error.reason";
    /** Header: the target system. */
    public static final String H_SYSTEM = "crmconnect.error.system";
    /** Header: the target system's error code. */
    public static final String H_CODE = "crmconnect.error.code";
    /** Header: HTTP status or vendor error number. */
    public static final String H_STATUS = "crmconnect.error.status";
    /** Header: the sanitized message. */
    public static final String H_MESSAGE = "crmconnect.error.message";
    /** Header: the context as a JSON object of string arrays. */
    public static final String H_CONTEXT = "crmconnect.error.context";
    /** Header: the target system's correlation / request id. */
    public static final String H_CORRELATION_ID = "crmconnect.error.correlation.id";
    /** Header: the target record's id when the record was partly written. */
    public static final String H_OBJECT_ID = "crmconnect.error.object.id";

    /** The record cannot be converted to what the target needs (type, format, shape). */
    public static final String CONVERSION_FAILED = "CONVERSION_FAILED";
    /** The record lacks the key the sink needs to address the target record. */
    public static final String MISSING_KEY = "MISSING_KEY";
    /** The target system refused the record; {@code code} says why. */
    public static final String REJECTED = "REJECTED";
    /** No target record exists and the write mode does not create one. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** More than one target record matches; the sink does not guess. */
    public static final String AMBIGUOUS_MATCH = "AMBIGUOUS_MATCH";

    public DeadLetter {
        context = context == null ? Map.of() : context;
    }

    /** A failure found by the sink itself (no answer of the target system). */
    public static DeadLetter of(String reason, String system, String message) {
        return new DeadLetter(reason, system, null, 0, message, Map.of(), null, null);
    }

    /** This dead letter with the message followed by a sanitized text of another system (driver, API, parser). */
    public DeadLetter withDetail(ErrorSanitizer sanitizer, String foreignText) {
        if (foreignText == null || foreignText.isEmpty()) {
            return this;
        }
        String d = sanitizer.message(foreignText);
        return new DeadLetter(
                reason,
                system,
                code,
                status,
                message == null || message.isEmpty() ? d : message + ": " + d,
                context,
                correlationId,
                objectId);
    }

    /** This dead letter with the target system's error code and status. */
    public DeadLetter withCode(String errorCode, int httpOrVendorStatus) {
        return new DeadLetter(reason, system, errorCode, httpOrVendorStatus, message, context, correlationId, objectId);
    }

    public DeadLetter withContext(Map<String, List<String>> ctx) {
        return new DeadLetter(reason, system, code, status, message, ctx, correlationId, objectId);
    }

    public DeadLetter withCorrelationId(String id) {
        return new DeadLetter(reason, system, code, status, message, context, id, objectId);
    }

    public DeadLetter withObjectId(String id) {
        return new DeadLetter(reason, system, code, status, message, context, correlationId, id);
    }

    /** First line of the reported exception (Kafka UI shows only this): {@code REASON [code]: message ...}. */
    public String summary() {
        StringBuilder b = new StringBuilder(reason);
        if (code != null) {
            b.append(" [").append(code).append(']');
        }
        b.append(": ").append(message == null ? "" : message);
        if (!context.isEmpty()) {
            b.append(" context=").append(contextJson());
        }
        if (correlationId != null) {
            b.append(" correlationId=").append(correlationId);
        }
        return b.toString();
    }

    /** Adds the contract's headers. */
    public void addTo(Headers h) {
        h.addString(H_REASON, reason);
        h.addString(H_SYSTEM, system);
        if (code != null) {
            h.addString(H_CODE, code);
        }
        if (status > 0) {
            h.addString(H_STATUS, Integer.toString(status));
        }
        h.addString(H_MESSAGE, message == null ? "" : message);
        if (!context.isEmpty()) {
            h.addString(H_CONTEXT, contextJson());
        }
        if (correlationId != null) {
            h.addString(H_CORRELATION_ID, correlationId);
        }
        if (objectId != null) {
            h.addString(H_OBJECT_ID, objectId);
        }
    }

    /** The context as compact JSON: {@code {"tier":["2"],"candidateIds":["1","7"]}}. */
    public String contextJson() {
        StringBuilder b = new StringBuilder("{");
        new LinkedHashMap<>(context).forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            json(b, k).append(":[");
            for (int i = 0; i < v.size(); i++) {
                json(i == 0 ? b : b.append(','), v.get(i));
            }
            b.append(']');
        });
        return b.append('}').toString();
    }

    private static StringBuilder json(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; s != null && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }
}
