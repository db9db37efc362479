package io.crmconnect.hubspot.client;

import static io.crmconnect.common.time.FastTime.digits;

import io.crmconnect.common.time.FastTime;
import java.time.Month;
import java.time.Year;

/**
 * Allocation-free parsing of HubSpot's usual UTC timestamps {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (every record
 * carries several, wide objects hundreds): {@link java.time.Instant#parse} costs microseconds each.
 */
final class IsoTime {
    private IsoTime() {}

    /** Epoch milliseconds, or {@link Long#MIN_VALUE} when the text is not in that exact form (callers fall back). */
    static long utcMillis(String t) {
        if (t == null) {
            return Long.MIN_VALUE;
        }
        int n = t.length();
        if (n < 20
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n == 21 || n > 30) {
                return Long.MIN_VALUE;
            }
            int scale = 100;
            for (int i = 20; i < n - 1; i++) {
                char c = t.charAt(i);
                if (c < '0' || c > '9') {
                    return Long.MIN_VALUE;
                }
                millis += (c - '0') * scale; // digits after the third are truncated (Instant keeps them as nanos)
                scale /= 10;
            }
        }
        long days = FastTime.epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }
}
