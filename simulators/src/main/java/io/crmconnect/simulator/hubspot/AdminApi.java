package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.simulator.common.BaseSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The simulator's own API under {@code /_sim} for tests and scripts: state, counts, runtime settings, contract
 * violations, tokens, and the endpoints both simulators share ({@link BaseSimulator#SHARED_ADMIN_ROUTES}: request
 * log, faults, clock, mutator, stats, reset). Served through the same router as HubSpot's APIs, without
 * auth, limits, faults or request log (see {@link Router.Route#admin}).
 */
final class AdminApi {
    private final HubSpotSimulator sim;

    AdminApi(HubSpotSimulator sim) {
        this.sim = sim;
    }

    void register(Router r) {
        add(r, "GET", "/_sim/health", this::health);
        add(r, "GET", "/_sim/counts", req -> Http.Resp.json(200, sim.counts()));
        add(r, "GET", "/_sim/state/{objectType}", req -> {
            ObjectType t = sim.store().type(req.param("objectType"));
            return Http.Resp.json(
                    200, Map.of("objectType", t.name, "results", sim.dump(t.name, req.qBool("archived", false))));
        });
        add(
                r,
                "GET",
                "/_sim/associations",
                req -> Http.Resp.json(200, sim.associations(req.q("from"), req.q("id"), req.q("to"))));
        // requests, routes, stats, reset, faults, clock, mutator: the endpoints both simulators serve alike
        for (String route : BaseSimulator.SHARED_ADMIN_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            add(r, method, template, req -> {
                BaseSimulator.AdminAnswer a = sim.sharedAdmin(method, template, req);
                return a.status() == 204 ? Http.Resp.noContent() : Http.Resp.json(a.status(), a.body());
            });
        }
        add(r, "POST", "/_sim/config", this::config);
        add(r, "GET", "/_sim/contract/violations", req -> {
            List<?> v = sim.contractViolations();
            return Http.Resp.json(200, Map.of("count", v.size(), "results", v));
        });
        add(r, "DELETE", "/_sim/contract/violations", req -> {
            sim.clearContractViolations();
            return Http.Resp.noContent();
        });
        add(r, "POST", "/_sim/tokens", this::addToken);
    }

    private static void add(Router r, String method, String template, Function<Http.Req, Http.Resp> handler) {
        r.add(method, template, handler).admin = true;
    }

    private Http.Resp health(Http.Req req) {
        ObjectNode n = Json.obj();
        n.put("status", "UP");
        n.put("baseUrl", sim.baseUrl());
        n.put("startupMillis", sim.startupMillis());
        return Http.Resp.json(200, n);
    }

    private Http.Resp config(Http.Req req) {
        JsonNode b = req.json();
        if (b.has("rateLimits")) {
            sim.setRateLimits(b.get("rateLimits").asBoolean());
        }
        if (b.has("tier")) {
            sim.setTier(Tier.valueOf(b.get("tier").asText().toUpperCase(Locale.ROOT)));
        }
        if (b.has("limiter")) {
            sim.setLimiterMode(LimiterMode.valueOf(b.get("limiter").asText().toUpperCase(Locale.ROOT)));
        }
        if (b.has("indexLagMillis")) {
            sim.setIndexLag(Duration.ofMillis(b.get("indexLagMillis").asLong()));
        }
        if (b.has("validateRequests")) {
            sim.setValidateRequests(b.get("validateRequests").asBoolean());
        }
        if (b.has("validateResponses")) {
            sim.setValidateResponses(b.get("validateResponses").asBoolean());
        }
        if (b.has("retryAfter")) {
            sim.setRetryAfter(b.get("retryAfter").asText());
        }
        if (b.has("dailyUsed")) {
            sim.setDailyUsed(b.get("dailyUsed").asLong());
        }
        return Http.Resp.json(200, sim.stats());
    }

    private Http.Resp addToken(Http.Req req) {
        JsonNode b = req.json();
        List<String> scopes = new ArrayList<>();
        b.path("scopes").forEach(s -> scopes.add(s.asText()));
        sim.addPrivateAppToken(b.path("token").asText(), new HashSet<>(scopes));
        return Http.Resp.noContent();
    }
}
