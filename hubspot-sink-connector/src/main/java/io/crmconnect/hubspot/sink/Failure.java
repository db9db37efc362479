package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.HubSpotException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why one record went to the dead-letter topic: our reason code, and what HubSpot said (category, status, message,
 * context, correlation id) when HubSpot refused it. Rendered into DLQ headers and the exception message.
 */
record Failure(String reason, String message, String category, int status, Map<String, List<String>> context,
        String correlationId) {

    static final String H_REASON = "crmconnect.error.reason";
    static final String H_CATEGORY = "hubspot.error.category";
    static final String H_STATUS = "hubspot.error.status";
    static final String H_MESSAGE = "hubspot.error.message";
    static final String H_CONTEXT = "hubspot.error.context";
    static final String H_CORRELATION = "hubspot.error.correlation.id";
    static final String H_OBJECT_ID = "hubspot.object.id";

    static Failure of(String reason, String message) {
        return new Failure(reason, message, null, 0, Map.of(), null);
    }

    static Failure of(String reason, String message, Map<String, List<String>> context) {
        return new Failure(reason, message, null, 0, context, null);
    }

    static Failure rejected(HubSpotException e) {
        return new Failure("HUBSPOT_REJECTED", e.getMessage(), e.category(), e.status(), Map.of(), e.correlationId());
    }

    static Failure rejected(BatchResult.BatchError e) {
        int status = 0;
        try {
            status = e.status() == null ? 0 : Integer.parseInt(e.status());
        } catch (NumberFormatException ignored) {
            // HubSpot's batch errors carry "error" as status
        }
        Map<String, List<String>> ctx = new LinkedHashMap<>(e.context() == null ? Map.of() : e.context());
        ctx.remove("objectWriteTraceId");
        return new Failure("HUBSPOT_REJECTED", e.message(), e.category(), status, ctx, null);
    }

    /** First line of the exception message (Kafka UI shows only this). */
    String summary() {
        StringBuilder b = new StringBuilder(reason);
        if (category != null) {
            b.append(" [").append(category).append(']');
        }
        b.append(": ").append(message == null ? "" : message);
        if (context != null && !context.isEmpty()) {
            b.append(" context=").append(context);
        }
        if (correlationId != null) {
            b.append(" correlationId=").append(correlationId);
        }
        return b.toString();
    }

    /** Rendered context as compact JSON-like text. */
    String contextText() {
        if (context == null || context.isEmpty()) {
            return "{}";
        }
        StringBuilder b = new StringBuilder("{");
        context.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":[");
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : ",").append('"').append(v.get(i).replace("\"", "\\\"")).append('"');
            }
            b.append(']');
        });
        return b.append('}').toString();
    }
}
