package io.crmconnect.dynamics.client;

import io.crmconnect.common.client.CrmException;

/**
 * Base of every error the client throws: connect-common's {@link CrmException} (system {@code dynamics365}) with
 * what Dataverse said: the HTTP status, its error {@code code} (a hex string such as {@code 0x80060892}, often empty)
 * and the request id, so callers can report it on a dead letter or in a task failure. Messages never contain the
 * access token or the client secret, and personal data quoted by Dataverse (emails, quoted literals) is masked.
 */
public class DynamicsException extends CrmException {
    private static final long serialVersionUID = 1L;
    /** The system name dead letters and the shared error type carry. */
    public static final String SYSTEM = "dynamics365";

    public DynamicsException(String message, int status, String code, String requestId, Throwable cause) {
        super(message, SYSTEM, status, code, requestId, cause);
    }
}
