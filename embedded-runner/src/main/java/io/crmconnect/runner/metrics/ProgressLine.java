package io.crmconnect.runner.metrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One progress line on the console: records read and written, rows the sink reports, dead letters, the write rate
 * since the previous line and the initial-load percentage.
 */
public final class ProgressLine {
    private final String pipeline;
    private final RunnerMetrics metrics;
    private final PrintStream out;
    private long lastWritten;
    private long lastNanos = System.nanoTime();

    public ProgressLine(String pipeline, RunnerMetrics metrics, PrintStream out) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.out = out;
    }

    public void print(String state) {
        long now = System.nanoTime();
        long written = metrics.writtenTotal();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        double rate = (written - lastWritten) / seconds;
        lastWritten = written;
        lastNanos = now;
        out.println(render(state, rate));
        out.flush();
    }

    String render(String state, double rate) {
        StringBuilder b = new StringBuilder();
        b.append('[')
                .append(pipeline)
                .append("] ")
                .append(state)
                .append(String.format(
                        Locale.ROOT, " | read %,d | written %,d", metrics.readTotal(), metrics.writtenTotal()));
        long rows = metrics.rows();
        if (rows >= 0) {
            b.append(String.format(Locale.ROOT, " | rows %,d", rows));
        }
        b.append(String.format(Locale.ROOT, " | dead letters %,d | %,.0f records/s", metrics.deadLetterTotal(), rate));
        double load = metrics.initialLoadPercent();
        if (load >= 0) {
            b.append(String.format(Locale.ROOT, " | initial load %.1f%%", load));
        }
        return b.toString();
    }
}
