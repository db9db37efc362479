package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answered with HubSpot's error body: {status, message, correlationId, category, subCategory?, errors[], context?}. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String category;
    String subCategory;
    final List<Map<String, Object>> errors = new ArrayList<>();
    final Map<String, List<String>> context = new LinkedHashMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    final Map<String, Object> extra = new LinkedHashMap<>();

    ApiException(int status, String category, String message) {
        super(message, null, false, false);
        this.status = status;
        this.category = category;
    }

    static ApiException validation(String message) {
        return new ApiException(400, "VALIDATION_ERROR", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "OBJECT_NOT_FOUND", message);
    }

    ApiException error(String message, String code, String contextKey, String contextValue) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        if (code != null) {
            e.put("code", code);
        }
        if (contextKey != null) {
            e.put("context", Map.of(contextKey, List.of(contextValue)));
        }
        errors.add(e);
        return this;
    }

    ApiException subCategory(String s) {
        this.subCategory = s;
        return this;
    }

    ApiException context(String key, String... values) {
        context.put(key, List.of(values));
        return this;
    }

    /** HubSpot's error response for this exception (body and headers). */
    Http.Resp response() {
        ObjectNode n = Json.obj();
        n.put("status", "error");
        n.put("message", getMessage());
        n.put("correlationId", Http.correlationId());
        n.put("category", category);
        if (subCategory != null) {
            n.put("subCategory", subCategory);
        }
        if (!errors.isEmpty()) {
            n.set("errors", Json.MAPPER.valueToTree(errors));
        }
        if (!context.isEmpty()) {
            n.set("context", Json.MAPPER.valueToTree(context));
        }
        extra.forEach((k, v) -> n.set(k, Json.MAPPER.valueToTree(v)));
        Http.Resp r = Http.Resp.json(status, n);
        r.headers.putAll(headers);
        return r;
    }
}
