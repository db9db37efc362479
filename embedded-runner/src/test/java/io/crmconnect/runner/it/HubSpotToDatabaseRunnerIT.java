package io.crmconnect.runner.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built runner distribution (bin/crm-connect, its jar, the plugin directories it ships) reading the HubSpot
 * simulator into a real database with the shipped example pipeline: killed with SIGKILL during the initial load,
 * it resumes from its offsets file and the tables end equal to HubSpot row by row; a second --once run then writes
 * nothing.
 */
abstract class HubSpotToDatabaseRunnerIT {
    static final int CONTACTS = 3000;
    static final int COMPANIES = 200;
    static final int DEALS = 200;
    static final List<String> CONTACT_PROPERTIES =
            List.of("email", "firstname", "lastname", "jobtitle", "lifecyclestage");
    static HubSpotSimulator sim;

    /** Kept under target/ so the runs' output, logs and state can be read after a failure. */
    Path dir;

    /** The database server under test. */
    abstract SqlServer server();

    /** The example pipeline file of the distribution for this database. */
    abstract String examplePipeline();

    @BeforeAll
    static void startSimulator() {
        // slow list pages so that a kill lands in the middle of the initial load
        sim = HubSpotSimulator.builder()
                .seed(18)
                .contacts(CONTACTS)
                .companies(COMPANIES)
                .deals(DEALS)
                .fault(Fault.latency("GET /crm/v3/objects/*", 150, 250))
                .start();
    }

    @AfterAll
    static void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    @BeforeEach
    void workDirectory() throws IOException {
        dir = Path.of("target", "runner-it", getClass().getSimpleName()).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    @Test
    void killedDuringTheInitialLoadItResumesWithoutLossAndASecondOnceWritesNothing() throws Exception {
        SqlServer db = server();
        String database = db.createDatabase("runner");
        Path pipeline = pipeline(database);
        Map<String, String> env = Map.of("HUBSPOT_TOKEN", sim.token(), "DB_PASSWORD", db.password());
        Path offsets = dir.resolve("state/offsets.json");

        // 1. continuous run, SIGKILL once some records are committed and the load is not finished
        try (RunnerProcess first = RunnerProcess.start(pipeline, env)) {
            Awaitility.await("first commit")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        assertThat(first.alive())
                                .as("runner alive\n%s", first.output())
                                .isTrue();
                        return Files.exists(offsets) && count(db, database, "hubspot_contacts") > 0;
                    });
            first.kill9();
        }
        long atKill = count(db, database, "hubspot_contacts");
        assertThat(atKill).as("killed during the initial load").isBetween(1L, (long) CONTACTS - 1);

        // 2. --once resumes from the offsets file and stops once caught up
        try (RunnerProcess second = RunnerProcess.start(pipeline, env, "--once")) {
            assertThat(second.waitFor(180)).as(second.output()).isZero();
            assertThat(second.lastRead())
                    .as("resumed, not read from the start\n%s", second.output())
                    .isLessThan(CONTACTS + COMPANIES + DEALS);
        }
        assertEqualToHubSpot(db, database);
        Map<String, List<Map<String, Object>>> before = snapshot(db, database);

        // 3. a second --once finds nothing new: not one row written again
        try (RunnerProcess third = RunnerProcess.start(pipeline, env, "--once")) {
            assertThat(third.waitFor(120)).as(third.output()).isZero();
            assertThat(third.lastWritten()).as(third.output()).isZero();
        }
        assertThat(snapshot(db, database)).isEqualTo(before);
    }

    private Path pipeline(String database) throws IOException {
        Path examples = RunnerProcess.distribution().resolve("examples");
        for (Path f : List.of(
                examples.resolve("hubspot-source.json"),
                examples.resolve(examplePipeline()),
                examples.resolve(examplePipeline().replace("hubspot-to-", "").replace(".properties", "-sink.json")))) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        Path pipeline = dir.resolve(examplePipeline());
        String overrides = String.join(
                "\n",
                "",
                "state.dir=state",
                "offset.flush.interval.ms=500",
                "once.idle.ms=2000",
                "progress.interval.ms=1000",
                "source.hubspot.base.url=" + sim.baseUrl(),
                "source.poll.interval.ms=500",
                "source.search.index.lag.overlap.ms=0",
                "source.deletes.interval.ms=600000",
                "sink.connection.url=" + server().jdbcUrl(database),
                "sink.connection.user=" + server().user(),
                "");
        Files.writeString(pipeline, overrides, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return pipeline;
    }

    private void assertEqualToHubSpot(SqlServer db, String database) {
        List<Map<String, Object>> rows = db.query(database, "SELECT * FROM hubspot_contacts ORDER BY id");
        assertThat(rows).hasSize(CONTACTS);
        List<String> ids = sim.ids("contacts");
        List<String> seen = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String id = String.valueOf(row.get("id"));
            seen.add(id);
            Map<String, String> props = sim.record("contacts", id);
            assertThat(props).as("contact %s exists in HubSpot", id).isNotNull();
            for (String p : CONTACT_PROPERTIES) {
                Object v = row.get("property_" + p);
                assertThat(v == null ? null : String.valueOf(v))
                        .as("contact %s %s", id, p)
                        .isEqualTo(props.get(p));
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(count(db, database, "hubspot_companies")).isEqualTo(COMPANIES);
        assertThat(count(db, database, "hubspot_deals")).isEqualTo(DEALS);
    }

    private static Map<String, List<Map<String, Object>>> snapshot(SqlServer db, String database) {
        Map<String, List<Map<String, Object>>> out = new TreeMap<>();
        for (String t : List.of("hubspot_contacts", "hubspot_companies", "hubspot_deals")) {
            out.put(t, db.query(database, "SELECT * FROM " + t + " ORDER BY id"));
        }
        return out;
    }

    static long count(SqlServer db, String database, String table) {
        try {
            return ((Number) db.query(database, "SELECT COUNT(*) AS n FROM " + table)
                            .get(0)
                            .get("n"))
                    .longValue();
        } catch (RuntimeException e) {
            return 0; // not created yet
        }
    }
}
