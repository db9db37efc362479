package io.crmconnect.warehouse.source.bigquery;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.warehouse.source.core.WarehouseError;
import java.util.Locale;
import java.util.Set;

/** BigQuery errors classified for the change-capture core, messages sanitized (they may quote values). */
final class BigQueryErrors {
    private static final Set<String> TRANSIENT_REASONS = Set.of(
            "backendError",
            "internalError",
            "rateLimitExceeded",
            "jobRateLimitExceeded",
            "jobBackendError",
            "jobInternalError");

    private BigQueryErrors() {}

    static WarehouseError classify(String what, RuntimeException e) {
        if (!(e instanceof BigQueryException b)) {
            return new WarehouseError(
                    WarehouseError.Kind.TRANSIENT,
                    what + ": " + e.getClass().getSimpleName() + ": "
                            + ErrorSanitizer.sanitize(String.valueOf(e.getMessage())),
                    e);
        }
        BigQueryError err = b.getError();
        String reason = err == null ? "" : String.valueOf(err.getReason());
        String message = String.valueOf(b.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        String text = what + ": BigQuery " + b.getCode() + " " + reason + ": " + ErrorSanitizer.sanitize(message);
        WarehouseError.Kind kind;
        if (lower.contains("time travel") || lower.contains("snapshot time")) {
            kind = WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE;
        } else if (lower.contains("change history")) {
            kind = WarehouseError.Kind.CHANGE_TRACKING_OFF;
        } else if (b.getCode() == 0
                || b.getCode() == 429
                || b.getCode() >= 500
                || b.isRetryable()
                || TRANSIENT_REASONS.contains(reason)) {
            kind = WarehouseError.Kind.TRANSIENT;
        } else {
            kind = WarehouseError.Kind.PERMANENT;
        }
        return new WarehouseError(kind, text, null);
    }
}
