package io.crmconnect.simulator.dynamics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered in Dataverse's shape: {@code {"error":{"code":"0x...","message":"..."}}} with the HTTP status
 * Dataverse maps that code to.
 */
final class DataverseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Codes the simulator answers with (hex as Dataverse writes them; see the module README for sources). */
    static final String OBJECT_DOES_NOT_EXIST = "0x80040217";

    static final String RECORD_NOT_FOUND_BY_KEY = "0x80060891";
    static final String DUPLICATE_RECORD = "0x80040237";
    static final String DUPLICATE_KEY = "0x80060892";
    static final String VERSION_MISMATCH = "0x80060882";
    static final String PAYLOAD_ERROR = "0x80048d19";
    static final String RESOURCE_NOT_FOUND = "0x8006088a";
    static final String QUERY_ERROR = "0x0";
    static final String INVALID_ARGUMENT = "0x80040203";
    static final String ENTITY_REFERENCE_UPDATE = "0x80060888";
    static final String LENGTH_EXCEEDED = "0x80044331";
    static final String PICKLIST_OUT_OF_RANGE = "0x8004431a";
    static final String EXPIRED_VERSION_STAMP = "0x80044352";
    static final String REQUESTS_LIMIT = "0x80072322";
    static final String EXECUTION_TIME_LIMIT = "0x80072321";
    static final String CONCURRENCY_LIMIT = "0x80072326";
    static final String PRIVILEGE_DENIED = "0x80040220";
    static final String UNEXPECTED = "0x80040216";
    static final String SQL_TIMEOUT = "0x80044151";
    static final String MESSAGE_SIZE = "0x8004418a";

    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();

    DataverseException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    DataverseException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static DataverseException badRequest(String code, String message) {
        return new DataverseException(400, code, message);
    }

    /** Unknown property, bad literal or malformed expression in the URL (OData URI parser errors carry 0x0). */
    static DataverseException query(String message) {
        return new DataverseException(400, QUERY_ERROR, message);
    }

    /** A body Dataverse's OData reader rejects (unknown property, wrong type, bad JSON). */
    static DataverseException payload(String entitySet, String inner) {
        return new DataverseException(
                400,
                PAYLOAD_ERROR,
                "Error identified in Payload provided by the user for "
                        + "Entity :'" + entitySet
                        + "', For more information on this error please follow this help link "
                        + "https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : " + inner);
    }

    static DataverseException notFound(String logicalName, String id) {
        return new DataverseException(404, OBJECT_DOES_NOT_EXIST, logicalName + " With Id = " + id + " Does Not Exist");
    }

    static DataverseException segment(String segment) {
        return new DataverseException(404, RESOURCE_NOT_FOUND, "Resource not found for the segment '" + segment + "'.");
    }
}
