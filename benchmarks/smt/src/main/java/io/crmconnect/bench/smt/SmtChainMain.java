package io.crmconnect.bench.smt;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SmtChainBenchmark} on one thread and prints the RESULT line. Argument "quick" shortens the run
 * (for smoke tests; figures in the README come from the default run).
 */
public final class SmtChainMain {
    static final double CEILING = 500_000;

    private SmtChainMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("quick");
        Options options = new OptionsBuilder()
                .include(SmtChainBenchmark.class.getName())
                .forks(1)
                .threads(1)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.seconds(quick ? 2 : 5))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(quick ? 2 : 5))
                .jvmArgsAppend("-Xms512m", "-Xmx512m")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double value = results.iterator().next().getPrimaryResult().getScore();
        double error = results.iterator().next().getPrimaryResult().getScoreError();
        System.out.printf(Locale.ROOT, "chain throughput: %.0f ± %.0f records/s (single thread)%n", value, error);
        System.out.printf(Locale.ROOT, "RESULT name=smt-chain value=%.0f unit=records/s ceiling=%.0f ratio=%.3f%n",
                value, CEILING, value / CEILING);
    }
}
