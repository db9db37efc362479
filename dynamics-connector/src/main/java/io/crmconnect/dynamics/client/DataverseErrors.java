package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.common.ErrorSanitizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Dataverse's error vocabulary: the codes the connector reacts to, and the reading of an error body
 * {@code {"error":{"code":"0x...","message":"..."}}} into a code and a log-safe message.
 */
public final class DataverseErrors {
    /** Delta token older than the change-tracking retention ("Please perform a full sync"). */
    public static final String EXPIRED_VERSION_STAMP = "0x80044352";
    /** Service protection: requests, execution time and concurrency per user per server. */
    public static final String REQUESTS_LIMIT = "0x80072322";

    public static final String EXECUTION_TIME_LIMIT = "0x80072321";
    public static final String CONCURRENCY_LIMIT = "0x80072326";
    /** Alternate-key uniqueness violation (HTTP 412). */
    public static final String DUPLICATE_KEY = "0x80060892";
    /** No row with these alternate-key values. */
    public static final String RECORD_NOT_FOUND_BY_KEY = "0x80060891";
    /** No row with this id. */
    public static final String OBJECT_DOES_NOT_EXIST = "0x80040217";
    /** SQL timeout / generic SQL error (deadlock): transient on bulk writes. */
    public static final String SQL_TIMEOUT = "0x80044151";

    public static final String SQL_ERROR = "0x80044150";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> EDM_TYPES = List.of(
            "Edm.String",
            "Edm.Int32",
            "Edm.Int64",
            "Edm.Decimal",
            "Edm.Double",
            "Edm.Boolean",
            "Edm.DateTimeOffset",
            "Edm.Date",
            "Edm.Guid",
            "Edm.Binary");
    private static final ErrorSanitizer DEFAULT_SANITIZER = ErrorSanitizer.keeping(EDM_TYPES);
    private static final int MAX_MESSAGE = 400;

    private DataverseErrors() {}

    /** What an error body said. */
    public record Error(String code, String message) {}

    /** Reads an error body; a body that is not Dataverse JSON yields its (cut, sanitized) text. */
    public static Error parse(byte[] body) {
        return parse(body, DEFAULT_SANITIZER);
    }

    /** {@link #parse(byte[])} keeping the names {@code sanitizer} declares safe (a table's column names). */
    public static Error parse(byte[] body, ErrorSanitizer sanitizer) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        try {
            JsonNode n = text.isBlank() ? null : MAPPER.readTree(text);
            if (n != null && n.has("error")) {
                JsonNode e = n.path("error");
                if (e.isTextual()) { // OAuth token endpoint: {"error":"invalid_client","error_description":"..."}
                    return new Error(
                            e.asText(), sanitize(n.path("error_description").asText(""), sanitizer));
                }
                String code = e.path("code").asText("");
                return new Error(
                        code.isEmpty() ? null : code, sanitize(e.path("message").asText(""), sanitizer));
            }
        } catch (IOException ignored) {
            // not JSON: fall through to the raw text
        }
        return new Error(null, sanitize(text, sanitizer));
    }

    /**
     * Masks personal data Dataverse may quote in a message (emails, quoted literals such as alternate-key values,
     * digit runs) with the shared {@link ErrorSanitizer}, on one line and cut to a readable length: error messages
     * end up in logs, task traces and DLQ headers.
     */
    public static String sanitize(String message) {
        return sanitize(message, DEFAULT_SANITIZER);
    }

    public static String sanitize(String message, ErrorSanitizer sanitizer) {
        if (message == null) {
            return null;
        }
        String m = sanitizer.message(message.replace('\n', ' ').replace('\r', ' '));
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    }

    /** A sanitizer keeping OData type names and these names (a table's columns) readable. */
    public static ErrorSanitizer keeping(Collection<String> names) {
        List<String> all = new ArrayList<>(EDM_TYPES);
        all.addAll(names);
        return ErrorSanitizer.keeping(all);
    }
}
