package io.crmconnect.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.jdbc.ColumnKind;
import io.crmconnect.testharness.PostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The binary COPY path writes exactly what the CSV path writes, value for value, into a real PostgreSQL: both tables
 * are compared as text after loading the same tricky rows each way.
 */
class PgCopyIT {
    private static final String COLUMNS = "id bigint PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, "
            + "f8 double precision, n numeric(30,10), nn numeric, n184 numeric(18,4), s text, v varchar(40), "
            + "by bytea, d date, ts timestamptz, tsn timestamp";
    private static final List<String> NAMES =
            List.of("id", "b", "i2", "i4", "i8", "f8", "n", "nn", "n184", "s", "v", "by", "d", "ts", "tsn");
    private static final List<ColumnKind> KINDS = List.of(
            ColumnKind.INT64,
            ColumnKind.BOOLEAN,
            ColumnKind.INT16,
            ColumnKind.INT32,
            ColumnKind.INT64,
            ColumnKind.FLOAT64,
            ColumnKind.DECIMAL,
            ColumnKind.DECIMAL,
            ColumnKind.DECIMAL,
            ColumnKind.STRING,
            ColumnKind.STRING,
            ColumnKind.BYTES,
            ColumnKind.DATE,
            ColumnKind.TIMESTAMP,
            ColumnKind.TIMESTAMP);

    private final PostgresDialect pg = new PostgresDialect();

    private static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {
            1L,
            true,
            -32768L,
            2147483647L,
            Long.MIN_VALUE,
            1.5d,
            new BigDecimal("0"),
            new BigDecimal("12345678901234567890.123456789012"),
            new BigDecimal("12.5000"),
            "plain",
            "say \"hi\", ok",
            new byte[] {0, 1, (byte) 0xff},
            LocalDate.of(2024, 2, 29),
            Instant.parse("2023-11-14T22:13:20.001Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z")
        });
        rows.add(new Object[] {
            2L,
            false,
            0L,
            -1L,
            0L,
            -0.0d,
            new BigDecimal("-0.0000000001"),
            new BigDecimal("1E+7"),
            new BigDecimal("-99999999999999.9999"),
            "ünïcødé € \uD83D\uDE00 tab\tnl\ncr\r \\ back",
            "",
            new byte[0],
            LocalDate.of(1, 1, 1),
            Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z")
        });
        rows.add(new Object[] {
            3L,
            null,
            null,
            null,
            null,
            Double.NaN,
            new BigDecimal("0.00001"),
            new BigDecimal("100000000"),
            new BigDecimal("0.0001"),
            null,
            null,
            null,
            null,
            null,
            null
        });
        rows.add(new Object[] {
            4L,
            true,
            32767L,
            Integer.MIN_VALUE * 1L,
            Long.MAX_VALUE,
            1e300d,
            new BigDecimal("9999.99999"),
            new BigDecimal("-123.456e-20"),
            new BigDecimal("5"),
            "x",
            "y",
            new byte[] {42},
            LocalDate.of(1970, 1, 1),
            Instant.ofEpochSecond(0),
            Instant.ofEpochSecond(1_700_000_000L, 123_456_000)
        });
        return rows;
    }

    @Test
    void binaryCopyWritesWhatCsvCopyWrites() throws Exception {
        PostgresServer server = PostgresServer.shared();
        String db = server.createDatabase("pgcopy");
        try (Connection c = server.connect(db)) {
            c.createStatement().execute("SET TIME ZONE 'UTC'");
            c.createStatement().execute("CREATE TABLE viacsv (" + COLUMNS + ")");
            c.createStatement().execute("CREATE TABLE viabinary (" + COLUMNS + ")");
            List<Object[]> rows = rows();
            ColumnKind[] kinds = KINDS.toArray(new ColumnKind[0]);
            assertThat(PgBinary.fits(kinds, rows)).isTrue();

            Dialect.Stage csvStage = new Dialect.Stage("viacsv", "viacsv", NAMES, KINDS, List.of());
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(pg.copySql(csvStage), new RowStream(rows, pg::encodeCsv));
            // loadStage picks the binary path for these kinds and values
            assertThat(pg.loadStage(c, new Dialect.Stage("viabinary", "viabinary", NAMES, KINDS, List.of()), rows))
                    .isEqualTo(4);
        }
        String select = "SELECT "
                + String.join(
                        ", ", NAMES.stream().map(n -> n + "::text AS " + n).toList()) + " FROM %s ORDER BY id";
        List<Map<String, Object>> csv = server.query(db, select.formatted("viacsv"));
        List<Map<String, Object>> binary = server.query(db, select.formatted("viabinary"));
        assertThat(binary).hasSize(4).isEqualTo(csv);
        assertThat(binary.get(0).get("nn")).isEqualTo("12345678901234567890.123456789012");
        assertThat(binary.get(0).get("n184")).isEqualTo("12.5000");
        assertThat(binary.get(0).get("ts")).isEqualTo("2023-11-14 22:13:20.001+00");
        assertThat(binary.get(1).get("n")).isEqualTo("-0.0000000001");
        assertThat(binary.get(1).get("nn")).isEqualTo("10000000");
        assertThat(binary.get(1).get("s")).isEqualTo("ünïcødé € \uD83D\uDE00 tab\tnl\ncr\r \\ back");
        assertThat(binary.get(2).get("n")).isEqualTo("0.0000100000");
        assertThat(binary.get(3).get("nn")).isEqualTo("-0.00000000000000000123456");
        assertThat(binary.get(3).get("tsn")).isEqualTo("2023-11-14 22:13:20.123456");
    }

    @Test
    void valuesTheBinaryFormCannotTakeFallBackToCsv() {
        ColumnKind[] kinds = {ColumnKind.INT16, ColumnKind.STRING};
        assertThat(PgBinary.fits(kinds, List.<Object[]>of(new Object[] {5L, "a"})))
                .isTrue();
        assertThat(PgBinary.fits(kinds, List.<Object[]>of(new Object[] {70_000L, "a"})))
                .isFalse(); // server reports
        assertThat(PgBinary.fits(kinds, List.<Object[]>of(new Object[] {5L, 7L})))
                .isFalse();
        assertThat(PgBinary.fits(new ColumnKind[] {ColumnKind.JSON}, List.<Object[]>of(new Object[] {null})))
                .isFalse();
        assertThat(PgBinary.fits(
                        new ColumnKind[] {ColumnKind.TIMESTAMP},
                        List.<Object[]>of(new Object[] {Instant.ofEpochSecond(0, 1)})))
                .isFalse();
    }
}
