package io.crmconnect.dynamics.client;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Small HTTP header readings shared by the transport and the token provider. */
final class HttpCalls {
    private HttpCalls() {
    }

    /** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
    static long retryAfterMillis(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, (long) (Double.parseDouble(v.trim()) * 1000));
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                        .toEpochMilli() - System.currentTimeMillis());
            } catch (DateTimeParseException e2) {
                return 0;
            }
        }
    }

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
