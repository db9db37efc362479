package io.crmconnect.dynamics.client;

/**
 * The answer to one {@link BatchOperation}: its HTTP status and, for failures, Dataverse's error code and a log-safe
 * message.
 */
public record BatchResponse(int status, String code, String message) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** A failure worth retrying (5xx, SQL timeout or deadlock), as opposed to a rejected row. */
    public boolean transientFailure() {
        return !ok() && (status == 429 || Transport.isTransient(status, code));
    }
}
