package io.crmconnect.hubspot.client;

/**
 * Base of every error the client throws. Carries what HubSpot said (HTTP status, {@code category},
 * {@code subCategory}, {@code correlationId}) so callers can report it on a DLQ header or a task failure.
 * Messages never contain the access token.
 */
public class HubSpotException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String category;
    private final String subCategory;
    private final String correlationId;

    public HubSpotException(String message, int status, String category, String subCategory, String correlationId,
            Throwable cause) {
        super(message, cause);
        this.status = status;
        this.category = category;
        this.subCategory = subCategory;
        this.correlationId = correlationId;
    }

    /** HTTP status, or 0 when no response was received (timeout, reset). */
    public int status() {
        return status;
    }

    /** HubSpot's error {@code category} (e.g. VALIDATION_ERROR, MISSING_SCOPES), or null. */
    public String category() {
        return category;
    }

    public String subCategory() {
        return subCategory;
    }

    public String correlationId() {
        return correlationId;
    }
}
