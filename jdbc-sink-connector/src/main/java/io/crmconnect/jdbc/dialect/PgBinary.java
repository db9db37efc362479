package io.crmconnect.jdbc.dialect;

import io.crmconnect.jdbc.ColumnKind;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * PostgreSQL's binary COPY format for the column types whose wire form is unambiguous from the stage column's kind:
 * boolean, smallint, integer, bigint, double precision, numeric, text (and varchar/char), bytea, date, timestamp and
 * timestamptz (both 8-byte microseconds since 2000-01-01; the session runs in UTC). real, time, json/jsonb and unknown
 * types are left to CSV. The server applies each column's type modifier (numeric(p,s), varchar(n)) on receipt, as it
 * does for text.
 */
final class PgBinary {
    private static final byte[] HEADER = {
        'P',
        'G',
        'C',
        'O',
        'P',
        'Y',
        '\n',
        (byte) 0xff,
        '\r',
        '\n',
        0,
        0,
        0,
        0,
        0, // flags
        0,
        0,
        0,
        0
    }; // header extension length
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final long PG_EPOCH_DAYS = 10_957L;

    private PgBinary() {}

    /** Whether every column kind has a binary form here and every value is in the Java form it takes. */
    static boolean fits(ColumnKind[] kinds, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return false;
        }
        for (ColumnKind k : kinds) {
            if (k == null) {
                return false;
            }
            switch (k) {
                case BOOLEAN, INT16, INT32, INT64, FLOAT64, DECIMAL, STRING, BYTES, DATE, TIMESTAMP -> {}
                default -> {
                    return false;
                }
            }
        }
        for (Object[] row : rows) {
            if (row.length != kinds.length) {
                return false;
            }
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v != null && !fits(kinds[i], v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean fits(ColumnKind kind, Object v) {
        return switch (kind) {
            case BOOLEAN -> v instanceof Boolean;
            case INT16 -> v instanceof Long l && l >= Short.MIN_VALUE && l <= Short.MAX_VALUE;
            case INT32 -> v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
            case INT64 -> v instanceof Long;
            case FLOAT64 -> v instanceof Double;
            case DECIMAL -> v instanceof BigDecimal;
            case STRING -> v instanceof String;
            case BYTES -> v instanceof byte[];
            case DATE -> v instanceof LocalDate d && d.getYear() >= 1 && d.getYear() <= 9999;
            case TIMESTAMP ->
                v instanceof Instant t
                        && t.getNano() % 1000 == 0
                        && t.getEpochSecond() >= -62_135_596_800L
                        && t.getEpochSecond() < 253_402_300_800L;
            default -> false;
        };
    }

    static InputStream stream(ColumnKind[] kinds, List<Object[]> rows) {
        boolean[] first = {true};
        int[] left = {rows.size()};
        return new RowStream(rows, (out, row) -> {
            if (first[0]) {
                out.raw(HEADER, 0, HEADER.length);
                first[0] = false;
            }
            encode(out, kinds, row);
            if (--left[0] == 0) {
                out.int16(-1); // trailer
            }
        });
    }

    static void encode(RowStream.Bytes out, ColumnKind[] kinds, Object[] row) {
        out.int16(row.length);
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v == null) {
                out.int32(-1);
                continue;
            }
            switch (kinds[i]) {
                case BOOLEAN -> out.int32(1).put((Boolean) v ? (char) 1 : (char) 0);
                case INT16 -> out.int32(2).int16((int) (long) (Long) v);
                case INT32 -> out.int32(4).int32((int) (long) (Long) v);
                case INT64 -> out.int32(8).int64((Long) v);
                case FLOAT64 -> {
                    double d = (Double) v;
                    out.int32(8).int64(Double.doubleToLongBits(d == 0.0 ? 0.0 : d));
                }
                case DECIMAL -> numeric(out, (BigDecimal) v);
                case STRING -> out.lengthPrefixed(() -> out.text((String) v, (char) 0, false));
                case BYTES -> {
                    byte[] b = (byte[]) v;
                    out.int32(b.length).raw(b, 0, b.length);
                }
                case DATE -> out.int32(4).int32((int) (((LocalDate) v).toEpochDay() - PG_EPOCH_DAYS));
                case TIMESTAMP -> {
                    Instant t = (Instant) v;
                    out.int32(8).int64(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000 - PG_EPOCH_MICROS);
                }
                default -> throw new IllegalStateException("no binary form for " + kinds[i]);
            }
        }
    }

    private static final long[] POW10 = {1L, 10L, 100L, 1000L};
    private static final long FAST_LIMIT = 1_000_000_000_000_000L / 1000; // 10^15: |unscaled| * 10^3 fits a long

    /** numeric: int16 ndigits, int16 weight, int16 sign, int16 dscale, then base-10000 digits. */
    static void numeric(RowStream.Bytes out, BigDecimal value) {
        int scale = value.scale();
        // Fast path (the common case: money-like values): the unscaled value fits a long, so the base-10000 groups
        // come from long division instead of BigInteger text. Same bytes as numericGeneral (PgBinaryTest).
        if (scale >= 0 && scale <= 32 && value.precision() <= 18) {
            long u = value.unscaledValue().longValue();
            if (u == 0) {
                out.int32(8).int16(0).int16(0).int16(0).int16(scale);
                return;
            }
            int sign = u < 0 ? 0x4000 : 0;
            long abs = Math.abs(u);
            if (abs < FAST_LIMIT) {
                int pad = Math.floorMod(-scale, 4); // align the decimal point on a group boundary
                abs *= POW10[pad];
                int fracGroups = (scale + pad) / 4;
                short[] g = new short[Math.max(fracGroups, 0) + 6]; // least significant group first
                int k = 0;
                while (abs != 0 || k < fracGroups) {
                    g[k++] = (short) (abs % 10000);
                    abs /= 10000;
                }
                int lo = 0;
                while (g[lo] == 0) {
                    lo++;
                }
                int hi = k - 1;
                while (g[hi] == 0) {
                    hi--;
                }
                int n = hi - lo + 1;
                out.int32(8 + 2 * n).int16(n).int16(hi - fracGroups).int16(sign).int16(scale);
                for (int i = hi; i >= lo; i--) {
                    out.int16(g[i]);
                }
                return;
            }
        }
        numericGeneral(out, value);
    }

    /** Any BigDecimal, through the unscaled value's decimal text. */
    static void numericGeneral(RowStream.Bytes out, BigDecimal value) {
        BigDecimal d = value.scale() < 0 ? value.setScale(0) : value;
        int scale = d.scale();
        BigInteger unscaled = d.unscaledValue();
        int sign = unscaled.signum() < 0 ? 0x4000 : 0;
        String digits = unscaled.abs().toString();
        if (unscaled.signum() == 0) {
            out.int32(8).int16(0).int16(0).int16(0).int16(scale);
            return;
        }
        int intLen = digits.length() - scale; // digits before the decimal point (may be <= 0)
        int padLeft = Math.floorMod(-intLen, 4);
        int total = padLeft + digits.length();
        int padRight = Math.floorMod(-total, 4);
        int groups = (total + padRight) / 4;
        int weight = (intLen + padLeft) / 4 - 1;
        short[] g = new short[groups];
        for (int i = 0; i < groups; i++) {
            int v = 0;
            for (int j = 0; j < 4; j++) {
                int pos = i * 4 + j - padLeft; // index into digits
                v = v * 10 + (pos >= 0 && pos < digits.length() ? digits.charAt(pos) - '0' : 0);
            }
            g[i] = (short) v;
        }
        int from = 0;
        while (from < groups && g[from] == 0) {
            from++;
            weight--;
        }
        int to = groups;
        while (to > from && g[to - 1] == 0) {
            to--;
        }
        int n = to - from;
        out.int32(8 + 2 * n).int16(n).int16(weight).int16(sign).int16(scale);
        for (int i = from; i < to; i++) {
            out.int16(g[i]);
        }
    }
}
