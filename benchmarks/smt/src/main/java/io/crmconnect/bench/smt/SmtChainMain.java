package io.crmconnect.bench.smt;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SmtChainBenchmark} on one thread, twice:
 * <ol>
 *   <li>JMH throughput (wall clock), the usual figure on an otherwise idle machine;</li>
 *   <li>per-core throughput: the same chain driven on one thread, records divided by the CPU time the whole JVM
 *       used meanwhile ({@code OperatingSystemMXBean.getProcessCpuTime()}: the driving thread plus GC, JIT and any
 *       other thread), median of 5 windows after warm-up. On a machine shared with other work this is the honest
 *       "records/s per core": wall-clock throughput there mostly measures how much of a core the scheduler
 *       granted, and counting only the driving thread would hide the collector's work on the second core.</li>
 * </ol>
 * Like JMH, the per-core phase runs each chain in a fresh JVM ({@link #FORK_FLAGS}, same flags as the JMH fork),
 * so that one chain's profile, the JMH runner and the launcher's default heap cannot distort another's figure.
 * The RESULT line reports the per-core figure of the {@code standard} chain. Argument "quick" shortens both phases.
 */
public final class SmtChainMain {
    static final double CEILING = 500_000;
    /** Every result is published here so the JIT cannot drop any of the work (cheaper than a hash of it). */
    static Object escape;

    private SmtChainMain() {}

    /** Heap flags of both the JMH fork and the per-core fork. */
    static final List<String> FORK_FLAGS = List.of("-Xms512m", "-Xmx512m");

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("percore")) {
            // Child JVM: one chain only, result on one line for the launcher.
            boolean q = args.length > 2 && args[2].equals("quick");
            double[] r = cpuNormalized(args[1], q ? 2_000_000_000L : 9_000_000_000L, q);
            System.out.printf(Locale.ROOT, "PERCORE %.1f %.1f%n", r[0], r[1]);
            return;
        }
        boolean quick = args.length > 0 && args[0].equals("quick");
        Options options = new OptionsBuilder()
                .include(SmtChainBenchmark.class.getName())
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 2 : 3))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend(FORK_FLAGS.toArray(new String[0]))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> wall = new LinkedHashMap<>();
        for (RunResult r : results) {
            wall.put(r.getParams().getParam("profile"), r.getPrimaryResult().getScore());
        }
        Map<String, double[]> perCore = new LinkedHashMap<>();
        for (String profile : List.of("standard", "heavy")) {
            perCore.put(profile, forkedCpuNormalized(profile, quick));
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(
                Locale.ROOT,
                "machine: %d cpus, load average %.2f at the end, %s %s%n",
                Runtime.getRuntime().availableProcessors(),
                load,
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        for (String profile : perCore.keySet()) {
            System.out.printf(
                    Locale.ROOT,
                    "chain %-8s: %,10.0f records/s per core (process CPU time, median; "
                            + "best window %,.0f)   %,10.0f records/s wall clock (JMH, single thread)%n",
                    profile,
                    perCore.get(profile)[0],
                    perCore.get(profile)[1],
                    wall.getOrDefault(profile, Double.NaN));
        }
        double value = perCore.get("standard")[0];
        System.out.printf(
                Locale.ROOT,
                "RESULT name=smt-chain value=%.0f unit=records/s-per-core ceiling=%.0f " + "ratio=%.3f%n",
                value,
                CEILING,
                value / CEILING);
    }

    /**
     * Runs {@link #cpuNormalized} in a fresh JVM with the launcher's JVM arguments plus {@link #FORK_FLAGS}, the
     * way JMH forks its benchmark JVM, and reads back {median, best}.
     */
    static double[] forkedCpuNormalized(String profile, boolean quick) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(FORK_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SmtChainMain.class.getName());
        cmd.add("percore");
        cmd.add(profile);
        if (quick) {
            cmd.add("quick");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double[] result = null;
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("PERCORE ")) {
                    String[] f = line.split(" ");
                    result = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])};
                } else {
                    System.out.println("[percore " + profile + "] " + line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || result == null) {
            throw new IllegalStateException("per-core fork for " + profile + " failed, exit code " + rc);
        }
        return result;
    }

    /**
     * Records per CPU-second after a warm-up (in the fork as long as JMH's: 9 s, 2 s when quick): {median, best} of
     * 5 windows. The CPU time is the whole JVM's ({@code getProcessCpuTime}: the driving thread plus GC, JIT and
     * every other thread), so work the collector does on the second core is charged to the chain. The driving
     * thread's own CPU time and the wall clock of each window are printed beside it.
     */
    static double[] cpuNormalized(String profile, long warmupNanos, boolean quick) {
        SmtChainBenchmark bench = new SmtChainBenchmark();
        bench.profile = profile;
        bench.setup();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warmupEnd = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < warmupEnd) {
            for (int i = 0; i < 1000; i++) {
                escape = bench.fieldMappingMatchKeysHashPii();
            }
        }
        List<Double> windows = new ArrayList<>();
        long cpuPerWindow = quick ? 500_000_000L : 2_000_000_000L;
        for (int w = 0; w < 5; w++) {
            long wallStart = System.nanoTime();
            long threadStart = threads.getCurrentThreadCpuTime();
            long processStart = os.getProcessCpuTime();
            long ops = 0;
            long used;
            do {
                for (int i = 0; i < 1000; i++) {
                    escape = bench.fieldMappingMatchKeysHashPii();
                }
                ops += 1000;
                used = os.getProcessCpuTime() - processStart;
            } while (used < cpuPerWindow);
            long thread = threads.getCurrentThreadCpuTime() - threadStart;
            long wall = System.nanoTime() - wallStart;
            windows.add(ops * 1e9 / used);
            System.out.printf(
                    Locale.ROOT,
                    "window %d: %,10.0f records per process CPU-second, %,10.0f per "
                            + "driving-thread CPU-second, %,10.0f per wall-clock second%n",
                    w + 1,
                    ops * 1e9 / used,
                    ops * 1e9 / thread,
                    ops * 1e9 / wall);
        }
        Collections.sort(windows);
        return new double[] {windows.get(windows.size() / 2), windows.get(windows.size() - 1)};
    }
}
