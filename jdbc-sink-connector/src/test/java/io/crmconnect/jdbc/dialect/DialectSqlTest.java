package io.crmconnect.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.jdbc.ColumnDef;
import io.crmconnect.jdbc.ColumnKind;
import io.crmconnect.jdbc.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Golden SQL strings for both dialects: quoting, DDL, stage, merges. */
class DialectSqlTest {
    private final PostgresDialect pg = new PostgresDialect();
    private final MariaDbDialect maria = new MariaDbDialect();
    private final Dialect.Stage stage = new Dialect.Stage(
            "crm_stage_x",
            "Order",
            List.of("id", "Email", "total"),
            List.of(ColumnKind.INT64, ColumnKind.STRING, ColumnKind.DECIMAL),
            List.of(Dialect.OP));

    @Test
    void quotesEveryIdentifierIncludingReservedWordsAndEmbeddedQuotes() {
        assertThat(pg.quote("order")).isEqualTo("\"order\"");
        assertThat(pg.quote("Email")).isEqualTo("\"Email\"");
        assertThat(pg.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(maria.quote("order")).isEqualTo("`order`");
        assertThat(maria.quote("we`ird")).isEqualTo("`we``ird`");
    }

    @Test
    void postgresUpsertIsOneInsertSelectOnConflict() {
        Map<String, String> computed = new LinkedHashMap<>();
        computed.put("_crm_synced_at", "now()");
        assertThat(pg.insertFromStage(
                        "Order",
                        stage,
                        List.of("id"),
                        List.of("Email", "total"),
                        computed,
                        true,
                        "s.\"_crm_op\" = 'u'"))
                .isEqualTo("INSERT INTO \"Order\" (\"id\", \"Email\", \"total\", \"_crm_synced_at\") SELECT s.\"id\", "
                        + "s.\"Email\", s.\"total\", now() FROM \"crm_stage_x\" s WHERE s.\"_crm_op\" = 'u' "
                        + "ON CONFLICT (\"id\") DO UPDATE SET \"Email\" = EXCLUDED.\"Email\", \"total\" = "
                        + "EXCLUDED.\"total\", \"_crm_synced_at\" = EXCLUDED.\"_crm_synced_at\"");
    }

    @Test
    void postgresInsertModeDoesNothingOnConflictAndKeylessHasNoConflictClause() {
        assertThat(pg.insertFromStage("Order", stage, List.of("id"), List.of("Email", "total"), Map.of(), false, null))
                .endsWith("FROM \"crm_stage_x\" s ON CONFLICT (\"id\") DO NOTHING");
        assertThat(pg.insertFromStage("Order", stage, List.of(), List.of(), Map.of(), false, null))
                .isEqualTo("INSERT INTO \"Order\" (\"id\", \"Email\", \"total\") SELECT s.\"id\", s.\"Email\", "
                        + "s.\"total\" FROM \"crm_stage_x\" s");
    }

    @Test
    void postgresUpdateAndDeleteJoinTheStage() {
        assertThat(pg.updateFromStage("Order", stage, List.of("id"), List.of("Email"), Map.of(), "s.\"_crm_op\" = 'u'"))
                .isEqualTo("UPDATE \"Order\" AS t SET \"Email\" = s.\"Email\" FROM \"crm_stage_x\" s WHERE "
                        + "t.\"id\" = s.\"id\" AND s.\"_crm_op\" = 'u'");
        assertThat(pg.deleteFromStage("Order", stage, List.of("id"), "s.\"_crm_op\" = 'd'"))
                .isEqualTo("DELETE FROM \"Order\" AS t USING \"crm_stage_x\" s WHERE t.\"id\" = s.\"id\" AND "
                        + "s.\"_crm_op\" = 'd'");
    }

    @Test
    void postgresStageCopiesTargetTypesAndIsFilledByCopyCsv() {
        assertThat(pg.createStage(stage))
                .isEqualTo("CREATE TEMP TABLE IF NOT EXISTS \"crm_stage_x\" ON COMMIT DELETE "
                        + "ROWS AS SELECT t.\"id\", t.\"Email\", t.\"total\", NULL::text AS \"_crm_op\" FROM \"Order\" t "
                        + "WITH NO DATA");
        assertThat(pg.copySql(stage))
                .isEqualTo(
                        "COPY \"crm_stage_x\" (\"id\", \"Email\", \"total\", \"_crm_op\") FROM STDIN WITH (FORMAT csv)");
        RowStream.Bytes csv = new RowStream.Bytes(4);
        pg.encodeCsv(csv, new Object[] {5L, "say \"hi\",\nbye", null, ""});
        assertThat(utf8(csv)).isEqualTo("5,\"say \"\"hi\"\",\nbye\",,\"\"\n");
    }

    @Test
    void postgresCreateTableHasPrimaryKeyAndProperTypes() {
        List<ColumnDef> cols = List.of(
                new ColumnDef("id", ColumnKind.INT64, -1, -1, true),
                ColumnDef.of("Email", ColumnKind.STRING),
                new ColumnDef("amount", ColumnKind.DECIMAL, 10, 2, false),
                ColumnDef.of("order", ColumnKind.JSON),
                ColumnDef.of("at", ColumnKind.TIMESTAMP));
        assertThat(pg.createTable("Contacts", cols, List.of("id"), Set.of()))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS \"Contacts\" (\"id\" bigint NOT NULL, \"Email\" text, \"amount\" "
                                + "numeric(10,2), \"order\" jsonb, \"at\" timestamptz, PRIMARY KEY (\"id\"))");
        assertThat(pg.addColumn("Contacts", ColumnDef.of("new", ColumnKind.BOOLEAN), false))
                .isEqualTo("ALTER TABLE \"Contacts\" ADD COLUMN IF NOT EXISTS \"new\" boolean");
        assertThat(pg.widenColumn("Contacts", "n", "numeric"))
                .isEqualTo("ALTER TABLE \"Contacts\" ALTER COLUMN \"n\" TYPE numeric USING \"n\"::numeric");
    }

    @Test
    void mariaDbUpsertUsesTextStageAndOnDuplicateKeyUpdate() {
        Map<String, String> computed = new LinkedHashMap<>();
        computed.put("_crm_synced_at", "UTC_TIMESTAMP(3)");
        assertThat(maria.insertFromStage(
                        "Order", stage, List.of("id"), List.of("Email", "total"), computed, true, "s.`_crm_op` = 'u'"))
                .isEqualTo(
                        "INSERT INTO `Order` (`id`, `Email`, `total`, `_crm_synced_at`) SELECT s.`id`, s.`Email`, s.`total`, "
                                + "UTC_TIMESTAMP(3) FROM `crm_stage_x` s WHERE s.`_crm_op` = 'u' ON DUPLICATE KEY UPDATE "
                                + "`Email` = VALUES(`Email`), `total` = VALUES(`total`), `_crm_synced_at` = "
                                + "VALUES(`_crm_synced_at`)");
        assertThat(maria.insertFromStage("Order", stage, List.of("id"), List.of("Email"), Map.of(), false, null))
                .endsWith("ON DUPLICATE KEY UPDATE `Order`.`id` = `Order`.`id`");
    }

    @Test
    void mariaDbJoinsCastTextKeysToTheTargetType() {
        assertThat(maria.deleteFromStage("Order", stage, List.of("id"), "s.`_crm_op` = 'd'"))
                .isEqualTo("DELETE t FROM `Order` t JOIN `crm_stage_x` s ON t.`id` = CAST(s.`id` AS SIGNED) WHERE "
                        + "s.`_crm_op` = 'd'");
        assertThat(maria.updateFromStage("Order", stage, List.of("id"), List.of("Email"), Map.of(), null))
                .isEqualTo("UPDATE `Order` t JOIN `crm_stage_x` s ON t.`id` = CAST(s.`id` AS SIGNED) SET t.`Email` = "
                        + "s.`Email`");
    }

    @Test
    void mariaDbStageIsTextAndLoadedFromAStream() {
        assertThat(maria.createStage(stage))
                .isEqualTo("CREATE TEMPORARY TABLE IF NOT EXISTS `crm_stage_x` (`id` "
                        + "LONGTEXT NULL, `Email` LONGTEXT NULL, `total` LONGTEXT NULL, `_crm_op` VARCHAR(255) NULL) "
                        + "ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        assertThat(maria.loadSql(stage))
                .isEqualTo("LOAD DATA LOCAL INFILE 'crmconnect-stage.tsv' INTO TABLE "
                        + "`crm_stage_x` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED "
                        + "BY '\\n' (`id`, `Email`, `total`, `_crm_op`)");
        RowStream.Bytes tsv = new RowStream.Bytes(4);
        maria.encodeTsv(tsv, new Object[] {1L, "a\tb\\c\nd", null, true});
        assertThat(utf8(tsv)).isEqualTo("1\ta\\tb\\\\c\\nd\t\\N\t1\n");
    }

    @Test
    void mariaDbCreateTableUsesBinaryCollationAndIndexableKeys() {
        List<ColumnDef> cols = List.of(
                new ColumnDef("id", ColumnKind.STRING, -1, -1, true),
                ColumnDef.of("bio", ColumnKind.STRING),
                ColumnDef.of("updatedAt", ColumnKind.STRING),
                new ColumnDef("amount", ColumnKind.DECIMAL, -1, 4, false),
                ColumnDef.of("tags", ColumnKind.JSON));
        assertThat(maria.createTable("c", cols, List.of("id"), Set.of("updatedAt")))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS `c` (`id` VARCHAR(255) NOT NULL, `bio` LONGTEXT NULL, `updatedAt` "
                                + "VARCHAR(255) NULL, `amount` DECIMAL(38,4) NULL, `tags` JSON NULL, PRIMARY KEY (`id`)) "
                                + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    }

    @Test
    void valuesBecomeDialectText() {
        Instant at = Instant.parse("2024-03-01T10:15:30.123Z");
        assertThat(pg.text(at)).isEqualTo("2024-03-01T10:15:30.123Z");
        assertThat(maria.text(at)).isEqualTo("2024-03-01 10:15:30.123");
        assertThat(pg.text(true)).isEqualTo("true");
        assertThat(maria.text(true)).isEqualTo("1");
        assertThat(pg.text(new byte[] {1, (byte) 0xff})).isEqualTo("\\x01ff");
        assertThat(maria.text(new byte[] {1, (byte) 0xff})).isEqualTo("01ff");
        assertThat(pg.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(pg.text(2.5d)).isEqualTo("2.5");
        assertThat(pg.text(3.0d)).isEqualTo("3");
        assertThat(pg.text(LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(pg.text(LocalTime.of(23, 59, 1, 5_000_000))).isEqualTo("23:59:01.005");
        assertThat(pg.text(new JsonText("{\"a\":1}"))).isEqualTo("{\"a\":1}");
    }

    @Test
    void classifiesErrorsAsTransientDataOrFatal() {
        assertThat(pg.isTransient(new SQLException("gone", "08006"))).isTrue();
        assertThat(pg.isTransient(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(pg.isTransient(new SQLException("serialization", "40001"))).isTrue();
        assertThat(pg.isTransient(new SQLException("admin shutdown", "57P01"))).isTrue();
        assertThat(pg.isTransient(new SQLException("too long", "22001"))).isFalse();
        assertThat(pg.isDataError(new SQLException("too long", "22001"))).isTrue();
        assertThat(pg.isDataError(new SQLException("not null", "23502"))).isTrue();
        assertThat(pg.isDataError(new SQLException("permission", "42501"))).isFalse();
        assertThat(pg.isTransient(new SQLException("permission", "42501"))).isFalse();

        assertThat(pg.isTransient(new SQLException("canceling statement due to statement timeout", "57014")))
                .isTrue();
        assertThat(pg.isTransient(new SQLException("canceling statement due to lock timeout", "55P03")))
                .isTrue();
        assertThat(maria.isTransient(new SQLException("max_statement_time exceeded", "70100", 1969)))
                .isTrue();
        assertThat(maria.isTransient(new SQLException("deadlock", "40001", 1213)))
                .isTrue();
        assertThat(maria.isTransient(new SQLException("lock wait", "HY000", 1205)))
                .isTrue();
        assertThat(maria.isTransient(new SQLTransientConnectionException("lost", "08S01")))
                .isTrue();
        assertThat(maria.isTransient(new SQLException("gone away", "HY000", 2006)))
                .isTrue();
        assertThat(maria.isDataError(new SQLException("Data too long", "22001", 1406)))
                .isTrue();
        assertThat(maria.isDataError(new SQLException("Incorrect integer value", "HY000", 1366)))
                .isTrue();
        assertThat(maria.isDataError(new SQLException("cannot be null", "23000", 1048)))
                .isTrue();
        assertThat(maria.isDataError(new SQLException("denied", "42000", 1142))).isFalse();
    }

    @Test
    void longIndexNamesKeepAHashSuffixWithinTheLimit() {
        String name = pg.indexName("a_very_long_table_name_that_goes_on_and_on_forever", "updatedAt_idx");
        assertThat(name).hasSize(63).startsWith("a_very_long_table_name").matches(".*_[0-9a-f]{8}");
        assertThat(maria.indexName("t", "x_idx")).isEqualTo("t_x_idx");
    }

    private static String utf8(RowStream.Bytes bytes) {
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    /** The fast byte encoders write the same text as {@link Dialect#text} for every kind (the slow, obvious form). */
    @Test
    void byteEncodersWriteWhatTheTextFormSays() {
        List<Object> values = List.of(
                0L,
                -1L,
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                1234567890123L,
                new BigDecimal("0.0001"),
                new BigDecimal("-12.5000"),
                new BigDecimal("123456789012345.678"),
                new BigDecimal("1E+3"),
                new BigDecimal("-0.5"),
                new BigDecimal("12345678901234567890.123456789"),
                Instant.ofEpochMilli(1_700_000_000_001L),
                Instant.ofEpochSecond(0),
                Instant.ofEpochSecond(-1, 500_000),
                Instant.parse("1969-12-31T23:59:59.999Z"),
                Instant.parse("2024-02-29T12:00:00.123456Z"),
                Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
                Instant.parse("+10000-01-01T00:00:00Z"),
                "plain",
                "ünïcødé €",
                "emoji \uD83D\uDE00 pair",
                "lone \uD800 surrogate",
                "tab\tnew\nline\rcr\\bs\0nul",
                "\"quoted\"",
                "",
                true,
                false,
                1.5d,
                3.0d,
                LocalDate.of(2024, 2, 29),
                LocalTime.of(13, 5, 7, 250_000_000),
                new byte[] {1, (byte) 0xff},
                new JsonText("{\"a\":\"b\\\"c\"}"));
        for (Object v : values) {
            RowStream.Bytes csv = new RowStream.Bytes(1);
            pg.encodeCsv(csv, new Object[] {v});
            String text = sameAsGetBytes(pg.text(v));
            String csvText = utf8(csv);
            if (csvText.startsWith("\"")) {
                assertThat(csvText).as("CSV of %s", v).isEqualTo("\"" + text.replace("\"", "\"\"") + "\"\n");
            } else {
                assertThat(csvText).as("CSV of %s", v).isEqualTo(text + "\n");
            }
            RowStream.Bytes tsv = new RowStream.Bytes(1);
            maria.encodeTsv(tsv, new Object[] {v});
            String expected = sameAsGetBytes(maria.text(v))
                    .replace("\\", "\\\\")
                    .replace("\t", "\\t")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                    .replace("\0", "\\0");
            assertThat(utf8(tsv)).as("TSV of %s", v).isEqualTo(expected + "\n");
        }
    }

    /** What String.getBytes(UTF_8) makes of a string (a lone surrogate becomes '?'). */
    private static String sameAsGetBytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Test
    void rowStreamHandsOutEveryRowAcrossBufferRefills() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (long i = 0; i < 20_000; i++) {
            rows.add(new Object[] {i, "row " + i});
            expected.append(i).append(",\"row ").append(i).append("\"\n");
        }
        byte[] all = new RowStream(rows, pg::encodeCsv).readAllBytes();
        assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }
}
