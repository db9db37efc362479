package io.crmconnect.simulator.hubspot.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundled specs load, paths map to the right spec, and the validator catches contract breaks. */
class OpenApiContractTest {
    @Test
    void everyBundledSpecLoads() {
        OpenApiContract.preload();
    }

    @Test
    void pathsMapToTheirSpec() {
        assertThat(OpenApiContract.specFor("/crm/v3/objects/contacts")).contains("objects-v3.json");
        assertThat(OpenApiContract.specFor("/crm/objects/2026-03/deals/1")).contains("objects-2026-03.json");
        assertThat(OpenApiContract.specFor("/crm/v3/objects/contacts/gdpr-delete"))
                .contains("contacts-v3.json");
        assertThat(OpenApiContract.specFor("/crm/v3/objects/companies/merge")).contains("customObjects-v3.json");
        assertThat(OpenApiContract.specFor("/crm/v4/associations/contacts/companies/batch/read"))
                .contains("associations-v4.json");
        assertThat(OpenApiContract.specFor("/crm/v4/associations/contacts/companies/labels"))
                .contains("associationsSchema-v4.json");
        assertThat(OpenApiContract.specFor("/crm/v3/schemas")).contains("schemas-v3.json");
        assertThat(OpenApiContract.specFor("/crm/v3/owners/12")).contains("crmOwners-v3.json");
        assertThat(OpenApiContract.specFor("/_sim/counts")).isEmpty();
    }

    @Test
    void detectsBrokenResponsesAndRequests() {
        String good = "{\"results\":[{\"id\":\"1\",\"properties\":{\"email\":\"a@b.c\"},"
                + "\"createdAt\":\"2024-01-01T00:00:00.000Z\",\"updatedAt\":\"2024-01-01T00:00:00.000Z\","
                + "\"archived\":false}]}";
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertThat(OpenApiContract.hubspotStrict().validateResponse("GET", "/crm/v3/objects/contacts", 200, json, good))
                .isEmpty();
        String numericValue = good.replace("\"a@b.c\"", "5");
        List<Violation> v =
                OpenApiContract.hubspot().validateResponse("GET", "/crm/v3/objects/contacts", 200, json, numericValue);
        assertThat(v).as("property values must be strings").isNotEmpty();
        String missingId = good.replace("\"id\":\"1\",", "");
        assertThat(OpenApiContract.hubspot().validateResponse("GET", "/crm/v3/objects/contacts", 200, json, missingId))
                .extracting(Violation::key)
                .anyMatch(k -> k.contains("required"));
        String extra = good.replace("\"archived\":false", "\"archived\":false,\"bogus\":1");
        assertThat(OpenApiContract.hubspot().validateResponse("GET", "/crm/v3/objects/contacts", 200, json, extra))
                .as("lenient: unknown fields allowed")
                .isEmpty();
        assertThat(OpenApiContract.hubspotStrict()
                        .validateResponse("GET", "/crm/v3/objects/contacts", 200, json, extra))
                .as("strict: unknown fields reported")
                .isNotEmpty();

        assertThat(OpenApiContract.hubspot()
                        .validateRequest("GET", "/crm/v3/objects/contacts?limit=abc", Map.of(), null))
                .as("limit must be an integer")
                .isNotEmpty();
        assertThat(OpenApiContract.hubspot()
                        .validateRequest(
                                "POST", "/crm/v3/objects/contacts/batch/read", json, "{\"inputs\":[{\"id\":\"1\"}]}"))
                .as("properties/propertiesWithHistory are required")
                .isNotEmpty();
        assertThat(OpenApiContract.hubspot()
                        .validateRequest(
                                "POST",
                                "/crm/v3/objects/contacts/batch/read",
                                json,
                                "{\"inputs\":[{\"id\":\"1\"}],\"properties\":[],\"propertiesWithHistory\":[]}"))
                .isEmpty();
    }
}
