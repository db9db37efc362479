package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes: create (204 + OData-EntityId, 201 with return=representation), update, upsert by id and by single and
 * compound alternate keys, If-Match / If-None-Match, delete, single-property operations, @odata.bind lookups, and the
 * validation errors with Dataverse's codes.
 */
class WriteIT {
    static DynamicsSimulator sim;
    static DvClient c;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(5)
                .contacts(40)
                .accounts(10)
                .projects(5)
                .start();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    static String idFrom(HttpResult r) {
        String e = r.header("OData-EntityId");
        return e.substring(e.lastIndexOf('(') + 1, e.length() - 1);
    }

    @Test
    void createReadUpdateDelete() {
        String account = sim.ids("account").get(0);
        HttpResult created = c.post(
                "contacts",
                DvClient.map(
                        "firstname",
                        "Ada",
                        "lastname",
                        "Lovelace",
                        "emailaddress1",
                        "ada@analytical.example",
                        "birthdate",
                        "1815-12-10",
                        "creditlimit",
                        1234.5,
                        "gendercode",
                        2,
                        "crmc_interests",
                        "100000002,100000000",
                        "crmc_lastsyncedon",
                        "2026-01-02T03:04:05+02:00",
                        "parentcustomerid_account@odata.bind",
                        "/accounts(" + account + ")"));
        assertThat(created.status()).as(created.body()).isEqualTo(204);
        assertThat(created.body()).isEmpty();
        String id = idFrom(created);
        assertThat(created.header("OData-EntityId")).isEqualTo(c.api + "/contacts(" + id + ")");
        JsonNode row = c.get("contacts(" + id + ")").json();
        assertThat(row.get("fullname").asText()).isEqualTo("Ada Lovelace");
        assertThat(row.get("birthdate").asText()).isEqualTo("1815-12-10");
        assertThat(row.get("creditlimit").decimalValue()).isEqualByComparingTo("1234.5");
        assertThat(c.get("contacts(" + id + ")?$select=creditlimit").body()).contains("\"creditlimit\":1234.5000");
        assertThat(row.get("crmc_interests").asText()).isEqualTo("100000002,100000000");
        assertThat(row.get("crmc_lastsyncedon").asText()).isEqualTo("2026-01-02T01:04:05Z");
        assertThat(row.get("_parentcustomerid_value").asText()).isEqualTo(account);
        assertThat(row.get("_createdby_value").asText()).isEqualTo(sim.applicationUserId());
        assertThat(row.get("_modifiedby_value").asText()).isEqualTo(sim.applicationUserId());
        assertThat(row.get("_ownerid_value").asText()).isEqualTo(sim.applicationUserId());
        assertThat(row.get("statecode").asInt()).isZero();
        assertThat(row.get("createdon").asText())
                .isEqualTo(row.get("modifiedon").asText());
        long v1 = row.get("versionnumber").asLong();

        HttpResult rep = c.patch(
                "contacts(" + id + ")?$select=jobtitle,fullname",
                DvClient.map("jobtitle", "Analyst", "lastname", "King"),
                "Prefer",
                "return=representation");
        assertThat(rep.status()).isEqualTo(200);
        assertThat(rep.json().get("jobtitle").asText()).isEqualTo("Analyst");
        assertThat(rep.json().get("fullname").asText()).isEqualTo("Ada King");
        assertThat(rep.json().get("@odata.etag").asText()).isNotEqualTo("W/\"" + v1 + "\"");
        // same values again: still an update with a new version
        long v2 = c.get("contacts(" + id + ")?$select=jobtitle")
                .json()
                .get("@odata.etag")
                .asText()
                .length();
        assertThat(v2).isPositive();
        String before = c.get("contacts(" + id + ")?$select=jobtitle")
                .json()
                .get("@odata.etag")
                .asText();
        assertThat(c.patch("contacts(" + id + ")", DvClient.map("jobtitle", "Analyst"))
                        .status())
                .isEqualTo(204);
        assertThat(c.get("contacts(" + id + ")?$select=jobtitle")
                        .json()
                        .get("@odata.etag")
                        .asText())
                .isNotEqualTo(before);

        // clear a lookup, set it back through $ref, clear a column
        assertThat(c.patch("contacts(" + id + ")", DvClient.map("parentcustomerid_account@odata.bind", null))
                        .status())
                .isEqualTo(204);
        assertThat(c.get("contacts(" + id + ")?$select=_parentcustomerid_value")
                        .json()
                        .get("_parentcustomerid_value")
                        .isNull())
                .isTrue();
        assertThat(c.put(
                                "contacts(" + id + ")/parentcustomerid_account/$ref",
                                DvClient.map("@odata.id", c.api + "/accounts(" + account + ")"))
                        .status())
                .isEqualTo(204);
        assertThat(c.get("contacts(" + id + ")/_parentcustomerid_value")
                        .json()
                        .get("value")
                        .asText())
                .isEqualTo(account);
        assertThat(c.delete("contacts(" + id + ")/parentcustomerid_account/$ref")
                        .status())
                .isEqualTo(204);
        assertThat(c.put("contacts(" + id + ")/jobtitle", DvClient.map("value", "Countess"))
                        .status())
                .isEqualTo(204);
        assertThat(c.get("contacts(" + id + ")/jobtitle").json().get("value").asText())
                .isEqualTo("Countess");
        assertThat(c.delete("contacts(" + id + ")/jobtitle").status()).isEqualTo(204);
        assertThat(c.get("contacts(" + id + ")/jobtitle").status()).isEqualTo(204);

        HttpResult rep201 = c.post(
                "accounts?$select=name", DvClient.map("name", "Representation Ltd"), "Prefer", "return=representation");
        assertThat(rep201.status()).isEqualTo(201);
        assertThat(rep201.json().get("name").asText()).isEqualTo("Representation Ltd");
        assertThat(rep201.json().get("@odata.context").asText()).endsWith("#accounts(name)/$entity");

        assertThat(c.delete("contacts(" + id + ")").status()).isEqualTo(204);
        QueryIT.assertError(
                c.delete("contacts(" + id + ")"), 404, "0x80040217", "contact With Id = " + id + " Does Not Exist");
    }

    @Test
    void upsertByIdAndAlternateKeysWithConditions() {
        String newId = "3f1e2d3c-4b5a-4697-8887-000000000001";
        assertThat(c.patch("contacts(" + newId + ")", DvClient.map("lastname", "Upserted"))
                        .status())
                .isEqualTo(204);
        assertThat(sim.row("contact", newId).get("lastname")).isEqualTo("Upserted");
        assertThat(c.patch("contacts(" + newId + ")", DvClient.map("lastname", "Again"))
                        .status())
                .isEqualTo(204);
        assertThat(sim.row("contact", newId).get("lastname")).isEqualTo("Again");

        // single-column alternate key: creates with the key value, then updates the same row
        HttpResult up = c.patch("contacts(emailaddress1='grace@navy.example')", DvClient.map("lastname", "Hopper"));
        assertThat(up.status()).isEqualTo(204);
        String grace = idFrom(up);
        assertThat(sim.row("contact", grace).get("emailaddress1")).isEqualTo("grace@navy.example");
        HttpResult again =
                c.patch("contacts(emailaddress1='GRACE@navy.example')", DvClient.map("jobtitle", "Rear Admiral"));
        assertThat(idFrom(again)).isEqualTo(grace);
        assertThat(sim.row("contact", grace).get("jobtitle")).isEqualTo("Rear Admiral");
        // compound key, one part a lookup
        String account = sim.ids("account").get(1);
        HttpResult p1 = c.patch(
                "crmc_projects(_crmc_accountid_value=" + account + ",crmc_name='Launch')",
                DvClient.map("crmc_code", "L-1"));
        assertThat(p1.status()).as(p1.body()).isEqualTo(204);
        HttpResult p2 = c.patch(
                "crmc_projects(crmc_name='Launch',_crmc_accountid_value=" + account + ")",
                DvClient.map("crmc_priority", 3));
        assertThat(idFrom(p2)).isEqualTo(idFrom(p1));
        assertThat(sim.row("crmc_project", idFrom(p1)).get("_crmc_accountid_value"))
                .isEqualTo(account);
        HttpResult compound = c.patch(
                "contacts(firstname='Alan',emailaddress1='alan@bletchley.example')",
                DvClient.map("lastname", "Turing"));
        assertThat(compound.status()).isEqualTo(204);
        assertThat(c.get("contacts(emailaddress1='alan@bletchley.example')?$select=firstname")
                        .json()
                        .get("firstname")
                        .asText())
                .isEqualTo("Alan");

        // If-Match: * prevents create; If-None-Match: * prevents update; stale ETags fail
        QueryIT.assertError(
                c.patch("contacts(emailaddress1='nobody@x.example')", DvClient.map("lastname", "X"), "If-Match", "*"),
                404,
                "0x80060891",
                "A record with the specified key values does not exist");
        QueryIT.assertError(
                c.patch(
                        "contacts(" + "3f1e2d3c-4b5a-4697-8887-000000000002" + ")",
                        DvClient.map("lastname", "X"),
                        "If-Match",
                        "*"),
                404,
                "0x80040217",
                "Does Not Exist");
        QueryIT.assertError(
                c.patch("contacts(" + grace + ")", DvClient.map("lastname", "X"), "If-None-Match", "*"),
                412,
                "0x80040237",
                "A record with matching key values already exists.");
        String etag = c.get("contacts(" + grace + ")?$select=lastname")
                .json()
                .get("@odata.etag")
                .asText();
        assertThat(c.patch("contacts(" + grace + ")", DvClient.map("lastname", "Hopper2"), "If-Match", etag)
                        .status())
                .isEqualTo(204);
        QueryIT.assertError(
                c.patch("contacts(" + grace + ")", DvClient.map("lastname", "X"), "If-Match", etag),
                412,
                "0x80060882",
                "The version of the existing record doesn't match the RowVersion property provided.");
        QueryIT.assertError(c.delete("contacts(" + grace + ")", "If-Match", etag), 412, "0x80060882", "RowVersion");
        assertThat(c.patch(
                                "contacts(" + "3f1e2d3c-4b5a-4697-8887-000000000003" + ")",
                                DvClient.map("lastname", "Created only"),
                                "If-None-Match",
                                "*")
                        .status())
                .isEqualTo(204);
    }

    @Test
    void validationErrorsCarryDataverseCodes() {
        QueryIT.assertError(
                c.post("contacts", DvClient.map("Lastname", "x")),
                400,
                "0x80048d19",
                "Invalid property " + "'Lastname' was found in entity 'Microsoft.Dynamics.CRM.contact'.");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("numberofchildren", "two")),
                400,
                "0x80048d19",
                "Cannot convert the literal 'two' to the expected type 'Edm.Int32'.");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("birthdate", "2020-01-01T00:00:00Z")), 400, "0x80048d19", "'Edm.Date'");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("crmc_lastsyncedon", "2020-01-01T10:00:00")),
                400,
                "0x80048d19",
                "'Edm.DateTimeOffset'");
        QueryIT.assertError(c.post("contacts", DvClient.map("donotemail", "yes")), 400, "0x80048d19", "'Edm.Boolean'");
        QueryIT.assertError(c.post("contacts", "{\"lastname\": "), 400, "0x80048d19", "Invalid JSON");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("firstname", "x".repeat(51))),
                400,
                "0x80044331",
                "The length of the 'firstname' attribute of the 'contact' entity exceeded the maximum allowed length "
                        + "of '50'.");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("gendercode", 9)),
                400,
                "0x8004431a",
                "The value 9 of "
                        + "'gendercode' on record of type 'contact' is outside the valid range. Accepted Values: 1,2");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("crmc_interests", "100000000,7")),
                400,
                "0x8004431a",
                "The value 7 of 'crmc_interests'");
        QueryIT.assertError(
                c.post(
                        "contacts",
                        DvClient.map(
                                "_parentcustomerid_value", sim.ids("account").get(0))),
                400,
                "0x80060888",
                "CRM do not support direct update of Entity Reference properties, Use Navigation "
                        + "properties instead.");
        QueryIT.assertError(
                c.post(
                        "contacts",
                        DvClient.map(
                                "parentcustomerid@odata.bind",
                                "/accounts(" + sim.ids("account").get(0) + ")")),
                400,
                "0x80048d19",
                "An undeclared property 'parentcustomerid' "
                        + "which only has property annotations in the payload but no property value was found in the "
                        + "payload.");
        QueryIT.assertError(
                c.post(
                        "contacts",
                        DvClient.map(
                                "parentcustomerid_account@odata.bind",
                                "/accounts(00000000-0000-0000-0000-00000000abcd)")),
                404,
                "0x80040217",
                "account With Id = " + "00000000-0000-0000-0000-00000000abcd Does Not Exist");
        QueryIT.assertError(
                c.post(
                        "contacts",
                        DvClient.map(
                                "parentcustomerid_account@odata.bind",
                                "/contacts(" + sim.ids("contact").get(0) + ")")),
                400,
                "0x80048d19",
                "not valid for the navigation " + "property");
        String email = (String) sim.row("contact", sim.ids("contact").get(0)).get("emailaddress1");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("emailaddress1", email.toUpperCase())),
                412,
                "0x80060892",
                "The entity key crmc_email_key requires that this set of attributes contains unique values.");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("contactid", sim.ids("contact").get(0))),
                412,
                "0x80040237",
                "A record with matching key values already exists.");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("statecode", 1, "statuscode", 1)),
                400,
                "0x80040203",
                "is not a valid status code");
        QueryIT.assertError(c.post("systemusers", DvClient.map("lastname", "Intruder")), 403, "0x80040220", "prvWrite");
        QueryIT.assertError(
                c.post("contacts", DvClient.map("@odata.type", "Microsoft.Dynamics.CRM.account")),
                400,
                "0x80048d19",
                "is not assignable to the expected type 'Microsoft.Dynamics.CRM.contact'");
        // read-only columns are ignored, as Dataverse does
        HttpResult ignored = c.post(
                "contacts",
                DvClient.map(
                        "lastname",
                        "Ignore",
                        "versionnumber",
                        5,
                        "createdon",
                        "2001-01-01T00:00:00Z",
                        "fullname",
                        "Someone Else"));
        assertThat(ignored.status()).isEqualTo(204);
        Map<String, Object> row = sim.row("contact", idFrom(ignored));
        assertThat(row.get("fullname")).isEqualTo("Ignore");
        assertThat((String) row.get("createdon")).doesNotStartWith("2001");
        assertThat(sim.routeCounters().values().stream().noneMatch(m -> m.containsKey(500)))
                .isTrue();
    }

    @Test
    void bulkMessagesAreAllOrNothing() {
        int before = sim.counts().get("account");
        HttpResult created = c.post(
                "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                DvClient.map(
                        "Targets",
                        List.of(
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "name",
                                        "Bulk A",
                                        "accountnumber",
                                        "B-1"),
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "name",
                                        "Bulk B",
                                        "accountnumber",
                                        "B-2"))));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("@odata.context").asText())
                .endsWith("$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse");
        assertThat(created.json().get("Ids")).hasSize(2);
        String a = created.json().get("Ids").get(0).asText();
        assertThat(sim.counts().get("account")).isEqualTo(before + 2);

        // one bad target rolls back the whole request
        HttpResult bad = c.post(
                "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                DvClient.map(
                        "Targets",
                        List.of(
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "name",
                                        "Bulk C",
                                        "accountnumber",
                                        "B-3"),
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "name",
                                        "Bulk D",
                                        "accountnumber",
                                        "B-1"))));
        assertThat(bad.status()).isEqualTo(412);
        assertThat(DvClient.code(bad)).isEqualTo("0x80060892");
        assertThat(sim.counts().get("account")).isEqualTo(before + 2);
        QueryIT.assertError(
                c.post(
                        "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                        DvClient.map("Targets", List.of(DvClient.map("name", "No type")))),
                400,
                "0x80040203",
                "@odata.type");

        assertThat(c.post(
                                "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
                                DvClient.map(
                                        "Targets",
                                        List.of(DvClient.map(
                                                "@odata.type",
                                                "Microsoft.Dynamics.CRM.account",
                                                "accountid",
                                                a,
                                                "telephone1",
                                                "555"))))
                        .status())
                .isEqualTo(204);
        assertThat(sim.row("account", a).get("telephone1")).isEqualTo("555");
        HttpResult ups = c.post(
                "accounts/Microsoft.Dynamics.CRM.UpsertMultiple",
                DvClient.map(
                        "Targets",
                        List.of(
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "@odata.id",
                                        "accounts(accountnumber='B-1')",
                                        "name",
                                        "Bulk A renamed"),
                                DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "@odata.id",
                                        "accounts(accountnumber='B-9')",
                                        "name",
                                        "Bulk Z"))));
        assertThat(ups.status()).as(ups.body()).isEqualTo(204);
        assertThat(sim.row("account", a).get("name")).isEqualTo("Bulk A renamed");
        assertThat(c.get("accounts(accountnumber='B-9')?$select=name")
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("Bulk Z");
        QueryIT.assertError(
                c.post(
                        "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
                        DvClient.map(
                                "Targets",
                                List.of(DvClient.map(
                                        "@odata.type",
                                        "Microsoft.Dynamics.CRM.account",
                                        "accountid",
                                        "00000000-0000-0000-0000-0000000000ff",
                                        "name",
                                        "x")))),
                404,
                "0x80040217",
                "Does Not Exist");
    }
}
