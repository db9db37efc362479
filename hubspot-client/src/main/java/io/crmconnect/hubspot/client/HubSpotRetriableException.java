package io.crmconnect.hubspot.client;

/**
 * A transient failure that outlived the client's retry budget (5xx, 429, 423, timeouts, connection resets,
 * truncated or malformed bodies, or the configured daily budget share being used up). The same call is expected to
 * succeed later; Connect tasks map it to {@code RetriableException}.
 */
public class HubSpotRetriableException extends HubSpotException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterMillis;

    public HubSpotRetriableException(
            String message, int status, String category, String correlationId, long retryAfterMillis, Throwable cause) {
        super(message, status, category, null, correlationId, cause);
        this.retryAfterMillis = retryAfterMillis;
    }

    @Override
    public boolean isRetriable() {
        return true;
    }

    /** A hint how long to wait before trying again (0 when unknown). */
    @Override
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
