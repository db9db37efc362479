package io.crmconnect.quickstart;

import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.warehouse.Seed004;
import io.crmconnect.simulator.warehouse.Warehouse;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Seed 004: BigQuery patients and release-of-information (ROI) requests in the BigQuery REST fake (run in this
 * process) → the BigQuery source sample (watermark mode on updated_at) → Kafka → the shipped patients and ROI sink
 * samples → HubSpot contacts by the 3-tier match and the ROI custom object by roi_id, associated to its patient,
 * request times read in New York. A tenth of the patients are contacts HubSpot already has (matched by email, names
 * kept as fill-if-missing), every tenth has no email and no match and is quarantined in the dead-letter topic.
 */
final class BigQueryToHubSpot extends Scenario {
    static final String SOURCE_SAMPLE = "bigquery-source.json";
    static final String PATIENTS_SAMPLE = "hubspot-sink-patients.json";
    static final String ROI_SAMPLE = "hubspot-sink-roi.json";
    static final List<String> SINKS = List.of("hubspot-sink-patients", "hubspot-sink-roi");
    private final int patients;
    private int requests;

    BigQueryToHubSpot(Options options, Path runDir) {
        super(options, runDir);
        this.patients = options.contacts;
    }

    @Override
    Database database() {
        return Database.NONE;
    }

    @Override
    List<Path> connectorExamples() {
        return List.of(
                example("warehouse-source-connector", SOURCE_SAMPLE),
                example("hubspot-sink-connector", PATIENTS_SAMPLE),
                example("hubspot-sink-connector", ROI_SAMPLE));
    }

    @Override
    void startSystems(Quickstart quickstart) {
        startSimulator(quickstart, Math.max(100, patients / 10));
        try {
            Seed004.preparePortal("http://127.0.0.1:" + options.simulatorPort, SIMULATOR_TOKEN);
            String project = JSON.readTree(
                            example("warehouse-source-connector", SOURCE_SAMPLE).toFile())
                    .path("config")
                    .path("bigquery.project")
                    .asText();
            Warehouse warehouse = new Warehouse();
            BigQueryFake fake = quickstart.track(new BigQueryFake(warehouse, project, options.bigqueryPort));
            quickstart.say("Started the BigQuery fake on " + fake.rootUrl() + " (project " + project + ")");
            fillTables(warehouse);
        } catch (QuickstartException e) {
            throw e;
        } catch (Exception e) {
            throw new QuickstartException("Could not prepare seed 004: " + e.getMessage(), e);
        }
        writeSecrets("hubspot.properties", Map.of("token", SIMULATOR_TOKEN));
    }

    /**
     * crm.patients and crm.roi_requests as seed 004 has them (no change history: watermark mode), stamped before the
     * sample's watermark delay so the first read takes them; one patient without a stamp (read by the first pass).
     */
    private void fillTables(Warehouse warehouse) {
        List<String> knownEmails = existingContacts(Math.max(1, patients / 10)).stream()
                .map(Contact::email)
                .toList();
        List<WarehouseUsers.User> users = WarehouseUsers.generate(patients, knownEmails);
        Instant stamped = warehouse.clock().now().minus(Duration.ofMinutes(10));
        Seed004.createPatients(warehouse);
        List<Object[]> patientRows = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            WarehouseUsers.User u = users.get(i);
            boolean quarantined = i >= knownEmails.size() && i % 10 == 5; // no email, nobody to match
            patientRows.add(new Object[] {
                "P" + (i + 1),
                quarantined ? null : u.email(),
                u.firstName(),
                u.lastName(),
                String.format("19%02d-%02d-%02d", 40 + i % 60, 1 + i % 12, 1 + i % 28),
                null,
                null,
                null,
                null,
                null,
                i == users.size() - 1 ? null : stamped
            });
        }
        warehouse.insert(Seed004.PATIENTS, patientRows.toArray(Object[][]::new));
        Seed004.createRoiRequests(warehouse);
        // one request per patient HubSpot already has, so the Patient association finds its contact at once
        List<Object[]> roiRows = new ArrayList<>();
        for (int i = 0; i < knownEmails.size(); i++) {
            roiRows.add(new Object[] {
                "R" + (i + 1),
                knownEmails.get(i),
                stamped.minus(Duration.ofHours(i)),
                "2024-07-01 09:15:00",
                i % 2 == 0 ? "open" : "closed",
                "from the warehouse",
                stamped
            });
        }
        if (!roiRows.isEmpty()) {
            warehouse.insert(Seed004.ROI_REQUESTS, roiRows.toArray(Object[][]::new));
        }
        requests = roiRows.size();
    }

    @Override
    Map<String, String> placeholders(LocalDatabase database) {
        Map<String, String> replacements = super.placeholders(database);
        replacements.put("https://api.hubapi.com", "http://127.0.0.1:" + options.simulatorPort);
        replacements.put("/etc/kafka/secrets/", runDir.resolve("secrets") + "/");
        return replacements;
    }

    @Override
    Map<String, String> overrides(Path example) {
        Map<String, String> overrides = new HashMap<>();
        switch (example.getFileName().toString()) {
            case SOURCE_SAMPLE -> {
                overrides.put("bigquery.root.url", "http://127.0.0.1:" + options.bigqueryPort);
                overrides.put("bigquery.auth", "none"); // the fake on loopback needs no service-account key
                overrides.put("bigquery.credentials.json", null);
                overrides.put("poll.interval.ms", "2000");
            }
            case PATIENTS_SAMPLE -> overrides.put("topics", "bigquery.patients");
            default -> overrides.put("topics", "bigquery.roi_requests");
        }
        if (!example.getFileName().toString().equals(SOURCE_SAMPLE)) {
            overrides.put("errors.deadletterqueue.topic.replication.factor", "1"); // one broker
        }
        return overrides;
    }

    @Override
    long arrived(Map<String, Long> rowsPerTable, Admin admin) {
        return committed(admin, SINKS);
    }

    @Override
    long expected() {
        return patients + (long) requests;
    }

    @Override
    String progressLabel() {
        return "BigQuery patients and ROI requests written to HubSpot";
    }

    @Override
    boolean isPipelineTopic(String topic) {
        return topic.startsWith("bigquery.") || topic.startsWith("clinic.");
    }

    @Override
    void whereToLook(PrintStream out, LocalDatabase database) {
        printSimulatorAddress(out);
        out.println("  ROI requests     http://127.0.0.1:" + options.simulatorPort + "/crm/v3/objects/roi"
                + "?properties=roi_id,request_date,received_at,status");
        out.println("  BigQuery fake    http://127.0.0.1:" + options.bigqueryPort + "/bigquery/v2/projects/"
                + "<project>/queries  (tables crm.patients, crm.roi_requests)");
        out.println("  Quarantine       topic clinic.patients.quarantine (patients without email and no match)");
    }
}
