package io.crmconnect.jdbc.dialect;

import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The stage rows as a byte stream, encoded lazily while the driver reads (COPY FROM STDIN, LOAD DATA LOCAL): no text of
 * the whole chunk is ever built, and one reusable buffer holds a few rows at a time. Values are written straight as
 * UTF-8 bytes: integers, decimals and timestamps without an intermediate String where it pays.
 */
public final class RowStream extends InputStream {

    /** Encodes one row (with its line terminator) into the sink. */
    @FunctionalInterface
    public interface RowEncoder {
        void encode(Bytes out, Object[] row);
    }

    private final List<Object[]> rows;
    private final RowEncoder encoder;
    private final Bytes buffer = new Bytes(64 * 1024);
    private int next;
    private int position;

    public RowStream(List<Object[]> rows, RowEncoder encoder) {
        this.rows = rows;
        this.encoder = encoder;
    }

    private boolean fill() {
        buffer.length = 0;
        position = 0;
        while (next < rows.size() && buffer.length < 48 * 1024) {
            encoder.encode(buffer, rows.get(next++));
        }
        return buffer.length > 0;
    }

    @Override
    public int read() {
        if (position >= buffer.length && !fill()) {
            return -1;
        }
        return buffer.bytes[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (position >= buffer.length && !fill()) {
            return -1;
        }
        int n = Math.min(len, buffer.length - position);
        System.arraycopy(buffer.bytes, position, b, off, n);
        position += n;
        return n;
    }

    /** A growable byte buffer with the appends the encoders need. */
    public static final class Bytes {
        byte[] bytes;
        int length;

        public Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        private void ensure(int extra) {
            if (length + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
            }
        }

        public Bytes raw(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, length, len);
            length += len;
            return this;
        }

        public Bytes int16(int v) {
            ensure(2);
            bytes[length++] = (byte) (v >> 8);
            bytes[length++] = (byte) v;
            return this;
        }

        public Bytes int32(int v) {
            ensure(4);
            bytes[length++] = (byte) (v >> 24);
            bytes[length++] = (byte) (v >> 16);
            bytes[length++] = (byte) (v >> 8);
            bytes[length++] = (byte) v;
            return this;
        }

        public Bytes int64(long v) {
            int32((int) (v >> 32));
            return int32((int) v);
        }

        /** Writes a 4-byte length, then what {@code body} appends, then patches the length in. */
        public Bytes lengthPrefixed(Runnable body) {
            int at = length;
            int32(0);
            body.run();
            int n = length - at - 4;
            bytes[at] = (byte) (n >> 24);
            bytes[at + 1] = (byte) (n >> 16);
            bytes[at + 2] = (byte) (n >> 8);
            bytes[at + 3] = (byte) n;
            return this;
        }

        public Bytes put(char ascii) {
            ensure(1);
            bytes[length++] = (byte) ascii;
            return this;
        }

        /** ASCII-only text (digits, dates, literals). */
        public Bytes ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }

        public Bytes digits(long v) {
            if (v == Long.MIN_VALUE) {
                return ascii(Long.toString(v));
            }
            ensure(20);
            if (v < 0) {
                bytes[length++] = '-';
                v = -v;
            }
            int start = length;
            do {
                bytes[length++] = (byte) ('0' + (v % 10));
                v /= 10;
            } while (v != 0);
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte t = bytes[i];
                bytes[i] = bytes[j];
                bytes[j] = t;
            }
            return this;
        }

        private void twoDigits(int v) {
            bytes[length++] = (byte) ('0' + v / 10);
            bytes[length++] = (byte) ('0' + v % 10);
        }

        /**
         * {@code yyyy-MM-dd<sep>HH:mm:ss[.SSS|.SSSSSS]<zone>} in UTC, or false (nothing written) for instants this does
         * not format (years outside 1..9999, sub-microsecond precision): the caller then writes the slow form.
         */
        public boolean instant(Instant instant, char separator, String zone, boolean alwaysMillis) {
            long seconds = instant.getEpochSecond();
            int nanos = instant.getNano();
            if (nanos % 1000 != 0 || seconds < -62_135_596_800L || seconds >= 253_402_300_800L) {
                return false;
            }
            long days = Math.floorDiv(seconds, 86_400L);
            int secOfDay = (int) Math.floorMod(seconds, 86_400L);
            // civil from days (H. Hinnant's algorithm)
            long z = days + 719_468;
            long era = Math.floorDiv(z, 146_097);
            long doe = z - era * 146_097;
            long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            int day = (int) (doy - (153 * mp + 2) / 5 + 1);
            int month = (int) (mp < 10 ? mp + 3 : mp - 9);
            int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
            ensure(40);
            bytes[length++] = (byte) ('0' + year / 1000);
            bytes[length++] = (byte) ('0' + year / 100 % 10);
            twoDigits(year % 100);
            bytes[length++] = '-';
            twoDigits(month);
            bytes[length++] = '-';
            twoDigits(day);
            bytes[length++] = (byte) separator;
            twoDigits(secOfDay / 3600);
            bytes[length++] = ':';
            twoDigits(secOfDay / 60 % 60);
            bytes[length++] = ':';
            twoDigits(secOfDay % 60);
            int micros = nanos / 1000;
            if (micros % 1000 == 0) {
                if (micros != 0 || alwaysMillis) {
                    int millis = micros / 1000;
                    bytes[length++] = '.';
                    bytes[length++] = (byte) ('0' + millis / 100);
                    twoDigits(millis % 100);
                }
            } else {
                bytes[length++] = '.';
                int div = 100_000;
                for (int i = 0; i < 6; i++) {
                    bytes[length++] = (byte) ('0' + micros / div % 10);
                    div /= 10;
                }
            }
            ascii(zone);
            return true;
        }

        /** A decimal in plain notation. */
        public Bytes decimal(BigDecimal d) {
            if (d.scale() >= 0 && d.scale() <= 18 && d.precision() <= 18) {
                long unscaled = d.unscaledValue().longValue();
                int scale = d.scale();
                if (scale == 0) {
                    return digits(unscaled);
                }
                if (unscaled < 0) {
                    put('-');
                    unscaled = -unscaled;
                }
                long pow = 1;
                for (int i = 0; i < scale; i++) {
                    pow *= 10;
                }
                digits(unscaled / pow);
                put('.');
                long frac = unscaled % pow;
                ensure(scale);
                for (long p = pow / 10; p >= 1; p /= 10) {
                    bytes[length++] = (byte) ('0' + frac / p % 10);
                }
                return this;
            }
            return ascii(d.toPlainString());
        }

        /**
         * UTF-8 of {@code s}; {@code quote} (if not 0) is doubled (CSV). With {@code tsv}, backslash, tab, newline,
         * carriage return and NUL are backslash-escaped (LOAD DATA). Lone surrogates become '?', as String.getBytes does.
         */
        public Bytes text(String s, char quote, boolean tsv) {
            int n = s.length();
            ensure(n * 2 + 2);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c == quote && quote != 0) {
                        ensure(2);
                        bytes[length++] = (byte) c;
                    } else if (tsv) {
                        char esc = switch (c) {
                            case '\\' -> '\\';
                            case '\t' -> 't';
                            case '\n' -> 'n';
                            case '\r' -> 'r';
                            case '\0' -> '0';
                            default -> 0;
                        };
                        if (esc != 0) {
                            ensure(2);
                            bytes[length++] = '\\';
                            c = esc;
                        }
                    }
                    ensure(1);
                    bytes[length++] = (byte) c;
                } else if (c < 0x800) {
                    ensure(2);
                    bytes[length++] = (byte) (0xc0 | (c >> 6));
                    bytes[length++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    int cp = Character.codePointAt(s, i);
                    ensure(4);
                    if (Character.isSupplementaryCodePoint(cp) && Character.isHighSurrogate(c)) {
                        bytes[length++] = (byte) (0xf0 | (cp >> 18));
                        bytes[length++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                        bytes[length++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                        bytes[length++] = (byte) (0x80 | (cp & 0x3f));
                        i++;
                    } else {
                        bytes[length++] = '?';
                    }
                } else {
                    ensure(3);
                    bytes[length++] = (byte) (0xe0 | (c >> 12));
                    bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    bytes[length++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            return this;
        }
    }
}
