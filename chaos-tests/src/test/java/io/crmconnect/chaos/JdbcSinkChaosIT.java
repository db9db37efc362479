package io.crmconnect.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import io.crmconnect.testharness.TcpProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * HubSpot -> Kafka -> PostgreSQL and MariaDB through the JDBC sink, in a two-worker Connect cluster of separate
 * processes, with the databases as their own server processes: the worker running a sink task is killed with SIGKILL
 * during its writes, each database is stopped for a while under churn, and PostgreSQL's connections are black-holed
 * (no FIN, no reset) through a loopback proxy. Each scenario ends with both tables equal to HubSpot row by row, an
 * empty dead-letter topic and every task RUNNING.
 */
@Tag("chaos-long")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcSinkChaosIT {
    static final List<String> PROPS = List.of("email", "firstname", "lastname", "jobtitle");
    static final String TOPIC = "pipe.contacts";
    static final String TABLE = "pipe_contacts";
    static final String SOURCE = "chaos-pipe-source";
    static final String PG_SINK = "chaos-pipe-postgres";
    static final String MARIA_SINK = "chaos-pipe-mariadb";
    static ChaosCluster cluster;
    static HubSpotSimulator sim;
    static SqlServer postgres;
    static SqlServer mariadb;
    static String pgDatabase;
    static String mariaDatabase;
    static TcpProxy pgProxy;

    @BeforeAll
    static void start() {
        cluster = ChaosCluster.shared();
        postgres = PostgresServer.shared();
        mariadb = MariaDbServer.shared();
        pgDatabase = postgres.createDatabase("chaos");
        mariaDatabase = mariadb.createDatabase("chaos");
        pgProxy = TcpProxy.to(postgres.port());
        // slow list pages: the initial load trickles in, so the sinks are busy writing when the kill lands
        sim = HubSpotSimulator.builder()
                .seed(51)
                .contacts(Chaos.full() ? 20_000 : 3_000)
                .companies(100)
                .deals(100)
                .fault(Fault.latency("GET /crm/v3/objects/*", 150, 250))
                .start();
    }

    @AfterAll
    static void stop() {
        cluster.deleteConnector(SOURCE);
        cluster.deleteConnector(PG_SINK);
        cluster.deleteConnector(MARIA_SINK);
        if (pgProxy != null) {
            pgProxy.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @AfterEach
    void heal() {
        postgres.start();
        mariadb.start();
        pgProxy.heal();
        cluster.healAll();
    }

    static Map<String, String> sink(SqlServer db, String url, String dlq) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", Chaos.JDBC_SINK);
        c.put("tasks.max", "1");
        c.put("topics", TOPIC);
        c.put("connection.url", url);
        c.put("connection.user", db.user());
        c.put("connection.password", db.password());
        c.put("insert.mode", "upsert");
        c.put("pk.mode", "record_key");
        c.put("pk.fields", "id");
        c.put("table.name.format", "${topic}");
        c.put("column.prefix", "property_");
        c.put("delete.mode", "hard");
        c.put("errors.tolerance", "all");
        c.put("errors.deadletterqueue.topic.name", dlq);
        c.put("errors.deadletterqueue.topic.replication.factor", "1");
        c.put("errors.deadletterqueue.context.headers.enable", "true");
        c.put("consumer.override.auto.offset.reset", "earliest");
        return c;
    }

    static long rows(SqlServer db, String database) {
        try {
            return ((Number) db.query(database, "SELECT COUNT(*) AS n FROM " + TABLE)
                            .get(0)
                            .get("n"))
                    .longValue();
        } catch (RuntimeException e) {
            return 0; // not created yet, or the server is down
        }
    }

    /** Both tables equal to HubSpot row by row, no dead letters, every task RUNNING on a live worker. */
    static void awaitConverged() {
        CrmState.awaitEqual(
                "PostgreSQL and MariaDB tables equal to HubSpot",
                Chaos.CONVERGE,
                () -> CrmState.tableDiff(postgres, pgDatabase, TABLE, sim, "contacts", PROPS)
                        + CrmState.tableDiff(mariadb, mariaDatabase, TABLE, sim, "contacts", PROPS));
        cluster.awaitRunning(SOURCE, 1, Chaos.MOVE);
        cluster.awaitRunning(PG_SINK, 1, Chaos.MOVE);
        cluster.awaitRunning(MARIA_SINK, 1, Chaos.MOVE);
        assertThat(cluster.endOffset(PG_SINK + ".dlq"))
                .as("PostgreSQL dead letters")
                .isLessThanOrEqualTo(0);
        assertThat(cluster.endOffset(MARIA_SINK + ".dlq"))
                .as("MariaDB dead letters")
                .isLessThanOrEqualTo(0);
    }

    /** Churn in HubSpot for the duration of an outage, so the sinks have changes to catch up on afterwards. */
    static void churnDuring(Duration outage) {
        sim.startMutator(20);
        try {
            Ports.pause(outage.toMillis()); // the outage's length is the scenario, not a guess at speed
        } finally {
            sim.stopMutator();
        }
    }

    @Test
    @Order(1)
    void workerKilledDuringSinkPutLosesNothing() {
        cluster.putConnector(SOURCE, Chaos.source(sim, "pipe", "contacts"));
        cluster.putConnector(PG_SINK, sink(postgres, pgProxy.rewrite(postgres.jdbcUrl(pgDatabase)), PG_SINK + ".dlq"));
        cluster.putConnector(MARIA_SINK, sink(mariadb, mariadb.jdbcUrl(mariaDatabase), MARIA_SINK + ".dlq"));
        cluster.awaitRunning(PG_SINK, 1, Chaos.MOVE);
        ChaosCluster.awaitCondition(
                "the PostgreSQL sink writing", Chaos.CONVERGE, () -> rows(postgres, pgDatabase) > 0);
        ConnectWorkerProcess victim = cluster.workerOf(PG_SINK, 0).orElseThrow();
        cluster.kill(victim);
        long atKill = rows(postgres, pgDatabase);
        assertThat(atKill)
                .as("killed while the sink was still writing the initial load")
                .isLessThan(sim.ids("contacts").size());
        cluster.awaitRunning(PG_SINK, 1, Chaos.MOVE); // moved to the surviving worker
        cluster.restart(victim);
        sim.clearFaults();
        awaitConverged();
    }

    @Test
    @Order(2)
    void postgresStoppedUnderChurnCatchesUp() {
        postgres.stop();
        churnDuring(Chaos.outage());
        postgres.start();
        awaitConverged();
    }

    @Test
    @Order(3)
    void mariadbStoppedUnderChurnCatchesUp() {
        mariadb.stop();
        churnDuring(Chaos.outage());
        mariadb.start();
        awaitConverged();
    }

    @Test
    @Order(4)
    void postgresBlackHoledUnderChurnCatchesUp() {
        pgProxy.blackHole();
        churnDuring(Chaos.outage());
        pgProxy.heal();
        awaitConverged();
    }
}
