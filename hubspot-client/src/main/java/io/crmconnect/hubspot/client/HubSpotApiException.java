package io.crmconnect.hubspot.client;

/**
 * A permanent error: HubSpot rejected the request (4xx other than 429/423) and repeating it unchanged will not help.
 * Typical categories: {@code VALIDATION_ERROR}, {@code MISSING_SCOPES} (403), {@code INVALID_AUTHENTICATION} (401),
 * {@code OBJECT_NOT_FOUND} (404), {@code CONFLICT} (409).
 */
public class HubSpotApiException extends HubSpotException {
    private static final long serialVersionUID = 1L;

    public HubSpotApiException(String message, int status, String category, String subCategory, String correlationId) {
        super(message, status, category, subCategory, correlationId, null);
    }

    public boolean isAuthentication() {
        return status() == 401;
    }

    public boolean isMissingScopes() {
        return status() == 403;
    }

    public boolean isNotFound() {
        return status() == 404;
    }
}
