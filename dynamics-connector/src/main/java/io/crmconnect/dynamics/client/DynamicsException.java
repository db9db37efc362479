package io.crmconnect.dynamics.client;

/**
 * Base of every error the client throws. Carries what Dataverse said: the HTTP status, its error {@code code} (a hex
 * string such as {@code 0x80060892}, often empty) and the request id, so callers can report it on a dead letter or
 * in a task failure. Messages never contain the access token or the client secret, and personal data quoted by
 * Dataverse (emails, quoted literals) is masked.
 */
public class DynamicsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final String requestId;

    public DynamicsException(String message, int status, String code, String requestId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
    }

    /** HTTP status, or 0 when no response was received (timeout, reset). */
    public int status() {
        return status;
    }

    /** Dataverse's error code ({@code 0x80060892}), an OAuth error ({@code invalid_client}), or null. */
    public String code() {
        return code;
    }

    /** The {@code REQ_ID} / {@code x-ms-service-request-id} of the failed call, or null. */
    public String requestId() {
        return requestId;
    }
}
