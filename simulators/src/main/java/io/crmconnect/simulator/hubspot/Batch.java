package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** HubSpot's batch envelope shared by every batch endpoint: the inputs array and the per-input error shape. */
final class Batch {
    private Batch() {}

    static JsonNode inputs(JsonNode body, int max) {
        JsonNode in = body.get("inputs");
        if (in == null || !in.isArray()) {
            throw ApiException.validation("Invalid input JSON: \"inputs\" is required and must be an array");
        }
        if (in.size() > max) {
            throw ApiException.validation("Too many inputs: got " + in.size() + ", the limit is " + max)
                    .error(
                            "inputs must contain at most " + max + " items",
                            "TOO_MANY_INPUTS",
                            "limit",
                            Integer.toString(max));
        }
        return in;
    }

    static boolean allHaveTraceIds(JsonNode in) {
        if (in.size() == 0) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode x : in) {
            String tr = x.path("objectWriteTraceId").asText(null);
            if (tr == null || !seen.add(tr)) {
                return false;
            }
        }
        return true;
    }

    static Map<String, Object> standardError(ApiException e, Map<String, List<String>> context) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("category", e.category);
        if (e.subCategory != null) {
            m.put("subCategory", e.subCategory);
        }
        m.put("message", e.getMessage());
        Map<String, List<String>> ctx = new LinkedHashMap<>(e.context);
        ctx.putAll(context);
        m.put("context", ctx);
        m.put("errors", e.errors);
        m.put("links", Map.of());
        return m;
    }
}
