package io.crmconnect.runner.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Warehouse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BigQuery (REST fake, service-account key through its token endpoint) -> runner -> HubSpot (simulator) with the
 * shipped bigquery-to-hubspot example, as a nightly cron run: {@code --once} matches patients to contacts by the
 * 3-tier match, creates the new one, writes the unmatched row without email to the dead-letter file, and exits 0.
 */
class BigQueryToHubSpotRunnerIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onceMatchesPatientsToContactsAndExitsZero() throws Exception {
        Path dir = Path.of("target", "runner-it", getClass().getSimpleName()).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Warehouse wh = new Warehouse();
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(4)
                        .contacts(10)
                        .validateRequests(true)
                        .start();
                BigQueryFake bq = new BigQueryFake(wh, "acme-analytics").requireToken(true)) {
            post(
                    sim,
                    "/crm/v3/properties/contacts",
                    "{\"name\":\"patient_id\",\"label\":\"Patient id\",\"type\":"
                            + "\"string\",\"fieldType\":\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":true}");
            post(
                    sim,
                    "/crm/v3/properties/contacts",
                    "{\"name\":\"address2\",\"label\":\"Address line 2\",\"type\":"
                            + "\"string\",\"fieldType\":\"text\",\"groupName\":\"contactinformation\"}");
            String byMail = post(
                            sim,
                            "/crm/v3/objects/contacts",
                            "{\"associations\":[],\"properties\":{\"email\":"
                                    + "\"ann.lee@example.com\",\"firstname\":\"Ann\"}}")
                    .path("id")
                    .asText();
            String byName = post(
                            sim,
                            "/crm/v3/objects/contacts",
                            "{\"associations\":[],\"properties\":{"
                                    + "\"firstname\":\"Jose\","
                                    + "\"lastname\":\"Nunez\",\"date_of_birth\":\"1980-03-05\"}}")
                    .path("id")
                    .asText();
            int contactsBefore = sim.ids("contacts").size();

            Instant stamped = wh.clock().now().minus(Duration.ofHours(1));
            wh.createTable(
                    "crm.patients",
                    List.of(
                            Column.of("patient_id", "STRING"),
                            Column.of("email", "STRING"),
                            Column.of("first_name", "STRING"),
                            Column.of("last_name", "STRING"),
                            Column.of("dob", "STRING"),
                            Column.of("address1", "STRING"),
                            Column.of("address2", "STRING"),
                            Column.of("city", "STRING"),
                            Column.of("state", "STRING"),
                            Column.of("zip", "STRING"),
                            Column.of("updated_at", "TIMESTAMP")),
                    List.of("patient_id"),
                    Duration.ofDays(7),
                    false);
            wh.insert(
                    "crm.patients",
                    new Object[] {
                        "P1", "Ann.Lee@example.com", "Annie", "Lee", null, null, null, null, null, null, stamped
                    },
                    new Object[] {"P2", null, "Jose", "Nunez", "03/05/1980", null, null, null, null, null, stamped},
                    new Object[] {
                        "P3",
                        "new.patient@example.com",
                        "Nina",
                        "New",
                        "1975-12-31",
                        null,
                        null,
                        null,
                        null,
                        null,
                        stamped.plusSeconds(1)
                    },
                    new Object[] {"P4", null, "Nobody", "Known", "2001-02-03", null, null, null, null, null, null});

            Path examples = RunnerProcess.distribution().resolve("examples");
            for (String f :
                    List.of("bigquery-to-hubspot.properties", "bigquery-source.json", "hubspot-patients-sink.json")) {
                Files.copy(examples.resolve(f), dir.resolve(f));
            }
            Path pipeline = dir.resolve("bigquery-to-hubspot.properties");
            Files.writeString(
                    pipeline,
                    String.join(
                            "\n",
                            "",
                            "state.dir=state",
                            "offset.flush.interval.ms=500",
                            "once.idle.ms=2000",
                            "progress.interval.ms=1000",
                            "source.bigquery.root.url=" + bq.rootUrl(),
                            "source.poll.interval.ms=500",
                            "sink.hubspot.base.url=" + sim.baseUrl(),
                            ""),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            Map<String, String> env =
                    Map.of("HUBSPOT_TOKEN", sim.token(), "BIGQUERY_CREDENTIALS_JSON", serviceAccountKey(bq.tokenUri()));

            try (RunnerProcess run = RunnerProcess.start(pipeline, env, "--once")) {
                assertThat(run.waitFor(150)).as(run.output()).isZero();
                assertThat(run.lastRead()).as(run.output()).isEqualTo(4);
            }
            assertThat(bq.tokensIssued())
                    .as("signed in with the service-account key")
                    .isPositive();
            assertThat(sim.record("contacts", byMail))
                    .containsEntry("patient_id", "P1")
                    .containsEntry("firstname", "Ann"); // fill-if-missing keeps HubSpot's name
            assertThat(sim.record("contacts", byName)).containsEntry("patient_id", "P2");
            assertThat(sim.ids("contacts")).as("P3 created, P4 a dead letter").hasSize(contactsBefore + 1);
            List<String> dead =
                    Files.readAllLines(dir.resolve("state/dead-letters/bigquery.patients.quarantine.jsonl"));
            assertThat(dead)
                    .singleElement()
                    .satisfies(line ->
                            assertThat(line).contains("NO_EMAIL_NO_MATCH").contains("P4"));
            assertThat(sim.contractViolations())
                    .as("requests follow HubSpot's OpenAPI contract")
                    .isEmpty();
        }
    }

    static String serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        ObjectNode key = JSON.createObjectNode();
        key.put("type", "service_account");
        key.put("project_id", "acme-analytics");
        key.put("private_key_id", "runner-it");
        key.put(
                "private_key",
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(g.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        key.put("client_email", "crm-connect@acme-analytics.iam.gserviceaccount.com");
        key.put("client_id", "1");
        key.put("token_uri", tokenUri);
        return key.toString();
    }

    static JsonNode post(HubSpotSimulator sim, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                                .header("Authorization", "Bearer " + sim.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
