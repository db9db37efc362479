package io.crmconnect.quickstart;

import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Seed 000, replacing a Hightouch/Census sync from Snowflake: a users table in the Snowflake wire fake (run in this
 * process, signed in to with a key pair) → the Snowflake source sample (snapshot, then the change stream) → Kafka →
 * the quickstart HubSpot sink (HubSpot id, else email; update, else create) → HubSpot contacts. A tenth of the users
 * are contacts HubSpot already has (half known to the warehouse by HubSpot id, half by email only) and update them;
 * one row with an address HubSpot refuses goes to the dead-letter topic with the reason.
 */
final class SnowflakeToHubSpot extends Scenario {
    static final String SOURCE_SAMPLE = "snowflake-source.json";
    static final String SINK_SAMPLE = "quickstart-hubspot-sink.json";
    static final String SINK = "quickstart-hubspot-sink";
    static final String TOPIC = "snowflake.users";
    static final String DLQ = "warehouse.users.dlq";
    private static final int ACCOUNTS = 20;
    private final int rows;

    SnowflakeToHubSpot(Options options, Path runDir) {
        super(options, runDir);
        this.rows = options.contacts;
    }

    @Override
    Database database() {
        return Database.NONE;
    }

    @Override
    List<Path> connectorExamples() {
        return List.of(
                example("warehouse-source-connector", SOURCE_SAMPLE), example("hubspot-sink-connector", SINK_SAMPLE));
    }

    @Override
    void startSystems(Quickstart quickstart) {
        startSimulator(quickstart, Math.max(100, rows / 10));
        try {
            var sample = JSON.readTree(
                            example("warehouse-source-connector", SOURCE_SAMPLE).toFile())
                    .path("config");
            KeyPair keys = rsaKeys();
            Warehouse warehouse = new Warehouse();
            SnowflakeFake fake = quickstart.track(new SnowflakeFake(
                            warehouse, sample.path("snowflake.account").asText(), options.snowflakePort)
                    .keyPairUser(sample.path("snowflake.user").asText(), keys.getPublic()));
            quickstart.say(
                    "Started the Snowflake fake on 127.0.0.1:" + fake.port() + " (account " + fake.account() + ")");
            writeSecrets(
                    "snowflake.properties",
                    Map.of(
                            "private.key",
                            "-----BEGIN PRIVATE KEY-----\n"
                                    + Base64.getMimeEncoder()
                                            .encodeToString(keys.getPrivate().getEncoded())
                                    + "\n-----END PRIVATE KEY-----\n"));
            fillTables(warehouse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** USERS and ACCOUNTS, the two tables the sample captures (the fake resolves ANALYTICS.PUBLIC.X to X). */
    private void fillTables(Warehouse warehouse) {
        List<Contact> known = existingContacts(Math.max(1, rows / 10));
        List<WarehouseUsers.User> users =
                WarehouseUsers.generate(rows, known.stream().map(Contact::email).toList());
        warehouse.createTable(
                "USERS",
                List.of(
                        Column.number("ID", 18, 0),
                        Column.of("HUBSPOT_ID", "TEXT"),
                        Column.of("EMAIL", "TEXT"),
                        Column.of("FIRST_NAME", "TEXT"),
                        Column.of("LAST_NAME", "TEXT"),
                        Column.of("PHONE", "TEXT"),
                        Column.of("COMPANY", "TEXT"),
                        Column.of("JOB_TITLE", "TEXT")),
                List.of("ID"),
                Duration.ofDays(1),
                true);
        List<Object[]> userRows = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            WarehouseUsers.User u = users.get(i);
            String hubspotId = i < known.size() && i % 2 == 0 ? known.get(i).id() : null;
            userRows.add(new Object[] {
                (long) i + 1, hubspotId, u.email(), u.firstName(), u.lastName(), u.phone(), u.company(), u.jobTitle()
            });
        }
        userRows.add(new Object[] {(long) rows + 1, null, "not-an-email", "Bad", "Address", null, null, null});
        warehouse.insert("USERS", userRows.toArray(Object[][]::new));
        warehouse.createTable(
                "ACCOUNTS",
                List.of(Column.number("ACCOUNT_ID", 18, 0), Column.of("NAME", "TEXT"), Column.of("DOMAIN", "TEXT")),
                List.of("ACCOUNT_ID"),
                Duration.ofDays(1),
                true);
        List<Object[]> accounts = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            accounts.add(new Object[] {(long) i, "Account " + i, "account" + i + ".example"});
        }
        warehouse.insert("ACCOUNTS", accounts.toArray(Object[][]::new));
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    Map<String, String> placeholders(LocalDatabase database) {
        Map<String, String> replacements = super.placeholders(database);
        replacements.put("/etc/kafka/secrets/", runDir.resolve("secrets") + "/");
        return replacements;
    }

    @Override
    Map<String, String> overrides(Path example) {
        Map<String, String> overrides = new HashMap<>();
        if (example.getFileName().toString().equals(SOURCE_SAMPLE)) {
            overrides.put("snowflake.url", "http://127.0.0.1:" + options.snowflakePort);
            overrides.put("snowflake.disable.platform.detection", "true");
            overrides.put("snowflake.disable.ocsp.checks", "true");
            overrides.put("poll.interval.ms", "1000");
        } else {
            overrides.put("topics", TOPIC);
        }
        return overrides;
    }

    @Override
    long arrived(Map<String, Long> rowsPerTable, Admin admin) {
        return committed(admin, List.of(SINK));
    }

    @Override
    long expected() {
        return rows + 1L;
    }

    @Override
    String progressLabel() {
        return "Snowflake users written to HubSpot";
    }

    @Override
    boolean isPipelineTopic(String topic) {
        return topic.startsWith("snowflake.") || topic.startsWith("warehouse.");
    }

    @Override
    void whereToLook(PrintStream out, LocalDatabase database) {
        printSimulatorAddress(out);
        out.println("  Simulator counts http://127.0.0.1:" + options.simulatorPort + "/_sim/counts");
        out.println("  Snowflake fake   jdbc:snowflake://127.0.0.1:" + options.snowflakePort
                + "  (tables USERS, ACCOUNTS; key pair in " + runDir.resolve("secrets/snowflake.properties") + ")");
        out.println("  Dead letters     topic " + DLQ + " (the row HubSpot refused, with the reason)");
    }
}
