package io.crmconnect.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The quickstart: brings up the whole pipeline on this machine, shows its progress, and stops every process it
 * started on Ctrl-C (or, with --until-rows, once enough rows arrived).
 */
public final class Quickstart {
    private static final PrintStream OUT = System.out;

    private final Options options;
    private final Path runDir;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private Quickstart(Options options) {
        this.options = options;
        this.runDir = options.repo.resolve("quickstart/target/run");
    }

    public static void main(String[] args) {
        int exit;
        try {
            exit = new Quickstart(Options.parse(args)).run();
        } catch (QuickstartException e) {
            System.err.println(e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }

    private int run() {
        preflight();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "quickstart-shutdown"));
        try {
            Scenario scenario = Scenario.of(options, runDir);
            long t0 = System.nanoTime();
            // PostgreSQL and the simulator start while the broker does: they do not depend on each other.
            CompletableFuture<LocalDatabase> databaseStart = CompletableFuture.completedFuture(null);
            if (scenario.database() == Scenario.Database.POSTGRES) {
                say("Starting PostgreSQL on 127.0.0.1:" + options.postgresPort);
                databaseStart =
                        CompletableFuture.supplyAsync(() -> track(LocalPostgres.start(runDir, options.postgresPort)));
            } else if (scenario.database() == Scenario.Database.MARIADB) {
                say("Starting MariaDB on 127.0.0.1:" + options.mariadbPort);
                databaseStart =
                        CompletableFuture.supplyAsync(() -> track(LocalMariaDb.start(runDir, options.mariadbPort)));
            }
            CompletableFuture<Void> systemsStart = CompletableFuture.runAsync(() -> scenario.startSystems(this));
            say("Starting Kafka (KRaft) on 127.0.0.1:" + options.kafkaPort);
            KafkaBroker kafka = track(KafkaBroker.start(runDir, options.kafkaPort, options.controllerPort));
            LocalDatabase database = join(databaseStart);
            join(systemsStart);
            say("Starting Kafka Connect on 127.0.0.1:" + options.connectPort + " with plugins from "
                    + scenario.pluginDirectories());
            ConnectWorker connect = track(ConnectWorker.start(
                    runDir, kafka.bootstrapServers(), options.connectPort, scenario.pluginDirectories()));
            writePidFile(kafka, connect);
            Map<String, String> placeholders = scenario.placeholders(database);
            List<String> connectors = new ArrayList<>();
            for (Path example : scenario.connectorExamples()) {
                String name = connect.register(example, placeholders, scenario.overrides(example));
                connectors.add(name);
                say("Registered connector " + name + " from " + options.repo.relativize(example));
            }
            scenario.afterConnectorsRegistered(this, kafka.bootstrapServers());
            say(String.format("Pipeline up in %.1f s", (System.nanoTime() - t0) / 1e9));
            Progress progress = new Progress(
                    OUT, options.headless, kafka.bootstrapServers(), connect, connectors, database, scenario);
            try {
                printWhereToLook(scenario, database);
                return progress.run(options.untilRows, Duration.ofSeconds(options.timeoutSeconds), t0);
            } finally {
                progress.close();
            }
        } finally {
            stopAll();
        }
    }

    private static <T> T join(CompletableFuture<T> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void preflight() {
        Ports.requireFree(options.kafkaPort, "Kafka", "--kafka-port");
        Ports.requireFree(options.controllerPort, "Kafka controller", "--controller-port");
        Ports.requireFree(options.connectPort, "Kafka Connect REST", "--connect-port");
        if (options.scenario == Options.Scenario.HUBSPOT_TO_POSTGRES) {
            Ports.requireFree(options.postgresPort, "PostgreSQL", "--postgres-port");
        }
        if (options.scenario == Options.Scenario.HUBSPOT_TO_MARIADB) {
            Ports.requireFree(options.mariadbPort, "MariaDB", "--mariadb-port");
        }
        if (options.scenario == Options.Scenario.SNOWFLAKE_TO_HUBSPOT) {
            Ports.requireFree(options.snowflakePort, "Snowflake fake", "--snowflake-port");
        }
        if (options.scenario == Options.Scenario.BIGQUERY_TO_HUBSPOT) {
            Ports.requireFree(options.bigqueryPort, "BigQuery fake", "--bigquery-port");
        }
        if (options.scenario != Options.Scenario.HUBSPOT_TO_POSTGRES
                        && options.scenario != Options.Scenario.HUBSPOT_TO_MARIADB
                || options.hubspotToken == null) {
            Ports.requireFree(options.simulatorPort, "HubSpot simulator", "--simulator-port");
        }
        if (options.scenario == Options.Scenario.HUBSPOT_DYNAMICS) {
            Ports.requireFree(options.dynamicsPort, "Dynamics 365 simulator", "--dynamics-port");
        }
        try {
            if (Files.exists(runDir)) {
                try (Stream<Path> files = Files.walk(runDir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(runDir.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T extends AutoCloseable> T track(T resource) {
        synchronized (started) {
            started.push(resource);
        }
        return resource;
    }

    /** Stops everything in reverse start order; safe to call twice (Ctrl-C during the normal stop). */
    private void stopAll() {
        List<AutoCloseable> toStop = new ArrayList<>();
        synchronized (started) {
            while (!started.isEmpty()) {
                toStop.add(started.pop());
            }
        }
        if (!toStop.isEmpty()) {
            say("Stopping " + toStop.size() + " component(s)...");
        }
        for (AutoCloseable resource : toStop) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("Could not stop " + resource + ": " + e.getMessage());
            }
        }
        ChildJvm.stopAllRunning();
        if (!toStop.isEmpty()) {
            say("Everything stopped.");
        }
    }

    /** PIDs of the child processes, so scripts and the CI test can check nothing is left behind. */
    private void writePidFile(KafkaBroker kafka, ConnectWorker connect) {
        try {
            Files.writeString(
                    runDir.resolve("pids"),
                    kafka.process().pid() + "\n" + connect.process().pid() + "\n"
                            + ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void printWhereToLook(Scenario scenario, LocalDatabase database) {
        OUT.println();
        OUT.println("Where to look:");
        OUT.println("  Connect REST     " + "http://127.0.0.1:" + options.connectPort + "/connectors?expand=status");
        OUT.println("  Kafka bootstrap  127.0.0.1:" + options.kafkaPort);
        scenario.whereToLook(OUT, database);
        OUT.println("  Logs             " + options.repo.relativize(runDir.resolve("logs")));
        OUT.println(options.untilRows > 0 ? "" : "Press Ctrl-C to stop everything.");
        OUT.println();
    }

    void say(String line) {
        OUT.println("[quickstart] " + line);
    }

    Options options() {
        return options;
    }
}
