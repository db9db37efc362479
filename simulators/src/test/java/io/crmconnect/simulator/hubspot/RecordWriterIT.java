package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.common.HttpResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * List pages are written by {@link RecordWriter} (no Jackson per field), single-record reads by Jackson
 * ({@link RecordJson#writeRecord}): every record of a list page must be byte for byte the single read of that record —
 * generated wide values, values that need JSON escaping or are not ASCII, records rewritten by an update, archived
 * records.
 */
class RecordWriterIT {
    @Test
    void listPagesHoldExactlyTheBytesOfSingleReads() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(5)
                .contacts(60)
                .companies(0)
                .deals(0)
                .tickets(0)
                .wideProperties(40)
                .rateLimits(false)
                .start()) {
            SimClient c = new SimClient(sim);
            List<String> props = new ArrayList<>();
            c.get("/crm/v3/properties/contacts")
                    .json()
                    .path("results")
                    .forEach(p -> props.add(p.path("name").asText()));
            String[] odd = {
                "quote \" back\\slash",
                "line\nbreak\ttab\r\b\f",
                "ctl \u0001\u001f end",
                "Zoë Müller 😀 日本",
                "/slash/ <html> & 'single'"
            };
            List<String> created = new ArrayList<>();
            for (int i = 0; i < odd.length; i++) {
                HttpResult r = c.post(
                        "/crm/v3/objects/contacts",
                        Map.of(
                                "properties",
                                Map.of(
                                        "email",
                                        "odd" + i + "@example.com",
                                        "firstname",
                                        odd[i],
                                        "wide_prop_006",
                                        odd[i])));
                assertThat(r.status()).isEqualTo(201);
                created.add(r.json().path("id").asText());
            }
            String firstGenerated = sim.ids("contacts").get(3);
            assertThat(c.patch(
                                    "/crm/v3/objects/contacts/" + firstGenerated,
                                    Map.of("properties", Map.of("jobtitle", "Chief \"Q\"")))
                            .status())
                    .isEqualTo(200);
            String archivedId = sim.ids("contacts").get(7);
            assertThat(c.delete("/crm/v3/objects/contacts/" + archivedId).status())
                    .isEqualTo(204);

            String selection = String.join(",", props);
            String page = c.get("/crm/v3/objects/contacts?limit=100&properties=" + selection)
                    .body();
            int checked = 0;
            for (String id : sim.ids("contacts")) {
                String one = c.get("/crm/v3/objects/contacts/" + id + "?properties=" + selection)
                        .body();
                assertThat(page.contains(one))
                        .as("list page holds the single read of %s: %s", id, one)
                        .isTrue();
                checked++;
            }
            assertThat(checked).isEqualTo(64);
            assertThat(page).contains("wide_prop_0").contains("Chief \\\"Q\\\"").contains("\\u0001");
            String archivedPage = c.get("/crm/v3/objects/contacts?archived=true&limit=100&properties=" + selection)
                    .body();
            String archivedOne = c.get(
                            "/crm/v3/objects/contacts/" + archivedId + "?archived=true&properties=" + selection)
                    .body();
            assertThat(archivedPage.contains(archivedOne))
                    .as("archived: %s", archivedOne)
                    .isTrue();
            assertThat(archivedOne).contains("\"archivedAt\"");
            for (String id : created) {
                assertThat(page).contains("\"id\":\"" + id + "\"");
            }
        }
    }
}
