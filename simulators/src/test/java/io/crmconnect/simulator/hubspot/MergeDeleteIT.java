package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Merges, the 90-day recycle bin, GDPR deletes and association edits that leave last-modified alone. */
class MergeDeleteIT {
    @RegisterExtension
    static final SimulatorExtension SIM = new SimulatorExtension(
            b -> b.seed(5).contacts(60).companies(15).deals(10).rateLimits(false));

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    static List<String> listIds(String type, boolean archived) {
        List<String> out = new ArrayList<>();
        String after = null;
        do {
            JsonNode j = c.get("/crm/v3/objects/" + type + "?limit=100&archived=" + archived
                            + (after == null ? "" : "&after=" + after))
                    .json();
            j.get("results").forEach(r -> out.add(r.get("id").asText()));
            after = j.has("paging") ? j.get("paging").get("next").get("after").asText() : null;
        } while (after != null);
        return out;
    }

    static int searchCount(String type, String prop, String value) {
        return c.post(
                        "/crm/v3/objects/" + type + "/search",
                        Map.of(
                                "filterGroups",
                                List.of(Map.of(
                                        "filters",
                                        List.of(Map.of("propertyName", prop, "operator", "EQ", "value", value)))),
                                "sorts",
                                List.of(),
                                "limit",
                                10,
                                "after",
                                "0",
                                "properties",
                                List.of()))
                .json()
                .get("total")
                .asInt();
    }

    @Test
    void mergeKeepsThePrimaryAndTheMergedIdVanishes() {
        List<String> ids = sim.ids("contacts");
        String primary = ids.get(5);
        String merged = ids.get(6);
        String mergedEmail = sim.record("contacts", merged).get("email");
        int dealsBefore = sim.associations("contacts", primary, "deals").size()
                + sim.associations("contacts", merged, "deals").size();
        HttpResult r =
                c.post("/crm/v3/objects/contacts/merge", Map.of("primaryObjectId", primary, "objectIdToMerge", merged));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("id").asText()).isEqualTo(primary);
        assertThat(r.json().get("properties").get("hs_merged_object_ids").asText())
                .isEqualTo(merged);
        assertThat(r.json().get("properties").get("hs_additional_emails").asText())
                .contains(mergedEmail);

        assertThat(listIds("contacts", false)).contains(primary).doesNotContain(merged);
        assertThat(listIds("contacts", true)).doesNotContain(merged);
        assertThat(searchCount("contacts", "hs_object_id", merged)).isZero();
        // the old id still resolves to the survivor for single-record reads and PATCH, not for batch update
        assertThat(c.get("/crm/v3/objects/contacts/" + merged).json().get("id").asText())
                .isEqualTo(primary);
        c.patch("/crm/v3/objects/contacts/" + merged, Map.of("properties", Map.of("jobtitle", "Via old id")));
        assertThat(sim.record("contacts", primary).get("jobtitle")).isEqualTo("Via old id");
        assertThat(c.post(
                                "/crm/v3/objects/contacts/batch/update",
                                Map.of("inputs", List.of(Map.of("id", merged, "properties", Map.of("jobtitle", "x")))))
                        .status())
                .isEqualTo(404);
        assertThat(sim.associations("contacts", primary, "deals").size())
                .as("associations move to the survivor")
                .isLessThanOrEqualTo(dealsBefore)
                .isGreaterThanOrEqualTo(dealsBefore > 0 ? 1 : 0);
        assertThat(sim.counts().get("contacts"))
                .extracting(m -> ((Map<?, ?>) m).get("mergedAway"))
                .isEqualTo(1);

        // chained merge: the survivor accumulates every absorbed id
        String third = ids.get(7);
        JsonNode again = c.post(
                        "/crm/v3/objects/contacts/merge", Map.of("primaryObjectId", primary, "objectIdToMerge", third))
                .json();
        assertThat(again.get("properties").get("hs_merged_object_ids").asText()).isEqualTo(merged + ";" + third);
        assertThat(c.post(
                                "/crm/v3/objects/contacts/merge",
                                Map.of("primaryObjectId", primary, "objectIdToMerge", primary))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void deletedRecordsStayInTheArchivedListForNinetyDays() {
        String id = sim.ids("companies").get(2);
        assertThat(c.delete("/crm/v3/objects/companies/" + id).status()).isEqualTo(204);
        assertThat(listIds("companies", false)).doesNotContain(id);
        assertThat(listIds("companies", true)).containsExactly(id);
        JsonNode archived = c.get("/crm/v3/objects/companies?archived=true")
                .json()
                .get("results")
                .get(0);
        assertThat(archived.get("archived").asBoolean()).isTrue();
        assertThat(archived.get("archivedAt").asText()).isNotEmpty();
        sim.clock().advance(Duration.ofDays(89));
        assertThat(listIds("companies", true)).containsExactly(id);
        sim.clock().advance(Duration.ofDays(2));
        assertThat(listIds("companies", true))
                .as("gone after 90 simulated days")
                .isEmpty();
    }

    @Test
    void gdprDeleteLeavesNoTrace() {
        String id = sim.ids("contacts").get(20);
        String email = sim.record("contacts", id).get("email");
        assertThat(c.post("/crm/v3/objects/contacts/gdpr-delete", Map.of("objectId", email, "idProperty", "email"))
                        .status())
                .isEqualTo(204);
        assertThat(listIds("contacts", false)).doesNotContain(id);
        assertThat(listIds("contacts", true)).doesNotContain(id);
    }

    @Test
    void gdprDeleteOfAnUnknownEmailSucceedsAndBlocklistsTheEmail() {
        String email = "never.seen@gdpr.example";
        assertThat(c.post("/crm/v3/objects/contacts/gdpr-delete", Map.of("objectId", email, "idProperty", "email"))
                        .status())
                .as("HubSpot blocklists an email it does not know and succeeds")
                .isEqualTo(204);
        HttpResult create = c.post("/crm/v3/objects/contacts", Map.of("properties", Map.of("email", email)));
        assertThat(create.status())
                .as("a blocklisted email cannot be used again")
                .isEqualTo(400);
        assertThat(create.json().get("errors").get(0).get("code").asText()).isEqualTo("INVALID_EMAIL");
        assertThat(create.body()).doesNotContain(email);
        HttpResult upsert = c.post(
                "/crm/v3/objects/contacts/batch/upsert",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "id", email.toUpperCase(Locale.ROOT), "idProperty", "email", "properties", Map.of()))));
        assertThat(upsert.status()).as("case-insensitively, by upsert too").isEqualTo(400);
        String other = sim.ids("contacts").get(21);
        assertThat(c.patch("/crm/v3/objects/contacts/" + other, Map.of("properties", Map.of("email", email)))
                        .status())
                .isEqualTo(400);
        assertThat(c.post("/crm/v3/objects/contacts/gdpr-delete", Map.of("objectId", "123456789"))
                        .status())
                .as("an unknown record id is still not found")
                .isEqualTo(404);
    }

    @Test
    void associationEditsDoNotTouchLastModified() {
        String contact = sim.ids("contacts").get(30);
        String company = sim.ids("companies").get(5);
        String before = sim.record("contacts", contact).get("lastmodifieddate");
        sim.clock().advance(Duration.ofMinutes(1));
        HttpResult put =
                c.put("/crm/v4/objects/contacts/" + contact + "/associations/default/companies/" + company, null);
        assertThat(put.status()).isEqualTo(200);
        assertThat(sim.associations("contacts", contact, "companies")).containsKey(Long.parseLong(company));
        assertThat(sim.record("contacts", contact).get("lastmodifieddate")).isEqualTo(before);
        assertThat(c.get("/crm/v3/objects/contacts/" + contact)
                        .json()
                        .get("updatedAt")
                        .asText())
                .isEqualTo(before);
    }

    @Test
    void burstsShareOneMillisecond() {
        // the generator writes bursts of records with identical last-modified timestamps (cursor edge cases)
        Map<String, Integer> perTimestamp = new HashMap<>();
        for (String id : sim.ids("contacts")) {
            perTimestamp.merge(sim.record("contacts", id).get("lastmodifieddate"), 1, Integer::sum);
        }
        assertThat(perTimestamp.values()).anyMatch(n -> n >= 2);
    }
}
