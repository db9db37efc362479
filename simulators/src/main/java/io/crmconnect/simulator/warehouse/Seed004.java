package io.crmconnect.simulator.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Seed 004 (BigQuery patients and release-of-information requests into HubSpot), defined once for the quickstart,
 * the integration tests and the embedded runner's test: the two warehouse tables as the seed has them (no change
 * history, so watermark mode on updated_at) and what the shipped patients / ROI sink samples expect a HubSpot portal
 * to hold beyond its defaults (the patient_id and address2 contact properties, the ROI custom object, its Patient
 * association label).
 */
public final class Seed004 {
    public static final String PATIENTS = "crm.patients";
    public static final String ROI_REQUESTS = "crm.roi_requests";

    /** Unique contact property the patients sample upserts by. */
    public static final String PATIENT_ID_PROPERTY = """
            {"name":"patient_id","label":"Patient id","type":"string","fieldType":"text",
             "groupName":"contactinformation","hasUniqueValue":true}""";

    public static final String ADDRESS2_PROPERTY = """
            {"name":"address2","label":"Address line 2","type":"string","fieldType":"text",
             "groupName":"contactinformation"}""";

    /** The ROI custom object the ROI sample writes, with its protected and guard properties. */
    public static final String ROI_SCHEMA = """
            {"name":"roi","labels":{"singular":"ROI","plural":"ROIs"},"primaryDisplayProperty":"roi_id",
             "requiredProperties":["roi_id"],"searchableProperties":["roi_id"],"associatedObjects":["CONTACT"],
             "properties":[
              {"name":"roi_id","label":"ROI id","type":"string","fieldType":"text","hasUniqueValue":true},
              {"name":"request_date","label":"Request date","type":"date","fieldType":"date"},
              {"name":"received_at","label":"Received","type":"datetime","fieldType":"date"},
              {"name":"status","label":"Status","type":"enumeration","fieldType":"select","options":[
                {"label":"Open","value":"open","hidden":false,"displayOrder":0},
                {"label":"Closed","value":"closed","hidden":false,"displayOrder":1}]},
              {"name":"processing_status","label":"Processing","type":"string","fieldType":"text"},
              {"name":"processing_datetime","label":"Processed at","type":"datetime","fieldType":"date"},
              {"name":"reviewer_notes","label":"Reviewer notes","type":"string","fieldType":"textarea"}]}""";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Seed004() {}

    /**
     * crm.patients: patient_id, email, first_name, last_name, dob, address1, address2, city, state, zip, updated_at
     * (TIMESTAMP), keyed by patient_id, 7 days of time travel, no change history.
     */
    public static VersionedTable createPatients(Warehouse warehouse) {
        return warehouse.createTable(
                PATIENTS,
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
    }

    /**
     * crm.roi_requests: roi_id, patient_email, requested_at (TIMESTAMP), received_local (a New York wall time as
     * text), status, reviewer_notes, updated_at (TIMESTAMP), keyed by roi_id, no change history.
     */
    public static VersionedTable createRoiRequests(Warehouse warehouse) {
        return warehouse.createTable(
                ROI_REQUESTS,
                List.of(
                        Column.of("roi_id", "STRING"),
                        Column.of("patient_email", "STRING"),
                        Column.of("requested_at", "TIMESTAMP"),
                        Column.of("received_local", "STRING"),
                        Column.of("status", "STRING"),
                        Column.of("reviewer_notes", "STRING"),
                        Column.of("updated_at", "TIMESTAMP")),
                List.of("roi_id"),
                Duration.ofDays(7),
                false);
    }

    /**
     * Creates the portal objects the seed's sink samples need through the HubSpot API at {@code baseUrl} (the
     * simulator); returns the ROI object's type id.
     */
    public static String preparePortal(String baseUrl, String token) {
        post(baseUrl, token, "/crm/v3/properties/contacts", PATIENT_ID_PROPERTY);
        post(baseUrl, token, "/crm/v3/properties/contacts", ADDRESS2_PROPERTY);
        String roiType = post(baseUrl, token, "/crm-object-schemas/v3/schemas", ROI_SCHEMA)
                .path("objectTypeId")
                .asText();
        post(
                baseUrl,
                token,
                "/crm/v4/associations/" + roiType + "/contacts/labels",
                "{\"label\":\"Patient\",\"name\":\"patient\"}");
        return roiType;
    }

    private static JsonNode post(String baseUrl, String token, String path, String json) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
