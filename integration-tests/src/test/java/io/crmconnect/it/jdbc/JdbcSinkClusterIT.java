package io.crmconnect.it.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.DeadLetter;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BUILT jdbc-sink-connector archive in a real Connect worker (plugin.path, service_load discovery), reading a real
 * Kafka topic into real PostgreSQL and MariaDB servers; bad records reach the dead-letter topic with the database's
 * reason in the headers.
 */
class JdbcSinkClusterIT {
    private static final String CONNECTOR = "io.crmconnect.jdbc.JdbcSinkConnector";
    private static final String SCHEMA = "{\"type\":\"struct\",\"name\":\"crm.deal\",\"optional\":false,\"fields\":["
            + "{\"field\":\"dealname\",\"type\":\"string\",\"optional\":true},"
            + "{\"field\":\"amount\",\"type\":\"int64\",\"optional\":true},"
            + "{\"field\":\"closedate\",\"type\":\"int64\",\"optional\":true,"
            + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";
    private static ConnectCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start("jdbc-sink-it");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String deal(String name, long amount) {
        return "{\"schema\":" + SCHEMA + ",\"payload\":{\"dealname\":\"" + name + "\",\"amount\":" + amount
                + ",\"closedate\":1700000000000}}";
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, String value) {
        return new ProducerRecord<>(
                topic,
                partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> config(SqlServer server, String database, String topic) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CONNECTOR);
        c.put("tasks.max", "2");
        c.put("topics", topic);
        c.put("connection.url", server.jdbcUrl(database));
        c.put("connection.user", server.user());
        c.put("connection.password", server.password());
        c.put("pk.fields", "deal_id");
        c.put("column.prefix", "property_");
        c.put("metadata.columns", "synced_at,kafka_partition,kafka_offset");
        return c;
    }

    private static long count(SqlServer server, String db, String sql) {
        try {
            return ((Number) server.query(db, sql).get(0).get("n")).longValue();
        } catch (RuntimeException e) {
            return -1; // the table does not exist yet
        }
    }

    @Test
    void recordsFromATopicLandInPostgresAndMariaDbAndTombstonesDelete() {
        String topic = "crm.deals";
        cluster.createTopic(topic, 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(record(topic, i % 2, "deal-" + i, deal("Deal " + i, i * 100L)));
        }
        records.add(record(topic, 0, "deal-0", deal("Deal 0 renamed", 1)));
        records.add(record(topic, 1, "deal-1", null));
        cluster.produce(records);

        PostgresServer pg = PostgresServer.shared();
        MariaDbServer maria = MariaDbServer.shared();
        String pgDb = pg.createDatabase("it_jdbc");
        String mariaDb = maria.createDatabase("it_jdbc");
        cluster.configureConnector("deals-postgres", config(pg, pgDb, topic));
        cluster.configureConnector("deals-mariadb", config(maria, mariaDb, topic));
        cluster.awaitRunning("deals-postgres", 2, Duration.ofSeconds(60));
        cluster.awaitRunning("deals-mariadb", 2, Duration.ofSeconds(60));

        cluster.awaitCondition(
                "199 deals in PostgreSQL",
                Duration.ofSeconds(90),
                () -> count(pg, pgDb, "SELECT COUNT(*) AS n FROM crm_deals") == 199
                        && count(pg, pgDb, "SELECT COUNT(*) AS n FROM crm_deals WHERE property_amount = 1") == 1);
        cluster.awaitCondition(
                "199 deals in MariaDB",
                Duration.ofSeconds(90),
                () -> count(maria, mariaDb, "SELECT COUNT(*) AS n FROM crm_deals") == 199
                        && count(maria, mariaDb, "SELECT COUNT(*) AS n FROM crm_deals WHERE property_amount = 1") == 1);
        for (SqlServer server : List.of(pg, maria)) {
            String db = server == pg ? pgDb : mariaDb;
            Map<String, Object> row = server.query(
                            db,
                            "SELECT property_dealname AS n, property_closedate AS c, "
                                    + "_crmconnect_kafka_partition AS p FROM crm_deals WHERE deal_id = 'deal-0'")
                    .get(0);
            assertThat(row.get("n")).isEqualTo("Deal 0 renamed");
            assertThat(row.get("c")).isNotNull();
            assertThat(((Number) row.get("p")).intValue()).isZero();
            assertThat(server.query(db, "SELECT deal_id FROM crm_deals WHERE deal_id = 'deal-1'"))
                    .isEmpty();
        }
        cluster.deleteConnector("deals-postgres");
        cluster.deleteConnector("deals-mariadb");
    }

    @Test
    void validateReportsCrossFieldAndConnectionErrorsOnTheirKeys() {
        PostgresServer pg = PostgresServer.shared();
        Map<String, String> config = config(pg, "postgres", "x");
        config.put("name", "validate-me");
        config.put("pk.mode", "none");
        Map<String, List<String>> errors = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, config));
        assertThat(errors.get("insert.mode")).anyMatch(m -> m.contains("needs a primary key"));
        assertThat(errors.get("pk.mode")).anyMatch(m -> m.contains("needs a primary key"));

        Map<String, String> noDatabase = config(pg, "no_such_database", "x");
        noDatabase.put("name", "validate-me");
        Map<String, List<String>> urlErrors = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, noDatabase));
        assertThat(urlErrors.get("connection.url"))
                .anyMatch(m -> m.startsWith("Cannot connect to") && m.contains("no_such_database"));

        // (a refused login cannot be shown here: the embedded servers trust every password)
        MariaDbServer maria = MariaDbServer.shared();
        Map<String, String> good = config(maria, maria.createDatabase("it_jdbc_validate"), "x");
        good.put("name", "validate-me");
        Map<String, List<String>> ok = ConnectCluster.errorsByKey(cluster.validate(CONNECTOR, good));
        assertThat(ok).isEmpty();
    }

    @Test
    void poisonRecordsReachTheDeadLetterTopicWithTheReasonInHeaders() {
        String topic = "crm.tickets";
        String dlq = "crm.tickets.dlq";
        cluster.createTopic(topic, 1);
        cluster.createTopic(dlq, 1);
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("it_jdbc_dlq");
        pg.update(
                db,
                "CREATE TABLE crm_tickets (deal_id TEXT PRIMARY KEY, property_dealname VARCHAR(12), "
                        + "property_amount BIGINT, property_closedate TIMESTAMPTZ, _crmconnect_synced TIMESTAMPTZ, "
                        + "_crmconnect_kafka_partition INTEGER, _crmconnect_kafka_offset BIGINT)");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String name = i == 7 ? "a name far too long for twelve" : "t" + i;
            records.add(record(topic, 0, i == 19 ? null : "ticket-" + i, deal(name, i)));
        }
        cluster.produce(records);

        Map<String, String> config = config(pg, db, topic);
        config.put("tasks.max", "1");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        cluster.configureConnector("tickets", config);

        List<DeadLetter> dead = cluster.readDeadLetters(dlq, 2, Duration.ofSeconds(90));
        assertThat(dead).hasSize(2);
        Map<Long, String> reasons = new HashMap<>();
        for (DeadLetter d : dead) {
            reasons.put(Long.parseLong(d.header("__connect.errors.offset")), d.exceptionMessage());
            assertThat(d.originalTopic()).isEqualTo(topic);
        }
        assertThat(reasons.get(7L)).contains("value too long for type character varying(12)");
        assertThat(reasons.get(19L)).contains("record key is null");
        cluster.awaitCondition(
                "28 tickets written",
                Duration.ofSeconds(60),
                () -> count(pg, db, "SELECT COUNT(*) AS n FROM crm_tickets") == 28);
        cluster.deleteConnector("tickets");
    }

    /**
     * Offsets advance for records that were dead-lettered, not only for written ones: here every record of one topic
     * is rejected by a transform (the worker dead-letters it, the task never sees it) and every record of the other
     * by the sink (a null key). Before the fix the committed offsets stayed where they were, so a restart
     * re-delivered and re-dead-lettered everything and the consumer lag never dropped.
     */
    @Test
    void offsetsAreCommittedWhenEveryRecordIsDeadLettered() throws Exception {
        String byTransform = "crm.rejected.by.transform";
        String bySink = "crm.rejected.by.sink";
        String dlq = "crm.rejected.dlq";
        cluster.createTopic(byTransform, 2);
        cluster.createTopic(bySink, 1);
        cluster.createTopic(dlq, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record(byTransform, i % 2, "deal-" + i, deal("Deal " + i, i)));
        }
        for (int i = 0; i < 15; i++) {
            records.add(record(bySink, 0, null, deal("Keyless " + i, i)));
        }
        cluster.produce(records);
        PostgresServer pg = PostgresServer.shared();
        Map<String, String> config = config(pg, pg.createDatabase("it_jdbc_all_dead"), byTransform + "," + bySink);
        config.put("tasks.max", "1");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        // ValueToKey fails on a field the records do not have: the worker dead-letters each record of that topic
        config.put("transforms", "key");
        config.put("transforms.key.type", "org.apache.kafka.connect.transforms.ValueToKey");
        config.put("transforms.key.fields", "no_such_field");
        config.put("transforms.key.predicate", "fromTransformTopic");
        config.put("predicates", "fromTransformTopic");
        config.put(
                "predicates.fromTransformTopic.type",
                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        config.put("predicates.fromTransformTopic.pattern", byTransform.replace(".", "\\."));
        cluster.configureConnector("all-dead", config);

        assertThat(cluster.readDeadLetters(dlq, 55, Duration.ofSeconds(90))).hasSize(55);
        Map<TopicPartition, Long> expected = Map.of(
                new TopicPartition(byTransform, 0),
                20L,
                new TopicPartition(byTransform, 1),
                20L,
                new TopicPartition(bySink, 0),
                15L);
        try (Admin admin = cluster.raw().kafka().createAdminClient()) {
            cluster.awaitCondition(
                    "the offsets of all 55 dead-lettered records committed",
                    Duration.ofSeconds(30),
                    () -> expected.equals(committed(admin, "connect-all-dead")));
        }
        cluster.deleteConnector("all-dead");
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            offsets.forEach((tp, o) -> out.put(tp, o == null ? -1 : o.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return Map.of();
        }
    }
}
