package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.FaultSet;

/**
 * The active injected faults ({@link FaultSet}): which one (if any) a request draws, matched by HubSpot route and
 * object type (name or id), and the HubSpot answers of those that replace the handler's response. Faults that act on
 * the wire (reset, truncated, malformed, slow bodies) are applied while the response is written.
 */
final class Faults {
    private final FaultSet<Fault> active;

    Faults(FaultSet<Fault> active) {
        this.active = active;
    }

    /** The fault this request draws, or null. */
    Fault pick(Router.Route route, Http.Req req, Store store) {
        String type = req.param("objectType") != null ? req.param("objectType") : req.param("fromObjectType");
        ObjectType t = type == null ? null : store.typeOrNull(type);
        return active.pick(f ->
                f.matches(route.name, t == null ? type : t.name) || t != null && f.matches(route.name, t.objectTypeId));
    }

    /** The response that replaces the handler's, or null to let the request through (latency or wire faults). */
    static Http.Resp before(Fault f, Router.Route route, RateLimitResponses limits, RateLimiter limiter) {
        switch (f.kind) {
            case LATENCY:
                f.sleepLatency();
                return null;
            case STATUS:
                return status(f);
            case RATE_LIMIT_429:
                limiter.served429.incrementAndGet();
                return limits.injected(route.search);
            case LOCKED_423:
                return new ApiException(
                                423,
                                "LOCKED",
                                "The resource is locked: too many concurrent "
                                        + "writes to this object. Retry after 2 seconds.")
                        .response();
            default:
                // STATUS_AFTER_COMMIT replaces the response after the handler ran (after()); CONNECTION_RESET,
                // TRUNCATED_BODY, MALFORMED_JSON and SLOW_BODY act while writing: all of them after the handler ran
                return null;
        }
    }

    /** The response that replaces the handler's once it ran, or the handler's own. */
    static Http.Resp after(Fault f, Http.Resp handled) {
        return f != null && f.kind == Fault.Kind.STATUS_AFTER_COMMIT ? status(f) : handled;
    }

    private static Http.Resp status(Fault f) {
        String cat = f.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR";
        String msg = switch (f.status) {
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 524 -> "A timeout occurred";
            case 477 -> "Migration in progress";
            default -> "Internal error (injected fault)";
        };
        Http.Resp r = new ApiException(f.status, cat, msg).response();
        if (f.status == 477) {
            r.headers.put("Retry-After", "5");
        }
        return r;
    }
}
