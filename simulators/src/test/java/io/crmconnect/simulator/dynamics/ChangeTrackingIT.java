package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change tracking: Prefer odata.track-changes, nextLinks with istracking="True" and the deltaLink on the last page
 * only; delta requests with changed rows and $deletedEntity items; the documented 400s; expired delta tokens.
 */
class ChangeTrackingIT {
    static DynamicsSimulator sim;
    static DvClient c;
    static final String TRACK = "odata.track-changes,odata.maxpagesize=100";

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(3)
                .contacts(250)
                .accounts(30)
                .leads(10)
                .start();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** Follows nextLinks; returns {rows, deltaLink}. */
    static Object[] drain(String first, String prefer) {
        List<JsonNode> rows = new ArrayList<>();
        String next = first;
        String delta = null;
        while (next != null) {
            HttpResult r = c.get(next, "Prefer", prefer);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode page = r.json();
            page.get("value").forEach(rows::add);
            if (page.has("@odata.nextLink")) {
                assertThat(page.has("@odata.deltaLink")).isFalse();
                next = page.get("@odata.nextLink").asText();
            } else {
                next = null;
                delta = page.get("@odata.deltaLink").asText();
            }
        }
        return new Object[] {rows, delta};
    }

    @SuppressWarnings("unchecked")
    @Test
    void initialLoadThenDeltasWithUpdatesCreatesAndDeletes() {
        HttpResult first = c.get("contacts?$select=fullname,emailaddress1,_modifiedby_value", "Prefer", TRACK);
        assertThat(first.header("Preference-Applied"))
                .contains("odata.track-changes")
                .contains("odata.maxpagesize=100");
        assertThat(first.json().get("@odata.nextLink").asText()).contains("istracking=%22True%22");
        Object[] initial = drain("contacts?$select=fullname,emailaddress1,_modifiedby_value", TRACK);
        assertThat((List<JsonNode>) initial[0]).hasSize(250);
        String delta = (String) initial[1];
        assertThat(delta)
                .startsWith(c.api + "/contacts?$select=fullname,emailaddress1,_modifiedby_value&$deltatoken=")
                .matches(".*\\$deltatoken=\\d+%21\\d{2}%2f\\d{2}%2f\\d{4}%20\\d{2}%3a\\d{2}%3a\\d{2}");

        // nothing changed: an empty page with a fresh delta link
        JsonNode empty = c.get(delta, "Prefer", "odata.track-changes").json();
        assertThat(empty.get("value")).isEmpty();
        assertThat(empty.get("@odata.context").asText())
                .endsWith("#contacts(fullname,emailaddress1," + "_modifiedby_value)/$delta");
        assertThat(empty.get("@odata.deltaLink").asText()).contains("$deltatoken=");

        List<String> ids = sim.ids("contact");
        // our write, a human's edit, a create and a delete (the create-then-delete shows as a delete)
        assertThat(c.patch("contacts(" + ids.get(0) + ")", DvClient.map("jobtitle", "Sync edit"))
                        .status())
                .isEqualTo(204);
        sim.update("contact", ids.get(1), Map.of("jobtitle", "Human edit"));
        String created = sim.create("contact", Map.of("lastname", "Newcomer", "emailaddress1", "new@x.example"));
        String ephemeral = sim.create("contact", Map.of("lastname", "Ephemeral"));
        sim.delete("contact", ephemeral);
        assertThat(c.delete("contacts(" + ids.get(2) + ")").status()).isEqualTo(204);

        Object[] d1 = drain(delta, "odata.track-changes");
        List<JsonNode> changes = (List<JsonNode>) d1[0];
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> deleted = new ArrayList<>();
        boolean seenDelete = false;
        for (JsonNode ch : changes) {
            if (ch.has("reason")) {
                seenDelete = true;
                assertThat(ch.get("@odata.context").asText()).isEqualTo(c.api + "/$metadata#contacts/$deletedEntity");
                assertThat(ch.get("reason").asText()).isEqualTo("deleted");
                deleted.add(ch.get("id").asText());
            } else {
                assertThat(seenDelete)
                        .as("new and updated rows come before deletes")
                        .isFalse();
                byId.put(ch.get("contactid").asText(), ch);
            }
        }
        assertThat(byId.keySet()).containsExactlyInAnyOrder(ids.get(0), ids.get(1), created);
        assertThat(deleted).containsExactlyInAnyOrder(ids.get(2), ephemeral);
        assertThat(byId.get(ids.get(0)).get("_modifiedby_value").asText()).isEqualTo(sim.applicationUserId());
        assertThat(byId.get(ids.get(1)).get("_modifiedby_value").asText()).isEqualTo(sim.humanUserId());

        // the next delta starts after these changes
        assertThat(((List<JsonNode>) drain((String) d1[1], "odata.track-changes")[0]))
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    @Test
    void changesDuringAnInitialLoadAreNotLost() {
        HttpResult first = c.get("accounts?$select=name", "Prefer", "odata.track-changes,odata.maxpagesize=10");
        String next = first.json().get("@odata.nextLink").asText();
        List<String> ids = sim.ids("account");
        String edited = ids.get(0); // already read on page 1
        sim.update("account", edited, Map.of("description", "changed while loading"));
        Object[] rest = drain(next, "odata.track-changes,odata.maxpagesize=10");
        Object[] d = drain((String) rest[1], "odata.track-changes");
        Set<String> changed = new HashSet<>();
        ((List<JsonNode>) d[0]).forEach(n -> changed.add(n.path("accountid").asText()));
        assertThat(changed).contains(edited);
    }

    @SuppressWarnings("unchecked")
    @Test
    void deltaResultsArePagedAndTheTokenComesLast() {
        Object[] initial = drain("leads?$select=subject", TRACK);
        for (String id : sim.ids("lead")) {
            sim.update("lead", id, Map.of("subject", "Reworded " + id.substring(0, 4)));
        }
        sim.delete("lead", sim.ids("lead").get(0));
        HttpResult p1 = c.get((String) initial[1], "Prefer", "odata.track-changes,odata.maxpagesize=4");
        assertThat(p1.json().get("value")).hasSize(4);
        assertThat(p1.json().has("@odata.deltaLink")).isFalse();
        Object[] all = drain((String) initial[1], "odata.track-changes,odata.maxpagesize=4");
        List<JsonNode> rows = (List<JsonNode>) all[0];
        assertThat(rows).hasSize(10);
        assertThat(rows.get(9).get("reason").asText()).isEqualTo("deleted");
    }

    @Test
    void optionsNotAllowedWithChangeTrackingAndBadTokens() {
        for (String opt : new String[] {
            "$filter=statecode eq 0", "$orderby=fullname", "$top=5", "$expand=parentcustomerid_account($select=name)"
        }) {
            HttpResult r = c.get("contacts?$select=fullname&" + opt, "Prefer", "odata.track-changes");
            String name = opt.substring(0, opt.indexOf('='));
            QueryIT.assertError(
                    r,
                    400,
                    "0x80040203",
                    "The \"" + name + "\" query parameter isn't supported when " + "Change Tracking is enabled.");
        }
        QueryIT.assertError(
                c.get("contacts?$select=fullname&$deltatoken=garbage", "Prefer", "odata.track-changes"),
                400,
                "0x80040203",
                "The delta token 'garbage' is not valid.");
        QueryIT.assertError(
                c.get("systemusers?$select=fullname", "Prefer", "odata.track-changes"),
                400,
                "0x80040203",
                "Change tracking is not enabled");
    }

    @Test
    void expiredDeltaTokensAskForAFullSync() {
        Object[] initial = drain("crmc_projects?$select=crmc_name", TRACK);
        sim.advanceClock(Duration.ofDays(6));
        c = new DvClient(sim); // the access token expired too
        assertThat(c.get((String) initial[1], "Prefer", "odata.track-changes").status())
                .isEqualTo(200);
        sim.advanceClock(Duration.ofDays(2));
        c = new DvClient(sim);
        QueryIT.assertError(
                c.get((String) initial[1], "Prefer", "odata.track-changes"),
                400,
                "0x80044352",
                "Version stamp associated with the client has expired. Please perform a full sync.");
    }
}
