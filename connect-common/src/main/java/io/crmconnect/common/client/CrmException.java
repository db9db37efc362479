package io.crmconnect.common.client;

/**
 * Base of every error a CRM client (HubSpot, Dynamics 365) throws, so code that talks to both (the two-way sync, the
 * sinks' error handling) classifies failures one way: {@link #isRetriable()} says whether the same call is expected
 * to succeed later (throttling, 5xx, timeouts, resets: Connect's {@code RetriableException}), otherwise the CRM
 * rejected the request and repeating it unchanged will not help. Carries what the CRM said: the HTTP status, its
 * error code and the request's id. Messages never contain tokens, secrets or personal data in clear text.
 */
public class CrmException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String system;
    private final int status;
    private final String code;
    private final String requestId;

    /**
     * @param system    the CRM, as dead-letter headers name it ({@code hubspot}, {@code dynamics365})
     * @param status    HTTP status, 0 when no answer was received
     * @param code      the CRM's error code or category, or null
     * @param requestId the CRM's id of the failed call (correlation / request id), or null
     */
    public CrmException(String message, String system, int status, String code, String requestId, Throwable cause) {
        super(message, cause);
        this.system = system;
        this.status = status;
        this.code = code;
        this.requestId = requestId;
    }

    public String system() {
        return system;
    }

    /** HTTP status, or 0 when no response was received (timeout, reset). */
    public int status() {
        return status;
    }

    /** The CRM's error code (Dataverse {@code 0x80060892}, HubSpot {@code VALIDATION_ERROR}), or null. */
    public String code() {
        return code;
    }

    /** The CRM's id of the failed call, or null. */
    public String requestId() {
        return requestId;
    }

    /** True when the same call is expected to succeed later (it outlived the client's retry budget). */
    public boolean isRetriable() {
        return false;
    }

    /** How long the CRM asked to wait before trying again; 0 when unknown or not retriable. */
    public long retryAfterMillis() {
        return 0;
    }
}
