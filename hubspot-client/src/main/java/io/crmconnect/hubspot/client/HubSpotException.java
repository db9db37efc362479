package io.crmconnect.hubspot.client;

import io.crmconnect.common.client.CrmException;

/**
 * Base of every error the client throws: connect-common's {@link CrmException} (system {@code hubspot}) with what
 * HubSpot said (HTTP status, {@code category} as the code, {@code subCategory}, {@code correlationId} as the request
 * id) so callers can report it on a DLQ header or a task failure. Messages never contain the access token.
 */
public class HubSpotException extends CrmException {
    private static final long serialVersionUID = 1L;
    /** The system name dead letters and the shared error type carry. */
    public static final String SYSTEM = "hubspot";

    private final String subCategory;

    public HubSpotException(
            String message, int status, String category, String subCategory, String correlationId, Throwable cause) {
        super(message, SYSTEM, status, category, correlationId, cause);
        this.subCategory = subCategory;
    }

    /** HubSpot's error {@code category} (e.g. VALIDATION_ERROR, MISSING_SCOPES), or null. */
    public String category() {
        return code();
    }

    public String subCategory() {
        return subCategory;
    }

    public String correlationId() {
        return requestId();
    }
}
