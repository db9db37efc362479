package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import io.crmconnect.simulator.hubspot.contract.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fault injection at runtime, the admin API, the mutator and request validation for other modules' tests. */
class FaultsAdminIT {
    @RegisterExtension
    static final SimulatorExtension SIM = new SimulatorExtension(b ->
            b.seed(21).contacts(40).companies(10).deals(10).rateLimits(false).validateRequests(true));

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    static SimClient admin;

    @BeforeAll
    static void adminClient() {
        admin = new SimClient(sim.baseUrl(), null, false);
    }

    @AfterEach
    void cleanUp() {
        sim.clearFaults();
    }

    @Test
    void statusFaultsFireTheConfiguredNumberOfTimes() {
        sim.addFault(Fault.status("GET /crm/v3/objects/{objectType}", 502, 1.0)
                .times(2)
                .objectType("contacts"));
        assertThat(c.get("/crm/v3/objects/companies?limit=1").status())
                .as("other object types untouched")
                .isEqualTo(200);
        HttpResult first = c.get("/crm/v3/objects/contacts?limit=1");
        assertThat(first.status()).isEqualTo(502);
        assertThat(first.json().get("category").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(502);
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        assertThat(sim.routeCounters().get("GET /crm/v3/objects/{objectType}")).containsEntry(502, 2L);
    }

    @Test
    void faultsCanBeAddedThroughTheAdminApi() {
        long before = sim.rateLimited429Count();
        HttpResult added = admin.post(
                "/_sim/faults",
                Map.of("route", "POST */batch/upsert", "kind", "RATE_LIMIT_429", "probability", 1.0, "times", 3));
        assertThat(added.status()).isEqualTo(201);
        Map<String, Object> body =
                Map.of("inputs", List.of(Map.of("id", "a@b.example", "idProperty", "email", "properties", Map.of())));
        for (int i = 0; i < 3; i++) {
            HttpResult r = c.post("/crm/v3/objects/contacts/batch/upsert", body);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.json().get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        }
        assertThat(c.post("/crm/v3/objects/contacts/batch/upsert", body).status())
                .isEqualTo(200);
        assertThat(sim.rateLimited429Count() - before).isEqualTo(3);
        assertThat(admin.get("/_sim/stats").json().get("served429").asLong()).isEqualTo(sim.rateLimited429Count());
        assertThat(admin.delete("/_sim/faults").status()).isEqualTo(204);
        assertThat(admin.get("/_sim/faults").json().get("results")).isEmpty();

        sim.addFault(Fault.of("POST */batch/upsert", Fault.Kind.LOCKED_423, 1.0).times(1));
        HttpResult locked = c.post("/crm/v3/objects/contacts/batch/upsert", body);
        assertThat(locked.status()).isEqualTo(423);
    }

    @Test
    void connectionAndBodyFaultsBreakTheClientSide() {
        SimClient raw = new SimClient(sim.baseUrl(), sim.token(), false);
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.CONNECTION_RESET, 1.0)
                .times(1));
        assertThatThrownBy(() -> raw.get("/crm/v3/objects/contacts?limit=1")).isInstanceOf(RuntimeException.class);
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.TRUNCATED_BODY, 1.0)
                .times(1));
        assertThatThrownBy(() -> raw.get("/crm/v3/objects/contacts?limit=1")).isInstanceOf(RuntimeException.class);
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.MALFORMED_JSON, 1.0)
                .times(1));
        HttpResult bad = raw.get("/crm/v3/objects/contacts?limit=1");
        assertThat(bad.status()).isEqualTo(200);
        assertThatThrownBy(bad::json).isInstanceOf(AssertionError.class);
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").status())
                .as("healthy again")
                .isEqualTo(200);
    }

    @Test
    void statusAfterCommitRunsTheWriteThenAnswersTheError() {
        sim.addFault(Fault.statusAfterCommit("POST /crm/v3/objects/{objectType}/batch/create", 502, 1.0)
                .times(1));
        int before = sim.ids("contacts").size();
        Map<String, Object> body =
                Map.of("inputs", List.of(Map.of("properties", Map.of("firstname", "Lost"), "associations", List.of())));
        HttpResult lost = c.post("/crm/v3/objects/contacts/batch/create", body);
        assertThat(lost.status()).isEqualTo(502);
        assertThat(sim.ids("contacts"))
                .as("the create committed although the client saw a 502")
                .hasSize(before + 1);
        assertThat(c.post("/crm/v3/objects/contacts/batch/create", body).status())
                .isEqualTo(201);
        assertThat(sim.ids("contacts")).hasSize(before + 2);
    }

    @Test
    void latencyAndSlowBodies() {
        sim.addFault(Fault.latency("GET /crm/v3/owners", 300, 300));
        long t0 = System.nanoTime();
        assertThat(c.get("/crm/v3/owners").status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
        sim.clearFaults();
        Fault slow = Fault.of("GET /crm/v3/owners", Fault.Kind.SLOW_BODY, 1.0)
                .latencyMillis(0, 600)
                .times(1);
        sim.addFault(slow);
        t0 = System.nanoTime();
        HttpResult r = c.get("/crm/v3/owners");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("results").size()).isPositive();
        assertThat((System.nanoTime() - t0) / 1_000_000)
                .as("the body trickles for about 600 ms")
                .isGreaterThanOrEqualTo(500);
    }

    @Test
    void adminCountsStateRequestLogAndReset() {
        JsonNode counts = admin.get("/_sim/counts").json();
        assertThat(counts.get("contacts").get("live").asInt())
                .isEqualTo(sim.ids("contacts").size());
        JsonNode state = admin.get("/_sim/state/deals").json();
        assertThat(state.get("results")).hasSize(sim.ids("deals").size());
        assertThat(state.get("results").get(0).get("properties").has("dealname"))
                .isTrue();

        admin.delete("/_sim/requests");
        c.get("/crm/v3/objects/deals?limit=2");
        c.get("/crm/v3/objects/deals/1");
        JsonNode log = admin.get("/_sim/requests").json().get("results");
        assertThat(log).hasSize(2);
        assertThat(log.get(0).get("route").asText()).isEqualTo("GET /crm/v3/objects/{objectType}");
        assertThat(log.get(1).get("status").asInt()).isEqualTo(404);
        assertThat(admin.get("/_sim/routes")
                        .json()
                        .get("GET /crm/v3/objects/{objectType}/{objectId}")
                        .get("404")
                        .asLong())
                .isEqualTo(1);

        c.delete("/crm/v3/objects/deals/" + sim.ids("deals").get(0));
        assertThat(sim.ids("deals")).hasSize(9);
        admin.post("/_sim/clock", Map.of("advanceMillis", 3_600_000));
        assertThat(sim.clock().offsetMillis()).isGreaterThanOrEqualTo(3_600_000);
        assertThat(admin.post("/_sim/reset", Map.of()).status()).isEqualTo(204);
        assertThat(sim.ids("deals")).as("reset regenerates the seeded data").hasSize(10);
        assertThat(sim.clock().offsetMillis()).isZero();
        assertThat(sim.requestLog()).isEmpty();
    }

    @Test
    void mutatorAppliesChurnWithDeletesAndMerges() throws Exception {
        int before = sim.ids("contacts").size()
                + sim.ids("companies").size()
                + sim.ids("deals").size();
        sim.mutateNow(200);
        Map<String, Object> stats = sim.mutatorStats();
        assertThat((Long) stats.get("creates")
                        + (Long) stats.get("updates")
                        + (Long) stats.get("deletes")
                        + (Long) stats.get("merges")
                        + (Long) stats.get("associationChanges"))
                .isGreaterThan(150);
        assertThat((Long) stats.get("deletes")).isPositive();
        int archived = sim.dump("contacts", true).size()
                + sim.dump("companies", true).size()
                + sim.dump("deals", true).size();
        assertThat(archived).isPositive();
        assertThat(sim.ids("contacts").size()
                        + sim.ids("companies").size()
                        + sim.ids("deals").size())
                .isNotEqualTo(before);

        admin.post("/_sim/mutator/start", Map.of("opsPerSecond", 200));
        long updates = (Long) sim.mutatorStats().get("updates");
        Thread.sleep(400);
        admin.post("/_sim/mutator/stop", Map.of());
        assertThat((Long) sim.mutatorStats().get("updates")).isGreaterThan(updates);
        assertThat(sim.mutatorStats().get("running")).isEqualTo(false);
    }

    @Test
    void requestValidationRecordsNonConformingClientRequests() {
        sim.clearContractViolations();
        c.post(
                "/crm/v3/objects/contacts/search",
                Map.of(
                        "filterGroups",
                        List.of(),
                        "sorts",
                        List.of(),
                        "limit",
                        5,
                        "after",
                        "0",
                        "properties",
                        List.of("email")));
        assertThat(sim.contractViolations()).as("a conforming request").isEmpty();
        c.post("/crm/v3/objects/contacts/search", Map.of("limit", "five"));
        c.get("/crm/v3/objects/contacts?limit=ten");
        List<Violation> v = sim.contractViolations();
        assertThat(v).extracting(Violation::direction).containsOnly("request");
        assertThat(v)
                .extracting(Violation::path)
                .contains("/crm/v3/objects/contacts/search", "/crm/v3/objects/contacts");
        assertThat(admin.get("/_sim/contract/violations").json().get("count").asInt())
                .isEqualTo(v.size());
        sim.clearContractViolations();
    }

    @Test
    void exponentialLatencyHasALongTail() {
        Fault f = Fault.latency("GET /crm/v3/owners", 0, 100).exponential();
        long over = 0;
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            if (f.drawLatencyMillis(r.nextDouble()) > 200) {
                over++;
            }
        }
        assertThat(over).as("P(X > 2 x mean) of an exponential is about 13.5%").isBetween(1000L, 1700L);
        assertThat(Fault.latency("x", 10, 20).drawLatencyMillis(0.99)).isBetween(10L, 20L);
    }

    @Test
    void theSimulatorCanCheckItsOwnResponses() {
        sim.clearContractViolations();
        sim.setValidateResponses(true);
        try {
            c.get("/crm/v3/objects/contacts?limit=3&properties=email&associations=companies");
            c.get("/crm/v3/properties/deals");
            c.get("/crm/v3/objects/contacts/1");
            assertThat(sim.contractViolations()).isEmpty();
        } finally {
            sim.setValidateResponses(false);
        }
    }

    @Test
    void clockDrivesArchiveWindowAndRuntimeConfig() {
        JsonNode cfg = admin.post(
                        "/_sim/config", Map.of("indexLagMillis", 5000, "tier", "starter", "rateLimits", false))
                .json();
        assertThat(cfg.get("indexLagMillis").asLong()).isEqualTo(5000);
        assertThat(cfg.get("tier").asText()).isEqualTo("STARTER");
        sim.setIndexLag(Duration.ZERO);
        assertThat(admin.get("/_sim/health").json().get("status").asText()).isEqualTo("UP");
        assertThat(admin.get("/_sim/nope").status()).isEqualTo(404);
    }
}
