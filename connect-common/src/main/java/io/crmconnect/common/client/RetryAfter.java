package io.crmconnect.common.client;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The {@code Retry-After} header (RFC 9110): delay seconds (HubSpot, Dataverse) or an HTTP date. */
public final class RetryAfter {
    private RetryAfter() {}

    /** The delay the header asks for in milliseconds; 0 when absent, unreadable or in the past. */
    public static long millis(String header) {
        return millis(header, System.currentTimeMillis());
    }

    static long millis(String header, long nowMillis) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        String v = header.trim();
        try {
            double seconds = Double.parseDouble(v);
            return Double.isFinite(seconds) ? Math.max(0, (long) (seconds * 1000)) : 0;
        } catch (NumberFormatException e) {
            try {
                return Math.max(
                        0,
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                        .toInstant()
                                        .toEpochMilli()
                                - nowMillis);
            } catch (DateTimeParseException e2) {
                return 0;
            }
        }
    }
}
