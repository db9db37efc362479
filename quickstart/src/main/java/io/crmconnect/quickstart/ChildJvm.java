package io.crmconnect.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A Java main class run in its own JVM process, with its output in a log file, stopped gracefully then forcibly. */
final class ChildJvm implements AutoCloseable {
    /** Every process started and not yet stopped, so an interrupted start-up leaves nothing behind. */
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, String mainClass, List<String> jvmArgs, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dlog4j2.configurationFile=classpath:quickstart-log4j2.xml");
        command.add("-Dquickstart.log.file=" + log);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            ChildJvm child = new ChildJvm(name, builder.start(), log);
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Runs a main class to completion (e.g. a storage format tool) and fails with its log on a non-zero exit. */
    static void runToCompletion(String name, String mainClass, List<String> args, Path log, Duration timeout) {
        try (ChildJvm tool = start(name, mainClass, List.of("-Xmx256m"), args, log)) {
            if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        name + " did not finish within " + timeout.toSeconds() + " s; see " + log);
            }
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(
                        name + " failed with exit code " + tool.process.exitValue() + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    /** Asks the process to stop (SIGTERM: Kafka and Connect shut down cleanly), then kills it after 20 s. */
    /** Stops whatever is still running, e.g. a broker whose start-up was interrupted by Ctrl-C. */
    static void stopAllRunning() {
        for (ChildJvm child : List.copyOf(RUNNING)) {
            child.close();
        }
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
