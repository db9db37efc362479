package io.crmconnect.quickstart;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs on top of Kafka + Connect + PostgreSQL. Connector configs are the example files each plugin ships in its
 * archive's etc/ folder, written for the quickstart's default addresses; the quickstart only rewrites an address
 * when its port was moved.
 */
abstract class Scenario {
    static final String SIMULATOR_MAIN = "io.crmconnect.simulator.hubspot.HubSpotSimulatorMain";
    static final String DEFAULT_SIMULATOR_ADDRESS = "127.0.0.1:8089";
    static final String DEFAULT_POSTGRES_ADDRESS = "127.0.0.1:15432";
    static final String DEFAULT_MARIADB_ADDRESS = "127.0.0.1:13306";
    static final String SIMULATOR_TOKEN = "pat-quickstart-token";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    protected final Options options;
    protected final Path runDir;

    Scenario(Options options, Path runDir) {
        this.options = options;
        this.runDir = runDir;
    }

    static Scenario of(Options options, Path runDir) {
        return switch (options.scenario) {
            case HUBSPOT_TO_POSTGRES -> new HubSpotToDatabase(options, runDir, Database.POSTGRES);
            case HUBSPOT_TO_MARIADB -> new HubSpotToDatabase(options, runDir, Database.MARIADB);
            case TOPIC_TO_HUBSPOT -> new TopicToHubSpot(options, runDir);
        };
    }

    /** The database a scenario writes to, if any. */
    enum Database {
        NONE, POSTGRES, MARIADB
    }

    /**
     * Every plugin module of the repository (a top-level module with src/main/connect-plugin/manifest.json): the
     * worker loads them all, so any sample config can be POSTed to its REST API while the quickstart runs.
     */
    List<String> pluginModules() {
        try (java.util.stream.Stream<Path> modules = Files.list(options.repo)) {
            return modules.filter(m -> Files.exists(m.resolve("src/main/connect-plugin/manifest.json")))
                    .map(m -> m.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Example connector files (module-relative paths under src/main/connect-plugin/etc). */
    abstract List<Path> connectorExamples();

    abstract void startSystems(Quickstart quickstart);

    /** How many records reached their destination so far. */
    abstract long arrived(Map<String, Long> rowsPerTable, org.apache.kafka.clients.admin.Admin admin);

    Database database() {
        return Database.POSTGRES;
    }

    /** Called once the connectors are registered, e.g. to produce the rows a sink will write. */
    void afterConnectorsRegistered(Quickstart quickstart, String bootstrapServers) {
    }

    abstract long expected();

    abstract String progressLabel();

    abstract boolean isPipelineTopic(String topic);

    abstract void whereToLook(PrintStream out, LocalDatabase database);

    List<Path> pluginDirectories() {
        return pluginModules().stream().map(module -> {
            Path dir = options.repo.resolve(module).resolve("target/plugin-path");
            if (!Files.isDirectory(dir)) {
                throw new QuickstartException("Plugin " + module + " is not built (" + dir + " is missing): run "
                        + "quickstart/run.sh without --skip-build, or mvn -B package -DskipTests");
            }
            return dir;
        }).toList();
    }

    /** Literal replacements applied to the example files. */
    Map<String, String> placeholders(LocalDatabase database) {
        Map<String, String> replacements = new LinkedHashMap<>();
        replacements.put(DEFAULT_SIMULATOR_ADDRESS, "127.0.0.1:" + options.simulatorPort);
        if (database instanceof LocalPostgres) {
            replacements.put(DEFAULT_POSTGRES_ADDRESS, "127.0.0.1:" + database.port());
        } else if (database instanceof LocalMariaDb) {
            replacements.put(DEFAULT_MARIADB_ADDRESS, "127.0.0.1:" + database.port());
        }
        return replacements;
    }

    protected void startSimulator(Quickstart quickstart, int contacts) {
        quickstart.say("Starting the HubSpot simulator on 127.0.0.1:" + options.simulatorPort + " with "
                + contacts + " contacts");
        ChildJvm simulator = quickstart.track(ChildJvm.start("hubspot-simulator", SIMULATOR_MAIN,
                List.of("-Xmx512m"),
                List.of("--port", String.valueOf(options.simulatorPort), "--seed", "42",
                        "--contacts", String.valueOf(contacts), "--token", SIMULATOR_TOKEN),
                runDir.resolve("logs/simulator.log")));
        Ports.awaitListening(options.simulatorPort, "HubSpot simulator", Duration.ofSeconds(60), simulator);
    }

    /** GET on the simulator's HubSpot API with the quickstart token. */
    protected String simulatorGet(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.simulatorPort + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + SIMULATOR_TOKEN).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    protected void printSimulatorAddress(PrintStream out) {
        out.println("  HubSpot simulator http://127.0.0.1:" + options.simulatorPort + "/crm/v3/objects/contacts"
                + "  (Authorization: Bearer " + SIMULATOR_TOKEN + ")");
    }

    protected Path example(String module, String file) {
        Path path = options.repo.resolve(module).resolve("src/main/connect-plugin/etc").resolve(file);
        if (!Files.exists(path)) {
            throw new QuickstartException("Example connector config " + path + " is missing");
        }
        return path;
    }

    /** HubSpot (simulator) → Kafka → PostgreSQL or MariaDB, replacing a Fivetran/Airbyte HubSpot sync. */
    static final class HubSpotToDatabase extends Scenario {
        private final boolean realHubSpot;
        private final Database database;

        HubSpotToDatabase(Options options, Path runDir, Database database) {
            super(options, runDir);
            this.realHubSpot = options.hubspotToken != null && !options.hubspotToken.isBlank();
            this.database = database;
        }

        @Override
        Database database() {
            return database;
        }

        @Override
        List<Path> connectorExamples() {
            return List.of(example("hubspot-source-connector", "quickstart-hubspot-source.json"),
                    example("jdbc-sink-connector", database == Database.MARIADB ? "quickstart-mariadb-sink.json"
                            : "quickstart-postgres-sink.json"));
        }

        @Override
        void startSystems(Quickstart quickstart) {
            if (realHubSpot) {
                quickstart.say("HUBSPOT_TOKEN is set: reading your real HubSpot portal (api.hubapi.com)");
                return;
            }
            startSimulator(quickstart, options.contacts);
        }

        @Override
        Map<String, String> placeholders(LocalDatabase db) {
            Map<String, String> replacements = super.placeholders(db);
            if (realHubSpot) {
                replacements.put("http://" + DEFAULT_SIMULATOR_ADDRESS, "https://api.hubapi.com");
                replacements.put(SIMULATOR_TOKEN, options.hubspotToken);
            }
            return replacements;
        }

        @Override
        long arrived(Map<String, Long> rowsPerTable, org.apache.kafka.clients.admin.Admin admin) {
            return rowsPerTable.getOrDefault("hubspot_contacts", 0L);
        }

        @Override
        long expected() {
            if (realHubSpot) {
                return 0; // unknown without spending API calls on counting
            }
            return options.contacts;
        }

        @Override
        String progressLabel() {
            return "contacts initial load";
        }

        @Override
        boolean isPipelineTopic(String topic) {
            return topic.startsWith("hubspot.");
        }

        @Override
        void whereToLook(PrintStream out, LocalDatabase db) {
            if (!realHubSpot) {
                printSimulatorAddress(out);
            }
            db.whereToLook(out);
        }
    }

    /**
     * Warehouse rows in a Kafka topic → HubSpot contacts through the HubSpot sink (id, else email; update, else
     * create), replacing a Hightouch/Census sync. A tenth of the rows carry emails of contacts the portal already
     * has, so they update instead of create.
     */
    static final class TopicToHubSpot extends Scenario {
        static final String TOPIC = "warehouse.users";
        static final String SINK = "quickstart-hubspot-sink";
        private final int rows;

        TopicToHubSpot(Options options, Path runDir) {
            super(options, runDir);
            this.rows = options.contacts;
        }

        @Override
        Database database() {
            return Database.NONE;
        }

        @Override
        List<Path> connectorExamples() {
            return List.of(example("hubspot-sink-connector", "quickstart-hubspot-sink.json"));
        }

        @Override
        void startSystems(Quickstart quickstart) {
            startSimulator(quickstart, Math.max(100, rows / 10));
        }

        @Override
        void afterConnectorsRegistered(Quickstart quickstart, String bootstrapServers) {
            List<String> existingEmails = existingEmails(Math.max(1, rows / 10));
            quickstart.say("Producing " + rows + " warehouse users to topic " + TOPIC + " (" + existingEmails.size()
                    + " of them already in HubSpot)");
            WarehouseUsers.produce(bootstrapServers, TOPIC, rows, existingEmails);
        }

        private List<String> existingEmails(int count) {
            try {
                String body = simulatorGet("/crm/v3/objects/contacts?limit=" + Math.min(100, count) + "&properties=email");
                List<String> emails = new java.util.ArrayList<>();
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("results")
                        .forEach(r -> emails.add(r.path("properties").path("email").asText()));
                return emails.stream().filter(e -> !e.isBlank()).toList();
            } catch (Exception e) {
                throw new QuickstartException("Could not read contacts from the simulator: " + e.getMessage(), e);
            }
        }

        /** Records the sink committed: it commits offsets only for what HubSpot accepted or the DLQ took. */
        @Override
        long arrived(Map<String, Long> rowsPerTable, org.apache.kafka.clients.admin.Admin admin) {
            try {
                return admin.listConsumerGroupOffsets("connect-" + SINK).partitionsToOffsetAndMetadata().get()
                        .values().stream().filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
            } catch (Exception e) {
                return 0;
            }
        }

        @Override
        long expected() {
            return rows;
        }

        @Override
        String progressLabel() {
            return "warehouse users written to HubSpot";
        }

        @Override
        boolean isPipelineTopic(String topic) {
            return topic.startsWith("warehouse.");
        }

        @Override
        void whereToLook(PrintStream out, LocalDatabase database) {
            printSimulatorAddress(out);
            out.println("  Simulator counts http://127.0.0.1:" + options.simulatorPort + "/_sim/counts");
            out.println("  Dead letters     topic " + TOPIC + ".dlq");
        }
    }
}
