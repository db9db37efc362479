package io.crmconnect.bench.smt;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 *   <li>per-core throughput: the same chain driven on one thread, records divided by the CPU time that thread
 *       actually received ({@link ThreadMXBean#getCurrentThreadCpuTime()}), median of 5 windows after warm-up.
 *       On a machine shared with other work this is the honest "records/s per core": wall-clock throughput there
 *       mostly measures how much of a core the scheduler granted.</li>
 * </ol>
 * The RESULT line reports the per-core figure of the {@code standard} chain. Argument "quick" shortens both phases.
 */
public final class SmtChainMain {
    static final double CEILING = 500_000;
    /** Every result is published here so the JIT cannot drop any of the work (cheaper than a hash of it). */
    static Object escape;

    private SmtChainMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Options options = new OptionsBuilder()
                .include(SmtChainBenchmark.class.getName())
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 2 : 3))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 2 : 3))
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> wall = new LinkedHashMap<>();
        for (RunResult r : results) {
            wall.put(r.getParams().getParam("profile"), r.getPrimaryResult().getScore());
        }
        Map<String, double[]> perCore = new LinkedHashMap<>();
        for (String profile : List.of("standard", "heavy")) {
            perCore.put(profile, cpuNormalized(profile, quick));
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf(Locale.ROOT, "machine: %d cpus, load average %.2f at the end, %s %s%n",
                Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        for (String profile : perCore.keySet()) {
            System.out.printf(Locale.ROOT, "chain %-8s: %,10.0f records/s per core (CPU time, median; best window "
                    + "%,.0f)   %,10.0f records/s wall clock (JMH, single thread)%n", profile, perCore.get(profile)[0],
                    perCore.get(profile)[1], wall.getOrDefault(profile, Double.NaN));
        }
        double value = perCore.get("standard")[0];
        System.out.printf(Locale.ROOT, "RESULT name=smt-chain value=%.0f unit=records/s-per-core ceiling=%.0f "
                + "ratio=%.3f%n", value, CEILING, value / CEILING);
    }

    /** Records per CPU-second of the driving thread after a warm-up: {median, best} of 5 windows. */
    static double[] cpuNormalized(String profile, boolean quick) {
        SmtChainBenchmark bench = new SmtChainBenchmark();
        bench.profile = profile;
        bench.setup();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long warmupEnd = System.nanoTime() + (quick ? 2_000_000_000L : 5_000_000_000L);
        while (System.nanoTime() < warmupEnd) {
            for (int i = 0; i < 1000; i++) {
                escape = bench.fieldMappingMatchKeysHashPii();
            }
        }
        List<Double> windows = new ArrayList<>();
        long cpuPerWindow = quick ? 500_000_000L : 2_000_000_000L;
        for (int w = 0; w < 5; w++) {
            long start = mx.getCurrentThreadCpuTime();
            long ops = 0;
            long used;
            do {
                for (int i = 0; i < 1000; i++) {
                    escape = bench.fieldMappingMatchKeysHashPii();
                }
                ops += 1000;
                used = mx.getCurrentThreadCpuTime() - start;
            } while (used < cpuPerWindow);
            windows.add(ops * 1e9 / used);
        }
        Collections.sort(windows);
        return new double[] {windows.get(windows.size() / 2), windows.get(windows.size() - 1)};
    }
}
