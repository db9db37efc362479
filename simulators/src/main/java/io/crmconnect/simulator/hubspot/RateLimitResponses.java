package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HubSpot's rate-limit answers: the 429 body with its policy and an optional Retry-After, and the
 * X-HubSpot-RateLimit-* headers of allowed responses.
 */
final class RateLimitResponses {
    private final AtomicLong served429 = new AtomicLong();
    /** Retry-After on 429s: "always", "never" or "alternate" (every other 429 has none, as HubSpot does). */
    volatile String retryAfter;

    RateLimitResponses(String retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** The 429 for a request the limiter refused. */
    Http.Resp limited(RateLimiter.Decision d, boolean searchRoute) {
        String message = searchRoute
                ? "You have reached your secondly limit."
                : "DAILY".equals(d.policy())
                        ? "You have reached your daily limit."
                        : "You have reached your ten_secondly_rolling limit.";
        return body(message, d.policy(), d.retryAfterMillis());
    }

    /** An injected 429 (a storm): the answer a full window would give. */
    Http.Resp injected(boolean searchRoute) {
        return searchRoute
                ? body("You have reached your secondly limit.", "SECONDLY", 1000)
                : body("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING", 10_000);
    }

    private Http.Resp body(String message, String policy, long retryAfterMillis) {
        ObjectNode n = Json.obj();
        n.put("status", "error");
        n.put("message", message);
        n.put("errorType", "RATE_LIMIT");
        n.put("correlationId", Http.correlationId());
        n.put("category", "RATE_LIMITS");
        n.put("policyName", policy);
        n.put("requestId", Http.correlationId());
        Http.Resp r = Http.Resp.json(429, n);
        boolean send = switch (retryAfter) {
            case "always" -> true;
            case "never" -> false;
            default -> served429.getAndIncrement() % 2 == 0;
        };
        if (send) {
            r.headers.put("Retry-After", Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
        }
        return r;
    }

    /** X-HubSpot-RateLimit-* on an allowed non-search response (no daily headers for OAuth apps). */
    static void headers(Http.Resp resp, RateLimiter.Decision d, Auth.Principal p) {
        if (p == null || !p.oauth()) {
            resp.headers.put("X-HubSpot-RateLimit-Daily", Long.toString(d.daily()));
            resp.headers.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(d.dailyRemaining()));
        }
        resp.headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
        resp.headers.put("X-HubSpot-RateLimit-Max", Integer.toString(d.max()));
        resp.headers.put("X-HubSpot-RateLimit-Remaining", Integer.toString(d.remaining()));
        resp.headers.put("X-HubSpot-RateLimit-Secondly", Integer.toString(Math.max(1, d.max() / 10)));
        resp.headers.put("X-HubSpot-RateLimit-Secondly-Remaining", Integer.toString(Math.max(0, d.remaining() / 10)));
    }
}
