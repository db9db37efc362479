package io.crmconnect.bench.dynamicssink;

import io.crmconnect.simulator.dynamics.DynamicsFault;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One command: starts the Dataverse simulator in this JVM with its service protection limits on and a server time
 * per written row, then runs the Dynamics 365 sink task in a second JVM capped at -Xmx256m ({@link SinkTaskRunner}),
 * which upserts new contacts by the alternate key {@code emailaddress1} (reading the current rows first, as it does
 * by default). Afterwards every contact is checked in the simulator. Prints the figures and the RESULT line.
 *
 * <p>Dataverse charges the time it spends on a request against the user's execution-time limit (1,200 s per 300 s:
 * 4 s of server time per second); bulk writes cost it several milliseconds per row (plug-ins, auditing, indexes),
 * so for writes that limit binds, not the request count. The simulator answers fast, so each UpsertMultiple is
 * held {@code --server-ms-per-row} x rows (default 10 ms x 100 = 1 s), which it charges as execution time like
 * Dataverse. The ceiling is what the limit allows in the long run: 4,000 ms/s / ms per row (400 rows/s by default);
 * the sink's reads of the current rows are charged too and count against it. The window is shortened
 * ({@code --window-seconds}, default 30: 600 requests, 120 s per 30 s) so the run spans several windows.
 *
 * <p>Options: {@code --rows N} (20000), {@code --batch-size N} (100), {@code --server-ms-per-row N} (10),
 * {@code --in-flight N} (5), {@code --window-seconds N} (30).
 */
public final class DynamicsSinkBenchmark {
    /** Dataverse's documented per-user rates: 6,000 requests and 1,200,000 ms of execution per 300 s. */
    static final double REQUESTS_PER_SECOND = 20;

    static final double EXECUTION_MS_PER_SECOND = 4_000;
    static final String UPSERT_MULTIPLE = "POST /{entityset}/Microsoft.Dynamics.CRM.UpsertMultiple";

    private DynamicsSinkBenchmark() {}

    /** Extra options for the task's JVM from {@code BENCH_TASK_JAVA_OPTS} (e.g. a flight recording to profile it). */
    static List<String> taskJavaOptions() {
        String opts = System.getenv().getOrDefault("BENCH_TASK_JAVA_OPTS", "").trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        int rows = 20_000;
        int batchSize = 100;
        int msPerRow = 10;
        int inFlight = 5;
        int windowSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
                case "--server-ms-per-row" -> msPerRow = Integer.parseInt(args[++i]);
                case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
                case "--window-seconds" -> windowSeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int requests = (int) (REQUESTS_PER_SECOND * windowSeconds);
        long executionMillis = (long) (EXECUTION_MS_PER_SECOND * windowSeconds);
        long callMillis = (long) msPerRow * batchSize;
        double ceiling = Math.min(EXECUTION_MS_PER_SECOND / msPerRow, REQUESTS_PER_SECOND * batchSize);
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, %s, Java %s, load average %.1f%n",
                os.getAvailableProcessors(),
                os.getName(),
                System.getProperty("java.version"),
                os.getSystemLoadAverage());
        try (DynamicsSimulator sim = DynamicsSimulator.builder()
                .seed(42)
                .contacts(0)
                .accounts(100)
                .limits(requests, executionMillis, 52, Duration.ofSeconds(windowSeconds))
                .fault(DynamicsFault.latency(UPSERT_MULTIPLE, callMillis, callMillis))
                .tokenLifetime(Duration.ofMinutes(5))
                .requestLogSize(1000)
                .start()) {
            System.out.printf(
                    Locale.ROOT,
                    "simulator %s: limits %d requests and %,d ms execution per %d s, 52 "
                            + "concurrent; UpsertMultiple of %d rows held %d ms -> ceiling %.0f rows/s%n",
                    sim.baseUrl(),
                    requests,
                    executionMillis,
                    windowSeconds,
                    batchSize,
                    callMillis,
                    ceiling);
            Path results = Files.createTempFile("dynamics-sink-bench", ".txt");
            String self = new File(DynamicsSinkBenchmark.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getPath();
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(
                    java,
                    "-Xmx256m",
                    "-XX:+UseG1GC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn"));
            cmd.addAll(taskJavaOptions());
            cmd.addAll(List.of(
                    "-cp",
                    self,
                    SinkTaskRunner.class.getName(),
                    sim.baseUrl(),
                    sim.tenantId(),
                    sim.clientId(),
                    sim.clientSecret(),
                    sim.tokenUrl(),
                    Integer.toString(rows),
                    Integer.toString(batchSize),
                    Integer.toString(inFlight),
                    Integer.toString(requests),
                    Long.toString(executionMillis),
                    Long.toString(windowSeconds * 1000L),
                    results.toString()));
            Process task = new ProcessBuilder(cmd).inheritIO().start();
            if (!task.waitFor(30, TimeUnit.MINUTES) || task.exitValue() != 0) {
                throw new IllegalStateException("the task runner failed");
            }
            String[] r = Files.readString(results).trim().split(" ");
            Files.deleteIfExists(results);
            double seconds = Double.parseDouble(r[0]);
            long peakMb = Long.parseLong(r[1]);
            long unhandled = Long.parseLong(r[2]);
            long written = sim.rows("contact").stream()
                    .filter(c -> String.valueOf(c.get("emailaddress1")).startsWith("bench"))
                    .count();
            if (written != rows) {
                throw new IllegalStateException("the simulator holds " + written + " of the " + rows + " contacts");
            }
            double rate = rows / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "simulator: %,d contacts written, %d answers 429, requests per route %s; " + "load average %.1f%n",
                    written,
                    sim.throttled429Count(),
                    sim.routeCounters(),
                    os.getSystemLoadAverage());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=dynamics-sink-upsert value=%.0f unit=records/s ceiling=%.0f "
                            + "ratio=%.3f http429=%d unhandled429=%d peak_heap_mb=%d heap_limit_mb=256%n",
                    rate,
                    ceiling,
                    rate / ceiling,
                    sim.throttled429Count(),
                    unhandled,
                    peakMb);
        }
    }
}
