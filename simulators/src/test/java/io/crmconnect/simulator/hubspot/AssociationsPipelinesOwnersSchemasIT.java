package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Associations v4 with labels, pipelines and stages, owners, custom object schemas and their records. */
class AssociationsPipelinesOwnersSchemasIT {
    @RegisterExtension
    static final SimulatorExtension SIM = new SimulatorExtension(b -> b.seed(9)
            .contacts(80)
            .companies(20)
            .deals(25)
            .tickets(10)
            .owners(12)
            .rateLimits(false));

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    @Test
    void batchReadReturnsAssociationsWithTypesAndLabels() {
        List<Map<String, Object>> in = new ArrayList<>();
        for (String id : sim.ids("deals")) {
            in.add(Map.of("id", id));
        }
        HttpResult r = c.post("/crm/v4/associations/deals/contacts/batch/read", Map.of("inputs", in));
        assertThat(r.status()).isIn(200, 207);
        int total = 0;
        for (JsonNode res : r.json().get("results")) {
            String from = res.get("from").get("id").asText();
            Set<String> to = new HashSet<>();
            res.get("to").forEach(t -> to.add(t.get("toObjectId").asText()));
            Set<String> expected = new HashSet<>();
            sim.associations("deals", from, "contacts").keySet().forEach(k -> expected.add(Long.toString(k)));
            assertThat(to).isEqualTo(expected);
            total += to.size();
        }
        assertThat(total).isPositive();
        JsonNode co = c.post(
                        "/crm/v4/associations/contacts/companies/batch/read",
                        Map.of(
                                "inputs",
                                List.of(Map.of("id", sim.ids("contacts").get(0)), Map.of("id", "1"))))
                .json();
        assertThat(co.get("numErrors").asInt())
                .as("ids without associations are reported")
                .isEqualTo(1);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("id", Integer.toString(i)));
        }
        assertThat(c.post("/crm/v4/associations/deals/contacts/batch/read", Map.of("inputs", tooMany))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void labelsCanBeDefinedAndUsed() {
        HttpResult created = c.post(
                "/crm/v4/associations/contacts/companies/labels",
                Map.of("label", "Billing contact", "name", "billing_contact", "inverseLabel", "Billed company"));
        assertThat(created.status()).isEqualTo(200);
        int typeId = created.json().get("results").get(0).get("typeId").asInt();
        HttpResult labels = c.get("/crm/v4/associations/contacts/companies/labels");
        Set<String> names = new HashSet<>();
        labels.json()
                .get("results")
                .forEach(l -> names.add(l.has("label") ? l.get("label").asText() : ""));
        assertThat(names).contains("Billing contact", "Primary");

        String contact = sim.ids("contacts").get(40);
        String company = sim.ids("companies").get(3);
        HttpResult batch = c.post(
                "/crm/v4/associations/contacts/companies/batch/create",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "from",
                                Map.of("id", contact),
                                "to",
                                Map.of("id", company),
                                "types",
                                List.of(Map.of("associationCategory", "USER_DEFINED", "associationTypeId", typeId))))));
        assertThat(batch.status()).isEqualTo(201);
        assertThat(batch.json().get("results").get(0).get("labels").get(0).asText())
                .isEqualTo("Billing contact");
        assertThat(sim.associations("contacts", contact, "companies").get(Long.parseLong(company)))
                .as("a labelled association also creates the unlabelled one")
                .contains(typeId, 279);
        assertThat(sim.associations("companies", company, "contacts").get(Long.parseLong(contact)))
                .as("inverse direction")
                .contains(typeId + 1, 280);

        HttpResult perRecord = c.get("/crm/v4/objects/contacts/" + contact + "/associations/companies");
        assertThat(perRecord.json().get("results").get(0).get("associationTypes"))
                .hasSizeGreaterThanOrEqualTo(2);
        HttpResult badType = c.post(
                "/crm/v4/associations/contacts/companies/batch/create",
                Map.of(
                        "inputs",
                        List.of(Map.of(
                                "from",
                                Map.of("id", contact),
                                "to",
                                Map.of("id", company),
                                "types",
                                List.of(Map.of(
                                        "associationCategory", "USER_DEFINED", "associationTypeId", 999_999))))));
        assertThat(badType.status()).isEqualTo(207);

        assertThat(c.post(
                                "/crm/v4/associations/contacts/companies/batch/labels/archive",
                                Map.of(
                                        "inputs",
                                        List.of(Map.of(
                                                "from",
                                                Map.of("id", contact),
                                                "to",
                                                Map.of("id", company),
                                                "types",
                                                List.of(Map.of(
                                                        "associationCategory",
                                                        "USER_DEFINED",
                                                        "associationTypeId",
                                                        typeId))))))
                        .status())
                .isEqualTo(204);
        assertThat(sim.associations("contacts", contact, "companies").get(Long.parseLong(company)))
                .doesNotContain(typeId)
                .contains(279);
        assertThat(c.delete("/crm/v4/objects/contacts/" + contact + "/associations/companies/" + company)
                        .status())
                .isEqualTo(204);
        assertThat(sim.associations("contacts", contact, "companies")).doesNotContainKey(Long.parseLong(company));
        assertThat(c.delete("/crm/v4/associations/contacts/companies/labels/" + typeId)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void readingALabelledAssociationAlsoListsTheUnlabeledDefaultType() {
        int typeId = c.post(
                        "/crm/v4/associations/deals/companies/labels", Map.of("label", "Reseller", "name", "reseller"))
                .json()
                .get("results")
                .get(0)
                .get("typeId")
                .asInt();
        String deal = sim.ids("deals").get(7);
        String company = null;
        for (String id : sim.ids("companies")) {
            if (!sim.associations("deals", deal, "companies").containsKey(Long.parseLong(id))) {
                company = id;
                break;
            }
        }
        // associate with the custom label only
        HttpResult put = c.put(
                "/crm/v4/objects/deals/" + deal + "/associations/companies/" + company,
                List.of(Map.of("associationCategory", "USER_DEFINED", "associationTypeId", typeId)));
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().get("labels")).extracting(JsonNode::asText).containsExactly("Reseller");

        JsonNode one = null;
        for (JsonNode r : c.get("/crm/v4/objects/deals/" + deal + "/associations/companies")
                .json()
                .get("results")) {
            if (r.get("toObjectId").asText().equals(company)) {
                one = r;
            }
        }
        assertThat(one).isNotNull();
        assertThat(typesOf(one))
                .as("the unlabeled type is always returned, the label alongside it")
                .containsExactlyInAnyOrder("341:", typeId + ":Reseller");
        JsonNode batch = c.post(
                        "/crm/v4/associations/deals/companies/batch/read",
                        Map.of("inputs", List.of(Map.of("id", deal))))
                .json()
                .get("results")
                .get(0);
        for (JsonNode t : batch.get("to")) {
            if (t.get("toObjectId").asText().equals(company)) {
                assertThat(typesOf(t)).containsExactlyInAnyOrder("341:", typeId + ":Reseller");
            }
        }
        JsonNode back = c.get("/crm/v4/objects/companies/" + company + "/associations/deals")
                .json()
                .get("results");
        boolean found = false;
        for (JsonNode r : back) {
            if (r.get("toObjectId").asText().equals(deal)) {
                assertThat(typesOf(r)).as("inverse direction").contains("342:");
                found = true;
            }
        }
        assertThat(found).isTrue();
    }

    private static List<String> typesOf(JsonNode association) {
        List<String> out = new ArrayList<>();
        association
                .get("associationTypes")
                .forEach(t -> out.add(t.get("typeId").asInt() + ":"
                        + (t.has("label") ? t.get("label").asText() : "")));
        return out;
    }

    @Test
    void inlineAssociationsOnCreateAndListWithAssociations() {
        String company = sim.ids("companies").get(0);
        HttpResult created = c.post(
                "/crm/v3/objects/contacts",
                Map.of(
                        "properties",
                        Map.of("email", "assoc.inline@example.com"),
                        "associations",
                        List.of(Map.of(
                                "to",
                                Map.of("id", company),
                                "types",
                                List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 279))))));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode got = c.get("/crm/v3/objects/contacts/" + id + "?associations=companies,unknowntype")
                .json();
        assertThat(got.get("associations")
                        .get("companies")
                        .get("results")
                        .get(0)
                        .get("id")
                        .asText())
                .isEqualTo(company);
    }

    @Test
    void pipelinesAndStagesDriveDealStages() {
        JsonNode deals = c.get("/crm/v3/pipelines/deals").json();
        assertThat(deals.get("results")).hasSize(2);
        JsonNode stage = deals.get("results").get(0).get("stages").get(0);
        assertThat(stage.get("metadata").get("probability").asText()).isEqualTo("0.2");
        JsonNode tickets = c.get("/crm/v3/pipelines/tickets/0").json();
        assertThat(tickets.get("stages")
                        .get(3)
                        .get("metadata")
                        .get("ticketState")
                        .asText())
                .isEqualTo("CLOSED");
        assertThat(c.get("/crm/v3/pipelines/deals/default/stages/closedwon")
                        .json()
                        .get("metadata")
                        .get("isClosed")
                        .asText())
                .isEqualTo("true");

        HttpResult p = c.post(
                "/crm/v3/pipelines/deals",
                Map.of(
                        "label",
                        "Renewals",
                        "displayOrder",
                        2,
                        "stages",
                        List.of(
                                Map.of("label", "Due", "displayOrder", 0, "metadata", Map.of("probability", "0.5")),
                                Map.of(
                                        "label",
                                        "Renewed",
                                        "displayOrder",
                                        1,
                                        "metadata",
                                        Map.of("probability", "1.0", "isClosed", "true")))));
        assertThat(p.status()).isEqualTo(201);
        String pid = p.json().get("id").asText();
        String sid = p.json().get("stages").get(0).get("id").asText();
        HttpResult deal = c.post(
                "/crm/v3/objects/deals",
                Map.of("properties", Map.of("dealname", "Renewal 1", "pipeline", pid, "dealstage", sid)));
        assertThat(deal.status()).isEqualTo(201);
        assertThat(c.post(
                                "/crm/v3/objects/deals",
                                Map.of("properties", Map.of("dealname", "Bad", "dealstage", "no_such_stage")))
                        .status())
                .isEqualTo(400);
        assertThat(c.patch("/crm/v3/pipelines/deals/" + pid, Map.of("label", "Renewals 2"))
                        .json()
                        .get("label")
                        .asText())
                .isEqualTo("Renewals 2");
        assertThat(c.get("/crm/v3/pipelines/deals/nope").status()).isEqualTo(404);
    }

    @Test
    void ownersPageAndResolveByIdOrUserId() {
        JsonNode page = c.get("/crm/v3/owners?limit=5").json();
        assertThat(page.get("results")).hasSize(5);
        String after = page.get("paging").get("next").get("after").asText();
        JsonNode rest = c.get("/crm/v3/owners?limit=100&after=" + after).json();
        assertThat(page.get("results").size() + rest.get("results").size()).isEqualTo(11);
        assertThat(c.get("/crm/v3/owners?archived=true").json().get("results")).hasSize(1);
        JsonNode o = page.get("results").get(0);
        assertThat(c.get("/crm/v3/owners/" + o.get("id").asText()).json().get("email"))
                .isEqualTo(o.get("email"));
        assertThat(c.get("/crm/v3/owners/" + o.get("userId").asText() + "?idProperty=userId")
                        .json()
                        .get("id"))
                .isEqualTo(o.get("id"));
        assertThat(c.get("/crm/v3/owners?email=" + o.get("email").asText())
                        .json()
                        .get("results"))
                .hasSize(1);
        String contactOwner = sim.record("contacts", sim.ids("contacts").get(0)).get("hubspot_owner_id");
        assertThat(c.get("/crm/v3/owners/" + contactOwner + "?archived=" + contactOwner.endsWith("11"))
                        .status())
                .as("record owner ids are owner ids")
                .isEqualTo(200);
    }

    @Test
    void customObjectSchemasAndRecords() {
        HttpResult schema = c.post(
                "/crm-object-schemas/v3/schemas",
                Map.of(
                        "name",
                        "lender",
                        "labels",
                        Map.of("singular", "Lender", "plural", "Lenders"),
                        "primaryDisplayProperty",
                        "lender_name",
                        "requiredProperties",
                        List.of("lender_name"),
                        "searchableProperties",
                        List.of("lender_name"),
                        "associatedObjects",
                        List.of("CONTACT"),
                        "properties",
                        List.of(
                                Map.of("name", "lender_name", "label", "Name", "type", "string", "fieldType", "text"),
                                Map.of(
                                        "name",
                                        "lender_code",
                                        "label",
                                        "Code",
                                        "type",
                                        "string",
                                        "fieldType",
                                        "text",
                                        "hasUniqueValue",
                                        true),
                                Map.of("name", "rate", "label", "Rate", "type", "number", "fieldType", "number"))));
        assertThat(schema.status()).isEqualTo(201);
        String typeId = schema.json().get("objectTypeId").asText();
        String fqn = schema.json().get("fullyQualifiedName").asText();
        assertThat(typeId).startsWith("2-");
        assertThat(fqn).isEqualTo("p" + sim.portalId() + "_lender");

        HttpResult rec = c.post(
                "/crm/v3/objects/" + typeId,
                Map.of("properties", Map.of("lender_name", "First Bank", "lender_code", "FB1", "rate", "4.5")));
        assertThat(rec.status()).isEqualTo(201);
        assertThat(rec.json().get("properties").get("hs_lastmodifieddate").asText())
                .isNotEmpty();
        assertThat(c.get("/crm/v3/objects/" + fqn + "?properties=lender_name")
                        .json()
                        .get("results")
                        .get(0)
                        .get("properties")
                        .get("lender_name")
                        .asText())
                .isEqualTo("First Bank");
        assertThat(c.post("/crm/v3/objects/" + typeId, Map.of("properties", Map.of("rate", "1")))
                        .status())
                .as("required property")
                .isEqualTo(400);
        assertThat(c.post(
                                "/crm/v3/objects/" + typeId + "/batch/upsert",
                                Map.of(
                                        "inputs",
                                        List.of(Map.of(
                                                "id",
                                                "FB1",
                                                "idProperty",
                                                "lender_code",
                                                "properties",
                                                Map.of("rate", "5")))))
                        .json()
                        .get("results")
                        .get(0)
                        .get("new")
                        .asBoolean())
                .isFalse();
        assertThat(c.post(
                                "/crm/v3/objects/" + typeId + "/search",
                                Map.of(
                                        "filterGroups",
                                        List.of(),
                                        "sorts",
                                        List.of(),
                                        "limit",
                                        10,
                                        "after",
                                        "0",
                                        "properties",
                                        List.of("rate", "lender_name")))
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(1);
        assertThat(c.get("/crm/v3/properties/" + typeId).json().get("results").size())
                .isGreaterThan(3);
        assertThat(c.get("/crm-object-schemas/v3/schemas")
                        .json()
                        .get("results")
                        .get(0)
                        .get("objectTypeId")
                        .asText())
                .isEqualTo(typeId);
        assertThat(c.get("/crm/v3/schemas/" + fqn).json().get("name").asText()).isEqualTo("lender");
        assertThat(c.delete("/crm-object-schemas/v3/schemas/" + typeId).status())
                .as("records exist")
                .isEqualTo(400);
        assertThat(c.post(
                                "/crm-object-schemas/v3/schemas",
                                Map.of(
                                        "name",
                                        "lender",
                                        "labels",
                                        Map.of("singular", "L", "plural", "Ls"),
                                        "requiredProperties",
                                        List.of(),
                                        "associatedObjects",
                                        List.of(),
                                        "properties",
                                        List.of(Map.of(
                                                "name", "x", "label", "X", "type", "string", "fieldType", "text"))))
                        .status())
                .isEqualTo(409);
    }
}
