package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads: $select, $filter, $orderby, $top, $count, $expand, server-driven paging with $skiptoken cookies,
 * annotations (formatted values, lookups), value shapes, single-record reads, conditional GET, and the 400s/404s.
 */
class QueryIT {
    static DynamicsSimulator sim;
    static DvClient c;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(11)
                .contacts(1200)
                .accounts(60)
                .leads(30)
                .opportunities(30)
                .projects(20)
                .start();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static List<JsonNode> all(String path, String... headers) {
        List<JsonNode> rows = new ArrayList<>();
        String next = path;
        int pages = 0;
        while (next != null) {
            JsonNode page = c.get(next, headers).json();
            page.get("value").forEach(rows::add);
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            pages++;
            assertThat(pages).isLessThan(1000);
        }
        return rows;
    }

    @Test
    void pagesWithSkipTokenCookiesUntilNoNextLink() {
        HttpResult first = c.get("contacts?$select=fullname", "Prefer", "odata.maxpagesize=500");
        assertThat(first.header("Preference-Applied")).isEqualTo("odata.maxpagesize=500");
        JsonNode page = first.json();
        assertThat(page.get("value")).hasSize(500);
        String next = page.get("@odata.nextLink").asText();
        assertThat(next)
                .startsWith(c.api + "/contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber=%222%22"
                        + "%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253ccontactid%2520last%253d%2522"
                        + "%257b")
                .endsWith("%22%20istracking=%22False%22%20/%3E");
        List<JsonNode> rows = all("contacts?$select=fullname", "Prefer", "odata.maxpagesize=500");
        assertThat(rows).hasSize(1200);
        Set<String> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.get("contactid").asText()));
        assertThat(ids).hasSize(1200);
        // default and maximum page size: 5,000; larger preferences are capped
        assertThat(c.get("contacts?$select=fullname", "Prefer", "odata.maxpagesize=9000")
                        .json()
                        .get("value"))
                .hasSize(1200);
        // ordered paging continues in order
        List<JsonNode> byName =
                all("contacts?$select=lastname&$orderby=lastname desc", "Prefer", "odata.maxpagesize=250");
        assertThat(byName).hasSize(1200);
        for (int i = 1; i < byName.size(); i++) {
            assertThat(byName.get(i - 1)
                            .get("lastname")
                            .asText()
                            .compareToIgnoreCase(byName.get(i).get("lastname").asText()))
                    .isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void topCountAndTopIgnoredWithPageSize() {
        JsonNode top = c.get("accounts?$select=name&$top=7").json();
        assertThat(top.get("value")).hasSize(7);
        assertThat(top.has("@odata.nextLink")).isFalse();
        JsonNode both = c.get("accounts?$select=name&$top=7", "Prefer", "odata.maxpagesize=50")
                .json();
        assertThat(both.get("value")).hasSize(50);
        assertThat(both.has("@odata.nextLink")).isTrue();
        JsonNode count = c.get(
                        "contacts?$select=fullname&$count=true",
                        "Prefer",
                        "odata.include-annotations=\"Microsoft.Dynamics.CRM.*\",odata.maxpagesize=10")
                .json();
        assertThat(count.get("@odata.count").asInt()).isEqualTo(1200);
        assertThat(count.get("@Microsoft.Dynamics.CRM.totalrecordcount").asInt())
                .isEqualTo(1200);
        assertThat(count.get("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded")
                        .asBoolean())
                .isFalse();
        assertThat(c.get("contacts/$count").body()).isEqualTo("1200");
        assertThat(c.get("accounts/$count?$filter=statecode eq 0").body()).isEqualTo(Integer.toString((int)
                sim.rows("account").stream()
                        .filter(r -> ((Number) r.get("statecode")).intValue() == 0)
                        .count()));
    }

    @Test
    void filterOperatorsMatchTheStoredRows() {
        List<Map<String, Object>> stored = sim.rows("contact");
        String someLast = (String) stored.get(3).get("lastname");
        long eq = stored.stream()
                .filter(r -> someLast.equalsIgnoreCase((String) r.get("lastname")))
                .count();
        assertThat(all("contacts?$select=lastname&$filter=lastname eq '" + someLast.replace("'", "''") + "'"))
                .hasSize((int) eq);
        assertThat(all("contacts?$select=lastname&$filter=lastname eq '"
                        + someLast.toUpperCase().replace("'", "''") + "'"))
                .hasSize((int) eq);
        long ne = stored.stream()
                .filter(r -> r.get("lastname") != null && !someLast.equalsIgnoreCase((String) r.get("lastname")))
                .count();
        assertThat(all("contacts?$select=lastname&$filter=lastname ne '" + someLast.replace("'", "''") + "'"))
                .hasSize((int) ne);
        long kids = stored.stream()
                .filter(r -> r.get("numberofchildren") != null && ((Number) r.get("numberofchildren")).intValue() >= 2)
                .count();
        assertThat(all("contacts?$select=numberofchildren&$filter=numberofchildren ge 2"))
                .hasSize((int) kids);
        long noKids =
                stored.stream().filter(r -> r.get("numberofchildren") == null).count();
        assertThat(all("contacts?$select=numberofchildren&$filter=numberofchildren eq null"))
                .hasSize((int) noKids);
        long rich = stored.stream()
                .filter(r -> r.get("creditlimit") != null && ((Number) r.get("creditlimit")).doubleValue() > 50000)
                .count();
        assertThat(all("contacts?$select=creditlimit&$filter=creditlimit gt 50000"))
                .hasSize((int) rich);
        long contains = stored.stream()
                .filter(r -> ((String) r.get("emailaddress1")).contains("example.org"))
                .count();
        assertThat(all("contacts?$select=emailaddress1&$filter=contains(emailaddress1,'EXAMPLE.ORG')"))
                .hasSize((int) contains);
        long starts = stored.stream()
                .filter(r -> ((String) r.get("emailaddress1")).startsWith("a"))
                .count();
        assertThat(all("contacts?$select=emailaddress1&$filter=startswith(emailaddress1,'a')"))
                .hasSize((int) starts);
        long both = stored.stream()
                .filter(r -> ((Number) r.get("statecode")).intValue() == 0 && (Boolean) r.get("donotemail"))
                .count();
        assertThat(all("contacts?$select=fullname&$filter=statecode eq 0 and donotemail eq true"))
                .hasSize((int) both);
        long either = stored.stream()
                .filter(r -> ((Number) r.get("statecode")).intValue() == 1 || (Boolean) r.get("donotemail"))
                .count();
        assertThat(all("contacts?$select=fullname&$filter=(statecode eq 1 or donotemail eq true)"))
                .hasSize((int) either);
        long notIn =
                stored.stream().filter(r -> !((Boolean) r.get("donotemail"))).count();
        assertThat(all("contacts?$select=fullname&$filter=not (donotemail eq true)"))
                .hasSize((int) notIn);
        String modified = (String) stored.get(600).get("modifiedon");
        // stored times keep milliseconds while JSON shows whole seconds: "ge" on a shown value is exact
        long newer = stored.stream()
                .filter(r -> ((String) r.get("modifiedon")).compareTo(modified) >= 0)
                .count();
        assertThat(all("contacts?$select=modifiedon&$filter=modifiedon ge " + modified))
                .hasSize((int) newer);
        String account = (String) stored.stream()
                .filter(r -> r.get("_parentcustomerid_value") != null)
                .findFirst()
                .get()
                .get("_parentcustomerid_value");
        long ofAccount = stored.stream()
                .filter(r -> account.equals(r.get("_parentcustomerid_value")))
                .count();
        assertThat(all("contacts?$select=fullname&$filter=_parentcustomerid_value eq " + account))
                .hasSize((int) ofAccount);
        long born = stored.stream()
                .filter(r -> r.get("birthdate") != null && ((String) r.get("birthdate")).compareTo("1980-01-01") < 0)
                .count();
        assertThat(all("contacts?$select=birthdate&$filter=birthdate lt 1980-01-01"))
                .hasSize((int) born);
    }

    @Test
    void valuesAnnotationsAndExpand() {
        JsonNode row = c.get(
                        "contacts?$select=fullname,creditlimit,birthdate,gendercode,donotemail,crmc_interests,"
                                + "_parentcustomerid_value,modifiedon,_modifiedby_value,versionnumber&$filter=creditlimit ne null and "
                                + "birthdate ne null and gendercode ne null and crmc_interests ne null and _parentcustomerid_value ne "
                                + "null&$top=1",
                        "Prefer",
                        "odata.include-annotations=\"*\"")
                .json()
                .get("value")
                .get(0);
        assertThat(row.get("@odata.etag").asText())
                .isEqualTo("W/\"" + row.get("versionnumber").asLong() + "\"");
        assertThat(row.get("creditlimit").isNumber()).isTrue();
        assertThat(row.get("creditlimit@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .matches("\\$[0-9,]+\\.[0-9]{2}");
        assertThat(row.get("birthdate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(row.get("birthdate@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .matches("\\d{1,2}/\\d{1,2}/\\d{4}");
        assertThat(row.get("modifiedon").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(row.get("modifiedon@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .matches("\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2} (AM|PM)");
        assertThat(row.get("gendercode@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .isIn("Male", "Female");
        assertThat(row.get("crmc_interests").asText()).matches("\\d{9}(,\\d{9})?");
        assertThat(row.get("crmc_interests@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .matches("[A-Za-z]+(; [A-Za-z]+)?");
        assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname")
                        .asText())
                .isEqualTo("account");
        assertThat(row.get("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty")
                        .asText())
                .isEqualTo("parentcustomerid_account");
        assertThat(row.get("_modifiedby_value").asText()).isEqualTo(sim.humanUserId());
        assertThat(row.get("_modifiedby_value@OData.Community.Display.V1.FormattedValue")
                        .asText())
                .isEqualTo("Avery Admin");
        assertThat(row.has("_transactioncurrencyid_value")).isTrue();

        String account = row.get("_parentcustomerid_value").asText();
        JsonNode expanded = c.get(
                        "contacts(" + row.get("contactid").asText() + ")?$select=fullname&$expand="
                                + "parentcustomerid_account($select=name,accountnumber),parentcustomerid_contact($select=fullname)")
                .json();
        assertThat(expanded.get("@odata.context").asText())
                .endsWith("#contacts(fullname,parentcustomerid_account("
                        + "name,accountnumber),parentcustomerid_contact(fullname))/$entity");
        assertThat(expanded.get("parentcustomerid_account").get("accountid").asText())
                .isEqualTo(account);
        assertThat(expanded.get("parentcustomerid_account").has("@odata.etag")).isTrue();
        assertThat(expanded.get("parentcustomerid_contact").isNull()).isTrue();

        JsonNode proj = c.get(
                        "crmc_projects?$top=1&$select=crmc_deadline,crmc_startdate,crmc_tags,crmc_score,"
                                + "_crmc_accountid_value",
                        "Prefer",
                        "odata.include-annotations=\"OData.Community.Display.V1." + "FormattedValue\"")
                .json()
                .get("value")
                .get(0);
        assertThat(proj.get("crmc_startdate").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(proj.get("crmc_deadline").asText()).endsWith("T17:00:00Z");
        assertThat(proj.has("_crmc_accountid_value@Microsoft.Dynamics.CRM.lookuplogicalname"))
                .isFalse();
    }

    @Test
    void singleRecordsPropertiesAndConditionalGet() {
        String id = sim.ids("account").get(0);
        HttpResult one = c.get("accounts(" + id + ")?$select=name,revenue");
        assertThat(one.status()).isEqualTo(200);
        JsonNode j = one.json();
        assertThat(j.get("@odata.context").asText()).isEqualTo(c.api + "/$metadata#accounts(name,revenue)/$entity");
        String etag = j.get("@odata.etag").asText();
        assertThat(c.get("accounts(" + id + ")?$select=name", "If-None-Match", etag)
                        .status())
                .isEqualTo(304);
        assertThat(c.get(
                                "accounts(" + id + ")?$select=name",
                                "If-None-Match",
                                etag,
                                "Prefer",
                                "odata.include-annotations=\"*\"")
                        .status())
                .isEqualTo(200);
        String num = j.get("accountid").asText();
        assertThat(num).isEqualTo(id);
        String number = (String) sim.row("account", id).get("accountnumber");
        assertThat(c.get("accounts(accountnumber='" + number + "')?$select=name")
                        .json()
                        .get("accountid")
                        .asText())
                .isEqualTo(id);
        assertThat(c.get("accounts(accountid=" + id + ")?$select=name").status())
                .isEqualTo(200);
        JsonNode name = c.get("accounts(" + id + ")/name").json();
        assertThat(name.get("value").asText()).isEqualTo(j.get("name").asText());
        assertThat(name.get("@odata.context").asText()).endsWith("$metadata#accounts(" + id + ")/name");
    }

    @Test
    void badRequestsGetDataverseErrorsNever500() {
        assertError(
                c.get("contacts?$select=Fullname"),
                400,
                "0x0",
                "Could not find a property named 'Fullname' on " + "type 'Microsoft.Dynamics.CRM.contact'.");
        assertError(c.get("contacts?$filter=nope eq 1"), 400, "0x0", "Could not find a property named 'nope'");
        assertError(c.get("contacts?$filter=lastname eq"), 400, "0x0", "Syntax error");
        assertError(c.get("contacts?$filter=lastname"), 400, "0x0", "Syntax error");
        assertError(c.get("contacts?$filter=(lastname eq 'x'"), 400, "0x0", "Syntax error");
        assertError(
                c.get("contacts?$filter=numberofchildren eq 'x'"),
                400,
                "0x0",
                "A binary operator with "
                        + "incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String'");
        assertError(c.get("contacts?$filter=contains(numberofchildren,'1')"), 400, "0x0", "No function signature");
        assertError(c.get("contacts?$filter=lastname eq 'unterminated"), 400, "0x0", "unterminated string");
        assertError(
                c.get("contacts?$filter=substringof('a',lastname)"),
                400,
                "0x0",
                "An unknown function with name " + "'substringof'");
        assertError(c.get("contacts?$orderby=nope"), 400, "0x0", "Could not find a property named 'nope'");
        assertError(c.get("contacts?$skip=10"), 400, "0x0", "$skip");
        assertError(c.get("contacts?$top=-1"), 400, "0x0", "$top");
        assertError(c.get("contacts?$expand=nope"), 400, "0x0", "Could not find a property named 'nope'");
        assertError(c.get("contacts?$select=parentcustomerid_account"), 400, "0x0", "Could not find a property");
        assertError(c.get("Contacts"), 404, "0x8006088a", "Resource not found for the segment 'Contacts'.");
        assertError(
                c.get("contacts(00000000-0000-0000-0000-000000000001)"),
                404,
                "0x80040217",
                "contact With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist");
        assertError(
                c.get("contacts(emailaddress1='nobody@nowhere.example')"),
                404,
                "0x80060891",
                "A record with the specified key values does not exist in contact entity");
        assertError(
                c.get("contacts(jobtitle='CEO')"),
                400,
                "0x0",
                "The key in the request URI is not valid for " + "resource 'Microsoft.Dynamics.CRM.contact'.");
        assertError(c.get("contacts(not-a-guid)"), 400, "0x0", "Bad Request - Error in query syntax.");
        assertError(c.get("contacts?$skiptoken=garbage"), 400, "0x80040203", "paging cookie");
        assertThat(c.get("contacts(" + sim.ids("contact").get(0) + ")/nope").status())
                .isEqualTo(404);
        assertThat(sim.routeCounters().values().stream().noneMatch(m -> m.containsKey(500)))
                .isTrue();
    }

    static void assertError(HttpResult r, int status, String code, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(DvClient.code(r)).as(r.body()).isEqualTo(code);
        assertThat(DvClient.message(r)).as(r.body()).contains(messagePart);
        assertThat(r.json().size()).isEqualTo(1);
    }
}
