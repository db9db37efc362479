package io.crmconnect.simulator.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service protection (requests, execution time, concurrency per user; 429 + Retry-After + codes; the penalty grows
 * while a client keeps sending), x-ms-dop-hint, injected faults, the admin API, the mutator and deterministic data.
 */
class LimitsFaultsAdminIT {
    static DynamicsSimulator sim;
    static DvClient c;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder()
                .seed(21)
                .contacts(100)
                .accounts(10)
                .leads(10)
                .opportunities(10)
                .projects(5)
                .oauthClient("other-app", "o-secret")
                .tokenLifetime(Duration.ofDays(30))
                .start();
        sim.clock().freeze();
        c = new DvClient(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void restore() {
        sim.setLimits(6000, 1_200_000, 52, Duration.ofSeconds(300));
        sim.setExtraExecutionMillis(0);
        sim.clearFaults();
        sim.advanceClock(Duration.ofMinutes(6)); // empty every window
    }

    @Test
    void requestLimitPerUserWithRetryAfterAndAGrowingPenalty() {
        sim.setLimits(5, 1_200_000, 52, Duration.ofSeconds(300));
        for (int i = 0; i < 5; i++) {
            HttpResult ok = c.get("WhoAmI");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("x-ms-ratelimit-burst-remaining-xrm-requests")).isEqualTo(Integer.toString(4 - i));
        }
        HttpResult limited = c.get("contacts?$top=1");
        QueryIT.assertError(
                limited,
                429,
                "0x80072322",
                "Number of requests exceeded the limit of 5 over time window " + "of 300 seconds.");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 300L);
        // another application user has its own budget
        DvClient other = new DvClient(sim);
        other.token = other.tokenFor(sim.tokenUrl(), "other-app", "o-secret", sim.scope());
        assertThat(other.get("WhoAmI").status()).isEqualTo(200);
        // sending while throttled extends the penalty: when the first five leave the window, the rejected ones remain
        sim.advanceClock(Duration.ofSeconds(100));
        for (int i = 0; i < 5; i++) {
            assertThat(c.get("WhoAmI").status()).isEqualTo(429);
        }
        sim.advanceClock(Duration.ofSeconds(201));
        HttpResult still = c.get("WhoAmI");
        assertThat(still.status()).isEqualTo(429);
        assertThat(Long.parseLong(still.header("Retry-After"))).isEqualTo(99);
        sim.advanceClock(Duration.ofSeconds(300));
        assertThat(c.get("WhoAmI").status()).isEqualTo(200);
        assertThat(sim.throttled429Count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void executionTimeLimit() {
        sim.setLimits(6000, 3000, 52, Duration.ofSeconds(300));
        sim.setExtraExecutionMillis(1000);
        for (int i = 0; i < 3; i++) {
            assertThat(c.get("WhoAmI").status()).isEqualTo(200);
        }
        HttpResult limited = c.get("WhoAmI");
        QueryIT.assertError(
                limited,
                429,
                "0x80072321",
                "Combined execution time of incoming requests exceeded limit "
                        + "of 3,000 milliseconds over time window of 300 seconds.");
        assertThat(limited.header("Retry-After")).isNotNull();
    }

    @Test
    void concurrencyLimitFailsImmediately() throws Exception {
        sim.setLimits(6000, 1_200_000, 2, Duration.ofSeconds(300));
        sim.addFault(DynamicsFault.latency("GET /WhoAmI", 600, 600));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<HttpResult>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(pool.submit(() -> c.get("WhoAmI")));
            }
            int ok = 0;
            int limited = 0;
            for (Future<HttpResult> f : fs) {
                HttpResult r = f.get();
                if (r.status() == 200) {
                    ok++;
                } else {
                    QueryIT.assertError(r, 429, "0x80072326", "Number of concurrent requests exceeded the limit of 2.");
                    limited++;
                }
            }
            assertThat(ok).isBetween(1, 2);
            assertThat(limited).isGreaterThanOrEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dopHintAndNoLimitsWhenOff() {
        sim.setDopHint(12);
        assertThat(c.get("WhoAmI").header("x-ms-dop-hint")).isEqualTo("12");
        sim.setDopHint(5);
        sim.setServiceProtection(false);
        sim.setLimits(1, 1, 1, Duration.ofSeconds(300));
        for (int i = 0; i < 3; i++) {
            assertThat(c.get("WhoAmI").status()).isEqualTo(200);
        }
        sim.setServiceProtection(true);
    }

    @Test
    void injectedFaults() {
        sim.addFault(DynamicsFault.status("GET /{entityset}", 503, 1)
                .times(2)
                .entitySet("accounts")
                .code("0x80072ee7"));
        QueryIT.assertError(c.get("accounts?$top=1"), 503, "0x80072ee7", "temporarily unavailable");
        assertThat(c.get("contacts?$top=1").status()).isEqualTo(200); // other tables untouched
        assertThat(c.get("accounts?$top=1").status()).isEqualTo(503);
        assertThat(c.get("accounts?$top=1").status()).isEqualTo(200);
        sim.clearFaults();

        sim.addFault(DynamicsFault.throttle("PATCH /{entityset}({key})", "0x80072321", 7)
                .times(1));
        HttpResult t = c.patch("contacts(" + sim.ids("contact").get(0) + ")", DvClient.map("jobtitle", "x"));
        QueryIT.assertError(t, 429, "0x80072321", "Combined execution time");
        assertThat(t.header("Retry-After")).isEqualTo("7");
        sim.clearFaults();

        sim.addFault(DynamicsFault.of("GET /{entityset}", DynamicsFault.Kind.MALFORMED_JSON, 1)
                .times(1));
        HttpResult bad = c.get("contacts?$top=1");
        assertThat(bad.status()).isEqualTo(200);
        assertThatThrownBy(bad::json).isInstanceOf(AssertionError.class);
        sim.addFault(DynamicsFault.of("GET /{entityset}", DynamicsFault.Kind.TRUNCATED_BODY, 1)
                .times(1));
        assertThatThrownBy(() -> c.get("contacts?$top=50")).isInstanceOf(AssertionError.class);
        sim.addFault(DynamicsFault.of("GET /{entityset}", DynamicsFault.Kind.CONNECTION_RESET, 1)
                .times(1));
        assertThatThrownBy(() -> c.get("contacts?$top=1")).isInstanceOf(AssertionError.class);
        sim.addFault(DynamicsFault.latency("GET /{entityset}", 300, 300).times(1));
        long t0 = System.nanoTime();
        assertThat(c.get("contacts?$top=1").status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(290);
        assertThat(c.get("contacts?$top=1").status()).isEqualTo(200);

        // through the admin API
        DvClient admin = new DvClient(sim);
        assertThat(admin.post(
                                sim.baseUrl() + "/_sim/faults",
                                Map.of(
                                        "route",
                                        "POST /{tenant}/oauth2/v2.0/token",
                                        "kind",
                                        "STATUS",
                                        "status",
                                        500,
                                        "times",
                                        1))
                        .status())
                .isEqualTo(201);
        assertThatThrownBy(() -> new DvClient(sim)).hasMessageContaining("500");
        assertThat(new DvClient(sim).token).isNotBlank();
        assertThat(sim.requestLog().stream().anyMatch(r -> "TRUNCATED_BODY".equals(r.fault())))
                .isTrue();
    }

    @Test
    void adminApi() {
        DvClient a = new DvClient(sim);
        a.token = null;
        JsonNode health = a.get(sim.baseUrl() + "/_sim/health").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("apiUrl").asText()).isEqualTo(sim.apiUrl());
        assertThat(a.get(sim.baseUrl() + "/_sim/counts").json().get("contact").asInt())
                .isEqualTo(sim.counts().get("contact"));
        assertThat(a.get(sim.baseUrl() + "/_sim/state/account").json().get("rows"))
                .hasSize(sim.counts().get("account"));
        c.get("contacts?$top=1");
        JsonNode log = a.get(sim.baseUrl() + "/_sim/requests?limit=5").json().get("results");
        JsonNode last = log.get(log.size() - 1);
        assertThat(last.get("route").asText()).isEqualTo("GET /{entityset}");
        assertThat(last.get("entitySet").asText()).isEqualTo("contacts");
        assertThat(last.get("userId").asText()).isEqualTo(sim.applicationUserId());
        assertThat(a.get(sim.baseUrl() + "/_sim/routes").json().has("GET /{entityset}"))
                .isTrue();
        JsonNode cfg = a.post(sim.baseUrl() + "/_sim/config", Map.of("dopHint", 9, "maxRequests", 7000))
                .json();
        assertThat(cfg.get("dopHint").asInt()).isEqualTo(9);
        assertThat(cfg.get("maxRequests").asInt()).isEqualTo(7000);
        sim.setDopHint(5);
        long offset = a.post(sim.baseUrl() + "/_sim/clock", Map.of("advanceMillis", 1000))
                .json()
                .get("offsetMillis")
                .asLong();
        assertThat(offset).isEqualTo(sim.clock().offsetMillis());
        String token = a.post(sim.baseUrl() + "/_sim/token", Map.of())
                .json()
                .get("access_token")
                .asText();
        a.token = token;
        assertThat(a.get("WhoAmI").status()).isEqualTo(200);
        assertThat(a.get(sim.baseUrl() + "/_sim/nope").status()).isEqualTo(404);
    }

    @Test
    void mutatorWritesAsAHumanInBursts() throws Exception {
        Map<String, Integer> before = sim.counts();
        long version = ((Number) sim.stats().get("version")).longValue();
        sim.mutateNow(60);
        Map<String, Object> stats = sim.mutatorStats();
        long ops = ((Number) stats.get("creates")).longValue()
                + ((Number) stats.get("updates")).longValue()
                + ((Number) stats.get("deletes")).longValue();
        assertThat(ops).isEqualTo(60);
        assertThat(((Number) sim.stats().get("version")).longValue()).isGreaterThan(version + 50);
        assertThat(sim.counts()).isNotEqualTo(before);
        JsonNode recent = c.get("contacts?$select=_modifiedby_value,modifiedon&$orderby=versionnumber desc&$top=3")
                .json()
                .get("value");
        assertThat(recent.get(0).get("_modifiedby_value").asText()).isNotEqualTo(sim.applicationUserId());
        sim.clock().unfreeze();
        try {
            sim.startMutator(100);
            Thread.sleep(400);
            sim.stopMutator();
        } finally {
            sim.clock().freeze();
        }
        long after = ((Number) sim.mutatorStats().get("creates")).longValue()
                + ((Number) sim.mutatorStats().get("updates")).longValue()
                + ((Number) sim.mutatorStats().get("deletes")).longValue();
        assertThat(after).isGreaterThan(ops);
    }

    @Test
    void sameSeedSameData() {
        try (DynamicsSimulator a = DynamicsSimulator.builder()
                        .seed(77)
                        .contacts(50)
                        .accounts(5)
                        .start();
                DynamicsSimulator b = DynamicsSimulator.builder()
                        .seed(77)
                        .contacts(50)
                        .accounts(5)
                        .start();
                DynamicsSimulator d = DynamicsSimulator.builder()
                        .seed(78)
                        .contacts(50)
                        .accounts(5)
                        .start()) {
            assertThat(a.ids("contact")).isEqualTo(b.ids("contact")).isNotEqualTo(d.ids("contact"));
            List<Map<String, Object>> ra = a.rows("contact");
            List<Map<String, Object>> rb = b.rows("contact");
            for (int i = 0; i < ra.size(); i++) {
                ra.get(i).remove("createdon");
                ra.get(i).remove("modifiedon");
                rb.get(i).remove("createdon");
                rb.get(i).remove("modifiedon");
            }
            assertThat(ra).isEqualTo(rb);
            long emails = ra.stream()
                    .map(r -> ((String) r.get("emailaddress1")).toLowerCase())
                    .distinct()
                    .count();
            assertThat(emails).isEqualTo(50);
            assertThat(ra.stream()
                            .filter(r -> r.get("_parentcustomerid_value") != null)
                            .count())
                    .isGreaterThan(25);
        }
        sim.reset();
        assertThat(sim.counts().get("contact")).isEqualTo(100);
        sim.clock().freeze();
        c = new DvClient(sim);
    }
}
