package io.crmconnect.runner.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runner as users start it: bin/crm-connect of the built distribution, in its own process. */
final class RunnerProcess implements AutoCloseable {
    private static final Pattern READ = Pattern.compile("read ([0-9,]+) \\| written ([0-9,]+)");

    private final Process process;
    private final Path output;

    private RunnerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static Path distribution() {
        Path dist = Path.of(System.getProperty("crmconnect.runner.dist", "target/crm-connect-runner"));
        if (!Files.isExecutable(dist.resolve("bin/crm-connect"))) {
            throw new IllegalStateException("No runner distribution at " + dist + ": build with mvn package first");
        }
        return dist;
    }

    static RunnerProcess start(Path pipeline, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(distribution().resolve("bin/crm-connect").toString());
        cmd.add("run");
        cmd.add(pipeline.toString());
        cmd.addAll(List.of(args));
        Path out = pipeline.resolveSibling("run-" + System.currentTimeMillis() + ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CRM_CONNECT_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
        return new RunnerProcess(pb.start(), out);
    }

    /** Waits for the process; returns its exit status. */
    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the runner did not finish within " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no last commit. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** "read" of the last progress line. */
    long lastRead() {
        return last(1);
    }

    /** "written" of the last progress line. */
    long lastWritten() {
        return last(2);
    }

    private long last(int group) {
        Matcher m = READ.matcher(output());
        long v = -1;
        while (m.find()) {
            v = Long.parseLong(m.group(group).replace(",", ""));
        }
        return v;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
