package io.crmconnect.simulator.hubspot.contract;

/**
 * One contract violation found by {@link OpenApiContract}.
 *
 * @param direction "request" or "response"
 * @param method HTTP method
 * @param path request path (without query)
 * @param status response status (0 for request checks)
 * @param spec the spec file the interaction was checked against
 * @param key the validator's message key, e.g. {@code validation.response.body.schema.required}
 * @param message the validator's message
 */
public record Violation(
        String direction, String method, String path, int status, String spec, String key, String message) {
    @Override
    public String toString() {
        return direction + " " + method + " " + path + (status > 0 ? " -> " + status : "") + " [" + spec + "] " + key
                + ": " + message;
    }
}
