package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One request inside a {@code $batch}: a PATCH (upsert or update) or DELETE of one row, addressed by a path relative
 * to the Web API root ({@code contacts(emailaddress1='a@x.com')}). Each operation travels in its own change set, so
 * one bad row fails alone while the others commit.
 */
public record BatchOperation(String method, String path, ObjectNode body, Map<String, String> headers) {
    public static BatchOperation patch(String path, ObjectNode body, Map<String, String> headers) {
        return new BatchOperation("PATCH", path, body, headers);
    }

    public static BatchOperation delete(String path) {
        return new BatchOperation("DELETE", path, null, Map.of());
    }
}
