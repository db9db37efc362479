package io.crmconnect.bench.dynamicssource;

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
 * One command: starts the Dataverse simulator in this JVM with its service protection limits on, then runs the
 * Dynamics 365 source task in a second JVM capped at -Xmx256m ({@link SourceTaskRunner}), which loads the contact
 * table from scratch. Prints the task's figures, the simulator's 429 count and the RESULT line.
 *
 * <p>The limits are Dataverse's documented per-user rates (6,000 requests and 1,200 s of execution time per 300 s,
 * 52 concurrent) over a shorter window ({@code --window-seconds}, default 30: 600 requests and 120 s per 30 s), so a
 * run of a minute or two spans several windows and a burst at the start cannot hide the long-run rate. The ceiling
 * is what those limits allow in the long run: requests per second times rows per page. The page size is small
 * (default 250 rows) so that the limit, not the CPU of this 2-core machine, is what binds: at Dataverse's default of
 * 5,000 rows per page the limits allow 100,000 rows/s, far beyond what one task converts here.
 *
 * <p>Options: {@code --rows N} (contacts, default 150000), {@code --page-size N} (250), {@code --window-seconds N}
 * (30).
 */
public final class DynamicsSourceBenchmark {
    /** Dataverse's documented per-user rates: 6,000 requests and 1,200,000 ms of execution per 300 s. */
    static final double REQUESTS_PER_SECOND = 20;

    static final double EXECUTION_MS_PER_SECOND = 4_000;

    private DynamicsSourceBenchmark() {}

    /** Extra options for the task's JVM from {@code BENCH_TASK_JAVA_OPTS} (e.g. a flight recording to profile it). */
    static List<String> taskJavaOptions() {
        String opts = System.getenv().getOrDefault("BENCH_TASK_JAVA_OPTS", "").trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    public static void main(String[] args) throws Exception {
        int rows = 150_000;
        int pageSize = 250;
        int windowSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--page-size" -> pageSize = Integer.parseInt(args[++i]);
                case "--window-seconds" -> windowSeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int requests = (int) (REQUESTS_PER_SECOND * windowSeconds);
        long executionMillis = (long) (EXECUTION_MS_PER_SECOND * windowSeconds);
        double ceiling = REQUESTS_PER_SECOND * pageSize;
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        System.out.printf(
                Locale.ROOT,
                "machine: %d cores, %s, Java %s, load average %.1f%n",
                os.getAvailableProcessors(),
                os.getName(),
                System.getProperty("java.version"),
                os.getSystemLoadAverage());
        long t0 = System.nanoTime();
        try (DynamicsSimulator sim = DynamicsSimulator.builder()
                .seed(42)
                .contacts(rows)
                .accounts(rows / 10)
                .limits(requests, executionMillis, 52, Duration.ofSeconds(windowSeconds))
                .tokenLifetime(Duration.ofMinutes(5))
                .requestLogSize(1000)
                .start()) {
            System.out.printf(
                    Locale.ROOT,
                    "simulator %s: %,d contacts in %d ms; limits %d requests and %,d ms "
                            + "execution per %d s, 52 concurrent; page size %d -> ceiling %.0f rows/s%n",
                    sim.baseUrl(),
                    rows,
                    (System.nanoTime() - t0) / 1_000_000,
                    requests,
                    executionMillis,
                    windowSeconds,
                    pageSize,
                    ceiling);
            Path results = Files.createTempFile("dynamics-source-bench", ".txt");
            String self = new File(DynamicsSourceBenchmark.class
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
                    SourceTaskRunner.class.getName(),
                    sim.baseUrl(),
                    sim.tenantId(),
                    sim.clientId(),
                    sim.clientSecret(),
                    sim.tokenUrl(),
                    Integer.toString(rows),
                    Integer.toString(pageSize),
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
            double rate = rows / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "simulator: %d answers 429, requests per route %s; load average %.1f%n",
                    sim.throttled429Count(),
                    sim.routeCounters(),
                    os.getSystemLoadAverage());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=dynamics-source-initial-load value=%.0f unit=records/s "
                            + "ceiling=%.0f ratio=%.3f http429=%d unhandled429=%d peak_heap_mb=%d heap_limit_mb=256%n",
                    rate,
                    ceiling,
                    rate / ceiling,
                    sim.throttled429Count(),
                    unhandled,
                    peakMb);
        }
    }
}
