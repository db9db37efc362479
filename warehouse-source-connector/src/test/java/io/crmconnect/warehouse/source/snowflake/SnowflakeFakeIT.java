package io.crmconnect.warehouse.source.snowflake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Transaction;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.warehouse.source.LoopbackGuard;
import io.crmconnect.warehouse.source.core.CaptureConfig;
import io.crmconnect.warehouse.source.core.CaptureMetrics;
import io.crmconnect.warehouse.source.core.ColumnType;
import io.crmconnect.warehouse.source.core.Emit;
import io.crmconnect.warehouse.source.core.RecordFactory;
import io.crmconnect.warehouse.source.core.TableCapture;
import io.crmconnect.warehouse.source.core.TableSpec;
import io.crmconnect.warehouse.source.core.WarehouseError;
import java.math.BigDecimal;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Snowflake JDBC driver against the Snowflake fake on loopback: key-pair and password sign-in, the
 * connector's snapshot / CHANGES / watermark SQL, type decoding and error classification, with a JVM guard that
 * refuses (and records) any connection outside loopback.
 */
class SnowflakeFakeIT {
    static Warehouse wh;
    static SnowflakeFake fake;
    static KeyPair keys;

    @BeforeAll
    static void start() throws Exception {
        LoopbackGuard.install();
        wh = new Warehouse();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        fake = new SnowflakeFake(wh, "myorg-acct")
                .keyPairUser("CONNECT_SVC", keys.getPublic())
                .passwordUser("LEGACY", "s3cret");
        wh.createTable(
                "USERS",
                List.of(
                        Column.number("ID", 18, 0),
                        Column.of("EMAIL", "TEXT"),
                        Column.number("SCORE", 10, 2),
                        Column.of("ACTIVE", "BOOLEAN"),
                        Column.of("BORN", "DATE"),
                        Column.of("SEEN_NTZ", "TIMESTAMP_NTZ"),
                        Column.of("UPDATED_AT", "TIMESTAMP_LTZ"),
                        Column.of("SEEN_TZ", "TIMESTAMP_TZ"),
                        Column.of("ATTRS", "VARIANT")),
                List.of("ID"),
                Duration.ofDays(1),
                true);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    static Map<String, String> props(String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put(SnowflakeSourceConfig.URL, "http://127.0.0.1:" + fake.port());
        p.put(SnowflakeSourceConfig.ACCOUNT, "myorg-acct");
        p.put(SnowflakeSourceConfig.USER, "connect_svc");
        p.put(
                SnowflakeSourceConfig.PRIVATE_KEY,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----");
        p.put(SnowflakeSourceConfig.WAREHOUSE, "WH");
        p.put(SnowflakeSourceConfig.DISABLE_PLATFORM_DETECTION, "true");
        p.put(SnowflakeSourceConfig.DISABLE_OCSP_CHECKS, "true");
        p.put(CaptureConfig.TABLES, "USERS:ID");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    static Object[] row(long id, String email, Instant t) {
        return new Object[] {
            id,
            email,
            new BigDecimal("12.50"),
            true,
            LocalDate.of(1990, 2, 3),
            LocalDateTime.of(2026, 8, 1, 10, 0, 0, 123_456_789),
            t,
            OffsetDateTime.parse("2026-08-01T10:00:00-04:00"),
            "{\"tier\":\"gold\"}"
        };
    }

    @Test
    void keyPairAndLegacyPasswordSignInAndAWrongKeyIsRefused() throws Exception {
        try (Connection c = SnowflakeSession.open(new SnowflakeSourceConfig(props()))) {
            assertThat(new SnowflakeChangeSource(TableSpec.parse("t", "USERS:ID"), () -> c).serverNow())
                    .isCloseTo(wh.clock().now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.SECONDS));
        }
        try (Connection c = SnowflakeSession.open(new SnowflakeSourceConfig(props(
                SnowflakeSourceConfig.AUTH,
                "password",
                SnowflakeSourceConfig.USER,
                "legacy",
                SnowflakeSourceConfig.PASSWORD,
                "s3cret")))) {
            assertThat(c.isClosed()).isFalse();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        Map<String, String> wrong = props();
        wrong.put(
                SnowflakeSourceConfig.PRIVATE_KEY,
                Base64.getEncoder()
                        .encodeToString(g.generateKeyPair().getPrivate().getEncoded()));
        long failed = fake.failedLogins();
        assertThatThrownBy(() -> SnowflakeSession.open(new SnowflakeSourceConfig(wrong)))
                .isInstanceOfSatisfying(
                        WarehouseError.class, e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.PERMANENT))
                .hasMessageContaining("390100");
        assertThat(fake.failedLogins()).isEqualTo(failed + 1);
        assertThat(LoopbackGuard.blocked()).isEmpty();
    }

    @Test
    void snapshotChangesAndTypesThroughTheOfficialDriver() throws Exception {
        Instant base = wh.clock().now();
        Transaction tx = wh.begin();
        for (long i = 1; i <= 5; i++) {
            tx.insert("USERS", row(i, "u" + i + "@x.io", base));
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(2));
        SnowflakeSourceConfig config = new SnowflakeSourceConfig(props(
                CaptureConfig.CHUNK_ROWS, "2", CaptureConfig.POLL_INTERVAL_MS, "0", CaptureConfig.CHANGES_LAG_MS, "0"));
        try (Connection c = SnowflakeSession.open(config)) {
            TableSpec spec = TableSpec.parse("t", "USERS:ID");
            TableCapture cap = new TableCapture(
                    spec,
                    new SnowflakeChangeSource(spec, () -> c),
                    CaptureConfig.settings(config),
                    new CaptureMetrics(Optional.empty()));
            List<Emit> emits = drain(cap);
            assertThat(emits).extracting(e -> e.key()[0]).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(cap.columns())
                    .extracting(col -> col.type())
                    .containsExactly(
                            ColumnType.INTEGER,
                            ColumnType.STRING,
                            ColumnType.DECIMAL,
                            ColumnType.BOOLEAN,
                            ColumnType.DATE,
                            ColumnType.TIMESTAMP_NTZ,
                            ColumnType.TIMESTAMP,
                            ColumnType.TIMESTAMP_TZ,
                            ColumnType.JSON);
            RecordFactory rf = new RecordFactory("snowflake", spec, "snowflake.users", cap.columns(), true);
            SourceRecord r = rf.record(emits.get(0), 0);
            Struct v = (Struct) r.value();
            assertThat(v.get("email")).isEqualTo("u1@x.io");
            assertThat(v.get("score")).isEqualTo(new BigDecimal("12.50"));
            assertThat(v.get("active")).isEqualTo(true);
            assertThat(((Date) v.get("born")).toInstant()).isEqualTo(Instant.parse("1990-02-03T00:00:00Z"));
            assertThat(((Date) v.get("seen_ntz")).toInstant()).isEqualTo(Instant.parse("2026-08-01T10:00:00.123Z"));
            assertThat(((Date) v.get("updated_at")).getTime()).isEqualTo(base.toEpochMilli());
            assertThat(v.get("seen_tz")).isEqualTo("2026-08-01T14:00Z");
            assertThat(v.get("attrs")).isEqualTo("{\"tier\":\"gold\"}");
            assertThat(((Struct) r.key()).get("id")).isEqualTo(1L);

            Transaction late = wh.begin();
            late.update("USERS", 1L, "EMAIL", "late@x.io");
            wh.clock().advance(Duration.ofSeconds(1));
            wh.begin().update("USERS", 2L, "ID", 20L).commit();
            wh.begin().delete("USERS", 3L).commit();
            wh.clock().advance(Duration.ofSeconds(2));
            List<Emit> changes = drain(cap);
            late.commit();
            wh.clock().advance(Duration.ofSeconds(2));
            changes.addAll(drain(cap));
            assertThat(changes)
                    .extracting(e -> e.key()[0] + ":" + e.change())
                    .containsExactly("2:delete", "3:delete", "20:upsert", "1:upsert");
            assertThat(changes.get(3).values()[1]).isEqualTo("late@x.io");
            assertThat(fake.statementCounts()).containsKeys("SNAPSHOT", "CHANGES", "CURRENT_TIMESTAMP");
        }
        assertThat(LoopbackGuard.blocked()).isEmpty();
    }

    @Test
    void aPositionOutsideTimeTravelIsClassifiedAsSuch() throws Exception {
        SnowflakeSourceConfig config = new SnowflakeSourceConfig(props());
        try (Connection c = SnowflakeSession.open(config)) {
            SnowflakeChangeSource src = new SnowflakeChangeSource(TableSpec.parse("t", "USERS:ID"), () -> c);
            Instant old = wh.clock().now().minus(Duration.ofDays(3));
            assertThatThrownBy(() -> src.changes(old, wh.clock().now(), false, null, 10))
                    .isInstanceOfSatisfying(
                            WarehouseError.class,
                            e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE));
            assertThatThrownBy(() -> new SnowflakeChangeSource(TableSpec.parse("t", "NOPE:ID"), () -> c).columns())
                    .isInstanceOfSatisfying(
                            WarehouseError.class, e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.PERMANENT))
                    .hasMessageContaining("does not exist");
        }
    }

    static List<Emit> drain(TableCapture cap) {
        List<Emit> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            var before = cap.position();
            List<Emit> e = cap.step(0);
            out.addAll(e);
            if (e.isEmpty() && before != null && before.equals(cap.position())) {
                return out;
            }
        }
        throw new AssertionError("did not settle");
    }
}
