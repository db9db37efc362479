package io.crmconnect.hubspot.client;

import java.util.List;
import java.util.Map;

/**
 * Result of a batch create/update/upsert/read: records that succeeded and per-input errors (HTTP 207 multi-status).
 * Each error keeps HubSpot's category, message and context (e.g. {@code objectWriteTraceId}, {@code ids}).
 */
public record BatchResult(List<CrmObject> results, List<BatchError> errors) {
    public record BatchError(String status, String category, String message, Map<String, List<String>> context) {}
}
