package io.crmconnect.bench.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.PostgresServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One command: the HubSpot -> PostgreSQL initial load of the same simulator data, first through a Connect cluster
 * (a real KRaft broker and a real distributed worker, the built plugins on plugin.path), then through the
 * embedded runner (bin/crm-connect run --once, its own JVM), with the same connector configs: the runner's
 * shipped examples. Rate = contacts / (last row - first row) as seen in PostgreSQL, so start-up is left out of
 * both; the wall time from start to the last row is printed too.
 *
 * <p>Options: {@code --contacts N} (default 50000), {@code --properties N} (wide custom properties, 100),
 * {@code --rate-limits} (HubSpot's professional limits on; default off, so the pipelines, not the API budget,
 * set the pace).
 */
public final class EmbeddedRunnerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "pat-bench-token";

    private EmbeddedRunnerBenchmark() {}

    /** When the first and the last of the expected rows appeared, measured from the phase's start. */
    record Load(long firstRowMs, long lastRowMs, long rows) {
        double rate() {
            return rows * 1000.0 / Math.max(1, lastRowMs - firstRowMs);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", "runner-bench-log4j2.xml");
        int contacts = 50_000;
        int properties = 100;
        boolean rateLimits = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--properties" -> properties = Integer.parseInt(args[++i]);
                case "--rate-limits" -> rateLimits = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Path.of(System.getProperty("crmconnect.repo.root", ".")).toAbsolutePath();
        Path dist = root.resolve("embedded-runner/target/crm-connect-runner");
        Path simJar = root.resolve("simulators/target/hubspot-simulator.jar");
        Path work = root.resolve("benchmarks/embedded-runner/target/run");
        for (Path p : List.of(dist.resolve("bin/crm-connect"), simJar)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException("missing " + p + ": run benchmarks/run.sh embedded-runner");
            }
        }
        deleteTree(work);
        Files.createDirectories(work);
        System.out.printf(
                "machine: %d cores, %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("java.version"));
        System.out.printf(
                "HubSpot simulator: %,d contacts x %d custom properties, rate limits %s%n",
                contacts, properties, rateLimits ? "on (professional)" : "off");

        int simPort = freePort();
        List<String> simCmd = new ArrayList<>(List.of(
                java(),
                "-Xmx3g",
                "-jar",
                simJar.toString(),
                "--port",
                Integer.toString(simPort),
                "--contacts",
                Integer.toString(contacts),
                "--companies",
                "0",
                "--deals",
                "0",
                "--tickets",
                "0",
                "--wide-properties",
                Integer.toString(properties),
                "--tier",
                "PROFESSIONAL",
                "--index-lag-ms",
                "0",
                "--token",
                TOKEN));
        if (!rateLimits) {
            simCmd.add("--no-rate-limits");
        }
        Process sim = new ProcessBuilder(simCmd).redirectErrorStream(true).start();
        PostgresServer pg = PostgresServer.shared();
        try {
            awaitLine(sim, "HubSpot simulator listening");
            String simUrl = "http://127.0.0.1:" + simPort;
            Map<String, String> source = connectorConfig(dist.resolve("examples/hubspot-source.json"));
            source.put("hubspot.base.url", simUrl);
            source.put("hubspot.access.token", TOKEN);
            source.put("objects.include", "contacts");
            source.put("search.index.lag.overlap.ms", "0");
            Map<String, String> sink = connectorConfig(dist.resolve("examples/postgres-sink.json"));
            sink.put("connection.user", pg.user());
            sink.put("connection.password", pg.password());

            // 1. Connect cluster
            String clusterDb = pg.createDatabase("bench_cluster");
            System.setProperty(
                    ConnectCluster.PLUGIN_PATH_PROPERTY, dist.resolve("plugins").toString());
            Load cluster;
            try (ConnectCluster connect =
                    ConnectCluster.start("runner-bench", Map.of("offset.flush.interval.ms", "5000"))) {
                Map<String, String> clusterSink = new LinkedHashMap<>(sink);
                clusterSink.put("connection.url", pg.jdbcUrl(clusterDb));
                // one broker: the dead-letter topic's replication factor must fit (a cluster-only key)
                clusterSink.put("errors.deadletterqueue.topic.replication.factor", "1");
                long t0 = System.nanoTime();
                connect.configureConnector("bench-sink", clusterSink);
                connect.configureConnector("bench-source", source);
                cluster = awaitLoad(pg, clusterDb, contacts, t0, () -> true);
            }
            report("Connect cluster", cluster, contacts);

            // 2. embedded runner, same configs (the shipped example files plus the same overrides)
            String runnerDb = pg.createDatabase("bench_runner");
            Path pipeline = work.resolve("bench.properties");
            StringBuilder p = new StringBuilder();
            p.append("source=")
                    .append(dist.resolve("examples/hubspot-source.json"))
                    .append('\n');
            p.append("sink=")
                    .append(dist.resolve("examples/postgres-sink.json"))
                    .append('\n');
            p.append("state.dir=").append(work.resolve("state")).append('\n');
            p.append("offset.flush.interval.ms=5000\nonce.idle.ms=3000\nprogress.interval.ms=5000\n");
            source.forEach((k, v) ->
                    p.append("source.").append(k).append('=').append(escape(v)).append('\n'));
            sink.forEach((k, v) ->
                    p.append("sink.").append(k).append('=').append(escape(v)).append('\n'));
            p.append("sink.connection.url=")
                    .append(escape(pg.jdbcUrl(runnerDb)))
                    .append('\n');
            Files.writeString(pipeline, p.toString());
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(
                            dist.resolve("bin/crm-connect").toString(), "run", pipeline.toString(), "--once")
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("runner.out").toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("CRM_CONNECT_OPTS", "-Xmx1g");
            Process runner = pb.start();
            Load embedded = awaitLoad(pg, runnerDb, contacts, t0, runner::isAlive);
            if (!runner.waitFor(5, TimeUnit.MINUTES)) {
                runner.destroyForcibly();
            }
            System.out.println("runner output (last lines):");
            List<String> out = Files.readAllLines(work.resolve("runner.out"));
            out.subList(Math.max(0, out.size() - 3), out.size()).forEach(l -> System.out.println("  " + l));
            System.out.println("runner exit status: " + runner.exitValue());
            report("embedded runner", embedded, contacts);

            double ratio = embedded.rate() / cluster.rate();
            System.out.printf(Locale.ROOT, "runner / cluster initial-load rate: %.3f (goal >= 0.90)%n", ratio);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=embedded-runner value=%.0f unit=rows/s ceiling=%.0f " + "ratio=%.3f%n",
                    embedded.rate(),
                    cluster.rate(),
                    ratio);
        } finally {
            sim.destroy();
            sim.waitFor(30, TimeUnit.SECONDS);
            pg.stop();
        }
    }

    private static void report(String what, Load load, int contacts) {
        System.out.printf(
                Locale.ROOT,
                "%-16s %,d contacts: first row after %,d ms, last after %,d ms -> %,.0f " + "rows/s over the load%n",
                what,
                contacts,
                load.firstRowMs(),
                load.lastRowMs(),
                load.rate());
    }

    /** Polls the contacts table until it holds all rows; times are from {@code t0}. */
    private static Load awaitLoad(PostgresServer pg, String db, int rows, long t0, BooleanSupplier alive)
            throws InterruptedException {
        long first = -1;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (System.nanoTime() < deadline) {
            long n = count(pg, db);
            long now = (System.nanoTime() - t0) / 1_000_000;
            if (n > 0 && first < 0) {
                first = now;
            }
            if (n >= rows) {
                return new Load(first, now, n);
            }
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the pipeline stopped with " + n + " of " + rows + " rows");
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the load did not finish within 20 minutes");
    }

    private static long count(PostgresServer pg, String db) {
        try {
            return ((Number) pg.query(db, "SELECT COUNT(*) AS n FROM hubspot_contacts")
                            .get(0)
                            .get("n"))
                    .longValue();
        } catch (RuntimeException e) {
            return 0; // table not created yet
        }
    }

    private static Map<String, String> connectorConfig(Path file) throws Exception {
        JsonNode config = JSON.readTree(file.toFile()).path("config");
        Map<String, String> out = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\");
    }

    private static void awaitLine(Process p, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                System.out.println(line);
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (Exception e) {
                        // process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("the simulator did not start");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
