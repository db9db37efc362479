package io.crmconnect.dynamics.client;

/** Dataverse's numeric response headers (rate-limit counters, dop hint). */
final class HttpCalls {
    private HttpCalls() {}

    /** An integer header value, -1 when absent or unreadable. */
    static long longHeader(String v) {
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            return (long) Double.parseDouble(v.trim().replace(",", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
