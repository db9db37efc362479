package io.crmconnect.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives quickstart/run.sh exactly as a newcomer would, headless: the pipeline must bring HubSpot (simulator) rows
 * into PostgreSQL, then stop every process it started. The plugins were built by this same Maven run.
 */
class QuickstartIT {
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static final Path RUN_DIR = REPO.resolve("quickstart/target/run");

    @Test
    void bringsHubSpotContactsIntoPostgresAndStopsEverything() throws Exception {
        Result result = run(List.of("--skip-build", "--headless", "--contacts", "600", "--until-rows", "300",
                "--timeout-seconds", "300"), Map.of(), 420);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("Registered connector quickstart-hubspot-source",
                "Registered connector quickstart-postgres-sink", "rows arrived; stopping as asked", "Everything stopped.");

        List<Long> pids = Files.readAllLines(RUN_DIR.resolve("pids")).stream().map(Long::parseLong).toList();
        assertThat(pids).hasSize(3);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process " + pid + " is gone").isFalse();
        }
        for (int port : new int[] {9092, 9093, 8083, 8089, 15432}) {
            assertThat(Ports.isFree(port)).as("port " + port + " released").isTrue();
        }
    }

    @Test
    void pushesWarehouseRowsFromATopicIntoHubSpotOnMovedPorts() throws Exception {
        Result result = run(List.of("--skip-build", "--headless", "--scenario", "topic-to-hubspot",
                "--contacts", "300", "--until-rows", "300", "--timeout-seconds", "300",
                "--kafka-port", "19092", "--controller-port", "19093", "--connect-port", "18083",
                "--simulator-port", "18089"), Map.of(), 420);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("Registered connector quickstart-hubspot-sink",
                "Producing 300 warehouse users to topic warehouse.users", "300 rows arrived; stopping as asked",
                "Everything stopped.");
        for (int port : new int[] {19092, 19093, 18083, 18089}) {
            assertThat(Ports.isFree(port)).as("port " + port + " released").isTrue();
        }
    }

    @Test
    void aBusyPortIsNamedWithTheFlagThatMovesIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run(List.of("--skip-build", "--headless", "--connect-port",
                    String.valueOf(busy.getLocalPort())), Map.of(), 60);
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.output()).contains("Port " + busy.getLocalPort() + " (Kafka Connect REST) is already in use",
                    "--connect-port");
        }
    }

    @Test
    void missingJavaGivesAClearMessage() throws Exception {
        // A PATH with the few tools run.sh needs before its Java check, and no java.
        Path bin = Files.createTempDirectory("no-java-path");
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        Result result = run(List.of("--skip-build"), Map.of("PATH", bin.toString()), 30);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("Java is not installed");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> args, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/bin/bash");
        command.add(REPO.resolve("quickstart/run.sh").toString());
        command.addAll(args);
        Path output = Files.createTempFile("quickstart-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().remove("HUBSPOT_TOKEN");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("quickstart did not finish in " + timeoutSeconds + " s:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
