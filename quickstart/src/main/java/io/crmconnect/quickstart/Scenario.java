package io.crmconnect.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What runs on top of Kafka + Connect + PostgreSQL. Connector configs are the example files each plugin ships in its
 * archive's etc/ folder; the quickstart rewrites an address when its port was moved, and a sample written for a
 * production deployment gets the coordinates a user would change (endpoint, secrets file, topic) as overrides.
 */
abstract class Scenario {
    static final String SIMULATOR_MAIN = "io.crmconnect.simulator.hubspot.HubSpotSimulatorMain";
    static final String DEFAULT_SIMULATOR_ADDRESS = "127.0.0.1:8089";
    static final String DEFAULT_POSTGRES_ADDRESS = "127.0.0.1:15432";
    static final String DEFAULT_MARIADB_ADDRESS = "127.0.0.1:13306";
    static final String SIMULATOR_TOKEN = "pat-quickstart-token";

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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
            case HUBSPOT_DYNAMICS -> new HubSpotDynamics(options, runDir);
            case SNOWFLAKE_TO_HUBSPOT -> new SnowflakeToHubSpot(options, runDir);
            case BIGQUERY_TO_HUBSPOT -> new BigQueryToHubSpot(options, runDir);
        };
    }

    /** The database a scenario writes to, if any. */
    enum Database {
        NONE,
        POSTGRES,
        MARIADB
    }

    /**
     * Every plugin module of the repository (a top-level module with src/main/connect-plugin/manifest.json): the
     * worker loads them all, so any sample config can be POSTed to its REST API while the quickstart runs.
     */
    List<String> pluginModules() {
        try (Stream<Path> modules = Files.list(options.repo)) {
            return modules.filter(m -> Files.exists(m.resolve("src/main/connect-plugin/manifest.json")))
                    .map(m -> m.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Config keys set (or, with a null value, removed) in an example after the placeholders were replaced. */
    Map<String, String> overrides(Path example) {
        return Map.of();
    }

    /** Called once the connectors are registered, e.g. to produce the rows a sink will write. */
    void afterConnectorsRegistered(Quickstart quickstart, String bootstrapServers) {}

    abstract long expected();

    abstract String progressLabel();

    abstract boolean isPipelineTopic(String topic);

    abstract void whereToLook(PrintStream out, LocalDatabase database);

    List<Path> pluginDirectories() {
        return pluginModules().stream()
                .map(module -> {
                    Path dir = options.repo.resolve(module).resolve("target/plugin-path");
                    if (!Files.isDirectory(dir)) {
                        throw new QuickstartException(
                                "Plugin " + module + " is not built (" + dir + " is missing): run "
                                        + "quickstart/run.sh without --skip-build, or mvn -B package -DskipTests");
                    }
                    return dir;
                })
                .toList();
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
        quickstart.say("Starting the HubSpot simulator on 127.0.0.1:" + options.simulatorPort + " with " + contacts
                + " contacts");
        startChildSimulator(
                quickstart,
                "simulator",
                "HubSpot simulator",
                SIMULATOR_MAIN,
                options.simulatorPort,
                List.of("--seed", "42", "--contacts", String.valueOf(contacts), "--token", SIMULATOR_TOKEN));
    }

    /**
     * A simulator in its own JVM ({@code --port port} and {@code args}, log in logs/{@code name}.log), tracked for
     * the stop; returns once it listens.
     */
    protected void startChildSimulator(
            Quickstart quickstart, String name, String what, String mainClass, int port, List<String> args) {
        List<String> all = new ArrayList<>(List.of("--port", String.valueOf(port)));
        all.addAll(args);
        ChildJvm simulator = quickstart.track(
                ChildJvm.start(name, mainClass, List.of("-Xmx512m"), all, runDir.resolve("logs/" + name + ".log")));
        Ports.awaitListening(port, what, Duration.ofSeconds(60), simulator);
    }

    /** HubSpot contacts the simulator already holds (at most 100), e.g. for rows that update rather than create. */
    protected List<Contact> existingContacts(int count) {
        try {
            String body = simulatorGet("/crm/v3/objects/contacts?limit=" + Math.min(100, count) + "&properties=email");
            List<Contact> contacts = new ArrayList<>();
            JSON.readTree(body)
                    .path("results")
                    .forEach(r -> contacts.add(new Contact(
                            r.path("id").asText(),
                            r.path("properties").path("email").asText())));
            return contacts.stream().filter(c -> !c.email().isBlank()).toList();
        } catch (Exception e) {
            throw new QuickstartException("Could not read contacts from the simulator: " + e.getMessage(), e);
        }
    }

    record Contact(String id, String email) {}

    /** POST on the simulator's HubSpot API with the quickstart token; returns the answer's JSON. */
    protected JsonNode simulatorPost(String path, JsonNode body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.simulatorPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + SIMULATOR_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new QuickstartException(
                    "HubSpot simulator answered " + r.statusCode() + " to POST " + path + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** Records the sinks committed: a sink commits offsets only for what HubSpot accepted or the DLQ took. */
    protected static long committed(org.apache.kafka.clients.admin.Admin admin, List<String> sinks) {
        long sum = 0;
        for (String sink : sinks) {
            try {
                sum +=
                        admin
                                .listConsumerGroupOffsets("connect-" + sink)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .values()
                                .stream()
                                .filter(Objects::nonNull)
                                .mapToLong(o -> o.offset())
                                .sum();
            } catch (Exception e) {
                // nothing committed yet
            }
        }
        return sum;
    }

    /** A secrets file under the run directory, read by the worker's FileConfigProvider as in production. */
    protected Path writeSecrets(String file, Map<String, String> secrets) {
        try {
            Path path = runDir.resolve("secrets").resolve(file);
            Files.createDirectories(path.getParent());
            Properties properties = new Properties();
            properties.putAll(secrets);
            try (Writer out = Files.newBufferedWriter(path)) {
                properties.store(out, null);
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET on the simulator's HubSpot API with the quickstart token. */
    protected String simulatorGet(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + options.simulatorPort + pathAndQuery))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + SIMULATOR_TOKEN)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    protected void printSimulatorAddress(PrintStream out) {
        out.println("  HubSpot simulator http://127.0.0.1:" + options.simulatorPort + "/crm/v3/objects/contacts"
                + "  (Authorization: Bearer " + SIMULATOR_TOKEN + ")");
    }

    protected Path example(String module, String file) {
        Path path = options.repo
                .resolve(module)
                .resolve("src/main/connect-plugin/etc")
                .resolve(file);
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
            return List.of(
                    example("hubspot-source-connector", "quickstart-hubspot-source.json"),
                    example(
                            "jdbc-sink-connector",
                            database == Database.MARIADB
                                    ? "quickstart-mariadb-sink.json"
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
            List<String> existingEmails = existingContacts(Math.max(1, rows / 10)).stream()
                    .map(Contact::email)
                    .toList();
            quickstart.say("Producing " + rows + " warehouse users to topic " + TOPIC + " (" + existingEmails.size()
                    + " of them already in HubSpot)");
            WarehouseUsers.produce(bootstrapServers, TOPIC, rows, existingEmails);
        }

        @Override
        long arrived(Map<String, Long> rowsPerTable, org.apache.kafka.clients.admin.Admin admin) {
            return committed(admin, List.of(SINK));
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

    /**
     * HubSpot ↔ Dynamics 365 two-way sync of contacts (both simulators), from the four connector samples and the
     * mapping the two-way-sync archive ships: the HubSpot contacts are linked to Dynamics 365 rows the sync creates;
     * then edits on either side travel to the other.
     */
    static final class HubSpotDynamics extends Scenario {
        static final String DYNAMICS_MAIN = "io.crmconnect.simulator.dynamics.DynamicsSimulatorMain";
        static final String DEFAULT_DYNAMICS_URL = "http://127.0.0.1:8090";
        static final String SECRETS = "/etc/kafka-connect/secrets.properties";
        static final String MAPPING = "/etc/kafka-connect/two-way-sync-contacts.yaml";
        private final int contacts;

        HubSpotDynamics(Options options, Path runDir) {
            super(options, runDir);
            // every contact costs requests within both CRMs' limits: a small default shows the sync in seconds
            this.contacts = options.contactsGiven ? options.contacts : 100;
        }

        @Override
        Database database() {
            return Database.NONE;
        }

        @Override
        List<Path> connectorExamples() {
            return List.of(
                    example("two-way-sync", "sync-hubspot-source.json"),
                    example("two-way-sync", "sync-dynamics-source.json"),
                    example("two-way-sync", "sync-hubspot-to-dynamics.json"),
                    example("two-way-sync", "sync-dynamics-to-hubspot.json"));
        }

        @Override
        void startSystems(Quickstart quickstart) {
            startSimulator(quickstart, 0);
            quickstart.say("Starting the Dynamics 365 simulator on 127.0.0.1:" + options.dynamicsPort);
            startChildSimulator(
                    quickstart,
                    "dynamics-simulator",
                    "Dynamics 365 simulator",
                    DYNAMICS_MAIN,
                    options.dynamicsPort,
                    List.of(
                            "--seed",
                            "42",
                            "--contacts",
                            "0",
                            "--accounts",
                            "0",
                            "--leads",
                            "0",
                            "--opportunities",
                            "0",
                            "--projects",
                            "0"));
            try {
                // the properties the mapping names, then the contacts to link
                for (String[] p : new String[][] {
                    {"d365_contactid", "Dynamics 365 contact id"},
                    {"crmconnect_sync_state", "Sync state"},
                    {"crm_contact_method", "Contact method"}
                }) {
                    simulatorPost(
                            "/crm/v3/properties/contacts",
                            JSON.createObjectNode()
                                    .put("name", p[0])
                                    .put("label", p[1])
                                    .put("type", "string")
                                    .put("fieldType", "text")
                                    .put("groupName", "contactinformation"));
                }
                String[] countries = {"US", "DE", "FR"};
                for (int i = 0; i < contacts; i += 100) {
                    var body = JSON.createObjectNode();
                    var inputs = body.putArray("inputs");
                    for (int j = i; j < Math.min(contacts, i + 100); j++) {
                        inputs.addObject()
                                .putObject("properties")
                                .put("email", "person" + j + "@example.com")
                                .put("firstname", "First" + j)
                                .put("lastname", "Last" + j)
                                .put("city", "City" + j)
                                .put("country", countries[j % 3])
                                .put("crm_contact_method", "email");
                    }
                    simulatorPost("/crm/v3/objects/contacts/batch/create", body);
                }
                writeSecretsAndMapping();
            } catch (Exception e) {
                throw new QuickstartException("Could not prepare the simulators: " + e.getMessage(), e);
            }
            quickstart.say("Created " + contacts + " HubSpot contacts to link to Dynamics 365");
        }

        /** The samples' secrets file, and the mapping with the Dynamics 365 application user's id (WhoAmI). */
        private void writeSecretsAndMapping() throws Exception {
            String dynamics = "http://127.0.0.1:" + options.dynamicsPort;
            String secret = DynamicsSimulator.DEFAULT_CLIENT_SECRET;
            String form = "grant_type=client_credentials&client_id="
                    + DynamicsSimulator.DEFAULT_CLIENT_ID + "&client_secret="
                    + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&scope="
                    + URLEncoder.encode(dynamics + "/.default", StandardCharsets.UTF_8);
            String token = JSON.readTree(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(dynamics + "/"
                                                    + DynamicsSimulator.DEFAULT_TENANT_ID + "/oauth2/v2.0/token"))
                                            .timeout(Duration.ofSeconds(5))
                                            .header("Content-Type", "application/x-www-form-urlencoded")
                                            .POST(HttpRequest.BodyPublishers.ofString(form))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("access_token")
                    .asText();
            String userId = JSON.readTree(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(dynamics + "/api/data/v9.2/WhoAmI"))
                                            .timeout(Duration.ofSeconds(5))
                                            .header("Authorization", "Bearer " + token)
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("UserId")
                    .asText();
            Files.writeString(
                    runDir.resolve("secrets.properties"),
                    "hubspot.access.token=" + SIMULATOR_TOKEN + "\ndynamics.client.secret=" + secret + "\n");
            Files.writeString(
                    runDir.resolve("two-way-sync-contacts.yaml"),
                    Files.readString(example("two-way-sync", "two-way-sync-contacts.yaml"))
                            .replace("00000000-0000-0000-0000-000000000000", userId));
        }

        @Override
        Map<String, String> placeholders(LocalDatabase database) {
            Map<String, String> replacements = super.placeholders(database);
            replacements.put(DEFAULT_DYNAMICS_URL, "http://127.0.0.1:" + options.dynamicsPort);
            replacements.put("127.0.0.1:9092", "127.0.0.1:" + options.kafkaPort);
            replacements.put(SECRETS, runDir.resolve("secrets.properties").toString());
            replacements.put(
                    MAPPING, runDir.resolve("two-way-sync-contacts.yaml").toString());
            return replacements;
        }

        /** Contacts linked: Dynamics 365 rows the sync created for the HubSpot contacts. */
        @Override
        long arrived(Map<String, Long> rowsPerTable, org.apache.kafka.clients.admin.Admin admin) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + options.dynamicsPort + "/_sim/counts"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return JSON.readTree(r.body()).path("contact").asLong(0);
            } catch (Exception e) {
                return 0;
            }
        }

        @Override
        long expected() {
            return contacts;
        }

        @Override
        String progressLabel() {
            return "HubSpot contacts linked to Dynamics 365 rows";
        }

        @Override
        boolean isPipelineTopic(String topic) {
            return topic.startsWith("sync.");
        }

        @Override
        void whereToLook(PrintStream out, LocalDatabase database) {
            printSimulatorAddress(out);
            out.println("  Dynamics 365     http://127.0.0.1:" + options.dynamicsPort + "/_sim/state/contact");
            out.println("  Audit            topic sync.audit (one JSON event per sync decision, no personal data)");
            out.println("  Try it           edit a contact on either side; its linked record follows, e.g.");
            out.println("    curl -X PATCH -H 'Authorization: Bearer " + SIMULATOR_TOKEN + "' -H 'Content-Type: "
                    + "application/json' -d '{\"properties\":{\"firstname\":\"Edited\"}}' "
                    + "http://127.0.0.1:" + options.simulatorPort + "/crm/v3/objects/contacts/<id>");
        }
    }
}
