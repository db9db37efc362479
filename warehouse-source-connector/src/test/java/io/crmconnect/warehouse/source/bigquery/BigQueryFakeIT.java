package io.crmconnect.warehouse.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.bigquery.BigQueryFake;
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
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
 * The official BigQuery client (google-cloud-bigquery) against the BigQuery REST fake on loopback: jobs.insert,
 * tabledata.list paging of the job's result table, jobs.query for the server clock, tables.get for the schema, typed
 * NUMERIC / BIGNUMERIC / REPEATED / RECORD values, CHANGES and APPENDS intervals, watermark reads with a first full
 * pass over empty watermarks, service-account sign-in through the fake's token endpoint, error classification; a
 * JVM guard refuses (and records) any connection outside loopback, so no metadata server is asked.
 */
class BigQueryFakeIT {
    static Warehouse wh;
    static BigQueryFake fake;

    @BeforeAll
    static void start() throws Exception {
        LoopbackGuard.install();
        wh = new Warehouse();
        fake = new BigQueryFake(wh, "acme-analytics").pageRows(3);
        wh.createTable(
                "crm.patients",
                List.of(
                        Column.of("patient_id", "INT64"),
                        Column.of("email", "STRING"),
                        Column.of("balance", "NUMERIC"),
                        Column.of("big", "BIGNUMERIC"),
                        Column.repeated("tags", "STRING"),
                        Column.record("address", List.of(Column.of("city", "STRING"), Column.of("zip", "STRING"))),
                        Column.of("born", "DATE"),
                        Column.of("seen", "DATETIME"),
                        Column.of("updated_at", "TIMESTAMP"),
                        Column.of("active", "BOOL")),
                List.of("patient_id"),
                Duration.ofDays(7),
                true);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    static Map<String, String> props(String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put(BigQuerySourceConfig.PROJECT, "acme-analytics");
        p.put(BigQuerySourceConfig.ROOT_URL, fake.rootUrl());
        p.put(BigQuerySourceConfig.AUTH, "none");
        p.put(CaptureConfig.TABLES, "crm.patients:patient_id");
        p.put(CaptureConfig.CHUNK_ROWS, "4");
        p.put(CaptureConfig.POLL_INTERVAL_MS, "0");
        p.put(CaptureConfig.CHANGES_LAG_MS, "0");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    static Object[] row(long id, String email, Instant updated) {
        return new Object[] {
            id,
            email,
            new BigDecimal("12.5"),
            new BigDecimal("123456789012345678901234567890.5"),
            List.of("vip", "ny"),
            List.of("New York", "10001"),
            LocalDate.of(1980, 5, 6),
            LocalDateTime.of(2026, 3, 4, 9, 30, 0, 123_456_000),
            updated,
            true
        };
    }

    static TableCapture capture(BigQuerySourceConfig config, String entry) {
        TableSpec spec = TableSpec.parse("t", entry);
        return new TableCapture(
                spec,
                new BigQueryChangeSource(spec, () -> BigQueryClients.open(config), "acme-analytics", 0),
                CaptureConfig.settings(config),
                new CaptureMetrics(Optional.empty()));
    }

    @Test
    void snapshotChangesAndTypesThroughTheOfficialClient() {
        Instant base = wh.clock().now();
        Transaction tx = wh.begin();
        for (long i = 1; i <= 7; i++) {
            tx.insert("crm.patients", row(i, "p" + i + "@example.com", base));
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(2));
        BigQuerySourceConfig config = new BigQuerySourceConfig(props());
        TableCapture cap = capture(config, "crm.patients:patient_id");
        List<Emit> snapshot = drain(cap);
        assertThat(snapshot).extracting(e -> e.key()[0]).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(cap.columns())
                .extracting(c -> c.type())
                .containsExactly(
                        ColumnType.INTEGER,
                        ColumnType.STRING,
                        ColumnType.DECIMAL,
                        ColumnType.DECIMAL,
                        ColumnType.ARRAY,
                        ColumnType.STRUCT,
                        ColumnType.DATE,
                        ColumnType.TIMESTAMP_NTZ,
                        ColumnType.TIMESTAMP,
                        ColumnType.BOOLEAN);
        RecordFactory rf = new RecordFactory("bigquery", cap.spec(), "bigquery.patients", cap.columns(), false);
        SourceRecord r = rf.record(snapshot.get(0), 0);
        Struct v = (Struct) r.value();
        assertThat(v.get("balance")).isEqualTo(new BigDecimal("12.500000000"));
        assertThat(rf.valueSchema().field("balance").schema().parameters())
                .containsEntry("connect.decimal.precision", "38");
        assertThat(((BigDecimal) v.get("big")).stripTrailingZeros())
                .isEqualTo(new BigDecimal("123456789012345678901234567890.5"));
        assertThat(v.getArray("tags")).containsExactly("vip", "ny");
        assertThat(v.getStruct("address").get("city")).isEqualTo("New York");
        assertThat(((Date) v.get("born")).toInstant()).isEqualTo(Instant.parse("1980-05-06T00:00:00Z"));
        assertThat(((Date) v.get("seen")).toInstant()).isEqualTo(Instant.parse("2026-03-04T09:30:00.123Z"));
        assertThat(((Date) v.get("updated_at")).getTime()).isEqualTo(base.toEpochMilli());
        assertThat(((Struct) r.key()).get("patient_id")).isEqualTo(1L);

        wh.begin().update("crm.patients", 1L, "email", "changed@example.com").commit();
        wh.begin().delete("crm.patients", 2L).commit();
        wh.insert("crm.patients", row(8L, "p8@example.com", wh.clock().now()));
        wh.insert("crm.patients", row(9L, "gone@example.com", wh.clock().now()));
        wh.begin().delete("crm.patients", 9L).commit();
        wh.clock().advance(Duration.ofSeconds(2));
        List<Emit> changes = drain(cap);
        assertThat(changes)
                .extracting(e -> e.key()[0] + ":" + e.change())
                .containsExactly("1:upsert", "2:delete", "8:upsert", "9:delete");
        assertThat(changes.get(0).values()[1]).isEqualTo("changed@example.com");
        // paging: 3-row pages of each job's result table through tabledata.list; the clock through jobs.query
        assertThat(fake.calls()).containsKeys("jobs.insert", "tabledata.list", "tables.get", "jobs.query");
        assertThat(fake.calls().get("tabledata.list"))
                .isGreaterThan(fake.calls().get("jobs.insert"));

        BigQuerySourceConfig appends = new BigQuerySourceConfig(props(CaptureConfig.MODE, "append_only"));
        TableCapture app = capture(appends, "crm.patients:patient_id");
        drain(app);
        wh.begin().update("crm.patients", 3L, "email", "ignored@example.com").commit();
        wh.insert("crm.patients", row(10L, "p10@example.com", wh.clock().now()));
        wh.clock().advance(Duration.ofSeconds(2));
        assertThat(drain(app)).extracting(e -> e.key()[0] + ":" + e.change()).containsExactly("10:upsert");
        assertThat(LoopbackGuard.blocked()).isEmpty();
    }

    @Test
    void watermarkModeReadsEmptyWatermarksFirstThenDeltasUpToServerTimeMinusTheDelay() {
        wh.createTable(
                "crm.roi",
                List.of(
                        Column.of("roi_id", "STRING"),
                        Column.of("status", "STRING"),
                        Column.of("updated_at", "TIMESTAMP")),
                List.of("roi_id"),
                Duration.ofDays(7),
                false);
        Instant t = wh.clock().now();
        wh.insert(
                "crm.roi",
                new Object[] {"R1", "Open", null},
                new Object[] {"R2", "Open", t},
                new Object[] {"R3", "Open", null},
                new Object[] {"R4", "Open", null},
                new Object[] {"R5", "Open", null},
                new Object[] {"R6", "Open", t});
        wh.clock().advance(Duration.ofMinutes(2));
        BigQuerySourceConfig config = new BigQuerySourceConfig(props(
                CaptureConfig.MODE,
                "watermark",
                CaptureConfig.TABLES,
                "crm.roi:roi_id@updated_at",
                CaptureConfig.WATERMARK_DELAY_MS,
                "60000"));
        TableCapture cap = capture(config, "crm.roi:roi_id@updated_at");
        assertThat(drain(cap)).extracting(e -> e.key()[0]).containsExactly("R1", "R3", "R4", "R5", "R2", "R6");
        Instant now = wh.clock().now();
        wh.begin().update("crm.roi", "R1", "updated_at", now).commit();
        wh.begin().update("crm.roi", "R3", "updated_at", now.minusSeconds(90)).commit();
        assertThat(drain(cap)).extracting(e -> e.key()[0]).containsExactly("R3"); // R1 is inside the delay
        wh.clock().advance(Duration.ofSeconds(61));
        assertThat(drain(cap)).extracting(e -> e.key()[0]).containsExactly("R1");
        assertThat(LoopbackGuard.blocked()).isEmpty();
    }

    @Test
    void serviceAccountKeySignsInThroughTheTokenEndpoint() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder()
                        .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Map<String, String> key = new HashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "acme-analytics");
        key.put("private_key_id", "k1");
        key.put("private_key", pem);
        key.put("client_email", "crm-connect@acme-analytics.iam.gserviceaccount.com");
        key.put("client_id", "1");
        key.put("token_uri", fake.tokenUri());
        fake.requireToken(true);
        try {
            BigQuerySourceConfig config = new BigQuerySourceConfig(props(
                    BigQuerySourceConfig.AUTH,
                    "service_account_json",
                    BigQuerySourceConfig.CREDENTIALS_JSON,
                    new ObjectMapper().writeValueAsString(key)));
            int before = fake.tokensIssued();
            assertThat(new BigQueryChangeSource(
                                    TableSpec.parse("t", "crm.patients:patient_id"),
                                    () -> BigQueryClients.open(config),
                                    "acme-analytics",
                                    0)
                            .serverNow())
                    .isCloseTo(wh.clock().now(), org.assertj.core.api.Assertions.within(5, ChronoUnit.SECONDS));
            assertThat(fake.tokensIssued()).isGreaterThan(before);
            BigQuerySourceConfig none = new BigQuerySourceConfig(props());
            assertThatThrownBy(() -> new BigQueryChangeSource(
                                    TableSpec.parse("t", "crm.patients:patient_id"),
                                    () -> BigQueryClients.open(none),
                                    "acme-analytics",
                                    0)
                            .serverNow())
                    .isInstanceOfSatisfying(
                            WarehouseError.class, e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.PERMANENT))
                    .hasMessageContaining("401");
        } finally {
            fake.requireToken(false);
        }
        assertThat(LoopbackGuard.blocked()).isEmpty();
    }

    @Test
    void errorsAreClassified() {
        BigQuerySourceConfig config = new BigQuerySourceConfig(props());
        BigQueryChangeSource src = new BigQueryChangeSource(
                TableSpec.parse("t", "crm.patients:patient_id"),
                () -> BigQueryClients.open(config),
                "acme-analytics",
                0);
        src.columns();
        Instant old = wh.clock().now().minus(Duration.ofDays(9));
        assertThatThrownBy(() -> src.changes(old, wh.clock().now(), false, null, 10))
                .isInstanceOfSatisfying(
                        WarehouseError.class,
                        e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE));
        assertThatThrownBy(() -> new BigQueryChangeSource(
                                TableSpec.parse("t", "crm.nope:id"),
                                () -> BigQueryClients.open(config),
                                "acme-analytics",
                                0)
                        .columns())
                .isInstanceOfSatisfying(
                        WarehouseError.class, e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.PERMANENT))
                .hasMessageContaining("does not exist");
        fake.failNext(20);
        try {
            assertThatThrownBy(src::serverNow)
                    .isInstanceOfSatisfying(
                            WarehouseError.class, e -> assertThat(e.kind()).isEqualTo(WarehouseError.Kind.TRANSIENT));
        } finally {
            fake.failNext(0);
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
