package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.RequestLog;
import io.crmconnect.simulator.hubspot.contract.OpenApiContract;
import io.crmconnect.simulator.hubspot.contract.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What stands between a parsed request and an API handler, in HubSpot's order: route match (404/405/414), bearer
 * token, scopes, rate limits, injected faults, the handler, rate-limit headers; then contract validation and the
 * request log. Admin routes ({@code /_sim}) go straight to their handler.
 */
final class ApiGateway {
    /** Longest request URI (path + query) served; longer ones get 414. */
    static final int MAX_URI_LENGTH = 16_000;

    private final Auth auth;
    private final RateLimiter limiter;
    private final RateLimitResponses limitResponses;
    private final Faults faults;
    private final RequestLog<LoggedRequest> log;
    private final SimClock clock;
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    volatile boolean validateRequests;
    volatile boolean validateResponses;
    private volatile Router router;
    private volatile Store store;

    ApiGateway(
            Auth auth,
            RateLimiter limiter,
            RateLimitResponses limitResponses,
            Faults faults,
            RequestLog<LoggedRequest> log,
            SimClock clock) {
        this.auth = auth;
        this.limiter = limiter;
        this.limitResponses = limitResponses;
        this.faults = faults;
        this.log = log;
        this.clock = clock;
    }

    /** Serves these routes over this state from now on (at start and after a reset). */
    void use(Router router, Store store) {
        this.store = store;
        this.router = router;
    }

    List<Violation> violations() {
        return violations;
    }

    Http.Resp handle(Http.Req req) {
        long t0 = System.nanoTime();
        boolean[] known = new boolean[1];
        Router.Route route = router.match(req, known);
        if (route != null && route.admin || route == null && req.path.startsWith("/_sim")) {
            Http.Resp resp = route == null
                    ? ApiException.notFound("Unknown admin endpoint " + req.method + " " + req.path)
                            .response()
                    : admin(route, req);
            resp.headers.put("X-HubSpot-Correlation-Id", Http.correlationId());
            return resp;
        }
        Http.Resp resp;
        try {
            int uriLength = req.rawPath.length() + (req.rawQuery == null ? 0 : req.rawQuery.length() + 1);
            if (uriLength > MAX_URI_LENGTH) {
                // HubSpot answers 414 around 16k characters (long property lists must be chunked)
                resp = new ApiException(
                                414,
                                "VALIDATION_ERROR",
                                "URI Too Long: " + uriLength + " characters, the limit is " + MAX_URI_LENGTH)
                        .response();
            } else if (route == null) {
                resp = (known[0]
                                ? new ApiException(
                                        405,
                                        "VALIDATION_ERROR",
                                        "Method " + req.method + " is not allowed on " + req.rawPath)
                                : new ApiException(
                                        404,
                                        "OBJECT_NOT_FOUND",
                                        "No API route matches " + req.method + " " + req.rawPath))
                        .response();
            } else {
                req.route = route.name;
                resp = dispatch(route, req);
            }
            validate(req, resp);
        } catch (RuntimeException e) {
            resp = new ApiException(500, "INTERNAL_ERROR", "Internal simulator error: " + e).response();
        }
        resp.headers.put("X-HubSpot-Correlation-Id", Http.correlationId());
        // record before writing: a client that saw the response also sees it in the log
        record(
                req,
                route,
                resp.status,
                (System.nanoTime() - t0) / 1000,
                resp.fault == null ? null : resp.fault.kind.name());
        return resp;
    }

    private void record(Http.Req req, Router.Route route, int status, long micros, String fault) {
        String routeName = route == null ? req.method + " (unmatched)" : route.name;
        log.record(
                routeName,
                status,
                seq -> new LoggedRequest(
                        seq,
                        Json.iso(clock.millis()),
                        req.method,
                        req.rawPath,
                        req.rawQuery,
                        routeName,
                        req.param("objectType"),
                        status,
                        micros,
                        fault));
    }

    private Http.Resp dispatch(Router.Route route, Http.Req req) {
        RateLimiter.Decision d = null;
        try {
            if (!route.unauthenticated) {
                req.principal = auth.authenticate(req);
                auth.requireScope(req.principal, Auth.scopeFor(route, req));
                d = route.search ? limiter.search() : limiter.general(req.principal, route.tenSecondlyExempt);
                if (!d.allowed()) {
                    return limitResponses.limited(d, route.search);
                }
            }
            Fault f = faults.pick(route, req, store);
            if (f != null) {
                Http.Resp replaced = Faults.before(f, route, limitResponses, limiter);
                if (replaced != null) {
                    replaced.fault = f;
                    return replaced;
                }
            }
            Http.Resp resp = Faults.after(f, route.handler.apply(req));
            resp.fault = f;
            rateHeaders(route, resp, d, req.principal);
            return resp;
        } catch (ApiException e) {
            Http.Resp r = e.response();
            if (d != null && d.allowed()) {
                rateHeaders(route, r, d, req.principal);
            }
            return r;
        } catch (RuntimeException e) {
            return new ApiException(500, "INTERNAL_ERROR", "Internal error: " + e).response();
        }
    }

    private void rateHeaders(Router.Route route, Http.Resp resp, RateLimiter.Decision d, Auth.Principal p) {
        if (d != null && !route.search && limiter.enabled) {
            RateLimitResponses.headers(resp, d, p);
        }
    }

    private void validate(Http.Req req, Http.Resp resp) {
        String pathAndQuery = req.rawPath + (req.rawQuery == null ? "" : "?" + req.rawQuery);
        if (validateRequests) {
            violations.addAll(OpenApiContract.hubspot()
                    .validateRequest(
                            req.method, pathAndQuery, req.headers, new String(req.body, StandardCharsets.UTF_8)));
        }
        if (validateResponses) {
            violations.addAll(OpenApiContract.hubspot()
                    .validateResponse(
                            req.method,
                            pathAndQuery,
                            resp.status,
                            Map.of("Content-Type", "application/json"),
                            new String(resp.body, 0, resp.len, StandardCharsets.UTF_8)));
        }
    }

    private static Http.Resp admin(Router.Route route, Http.Req req) {
        try {
            return route.handler.apply(req);
        } catch (ApiException e) {
            return e.response();
        } catch (RuntimeException e) {
            return ApiException.validation("admin: " + e).response();
        }
    }
}
