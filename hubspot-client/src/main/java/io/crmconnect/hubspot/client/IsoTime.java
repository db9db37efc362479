package io.crmconnect.hubspot.client;

/**
 * Allocation-free parsing of HubSpot's usual UTC timestamps {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (every record
 * carries several, wide objects hundreds): {@link java.time.Instant#parse} costs microseconds each.
 */
final class IsoTime {
    private IsoTime() {
    }

    /** Epoch milliseconds, or {@link Long#MIN_VALUE} when the text is not in that exact form (callers fall back). */
    static long utcMillis(String t) {
        if (t == null) {
            return Long.MIN_VALUE;
        }
        int n = t.length();
        if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = num(t, 0, 4);
        int month = num(t, 5, 2);
        int day = num(t, 8, 2);
        int hour = num(t, 11, 2);
        int minute = num(t, 14, 2);
        int second = num(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
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
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int num(String t, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 (proleptic Gregorian), as {@link java.time.LocalDate#toEpochDay}. */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long mp = (month + 9) % 12;
        long doy = (153 * mp + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }
}
