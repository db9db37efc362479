package io.crmconnect.dynamics.client;

/**
 * A permanent error: Dataverse (or the token endpoint) rejected the request, and repeating it unchanged will not
 * help. Typical: 400 validation ({@code 0x80044331}), 401 bad credentials, 403 missing privilege, 404 unknown row or
 * table, 412 duplicate key / failed precondition.
 */
public class DynamicsApiException extends DynamicsException {
    private static final long serialVersionUID = 1L;

    public DynamicsApiException(String message, int status, String code, String requestId) {
        super(message, status, code, requestId, null);
    }

    public boolean isAuthentication() {
        return status() == 401;
    }

    public boolean isPrivilege() {
        return status() == 403;
    }

    public boolean isNotFound() {
        return status() == 404;
    }

    /** The delta token is too old (change-tracking data purged): the table must be read again in full. */
    public boolean isExpiredVersionStamp() {
        return DataverseErrors.EXPIRED_VERSION_STAMP.equalsIgnoreCase(code())
                || (getMessage() != null
                        && getMessage().contains("Version stamp associated with the client has expired"));
    }
}
