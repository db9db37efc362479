package io.crmconnect.it.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Transaction;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.testharness.ConnectCluster;
import java.math.BigDecimal;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BUILT warehouse source plugin in a real Connect worker (one cluster for the class) against the Snowflake wire
 * fake and the BigQuery REST fake of simulators (the official snowflake-jdbc driver and google-cloud-bigquery client
 * inside the plugin, loopback only): the snapshot, then inserts, updates, key changes, deletes and a late-committing
 * transaction arrive, and a stop / changes / resume cycle and a task restart converge to a topic equal to the table.
 * The fakes verify the protocol and our logic, not the warehouses' SQL engines.
 */
class WarehouseSourceClusterIT {
    static final String CONNECTOR = "io.crmconnect.warehouse.source.snowflake.SnowflakeSourceConnector";
    static final String BQ_CONNECTOR = "io.crmconnect.warehouse.source.bigquery.BigQuerySourceConnector";
    static ConnectCluster cluster;
    static Warehouse wh;
    static SnowflakeFake fake;
    static BigQueryFake bq;
    static KeyPair keys;

    @BeforeAll
    static void start() throws Exception {
        cluster = ConnectCluster.start("warehouse-sources");
        wh = new Warehouse();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        fake = new SnowflakeFake(wh, "myorg-acct").keyPairUser("CONNECT_SVC", keys.getPublic());
        bq = new BigQueryFake(wh, "acme-analytics").pageRows(40);
        wh.createTable(
                "crm.patients",
                List.of(
                        Column.of("patient_id", "INT64"),
                        Column.of("email", "STRING"),
                        Column.of("balance", "NUMERIC"),
                        Column.repeated("tags", "STRING"),
                        Column.of("updated_at", "TIMESTAMP")),
                List.of("patient_id"),
                Duration.ofDays(7),
                true);
        wh.createTable(
                "USERS",
                List.of(
                        Column.number("ID", 18, 0),
                        Column.of("EMAIL", "TEXT"),
                        Column.number("SCORE", 10, 2),
                        Column.of("UPDATED_AT", "TIMESTAMP_LTZ")),
                List.of("ID"),
                Duration.ofDays(1),
                true);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (fake != null) {
            fake.close();
        }
        if (bq != null) {
            bq.close();
        }
    }

    static Map<String, String> config(String topicPrefix, String tables) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "1");
        c.put("snowflake.url", "http://127.0.0.1:" + fake.port());
        c.put("snowflake.account", "myorg-acct");
        c.put("snowflake.user", "connect_svc");
        c.put(
                "snowflake.private.key",
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----");
        c.put("snowflake.warehouse", "WH");
        c.put("snowflake.disable.platform.detection", "true");
        c.put("snowflake.disable.ocsp.checks", "true");
        c.put("tables", tables);
        c.put("topic.format", topicPrefix + ".${table}");
        c.put("snapshot.chunk.rows", "100");
        c.put("poll.interval.ms", "300");
        c.put("changes.lag.ms", "0");
        c.put("changes.grid.ms", "200");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("value.converter.decimal.format", "NUMERIC");
        return c;
    }

    static Map<String, String> bigQueryConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", BQ_CONNECTOR);
        c.put("tasks.max", "1");
        c.put("bigquery.project", "acme-analytics");
        c.put("bigquery.root.url", bq.rootUrl());
        c.put("bigquery.auth", "none");
        c.put("tables", "crm.patients:patient_id");
        c.put("topic.format", "bq.${table}");
        c.put("snapshot.chunk.rows", "100");
        c.put("poll.interval.ms", "300");
        c.put("changes.lag.ms", "0");
        c.put("changes.grid.ms", "200");
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "false");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "false");
        c.put("value.converter.decimal.format", "NUMERIC");
        return c;
    }

    static Map<String, String> expectedPatients() {
        Map<String, String> out = new TreeMap<>();
        for (Object[] r : wh.table("crm.patients").snapshot(wh.clock().now())) {
            out.put("{\"patient_id\":" + r[0] + "}", r[1] + "|" + r[3]);
        }
        return out;
    }

    static Map<String, String> actualPatients() {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e :
                CompactedTopic.read(cluster, "bq.patients").live().entrySet()) {
            List<String> tags = new ArrayList<>();
            e.getValue().get("tags").forEach(t -> tags.add(t.asText()));
            out.put(e.getKey(), e.getValue().get("email").asText() + "|" + tags);
        }
        return out;
    }

    @Test
    void bigQueryChangesAndAStopResumeConvergeToTheTable() {
        Transaction tx = wh.begin();
        for (long i = 1; i <= 250; i++) {
            tx.insert("crm.patients", new Object[] {
                i,
                "patient" + i + "@example.com",
                new BigDecimal("10.5"),
                List.of("t" + (i % 3)),
                wh.clock().now()
            });
        }
        tx.commit();
        cluster.configureConnector("bq-patients", bigQueryConfig());
        cluster.awaitRunning("bq-patients", 1, Duration.ofSeconds(60));
        String[] last = {""};
        Supplier<Boolean> equal = () -> {
            Map<String, String> want = expectedPatients();
            Map<String, String> got = actualPatients();
            last[0] = want.size() + " rows, " + got.size() + " keys";
            return want.equals(got);
        };
        cluster.awaitCondition("bq.patients equal to the table", Duration.ofSeconds(60), equal);
        wh.begin().update("crm.patients", 1L, "email", "changed1@example.com").commit();
        wh.begin().delete("crm.patients", 2L).commit();
        wh.insert("crm.patients", new Object[] {
            1000L, "new@example.com", null, List.of(), wh.clock().now()
        });
        cluster.awaitCondition("bq.patients changes", Duration.ofSeconds(60), equal);
        cluster.rest("PUT", "connectors/bq-patients/stop", null);
        cluster.awaitCondition(
                "bq-patients stopped",
                Duration.ofSeconds(30),
                () -> "STOPPED".equals(cluster.status("bq-patients").connector().state()));
        wh.begin()
                .update("crm.patients", 3L, "email", "while-stopped@example.com")
                .commit();
        wh.insert("crm.patients", new Object[] {
            1001L, "gone@example.com", null, List.of("x"), wh.clock().now()
        });
        wh.begin().delete("crm.patients", 1001L).commit();
        cluster.rest("PUT", "connectors/bq-patients/resume", null);
        cluster.awaitRunning("bq-patients", 1, Duration.ofSeconds(60));
        try {
            cluster.awaitCondition("bq.patients after resume", Duration.ofSeconds(60), equal);
        } catch (AssertionError e) {
            throw new AssertionError("not converged: " + last[0], e);
        }
        assertThat(bq.calls()).containsKeys("jobs.insert", "tabledata.list", "tables.get", "jobs.query");
        cluster.deleteConnector("bq-patients");
    }

    static Object[] row(long id, String email, String score) {
        return new Object[] {id, email, new BigDecimal(score), wh.clock().now()};
    }

    /** The table as the topic should show it: {"id":n} -> email|score. */
    static Map<String, String> expected() {
        Map<String, String> out = new TreeMap<>();
        for (Object[] r : wh.table("USERS").snapshot(wh.clock().now())) {
            out.put(
                    "{\"id\":" + r[0] + "}",
                    r[1] + "|" + ((BigDecimal) r[2]).stripTrailingZeros().toPlainString());
        }
        return out;
    }

    static Map<String, String> actual(String topic) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e :
                CompactedTopic.read(cluster, topic).live().entrySet()) {
            out.put(
                    e.getKey(),
                    e.getValue().get("email").asText() + "|"
                            + new BigDecimal(e.getValue().get("score").asText())
                                    .stripTrailingZeros()
                                    .toPlainString());
        }
        return out;
    }

    static void awaitEqual(String topic, Duration timeout) {
        String[] last = {""};
        try {
            cluster.awaitCondition("topic " + topic + " equal to the table", timeout, () -> {
                Map<String, String> want = expected();
                Map<String, String> got = actual(topic);
                last[0] = want.size() + " rows in the table, " + got.size() + " keys in the topic; first "
                        + "difference: "
                        + want.entrySet().stream()
                                .filter(e -> !e.getValue().equals(got.get(e.getKey())))
                                .findFirst()
                                .map(Object::toString)
                                .orElse(got.keySet().stream()
                                        .filter(k -> !want.containsKey(k))
                                        .findFirst()
                                        .orElse("none"));
                return want.equals(got);
            });
        } catch (AssertionError e) {
            throw new AssertionError("not converged: " + last[0], e);
        }
    }

    @Test
    void snapshotChangesAndRestartsConvergeToTheTable() {
        Transaction tx = wh.begin();
        for (long i = 1; i <= 450; i++) {
            tx.insert("USERS", row(i, "user" + i + "@example.com", i + ".25"));
        }
        tx.commit();
        cluster.configureConnector("sf-users", config("sf", "USERS:ID"));
        cluster.awaitRunning("sf-users", 1, Duration.ofSeconds(60));
        awaitEqual("sf.users", Duration.ofSeconds(60));

        // while running: updates, a key change, deletes, inserts, and a transaction that commits late
        Transaction late = wh.begin();
        late.update("USERS", 7L, "EMAIL", "late7@example.com");
        wh.begin().update("USERS", 1L, "SCORE", new BigDecimal("99.99")).commit();
        wh.begin().update("USERS", 2L, "ID", 2002L).commit();
        wh.begin().delete("USERS", 3L).delete("USERS", 4L).commit();
        wh.insert("USERS", row(1001L, "new1001@example.com", "1.00"));
        late.commit();
        awaitEqual("sf.users", Duration.ofSeconds(60));

        // stopped: changes pile up, including a row inserted and deleted while the connector is away
        cluster.rest("PUT", "connectors/sf-users/stop", null);
        cluster.awaitCondition(
                "sf-users stopped",
                Duration.ofSeconds(30),
                () -> "STOPPED".equals(cluster.status("sf-users").connector().state()));
        assertThat(cluster.rest("GET", "connectors/sf-users/offsets", null).body())
                .contains("\"table\":\"USERS\"", "\"phase\":\"changes\"");
        wh.begin().update("USERS", 5L, "EMAIL", "while-stopped@example.com").commit();
        wh.begin().delete("USERS", 6L).commit();
        wh.insert("USERS", row(1002L, "gone@example.com", "2.00"));
        wh.begin().delete("USERS", 1002L).commit();
        wh.insert("USERS", row(1003L, "new1003@example.com", "3.00"));
        cluster.rest("PUT", "connectors/sf-users/resume", null);
        cluster.awaitRunning("sf-users", 1, Duration.ofSeconds(60));
        awaitEqual("sf.users", Duration.ofSeconds(60));

        // a task restart in the middle of a stream of changes
        for (long i = 10; i < 40; i++) {
            wh.begin().update("USERS", i, "EMAIL", "burst" + i + "@example.com").commit();
            if (i == 20) {
                cluster.rest("POST", "connectors/sf-users/restart?includeTasks=true&onlyFailed=false", null);
            }
        }
        cluster.awaitRunning("sf-users", 1, Duration.ofSeconds(60));
        awaitEqual("sf.users", Duration.ofSeconds(60));
        assertThat(fake.statementCounts()).containsKeys("SNAPSHOT", "CHANGES", "CURRENT_TIMESTAMP");
        cluster.deleteConnector("sf-users");
    }

    @Test
    void validateNamesAMissingTableOnTheTablesKey() {
        Map<String, List<String>> errors =
                ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, config("sfv", "NO_SUCH_TABLE:ID")));
        assertThat(errors.get("tables")).anySatisfy(m -> assertThat(m).contains("NO_SUCH_TABLE"));
        Map<String, String> wrongKey = config("sfv", "USERS:ID");
        wrongKey.put("snowflake.user", "nobody");
        assertThat(ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, wrongKey))
                        .get("snowflake.private.key"))
                .anySatisfy(m -> assertThat(m).contains("rejected the sign-in"));
    }
}
