package io.crmconnect.dynamics.sink;

import java.util.List;
import java.util.Map;

/**
 * Why one record was not written: a stable reason code, Dataverse's error code and HTTP status when Dataverse
 * refused it, a sanitized message, context (column and key names, candidate ids — never values) and the request id.
 */
record RecordFailure(
        String reason,
        String code,
        int status,
        String message,
        Map<String, List<String>> context,
        String requestId,
        String rowId) {
    static final String CONVERSION_FAILED = "CONVERSION_FAILED";
    static final String MISSING_KEY = "MISSING_KEY";
    static final String REJECTED = "REJECTED";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String AMBIGUOUS_MATCH = "AMBIGUOUS_MATCH";
    static final String LOOKUP_NOT_FOUND = "LOOKUP_NOT_FOUND";

    static RecordFailure of(String reason, String message) {
        return new RecordFailure(reason, null, 0, message, Map.of(), null, null);
    }

    static RecordFailure of(String reason, String message, Map<String, List<String>> context) {
        return new RecordFailure(reason, null, 0, message, context, null, null);
    }

    static RecordFailure rejected(String code, int status, String message, String requestId, String rowId) {
        return new RecordFailure(REJECTED, code, status, message, Map.of(), requestId, rowId);
    }
}
