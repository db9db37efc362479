package io.crmconnect.hubspot.sink;

import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.HubSpotException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the dead letters of the HubSpot sink (connect-common's {@link DeadLetter} contract, system
 * {@value #SYSTEM}): our reason codes, and HubSpot's answer (category as the code, status, sanitized message,
 * context, correlation id) when HubSpot refused the record.
 */
final class Failure {
    static final String SYSTEM = "hubspot";

    private Failure() {}

    static DeadLetter of(String reason, String message) {
        return DeadLetter.of(reason, SYSTEM, message);
    }

    static DeadLetter of(String reason, String message, Map<String, List<String>> context) {
        return of(reason, message).withContext(context);
    }

    /** A whole call refused; the client's message is already sanitized. */
    static DeadLetter rejected(HubSpotException e) {
        return of(DeadLetter.REJECTED, e.getMessage())
                .withCode(e.category(), e.status())
                .withCorrelationId(e.correlationId());
    }

    /** One input of a batch refused (207): HubSpot's message may quote the value, so it is sanitized. */
    static DeadLetter rejected(BatchResult.BatchError e, ErrorSanitizer sanitizer) {
        int status = 0;
        try {
            status = e.status() == null ? 0 : Integer.parseInt(e.status());
        } catch (NumberFormatException ignored) {
            // HubSpot's batch errors carry "error" as status
        }
        Map<String, List<String>> ctx = new LinkedHashMap<>();
        if (e.context() != null) {
            e.context().forEach((k, v) -> {
                if (!k.equals("objectWriteTraceId")) {
                    ctx.put(
                            k,
                            v.stream()
                                    .map(x -> isId(k, x) ? x : sanitizer.message(x))
                                    .toList());
                }
            });
        }
        return of(DeadLetter.REJECTED, "HubSpot refused this input")
                .withDetail(sanitizer, e.message())
                .withCode(e.category(), status)
                .withContext(ctx);
    }

    /** HubSpot ids in a context (e.g. the existing record of a conflict) are not personal and stay readable. */
    private static boolean isId(String key, String value) {
        return (key.equals("id") || key.equals("ids") || key.endsWith("Id") || key.endsWith("Ids"))
                && value.chars().allMatch(Character::isDigit);
    }
}
