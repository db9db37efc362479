package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token endpoint (Entra ID client credentials), bearer checks, WhoAmI, the service document, CSDL $metadata and
 * EntityDefinitions with attributes, keys and option sets.
 */
class AuthMetadataIT {
    static DynamicsSimulator sim;
    static DvClient c;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(7)
                .contacts(20)
                .accounts(5)
                .oauthClient("second-app", "s2")
                .tokenLifetime(Duration.ofMinutes(60))
                .start();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void tokenEndpointAnswersAsEntraId() {
        HttpResult ok = c.form(
                sim.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        sim.clientId(),
                        "client_secret",
                        sim.clientSecret(),
                        "scope",
                        sim.scope()));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(ok.json().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(ok.json().get("access_token").asText().split("\\.")).hasSize(3);

        HttpResult badSecret = c.form(
                sim.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        sim.clientId(),
                        "client_secret",
                        "wrong",
                        "scope",
                        sim.scope()));
        assertThat(badSecret.status()).isEqualTo(401);
        assertThat(badSecret.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(badSecret.json().get("error_codes").get(0).asInt()).isEqualTo(7000215);
        assertThat(badSecret.json().get("error_description").asText()).startsWith("AADSTS7000215: ");

        HttpResult unknown = c.form(
                sim.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        "nobody",
                        "client_secret",
                        "x",
                        "scope",
                        sim.scope()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).isEqualTo("unauthorized_client");

        HttpResult badScope = c.form(
                sim.tokenUrl(),
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        sim.clientId(),
                        "client_secret",
                        sim.clientSecret(),
                        "scope",
                        sim.baseUrl() + "/user_impersonation"));
        assertThat(badScope.status()).isEqualTo(400);
        assertThat(badScope.json().get("error").asText()).isEqualTo("invalid_scope");

        HttpResult grant = c.form(sim.tokenUrl(), Map.of("grant_type", "password", "client_id", sim.clientId()));
        assertThat(grant.json().get("error").asText()).isEqualTo("unsupported_grant_type");

        HttpResult v1 = c.form(
                sim.baseUrl() + "/" + sim.tenantId() + "/oauth2/token",
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        sim.clientId(),
                        "client_secret",
                        sim.clientSecret(),
                        "resource",
                        sim.baseUrl()));
        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.json().get("resource").asText()).isEqualTo(sim.baseUrl());
    }

    @Test
    void webApiNeedsAValidUnexpiredToken() {
        DvClient anon = new DvClient(sim);
        anon.token = null;
        HttpResult none = anon.get("contacts");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).isEmpty();
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer ").contains("authorization_uri=");
        anon.token = "not-a-token";
        assertThat(anon.get("contacts").status()).isEqualTo(401);

        DvClient fresh = new DvClient(sim);
        assertThat(fresh.get("WhoAmI").status()).isEqualTo(200);
        sim.advanceClock(Duration.ofMinutes(61));
        assertThat(fresh.get("WhoAmI").status()).isEqualTo(401);
        c = new DvClient(sim); // a new token after the clock moved
    }

    @Test
    void whoAmIIsTheApplicationUserOfEachClient() {
        JsonNode me = c.get("WhoAmI").json();
        assertThat(me.get("@odata.context").asText()).endsWith("/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
        assertThat(me.get("UserId").asText()).isEqualTo(sim.applicationUserId());
        DvClient other = new DvClient(sim);
        other.token = other.tokenFor(sim.tokenUrl(), "second-app", "s2", sim.scope());
        assertThat(other.get("WhoAmI").json().get("UserId").asText())
                .isEqualTo(sim.applicationUserId("second-app"))
                .isNotEqualTo(sim.applicationUserId());
        JsonNode user = c.get("systemusers(" + sim.applicationUserId() + ")?$select=fullname,applicationid")
                .json();
        assertThat(user.get("applicationid").asText()).isEqualTo(sim.clientId());
        assertThat(c.post("WhoAmI", "{}").status()).isEqualTo(404);
        assertThat(DvClient.message(c.post("WhoAmI", "{}")))
                .startsWith("No HTTP resource was found that matches the request " + "URI");
    }

    @Test
    void serviceDocumentAndCsdl() {
        JsonNode doc = c.get("").json();
        List<String> sets = new ArrayList<>();
        doc.get("value").forEach(n -> sets.add(n.get("name").asText()));
        assertThat(sets).contains("contacts", "accounts", "leads", "opportunities", "crmc_projects");
        HttpResult csdl = c.get("$metadata");
        assertThat(csdl.status()).isEqualTo(200);
        assertThat(csdl.header("Content-Type")).startsWith("application/xml");
        assertThat(csdl.body())
                .contains(
                        "<EntityType Name=\"contact\"",
                        "<PropertyRef Name=\"contactid\"/>",
                        "Name=\"_parentcustomerid_value\" Type=\"Edm.Guid\"",
                        "Name=\"birthdate\" Type=\"Edm.Date\"",
                        "NavigationProperty Name=\"parentcustomerid_account\"",
                        "<EntitySet Name=\"crmc_projects\"");
    }

    @Test
    void entityDefinitionsWithKeysAndAttributes() {
        JsonNode contact = c.get("EntityDefinitions(LogicalName='contact')?$select=EntitySetName,PrimaryIdAttribute,"
                        + "ChangeTrackingEnabled,IsOptimisticConcurrencyEnabled&$expand=Keys($select=KeyAttributes,"
                        + "LogicalName),Attributes($select=LogicalName,AttributeType)")
                .json();
        assertThat(contact.get("@odata.context").asText()).contains("$metadata#EntityDefinitions(");
        assertThat(contact.get("MetadataId").asText()).isNotEmpty();
        assertThat(contact.get("EntitySetName").asText()).isEqualTo("contacts");
        assertThat(contact.get("PrimaryIdAttribute").asText()).isEqualTo("contactid");
        assertThat(contact.get("ChangeTrackingEnabled").asBoolean()).isTrue();
        List<String> keys = new ArrayList<>();
        contact.get("Keys").forEach(k -> keys.add(k.get("KeyAttributes").toString()));
        assertThat(keys).contains("[\"emailaddress1\"]", "[\"firstname\",\"emailaddress1\"]");
        Map<String, String> types = new HashMap<>();
        contact.get("Attributes")
                .forEach(a -> types.put(
                        a.get("LogicalName").asText(), a.get("AttributeType").asText()));
        assertThat(types)
                .containsEntry("parentcustomerid", "Customer")
                .containsEntry("creditlimit", "Money")
                .containsEntry("birthdate", "DateTime")
                .containsEntry("crmc_interests", "Virtual")
                .containsEntry("versionnumber", "BigInt")
                .containsEntry("modifiedby", "Lookup");

        JsonNode birth = c.get("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='birthdate')")
                .json();
        assertThat(birth.get("@odata.type").asText()).isEqualTo("#Microsoft.Dynamics.CRM.DateTimeAttributeMetadata");
        assertThat(birth.get("DateTimeBehavior").get("Value").asText()).isEqualTo("DateOnly");
        JsonNode picklists = c.get("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM."
                        + "PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)")
                .json();
        JsonNode gender = null;
        for (JsonNode p : picklists.get("value")) {
            if (p.get("LogicalName").asText().equals("gendercode")) {
                gender = p;
            }
        }
        assertThat(gender).isNotNull();
        assertThat(gender.at("/OptionSet/Options/1/Label/UserLocalizedLabel/Label")
                        .asText())
                .isEqualTo("Female");

        JsonNode tracked = c.get("EntityDefinitions?$select=LogicalName&$filter=ChangeTrackingEnabled eq true")
                .json();
        List<String> names = new ArrayList<>();
        tracked.get("value").forEach(n -> names.add(n.get("LogicalName").asText()));
        assertThat(names).containsExactly("contact", "account", "lead", "opportunity", "crmc_project");
        JsonNode project = c.get("EntityDefinitions(LogicalName='crmc_project')?$select=SchemaName,IsCustomEntity,"
                        + "EntitySetName")
                .json();
        assertThat(project.get("IsCustomEntity").asBoolean()).isTrue();
        assertThat(project.get("SchemaName").asText()).isEqualTo("crmc_Project");
        JsonNode keys2 =
                c.get("EntityDefinitions(LogicalName='crmc_project')/Keys").json();
        assertThat(keys2.get("value")).hasSize(2);
        assertThat(keys2.get("value").get(1).get("EntityKeyIndexStatus").asText())
                .isEqualTo("Active");

        HttpResult missing = c.get("EntityDefinitions(LogicalName='nope')");
        assertThat(missing.status()).isEqualTo(404);
        HttpResult badSelect = c.get("EntityDefinitions(LogicalName='contact')?$select=Nope");
        assertThat(badSelect.status()).isEqualTo(400);
        assertThat(DvClient.code(badSelect)).isEqualTo("0x0");
    }

    @Test
    void commonHeadersOnEveryWebApiResponse() {
        HttpResult r = c.get("contacts?$select=fullname&$top=1");
        assertThat(r.header("OData-Version")).isEqualTo("4.0");
        assertThat(r.header("x-ms-dop-hint")).isEqualTo("5");
        assertThat(r.header("x-ms-service-request-id")).isNotBlank();
        assertThat(r.header("Content-Type")).startsWith("application/json; odata.metadata=minimal");
        assertThat(r.header("x-ms-ratelimit-burst-remaining-xrm-requests")).isNotBlank();
    }
}
