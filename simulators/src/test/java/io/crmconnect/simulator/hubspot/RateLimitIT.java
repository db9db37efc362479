package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HubSpot's limits by tier: rolling ten seconds per app, daily per account, 5 searches per second. */
class RateLimitIT {
    @RegisterExtension
    static final SimulatorExtension SIM =
            new SimulatorExtension(b -> b.seed(3).contacts(20).tier(Tier.STARTER));

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    @BeforeEach
    void freshWindow() {
        sim.clock().freeze();
        sim.clock().advance(Duration.ofSeconds(11)); // empties every window
        sim.setTier(Tier.STARTER);
        sim.setRateLimits(true);
        sim.setLimiterMode(LimiterMode.SLIDING);
    }

    @AfterEach
    void unfreezeClock() {
        sim.clock().unfreeze();
    }

    @Test
    void tenSecondWindowByTierThen429WithPolicyName() {
        long before = sim.rateLimited429Count();
        for (int i = 1; i <= Tier.STARTER.burstPer10s; i++) {
            HttpResult r = c.get("/crm/v3/objects/contacts?limit=1");
            assertThat(r.status()).as("call " + i).isEqualTo(200);
            assertThat(r.header("X-HubSpot-RateLimit-Max")).isEqualTo("100");
            assertThat(r.header("X-HubSpot-RateLimit-Remaining")).isEqualTo(Integer.toString(100 - i));
            assertThat(r.header("X-HubSpot-RateLimit-Interval-Milliseconds")).isEqualTo("10000");
            assertThat(r.header("X-HubSpot-RateLimit-Daily")).isEqualTo("250000");
        }
        HttpResult limited = c.get("/crm/v3/objects/contacts?limit=1");
        assertThat(limited.status()).isEqualTo(429);
        JsonNode b = limited.json();
        assertThat(b.get("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        assertThat(b.get("errorType").asText()).isEqualTo("RATE_LIMIT");
        assertThat(b.get("status").asText()).isEqualTo("error");
        HttpResult again = c.get("/crm/v3/objects/contacts?limit=1");
        assertThat(again.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After") == null)
                .as("Retry-After is sometimes absent")
                .isNotEqualTo(again.header("Retry-After") == null);
        assertThat(sim.rateLimited429Count() - before).isEqualTo(2);

        sim.clock().advance(Duration.ofSeconds(10));
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
    }

    @Test
    void higherTiersAllowMore() {
        sim.setTier(Tier.API_ADD_ON);
        int ok = 0;
        for (int i = 0; i < 260; i++) {
            if (c.get("/crm/v3/objects/contacts?limit=1").status() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(250);
    }

    @Test
    void searchHasItsOwnFivePerSecondLimitAndNoHeaders() {
        Map<String, Object> body = Map.of(
                "filterGroups", List.of(), "sorts", List.of(), "limit", 1, "after", "0", "properties", List.of());
        List<Integer> statuses = new ArrayList<>();
        HttpResult first = null;
        HttpResult limited = null;
        for (int i = 0; i < 6; i++) {
            HttpResult r = c.post("/crm/v3/objects/contacts/search", body);
            statuses.add(r.status());
            if (i == 0) {
                first = r;
            }
            if (r.status() == 429) {
                limited = r;
            }
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429);
        assertThat(first.header("X-HubSpot-RateLimit-Max"))
                .as("no rate-limit headers on search")
                .isNull();
        assertThat(limited.json().get("message").asText()).isEqualTo("You have reached your secondly limit.");
        // search does not consume the ten-second window
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").header("X-HubSpot-RateLimit-Remaining"))
                .isEqualTo("99");
        sim.clock().advance(Duration.ofMillis(1001));
        assertThat(c.post("/crm/v3/objects/contacts/search", body).status()).isEqualTo(200);
    }

    @Test
    void dailyBudgetPerAccount() {
        sim.setDailyUsed(Tier.STARTER.daily - 1);
        HttpResult last = c.get("/crm/v3/objects/contacts?limit=1");
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.header("X-HubSpot-RateLimit-Daily-Remaining")).isEqualTo("0");
        HttpResult over = c.get("/crm/v3/objects/contacts?limit=1");
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.json().get("policyName").asText()).isEqualTo("DAILY");
        assertThat(over.json().get("message").asText()).isEqualTo("You have reached your daily limit.");
        sim.clock().advance(Duration.ofDays(1));
        assertThat(c.get("/crm/v3/objects/contacts?limit=1").status())
                .as("resets at midnight")
                .isEqualTo(200);
    }

    @Test
    void fixedWindowsResetAtTheClockBoundaryWhereRollingOnesDoNot() {
        for (LimiterMode mode : LimiterMode.values()) {
            sim.setLimiterMode(mode);
            long into = Math.floorMod(sim.clock().millis(), 10_000L);
            sim.clock().advance(Duration.ofMillis(20_000 - into + 9_000)); // 9 s into a clock-aligned window
            for (int i = 0; i < Tier.STARTER.burstPer10s; i++) {
                assertThat(c.get("/crm/v3/objects/contacts?limit=1").status())
                        .as(mode + " call " + i)
                        .isEqualTo(200);
            }
            HttpResult limited = c.get("/crm/v3/objects/contacts?limit=1");
            assertThat(limited.status()).isEqualTo(429);
            sim.clock().advance(Duration.ofMillis(1_000)); // the next clock-aligned window
            int expected = mode == LimiterMode.FIXED ? 200 : 429;
            assertThat(c.get("/crm/v3/objects/contacts?limit=1").status())
                    .as(mode.name())
                    .isEqualTo(expected);
            // search: 5 per window of one second, of the same kind
            sim.clock()
                    .advance(Duration.ofMillis(
                            10_000 + 1_000 - Math.floorMod(sim.clock().millis(), 1_000L) + 900));
            Map<String, Object> search = Map.of(
                    "filterGroups", List.of(), "sorts", List.of(), "limit", 1, "after", "0", "properties", List.of());
            for (int i = 0; i < Tier.SEARCH_PER_SECOND; i++) {
                assertThat(c.post("/crm/v3/objects/contacts/search", search).status())
                        .isEqualTo(200);
            }
            assertThat(c.post("/crm/v3/objects/contacts/search", search).status())
                    .isEqualTo(429);
            sim.clock().advance(Duration.ofMillis(100));
            assertThat(c.post("/crm/v3/objects/contacts/search", search).status())
                    .as("search " + mode)
                    .isEqualTo(mode == LimiterMode.FIXED ? 200 : 429);
            sim.clock().advance(Duration.ofSeconds(11));
        }
        assertThat(c.get("/_sim/stats").json().get("limiter").asText()).isEqualTo("FIXED");
    }

    @Test
    void limitsOffNeverAnswer429() {
        sim.setRateLimits(false);
        long before = sim.rateLimited429Count();
        for (int i = 0; i < 150; i++) {
            assertThat(c.get("/crm/v3/objects/contacts?limit=1").status()).isEqualTo(200);
        }
        assertThat(sim.rateLimited429Count()).isEqualTo(before);
    }
}
