package io.crmconnect.hubspot.client;

/**
 * A call that is not safe to repeat (a create) failed in a way that leaves its outcome unknown: HubSpot may have
 * committed it before the answer was lost (timeout, reset, truncated or malformed answer, 5xx). The client does not
 * resend such a call; the caller resolves the outcome by reading back (unique property, match keys) before
 * writing again.
 */
public class HubSpotOutcomeUnknownException extends HubSpotRetriableException {
    private static final long serialVersionUID = 1L;

    public HubSpotOutcomeUnknownException(
            String message, int status, String category, String correlationId, Throwable cause) {
        super(message, status, category, correlationId, 0, cause);
    }
}
