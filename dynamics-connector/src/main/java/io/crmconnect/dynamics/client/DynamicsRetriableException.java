package io.crmconnect.dynamics.client;

/**
 * A transient failure that outlived the client's retry budget: 429 (service protection), 5xx, timeouts, connection
 * resets, truncated or malformed bodies. The same call is expected to succeed later; tasks map it to Connect's
 * {@code RetriableException}.
 */
public class DynamicsRetriableException extends DynamicsException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterMillis;

    public DynamicsRetriableException(
            String message, int status, String code, String requestId, long retryAfterMillis, Throwable cause) {
        super(message, status, code, requestId, cause);
        this.retryAfterMillis = retryAfterMillis;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    /** How long the server asked us to wait (Retry-After), 0 when unknown. */
    @Override
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
