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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Drives quickstart/run.sh exactly as a newcomer would, headless: the pipeline must bring HubSpot (simulator) rows
 * into PostgreSQL or MariaDB, then stop every process it started. The plugins were built by this same Maven run.
 * Every run moves all ports to free ones (other builds share this machine), which also exercises the port options.
 */
class QuickstartIT {
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static final Path RUN_DIR = REPO.resolve("quickstart/target/run");

    /** Every port option set to a free ephemeral port; {@link #released} checks them afterwards. */
    private static final List<String> PORT_FLAGS = List.of(
            "--kafka-port",
            "--controller-port",
            "--connect-port",
            "--simulator-port",
            "--postgres-port",
            "--mariadb-port",
            "--dynamics-port",
            "--snowflake-port",
            "--bigquery-port");

    private static List<String> freePorts() throws IOException {
        List<String> args = new ArrayList<>();
        for (String flag : PORT_FLAGS) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                args.add(flag);
                args.add(String.valueOf(socket.getLocalPort()));
            }
        }
        return args;
    }

    private static void assertReleased(List<String> ports) {
        for (int i = 1; i < ports.size(); i += 2) {
            assertThat(Ports.isFree(Integer.parseInt(ports.get(i))))
                    .as(ports.get(i - 1) + " " + ports.get(i) + " released")
                    .isTrue();
        }
    }

    private static List<String> args(List<String> ports, String... args) {
        List<String> all = new ArrayList<>(List.of("--skip-build"));
        all.addAll(List.of(args));
        all.addAll(ports);
        return all;
    }

    @Test
    void bringsHubSpotContactsIntoPostgresAndStopsEverything() throws Exception {
        List<String> ports = freePorts();
        Result result =
                run(args(ports, "--contacts", "600", "--until-rows", "300", "--timeout-seconds", "300"), Map.of(), 420);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Registered connector quickstart-hubspot-source",
                        "Registered connector quickstart-postgres-sink",
                        "rows arrived; stopping as asked",
                        "Everything stopped.");
        assertThat(result.output()).as("not a terminal: no escape sequences").doesNotContain("\u001b");

        List<Long> pids = Files.readAllLines(RUN_DIR.resolve("pids")).stream()
                .map(Long::parseLong)
                .toList();
        assertThat(pids).hasSize(3);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process " + pid + " is gone")
                    .isFalse();
        }
        assertReleased(ports);
        assertEveryPluginOnThePluginPath();
    }

    @Test
    void bringsHubSpotContactsIntoMariaDb() throws Exception {
        List<String> ports = freePorts();
        Result result = run(
                args(
                        ports,
                        "--scenario",
                        "hubspot-to-mariadb",
                        "--contacts",
                        "300",
                        "--until-rows",
                        "150",
                        "--timeout-seconds",
                        "300"),
                Map.of(),
                420);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Starting MariaDB",
                        "Registered connector quickstart-hubspot-source",
                        "Registered connector quickstart-mariadb-sink",
                        "rows arrived; stopping as asked",
                        "Everything stopped.");
        assertReleased(ports);
    }

    @Test
    void pushesWarehouseRowsFromATopicIntoHubSpot() throws Exception {
        List<String> ports = freePorts();
        Result result = run(
                args(
                        ports,
                        "--scenario",
                        "topic-to-hubspot",
                        "--contacts",
                        "300",
                        "--until-rows",
                        "300",
                        "--timeout-seconds",
                        "300"),
                Map.of(),
                420);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Registered connector quickstart-hubspot-sink",
                        "Producing 300 warehouse users to topic warehouse.users",
                        "300 rows arrived; stopping as asked",
                        "Everything stopped.");
        assertReleased(ports);
    }

    @Test
    void linksHubSpotContactsToDynamicsRowsWithTheTwoWaySync() throws Exception {
        List<String> ports = freePorts();
        Result result = run(
                args(
                        ports,
                        "--scenario",
                        "hubspot-dynamics",
                        "--contacts",
                        "20",
                        "--until-rows",
                        "20",
                        "--timeout-seconds",
                        "240"),
                Map.of(),
                360);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Starting the Dynamics 365 simulator",
                        "Created 20 HubSpot contacts to link to Dynamics 365",
                        "Registered connector sync-hubspot-source",
                        "Registered connector sync-dynamics-source",
                        "Registered connector sync-hubspot-to-dynamics",
                        "Registered connector sync-dynamics-to-hubspot",
                        "20 rows arrived; stopping as asked",
                        "Everything stopped.");
        assertReleased(ports);
    }

    @Test
    void writesSnowflakeUsersToHubSpotContacts() throws Exception {
        List<String> ports = freePorts();
        Result result = run(
                args(
                        ports,
                        "--scenario",
                        "snowflake-to-hubspot",
                        "--contacts",
                        "200",
                        "--until-rows",
                        "201",
                        "--timeout-seconds",
                        "240"),
                Map.of(),
                360);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Started the Snowflake fake",
                        "Registered connector snowflake-source",
                        "Registered connector quickstart-hubspot-sink",
                        "201 rows arrived; stopping as asked",
                        "Everything stopped.");
        assertReleased(ports);
    }

    @Test
    void writesBigQueryPatientsAndRoiRequestsToHubSpot() throws Exception {
        List<String> ports = freePorts();
        Result result = run(
                args(
                        ports,
                        "--scenario",
                        "bigquery-to-hubspot",
                        "--contacts",
                        "200",
                        "--until-rows",
                        "220",
                        "--timeout-seconds",
                        "240"),
                Map.of(),
                360);

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains(
                        "Started the BigQuery fake",
                        "Registered connector bigquery-source",
                        "Registered connector hubspot-sink-patients",
                        "Registered connector hubspot-sink-roi",
                        "220 rows arrived; stopping as asked",
                        "Everything stopped.");
        assertReleased(ports);
    }

    /** The worker's plugin.path (written by the last run) names the built directory of every plugin module. */
    private static void assertEveryPluginOnThePluginPath() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(RUN_DIR.resolve("connect/connect-distributed.properties"))) {
            worker.load(in);
        }
        List<String> pluginPath = List.of(worker.getProperty("plugin.path").split(","));
        try (var modules = Files.list(REPO)) {
            for (Path module : modules.filter(m -> Files.exists(m.resolve("src/main/connect-plugin/manifest.json")))
                    .toList()) {
                assertThat(pluginPath)
                        .as("plugin.path")
                        .contains(module.resolve("target/plugin-path").toString());
            }
        }
        assertThat(pluginPath).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void helpComesFirstWithoutJavaMavenOrEscapeSequences() throws Exception {
        // A PATH without java and mvn: help must not need either, and must not start a build.
        Path bin = Files.createTempDirectory("help-path");
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        Files.createSymbolicLink(bin.resolve("cat"), Path.of("/bin/cat"));
        Result result = run(List.of("--help"), Map.of("PATH", bin.toString()), 30);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .startsWith("Usage: quickstart/run.sh")
                .contains(
                        "--scenario",
                        "hubspot-to-postgres",
                        "hubspot-to-mariadb",
                        "topic-to-hubspot",
                        "hubspot-dynamics",
                        "snowflake-to-hubspot",
                        "bigquery-to-hubspot",
                        "--snowflake-port",
                        "--mariadb-port",
                        "--skip-build")
                .doesNotContain("\u001b", "Building", "Java is not installed");
    }

    @Test
    void aBusyPortIsNamedWithTheFlagThatMovesIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> args = new ArrayList<>(List.of("--skip-build"));
            args.addAll(freePorts());
            args.addAll(List.of("--connect-port", String.valueOf(busy.getLocalPort()))); // the last one counts
            Result result = run(args, Map.of(), 60);
            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.output())
                    .contains(
                            "Port " + busy.getLocalPort() + " (Kafka Connect REST) is already in use",
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

    private record Result(int exit, String output) {}

    private static Result run(List<String> args, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/bin/bash");
        command.add(REPO.resolve("quickstart/run.sh").toString());
        command.addAll(args);
        Path output = Files.createTempFile("quickstart-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().remove("HUBSPOT_TOKEN");
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(
                    "quickstart did not finish in " + timeoutSeconds + " s:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
