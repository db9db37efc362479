package io.crmconnect.common.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Allocation-light parsing of the ISO-8601 shapes that CRM and warehouse data actually use
 * ({@code 2024-03-10}, {@code 2024-03-10T06:30}, {@code 2024-03-10T06:30:00.123Z},
 * {@code 2024-03-10 01:30:00+02:00}, {@code ...-0500}). {@code java.time}'s general parser costs microseconds per
 * value; this costs tens of nanoseconds. Anything it does not recognise returns {@code null} and the caller falls back
 * to {@code java.time}, so the accepted language is unchanged.
 */
public final class FastTime {
    private static final long NO = Long.MIN_VALUE;

    private FastTime() {}

    /**
     * Epoch milliseconds, or {@code null} when the text is not one of the simple shapes (or not a valid date/time).
     * Local values (no offset) are read in {@code zone}.
     */
    public static Long isoEpochMillis(String s, ZoneId zone) {
        int n = s.length();
        if (n < 10) {
            return null;
        }
        int y = digits(s, 0, 4);
        int mo = digits(s, 5, 2);
        int d = digits(s, 8, 2);
        if (y < 0
                || mo < 1
                || mo > 12
                || d < 1
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || d > Month.of(mo).length(Year.isLeap(y))) {
            return null;
        }
        if (n == 10) {
            return localMillis(LocalDate.of(y, mo, d).atStartOfDay(), zone);
        }
        char sep = s.charAt(10);
        if ((sep != 'T' && sep != ' ' && sep != 't') || n < 16 || s.charAt(13) != ':') {
            return null;
        }
        int h = digits(s, 11, 2);
        int mi = digits(s, 14, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59) {
            return null;
        }
        int i = 16;
        int sec = 0;
        int nanos = 0;
        if (i < n && s.charAt(i) == ':') {
            sec = digits(s, i + 1, 2);
            if (sec < 0 || sec > 59) {
                return null;
            }
            i += 3;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                int frac = 0;
                while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    frac = frac * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start || i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    return null;
                }
                for (int k = i - start; k < 9; k++) {
                    frac *= 10;
                }
                nanos = frac;
            }
        }
        long localSeconds = epochDay(y, mo, d) * 86_400L + h * 3600L + mi * 60L + sec;
        long millisOfSecond = nanos / 1_000_000;
        if (i == n) {
            if (zone == null || zone == ZoneOffset.UTC) {
                return localSeconds * 1000 + millisOfSecond;
            }
            if (zone instanceof ZoneOffset off) {
                return (localSeconds - off.getTotalSeconds()) * 1000 + millisOfSecond;
            }
            return localMillis(LocalDateTime.of(y, mo, d, h, mi, sec, nanos), zone);
        }
        char c = s.charAt(i);
        long offset;
        if ((c == 'Z' || c == 'z') && i + 1 == n) {
            offset = 0;
        } else if (c == '+' || c == '-') {
            offset = offsetSeconds(s, i + 1, n);
            if (offset == NO) {
                return null;
            }
            if (c == '-') {
                offset = -offset;
            }
        } else {
            return null;
        }
        return (localSeconds - offset) * 1000 + millisOfSecond;
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date (the arithmetic of LocalDate.toEpochDay). */
    public static long epochDay(int y, int m, int d) {
        long total = 365L * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * m - 362) / 12;
        total += d - 1;
        if (m > 2) {
            total--;
            if (!Year.isLeap(y)) {
                total--;
            }
        }
        return total - 719_528L;
    }

    private static long offsetSeconds(String s, int i, int n) {
        int len = n - i;
        int oh;
        int om = 0;
        if (len == 2) {
            oh = digits(s, i, 2);
        } else if (len == 4) {
            oh = digits(s, i, 2);
            om = digits(s, i + 2, 2);
        } else if (len == 5 && s.charAt(i + 2) == ':') {
            oh = digits(s, i, 2);
            om = digits(s, i + 3, 2);
        } else {
            return NO;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59) {
            return NO;
        }
        return oh * 3600L + om * 60L;
    }

    private static Long localMillis(LocalDateTime local, ZoneId zone) {
        return local.atZone(zone == null ? ZoneOffset.UTC : zone).toInstant().toEpochMilli();
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    public static int digits(CharSequence s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The same text as {@code DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis))} for years
     * 0000-9999 ({@code 2024-03-10T06:30:00Z}, {@code 2024-03-10T06:30:00.120Z}); other years use java.time.
     */
    public static String isoInstant(long millis) {
        long days = Math.floorDiv(millis, 86_400_000L);
        if (days < MIN_DAY || days > MAX_DAY) {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
        }
        int msOfDay = (int) (millis - days * 86_400_000L);
        int ms = msOfDay % 1000;
        byte[] b = new byte[ms == 0 ? 20 : 24];
        putDate(b, (int) days);
        b[10] = 'T';
        int secs = msOfDay / 1000;
        put2(b, 11, secs / 3600);
        b[13] = ':';
        put2(b, 14, secs / 60 % 60);
        b[16] = ':';
        put2(b, 17, secs % 60);
        if (ms == 0) {
            b[19] = 'Z';
        } else {
            b[19] = '.';
            b[20] = (byte) ('0' + ms / 100);
            b[21] = (byte) ('0' + ms / 10 % 10);
            b[22] = (byte) ('0' + ms % 10);
            b[23] = 'Z';
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** {@code LocalDate.ofEpochDay(days).toString()} for years 0000-9999. */
    public static String isoDate(long epochDay) {
        if (epochDay < MIN_DAY || epochDay > MAX_DAY) {
            return LocalDate.ofEpochDay(epochDay).toString();
        }
        byte[] b = new byte[10];
        putDate(b, (int) epochDay);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Epoch days of 0000-01-01 and 9999-12-31: the years printed as four digits without a sign. */
    static final long MIN_DAY = -719_528L;

    static final long MAX_DAY = 2_932_896L;

    /**
     * Writes yyyy-MM-dd of an epoch day in [MIN_DAY, MAX_DAY] at b[0..10): the proleptic Gregorian calendar
     * counted in 400-year eras from 0000-03-01 (so that the leap day ends a year), in int arithmetic and without
     * allocating a LocalDate.
     */
    private static void putDate(byte[] b, int epochDay) {
        int z = epochDay + 719_468; // days since 0000-03-01
        int era = (z >= 0 ? z : z - 146_096) / 146_097;
        int doe = z - era * 146_097; // day of era [0, 146096]
        int yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // year of era [0, 399]
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of the March-based year [0, 365]
        int mp = (5 * doy + 2) / 153; // March-based month [0, 11]
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        put4(b, 0, year);
        b[4] = '-';
        put2(b, 5, month);
        b[7] = '-';
        put2(b, 8, day);
    }

    private static void put2(byte[] b, int at, int v) {
        b[at] = (byte) ('0' + v / 10);
        b[at + 1] = (byte) ('0' + v % 10);
    }

    private static void put4(byte[] b, int at, int v) {
        b[at] = (byte) ('0' + v / 1000);
        b[at + 1] = (byte) ('0' + v / 100 % 10);
        b[at + 2] = (byte) ('0' + v / 10 % 10);
        b[at + 3] = (byte) ('0' + v % 10);
    }
}
