package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CRM object endpoints over real HTTP; every response is checked against HubSpot's OpenAPI specs. */
class ObjectsContractIT {
    @RegisterExtension
    static final SimulatorExtension SIM = new SimulatorExtension(b -> b.seed(7)
            .contacts(250)
            .companies(40)
            .deals(30)
            .tickets(20)
            .records("products", 10)
            .records("line_items", 10)
            .records("calls", 5)
            .records("notes", 5)
            .rateLimits(false)
            .privateAppToken("pat-na1-contacts-read-only", "crm.objects.contacts.read")
            .oauthClient("client-1", "secret-1", "na1-refresh-1"));

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void listPagesThroughEveryRecordInIdOrderAndStopsWithoutPaging() {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            HttpResult r = c.get("/crm/v3/objects/contacts?limit=100&properties=email,firstname,phone"
                    + (after == null ? "" : "&after=" + after));
            assertThat(r.status()).isEqualTo(200);
            JsonNode j = r.json();
            for (JsonNode rec : j.get("results")) {
                seen.add(rec.get("id").asText());
                assertThat(rec.get("properties").has("phone"))
                        .isEqualTo(
                                sim.record("contacts", rec.get("id").asText()).get("phone") != null);
                assertThat(rec.get("properties").has("lastname"))
                        .as("not requested")
                        .isFalse();
                assertThat(rec.get("properties").get("lastmodifieddate").asText())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            }
            after = j.has("paging") ? j.get("paging").get("next").get("after").asText() : null;
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(sim.ids("contacts"));
        assertThat(seen).doesNotHaveDuplicates();
    }

    @Test
    void listLimitsAndHistory() {
        assertThat(c.get("/crm/v3/objects/contacts?limit=101").status()).isEqualTo(400);
        assertThat(c.get("/crm/v3/objects/contacts?limit=51&propertiesWithHistory=email")
                        .status())
                .isEqualTo(400);
        HttpResult r = c.get("/crm/v3/objects/contacts?limit=50&propertiesWithHistory=email,jobtitle");
        assertThat(r.status()).isEqualTo(200);
        JsonNode first = r.json().get("results").get(0);
        assertThat(first.get("propertiesWithHistory")
                        .get("email")
                        .get(0)
                        .get("value")
                        .asText())
                .isEqualTo(
                        first.get("properties").has("email")
                                ? sim.record("contacts", first.get("id").asText())
                                        .get("email")
                                : null);
        assertThat(c.get("/crm/v3/objects/0-1?limit=5").json().get("results")).hasSize(5);
        assertThat(c.get("/crm/v3/objects/companies?limit=5")
                        .json()
                        .get("results")
                        .get(0)
                        .get("properties")
                        .has("hs_lastmodifieddate"))
                .isTrue();
    }

    @Test
    void dateVersionedPathsServeTheSameObjects() {
        HttpResult v3 = c.get("/crm/v3/objects/deals?limit=3");
        HttpResult dbv = c.get("/crm/objects/2026-03/deals?limit=3");
        assertThat(dbv.status()).isEqualTo(200);
        assertThat(dbv.json().get("results").get(0).get("id"))
                .isEqualTo(v3.json().get("results").get(0).get("id"));
        String id = v3.json().get("results").get(0).get("id").asText();
        assertThat(c.get("/crm/objects/2026-03/deals/" + id)
                        .json()
                        .get("properties")
                        .get("dealname")
                        .asText())
                .isEqualTo(sim.record("deals", id).get("dealname"));
    }

    @Test
    void getByIdAndByUniqueEmail() {
        String id = sim.ids("contacts").get(3);
        String email = sim.record("contacts", id).get("email");
        HttpResult byId = c.get("/crm/v3/objects/contacts/" + id + "?properties=email,city");
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json().get("properties").get("city").asText())
                .isEqualTo(sim.record("contacts", id).get("city"));
        HttpResult byEmail = c.get("/crm/v3/objects/contacts/"
                + URLEncoder.encode(email.toUpperCase(Locale.ROOT), StandardCharsets.UTF_8) + "?idProperty=email");
        assertThat(byEmail.json().get("id").asText()).isEqualTo(id);
        HttpResult missing = c.get("/crm/v3/objects/contacts/999");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
        assertThat(missing.json().get("correlationId").asText()).hasSize(36);
        assertThat(c.get("/crm/v3/objects/contacts/x?idProperty=city").status()).isEqualTo(400);
    }

    @Test
    void createUpdateClearAndArchive() {
        HttpResult created = c.post(
                "/crm/v3/objects/contacts",
                Map.of(
                        "properties",
                        props(
                                "email",
                                "new.person@example.com",
                                "firstname",
                                "New",
                                "annualrevenue",
                                1234.50,
                                "date_of_birth",
                                "1990-02-03",
                                "hs_buying_role",
                                "CHAMPION")));
        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.json().get("properties");
        assertThat(p.get("annualrevenue").asText()).isEqualTo("1234.5");
        assertThat(p.get("annualrevenue").isTextual())
                .as("every value is a string")
                .isTrue();
        String id = created.json().get("id").asText();
        assertThat(p.get("hs_object_id").asText()).isEqualTo(id);
        assertThat(p.get("createdate").asText())
                .isEqualTo(p.get("lastmodifieddate").asText());

        sim.clock().advance(Duration.ofSeconds(5));
        HttpResult updated = c.patch(
                "/crm/v3/objects/contacts/" + id,
                Map.of("properties", props("firstname", "", "hs_buying_role", ";END_USER", "city", "Dublin")));
        assertThat(updated.status()).isEqualTo(200);
        JsonNode up = updated.json().get("properties");
        assertThat(up.has("firstname")).as("empty string clears").isFalse();
        assertThat(up.get("hs_buying_role").asText()).as("leading ; appends").isEqualTo("CHAMPION;END_USER");
        assertThat(up.get("lastmodifieddate").asText())
                .isNotEqualTo(p.get("lastmodifieddate").asText());

        assertThat(c.delete("/crm/v3/objects/contacts/" + id).status()).isEqualTo(204);
        assertThat(c.get("/crm/v3/objects/contacts/" + id).status()).isEqualTo(404);
        HttpResult archived = c.get("/crm/v3/objects/contacts/" + id + "?archived=true");
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().get("archived").asBoolean()).isTrue();
        assertThat(archived.json().has("archivedAt")).isTrue();
    }

    @Test
    void invalidWritesAnswerHubSpotErrorBodies() {
        HttpResult unknown = c.post("/crm/v3/objects/contacts", Map.of("properties", props("no_such_prop", "x")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(unknown.json().get("errors").get(0).get("code").asText()).isEqualTo("PROPERTY_DOESNT_EXIST");
        assertThat(unknown.json()
                        .get("errors")
                        .get(0)
                        .get("context")
                        .get("propertyName")
                        .get(0)
                        .asText())
                .isEqualTo("no_such_prop");

        HttpResult readOnly =
                c.post("/crm/v3/objects/contacts", Map.of("properties", props("createdate", "2020-01-01T00:00:00Z")));
        assertThat(readOnly.json().get("errors").get(0).get("code").asText()).isEqualTo("READ_ONLY_VALUE");
        HttpResult badNumber = c.post(
                "/crm/v3/objects/companies", Map.of("properties", props("name", "x", "numberofemployees", "many")));
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(badNumber.json().get("errors").get(0).get("code").asText()).isEqualTo("INVALID_INTEGER");
        HttpResult badOption =
                c.post("/crm/v3/objects/contacts", Map.of("properties", props("lifecyclestage", "Customer")));
        assertThat(badOption.json().get("errors").get(0).get("code").asText()).isEqualTo("INVALID_OPTION");
        assertThat(c.post(
                                "/crm/v3/properties/contacts",
                                Map.of(
                                        "name",
                                        "contract_start",
                                        "label",
                                        "Contract start",
                                        "type",
                                        "date",
                                        "fieldType",
                                        "date",
                                        "groupName",
                                        "contactinformation"))
                        .status())
                .isEqualTo(201);
        HttpResult badDate = c.post(
                "/crm/v3/objects/contacts", Map.of("properties", props("contract_start", "2020-01-01T10:00:00Z")));
        assertThat(badDate.status()).as("date properties must be midnight UTC").isEqualTo(400);

        HttpResult malformed = c.send("POST", "/crm/v3/objects/contacts", "{\"properties\": {\"email\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asText()).startsWith("Invalid input JSON");

        String existing = sim.record("contacts", sim.ids("contacts").get(0)).get("email");
        HttpResult dup = c.post(
                "/crm/v3/objects/contacts", Map.of("properties", props("email", existing.toUpperCase(Locale.ROOT))));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("category").asText()).isEqualTo("CONFLICT");
        assertThat(dup.json().get("message").asText())
                .isEqualTo("Contact already exists. Existing ID: "
                        + sim.ids("contacts").get(0));

        HttpResult missingRequired = c.post("/crm/v3/objects/deals", Map.of("properties", props("amount", "5")));
        assertThat(missingRequired.status()).isEqualTo(400);
        assertThat(c.get("/crm/v3/objects/unicorns").status()).isEqualTo(400);
        String longProps = "email," + "x".repeat(HubSpotSimulator.MAX_URI_LENGTH);
        assertThat(c.get("/crm/v3/objects/contacts?properties=" + longProps).status())
                .isEqualTo(414);
        assertThat(c.get("/crm/v3/nothing/here").status()).isEqualTo(404);
    }

    @Test
    void batchReadCreateUpdateUpsertArchive() {
        List<String> ids = sim.ids("companies");
        List<Map<String, Object>> in = new ArrayList<>();
        in.add(Map.of("id", ids.get(0)));
        in.add(Map.of("id", ids.get(1)));
        in.add(Map.of("id", "424242"));
        HttpResult read = c.post(
                "/crm/v3/objects/companies/batch/read",
                Map.of("inputs", in, "properties", List.of("name", "domain"), "propertiesWithHistory", List.of()));
        assertThat(read.status()).as("partial read is multi-status").isEqualTo(207);
        assertThat(read.json().get("results")).hasSize(2);
        assertThat(read.json()
                        .get("errors")
                        .get(0)
                        .get("context")
                        .get("ids")
                        .get(0)
                        .asText())
                .isEqualTo("424242");
        HttpResult allFound = c.post(
                "/crm/v3/objects/companies/batch/read",
                Map.of("inputs", in.subList(0, 2), "properties", List.of("name"), "propertiesWithHistory", List.of()));
        assertThat(allFound.status()).isEqualTo(200);

        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(Map.of("properties", props("name", "c" + i)));
        }
        assertThat(c.post("/crm/v3/objects/companies/batch/create", Map.of("inputs", tooMany))
                        .status())
                .isEqualTo(400);

        HttpResult created = c.post(
                "/crm/v3/objects/companies/batch/create",
                Map.of(
                        "inputs",
                        List.of(
                                Map.of(
                                        "properties",
                                        props("name", "Batch A", "domain", "a.example"),
                                        "associations",
                                        List.of()),
                                Map.of(
                                        "properties",
                                        props("name", "Batch B", "domain", "b.example"),
                                        "associations",
                                        List.of()))));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("COMPLETE");
        Set<String> newIds = new HashSet<>();
        created.json().get("results").forEach(r -> newIds.add(r.get("id").asText()));
        assertThat(newIds).hasSize(2);

        // contacts: duplicate email fails the whole batch (409) unless every input has an objectWriteTraceId
        String taken = sim.record("contacts", sim.ids("contacts").get(1)).get("email");
        HttpResult dup = c.post(
                "/crm/v3/objects/contacts/batch/create",
                Map.of(
                        "inputs",
                        List.of(
                                Map.of("properties", props("email", "fresh1@example.com"), "associations", List.of()),
                                Map.of("properties", props("email", taken), "associations", List.of()))));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(sim.dump("contacts", false).stream()
                        .anyMatch(r -> "fresh1@example.com".equals(((Map<?, ?>) r.get("properties")).get("email"))))
                .as("all-or-nothing")
                .isFalse();
        HttpResult multi = c.post(
                "/crm/v3/objects/contacts/batch/create",
                Map.of(
                        "inputs",
                        List.of(
                                Map.of(
                                        "properties",
                                        props("email", "fresh2@example.com"),
                                        "associations",
                                        List.of(),
                                        "objectWriteTraceId",
                                        "t1"),
                                Map.of(
                                        "properties",
                                        props("email", taken),
                                        "associations",
                                        List.of(),
                                        "objectWriteTraceId",
                                        "t2"))));
        assertThat(multi.status()).isEqualTo(207);
        assertThat(multi.json().get("results")).hasSize(1);
        assertThat(multi.json()
                        .get("errors")
                        .get(0)
                        .get("context")
                        .get("objectWriteTraceId")
                        .get(0)
                        .asText())
                .isEqualTo("t2");

        String first = newIds.iterator().next();
        HttpResult upd = c.post(
                "/crm/v3/objects/companies/batch/update",
                Map.of("inputs", List.of(Map.of("id", first, "properties", props("city", "Lisbon")))));
        assertThat(upd.status()).isEqualTo(200);
        assertThat(sim.record("companies", first).get("city")).isEqualTo("Lisbon");
        HttpResult updMissing = c.post(
                "/crm/v3/objects/companies/batch/update",
                Map.of("inputs", List.of(Map.of("id", "777", "properties", props("city", "Lisbon")))));
        assertThat(updMissing.status()).isEqualTo(404);
        HttpResult byNonUnique = c.post(
                "/crm/v3/objects/companies/batch/update",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "id", "a.example", "idProperty", "domain", "properties", props("city", "Rome")))));
        assertThat(byNonUnique.status()).isEqualTo(400);
        assertThat(byNonUnique.json().get("message").asText())
                .isEqualTo("Unable to perform update/upsert by non-unique 0-2 property domain in portal ID "
                        + sim.portalId());

        HttpResult upsert = c.post(
                "/crm/v3/objects/contacts/batch/upsert",
                Map.of(
                        "inputs",
                        List.of(
                                Map.of("id", taken, "idProperty", "email", "properties", props("jobtitle", "Upserted")),
                                Map.of(
                                        "id",
                                        "brand.new@example.com",
                                        "idProperty",
                                        "email",
                                        "properties",
                                        props("firstname", "Brand")))));
        assertThat(upsert.status()).isEqualTo(200);
        Map<String, Boolean> isNew = new HashMap<>();
        upsert.json()
                .get("results")
                .forEach(r -> isNew.put(
                        r.get("properties").get("email").asText().toLowerCase(Locale.ROOT),
                        r.get("new").asBoolean()));
        assertThat(isNew)
                .containsEntry(taken.toLowerCase(Locale.ROOT), false)
                .containsEntry("brand.new@example.com", true);
        assertThat(sim.record("contacts", sim.ids("contacts").get(1)).get("jobtitle"))
                .isEqualTo("Upserted");
        HttpResult upsertById = c.post(
                "/crm/v3/objects/contacts/batch/upsert",
                Map.of(
                        "inputs",
                        List.of(Map.of("id", "1", "idProperty", "hs_object_id", "properties", props("city", "x")))));
        assertThat(upsertById.status()).isEqualTo(400);

        assertThat(c.post("/crm/v3/objects/companies/batch/archive", Map.of("inputs", List.of(Map.of("id", first))))
                        .status())
                .isEqualTo(204);
        assertThat(sim.record("companies", first)).isNull();
    }

    @Test
    void customUniquePropertyUpsertAndGetByIdProperty() {
        c.post(
                "/crm/v3/properties/products",
                Map.of(
                        "name",
                        "external_ref",
                        "label",
                        "External ref",
                        "type",
                        "string",
                        "fieldType",
                        "text",
                        "groupName",
                        "productinformation",
                        "hasUniqueValue",
                        true));
        HttpResult up = c.post(
                "/crm/v3/objects/products/batch/upsert",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "id", "ERP-1", "idProperty", "external_ref", "properties", props("name", "Widget")))));
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.json().get("results").get(0).get("new").asBoolean()).isTrue();
        HttpResult again = c.post(
                "/crm/v3/objects/products/batch/upsert",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "id", "ERP-1", "idProperty", "external_ref", "properties", props("price", "9.99")))));
        assertThat(again.json().get("results").get(0).get("new").asBoolean()).isFalse();
        HttpResult got = c.get("/crm/v3/objects/products/ERP-1?idProperty=external_ref&properties=price,name");
        assertThat(got.json().get("properties").get("price").asText()).isEqualTo("9.99");
        assertThat(got.json().get("properties").get("name").asText()).isEqualTo("Widget");
    }

    @Test
    void authenticationAndScopes() {
        SimClient anon = c.withToken(null);
        HttpResult none = anon.get("/crm/v3/objects/contacts");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        assertThat(c.withToken("pat-na1-wrong").get("/crm/v3/objects/contacts").status())
                .isEqualTo(401);
        SimClient scoped = c.withToken("pat-na1-contacts-read-only");
        assertThat(scoped.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        HttpResult forbidden = scoped.get("/crm/v3/objects/deals?limit=1");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("category").asText()).isEqualTo("MISSING_SCOPES");
        assertThat(forbidden
                        .json()
                        .get("context")
                        .get("requiredGranularScopes")
                        .get(0)
                        .asText())
                .isEqualTo("crm.objects.deals.read");
        // POST reads need only the read scope (as in HubSpot's specs); POST writes still need .write
        assertThat(scoped.post("/crm/v3/objects/contacts/search", Map.of("limit", 1))
                        .status())
                .isEqualTo(200);
        assertThat(scoped.post("/crm/v3/objects/contacts/batch/read", Map.of("inputs", List.of(Map.of("id", "1"))))
                        .status())
                .isIn(200, 207);
        HttpResult create =
                scoped.post("/crm/v3/objects/contacts", Map.of("properties", props("email", "scoped@example.com")));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json()
                        .get("context")
                        .get("requiredGranularScopes")
                        .get(0)
                        .asText())
                .isEqualTo("crm.objects.contacts.write");
        c.violations().addAll(anon.violations());
        c.violations().addAll(scoped.violations());
    }

    @Test
    void oauthAccessTokensExpireAfter1800Seconds() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/oauth/v1/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "grant_type=refresh_token&client_id=client-1&client_secret=secret-1&refresh_token=na1-refresh-1"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode tok = SimClient.MAPPER.readTree(r.body());
        assertThat(tok.get("expires_in").asInt()).isEqualTo(1800);
        SimClient oauth = c.withToken(tok.get("access_token").asText());
        HttpResult ok = oauth.get("/crm/v3/objects/contacts?limit=1");
        assertThat(ok.status()).isEqualTo(200);
        sim.clock().advance(Duration.ofSeconds(1801));
        HttpResult expired = oauth.get("/crm/v3/objects/contacts?limit=1");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("message").asText()).contains("expired");
        HttpResponse<String> bad = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/oauth/v1/token"))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "grant_type=refresh_token&client_id=client-1&client_secret=nope&refresh_token=na1-refresh-1"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        c.violations().addAll(oauth.violations());
    }

    @Test
    void portalsCarryHubSpotsDefaultPropertiesWithTheirFlags() {
        Map<String, Integer> least = Map.of("contacts", 190, "companies", 120, "deals", 150);
        for (Map.Entry<String, Integer> e : least.entrySet()) {
            JsonNode all = c.get("/crm/v3/properties/" + e.getKey()).json().get("results");
            int readOnly = 0;
            for (JsonNode p : all) {
                readOnly += p.get("modificationMetadata").get("readOnlyValue").asBoolean() ? 1 : 0;
            }
            assertThat(all.size()).as(e.getKey()).isGreaterThanOrEqualTo(e.getValue());
            assertThat(readOnly).as("read-only properties of " + e.getKey()).isGreaterThan(all.size() / 3);
        }
        Set<String> groups = new HashSet<>();
        c.get("/crm/v3/properties/contacts/groups")
                .json()
                .get("results")
                .forEach(g -> groups.add(g.get("name").asText()));
        assertThat(groups)
                .contains("contactinformation", "emailinformation", "analyticsinformation", "conversioninformation");
        JsonNode visits =
                c.get("/crm/v3/properties/contacts/hs_analytics_num_visits").json();
        assertThat(visits.get("groupName").asText()).isEqualTo("analyticsinformation");
        assertThat(visits.get("type").asText()).isEqualTo("number");
        assertThat(visits.get("modificationMetadata").get("readOnlyValue").asBoolean())
                .isTrue();
        JsonNode stage = c.get("/crm/v3/properties/deals/hs_v2_date_entered_current_stage")
                .json();
        assertThat(stage.get("calculated").asBoolean()).isTrue();
        assertThat(stage.get("fieldType").asText()).isEqualTo("calculation_equation");

        // generated contacts carry values of read-only analytics properties; writing one is refused
        String id = sim.ids("contacts").get(12);
        assertThat(sim.record("contacts", id))
                .containsKeys("hs_analytics_num_visits", "hs_analytics_source", "hs_email_domain");
        HttpResult ro =
                c.patch("/crm/v3/objects/contacts/" + id, Map.of("properties", Map.of("hs_analytics_num_visits", "7")));
        assertThat(ro.status()).isEqualTo(400);
        assertThat(ro.json().get("errors").get(0).get("code").asText()).isEqualTo("READ_ONLY_VALUE");
        assertThat(c.patch("/crm/v3/objects/contacts/" + id, Map.of("properties", Map.of("salutation", "Dr.")))
                        .status())
                .as("a writable default property")
                .isEqualTo(200);
    }

    @Test
    void propertiesApiCoversEveryTypeAndGroups() {
        HttpResult all = c.get("/crm/v3/properties/contacts");
        assertThat(all.status()).isEqualTo(200);
        Set<String> types = new HashSet<>();
        all.json().get("results").forEach(p -> types.add(p.get("type").asText()));
        assertThat(types).contains("string", "number", "datetime", "enumeration", "bool", "phone_number");
        JsonNode email = c.get("/crm/v3/properties/contacts/email").json();
        assertThat(email.get("hasUniqueValue").asBoolean())
                .as("unique by HubSpot's contact rules, not the flag")
                .isFalse();
        JsonNode calc = c.get("/crm/v3/properties/contacts/hs_object_id").json();
        assertThat(calc.get("calculated").asBoolean()).isTrue();
        assertThat(calc.get("modificationMetadata").get("readOnlyValue").asBoolean())
                .isTrue();
        JsonNode count =
                c.get("/crm/v3/properties/contacts/num_associated_deals").json();
        assertThat(count.get("calculated").asBoolean()).isFalse();
        assertThat(count.get("modificationMetadata").get("readOnlyValue").asBoolean())
                .isTrue();
        assertThat(c.get("/crm/properties/2026-03/contacts/email").status()).isEqualTo(200);

        String[][] defs = {
            {"p_text", "string", "text"},
            {"p_num", "number", "number"},
            {"p_date", "date", "date"},
            {"p_dt", "datetime", "date"},
            {"p_bool", "bool", "booleancheckbox"},
            {"p_phone", "phone_number", "phonenumber"}
        };
        for (String[] d : defs) {
            HttpResult r = c.post(
                    "/crm/v3/properties/companies",
                    Map.of(
                            "name",
                            d[0],
                            "label",
                            d[0],
                            "type",
                            d[1],
                            "fieldType",
                            d[2],
                            "groupName",
                            "companyinformation"));
            assertThat(r.status()).as(d[0]).isEqualTo(201);
        }
        HttpResult multi = c.post(
                "/crm/v3/properties/companies",
                Map.of(
                        "name",
                        "p_multi",
                        "label",
                        "Multi",
                        "type",
                        "enumeration",
                        "fieldType",
                        "checkbox",
                        "groupName",
                        "companyinformation",
                        "options",
                        List.of(
                                Map.of("label", "A", "value", "a", "displayOrder", 0, "hidden", false),
                                Map.of("label", "B", "value", "b", "displayOrder", 1, "hidden", false))));
        assertThat(multi.status()).isEqualTo(201);
        assertThat(c.post(
                                "/crm/v3/properties/companies",
                                Map.of(
                                        "name",
                                        "p_text",
                                        "label",
                                        "again",
                                        "type",
                                        "string",
                                        "fieldType",
                                        "text",
                                        "groupName",
                                        "companyinformation"))
                        .status())
                .isEqualTo(409);
        HttpResult rec = c.post(
                "/crm/v3/objects/companies",
                Map.of(
                        "properties",
                        props(
                                "name",
                                "Typed",
                                "p_num",
                                "42",
                                "p_date",
                                "2024-05-01",
                                "p_dt",
                                "1700000000000",
                                "p_bool",
                                "TRUE",
                                "p_multi",
                                "a;b",
                                "p_phone",
                                "+1 555 0100")));
        assertThat(rec.status()).isEqualTo(201);
        JsonNode rp = rec.json().get("properties");
        assertThat(rp.get("p_dt").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(rp.get("p_bool").asText()).isEqualTo("true");
        assertThat(rp.get("p_multi").asText()).isEqualTo("a;b");
        assertThat(c.post("/crm/v3/objects/companies", Map.of("properties", props("name", "x", "p_multi", "c")))
                        .status())
                .isEqualTo(400);

        assertThat(c.get("/crm/v3/properties/contacts/groups")
                        .json()
                        .get("results")
                        .size())
                .isGreaterThan(1);
        assertThat(c.post("/crm/v3/properties/contacts/groups", Map.of("name", "sim_group", "label", "Sim group"))
                        .status())
                .isEqualTo(201);
        assertThat(c.get("/crm/v3/properties/contacts/groups/sim_group").status())
                .isEqualTo(200);
        HttpResult batch = c.post(
                "/crm/v3/properties/contacts/batch/read",
                Map.of(
                        "inputs",
                        List.of(Map.of("name", "email"), Map.of("name", "phone")),
                        "archived",
                        false,
                        "properties",
                        List.of()));
        assertThat(batch.json().get("results")).hasSize(2);
        assertThat(c.delete("/crm/v3/properties/companies/p_text").status()).isEqualTo(204);
        assertThat(c.get("/crm/v3/properties/companies/p_text").status()).isEqualTo(404);
        assertThat(c.get("/crm/v3/properties/companies?archived=true")
                        .json()
                        .get("results")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("p_text");
    }
}
