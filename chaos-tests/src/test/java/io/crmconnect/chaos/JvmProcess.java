package io.crmconnect.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java main class in its own OS process (its own JVM), on the Kafka/Connect classpath the build wrote to
 * {@value #CLASSPATH_PROPERTY}, logging to a file. {@link #kill()} is a real {@code kill -9}: no shutdown hook, no
 * flush, no goodbye to the group coordinator.
 */
final class JvmProcess {
    static final String CLASSPATH_PROPERTY = "crmconnect.chaos.worker.classpath";
    private static final Logger LOG = LoggerFactory.getLogger(JvmProcess.class);
    /** Every child still running, killed when the test JVM exits however it exits. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "chaos-children-kill"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JvmProcess start(String name, String mainClass, List<String> jvmArgs, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(workerClasspath());
        command.add("-Dlog4j2.configurationFile=" + logConfig());
        command.add("-Dchaos.log.file=" + log);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            RUNNING.add(process);
            LOG.info("started {} (pid {}), log {}", name, process.pid(), log);
            return new JvmProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Runs a main class to completion (the storage format tool) and fails on a non-zero exit. */
    static void run(String name, String mainClass, List<String> args, Path log) {
        JvmProcess tool = start(name, mainClass, List.of("-Xmx256m"), args, log);
        try {
            if (!tool.process.waitFor(180, TimeUnit.SECONDS)) {
                tool.kill();
                throw new IllegalStateException(name + " did not finish within 180 s; see " + log);
            }
            RUNNING.remove(tool.process);
            if (tool.process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + tool.process.exitValue() + "; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    private static String workerClasspath() {
        String file = System.getProperty(CLASSPATH_PROPERTY);
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("System property " + CLASSPATH_PROPERTY + " is not set: run the chaos "
                    + "suite through Maven (mvn -pl chaos-tests -am verify), which writes the workers' classpath");
        }
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workers' classpath " + file, e);
        }
    }

    private static String logConfig() {
        URL url = JvmProcess.class.getResource("/chaos-process-log4j2.xml");
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("chaos-process-log4j2.xml is not on the test classpath", e);
        }
    }

    String name() {
        return name;
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

    /** SIGKILL, then waits until the OS has reaped the process. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        RUNNING.remove(process);
        LOG.info("killed {} (pid {}) with SIGKILL", name, pid());
    }

    /** SIGTERM (a clean shutdown), then SIGKILL after 30 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }
}
