package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmconnect.simulator.common.FaultRule;

/**
 * A fault injected on matching routes, at start ({@code builder().fault(...)}) or at runtime
 * ({@code POST /_sim/faults} with this object as JSON, or {@link HubSpotSimulator#addFault}).
 *
 * <p>{@code route} is a glob over the route name {@code "METHOD /template"}, e.g.
 * {@code "GET /crm/v3/objects/{objectType}"}, {@code "POST /crm/v3/objects/&#42;/search"} or {@code "*"}; {@code objectType}
 * optionally narrows it to one object type. {@code probability} is drawn from the simulator's seeded random;
 * {@code times} limits how often the fault fires (-1 = unlimited). The rest is {@link FaultRule}.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Fault extends FaultRule<Fault.Kind, Fault> {
    /** What happens to a matching request. */
    public enum Kind {
        /** Adds latency (uniform between latencyMinMillis and latencyMaxMillis), then serves normally. */
        LATENCY,
        /** Answers {@code status} (500, 502, 503, 504, 524, 477, ...) with a HubSpot error body. */
        STATUS,
        /**
         * Runs the handler (a write commits), then answers {@code status} instead of its response: a gateway error
         * after HubSpot committed, when the client cannot know the outcome.
         */
        STATUS_AFTER_COMMIT,
        /** Answers 429 TEN_SECONDLY_ROLLING (a 429 storm when probability is 1). */
        RATE_LIMIT_429,
        /** Answers 423 Locked. */
        LOCKED_423,
        /** Closes the connection without a response. */
        CONNECTION_RESET,
        /** Declares the full Content-Length, sends half of the body, closes the connection. */
        TRUNCATED_BODY,
        /** Answers 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** Sends the body in small chunks with pauses (total about latencyMaxMillis). */
        SLOW_BODY
    }

    public String objectType;

    public Fault() {
        super(Kind.STATUS);
    }

    public static Fault status(String route, int status, double probability) {
        return new Fault().with(route, Kind.STATUS, status, probability);
    }

    /** {@link Kind#STATUS_AFTER_COMMIT}: the handler runs, the client gets {@code status}. */
    public static Fault statusAfterCommit(String route, int status, double probability) {
        Fault f = status(route, status, probability);
        f.kind = Kind.STATUS_AFTER_COMMIT;
        return f;
    }

    public static Fault of(String route, Kind kind, double probability) {
        int status = kind == Kind.RATE_LIMIT_429 ? 429 : kind == Kind.LOCKED_423 ? 423 : 200;
        return new Fault().with(route, kind, status, probability);
    }

    public static Fault latency(String route, long minMillis, long maxMillis) {
        return of(route, Kind.LATENCY, 1.0).latencyMillis(minMillis, maxMillis);
    }

    public Fault objectType(String t) {
        this.objectType = t;
        return this;
    }

    /** Whether the route glob matches and, when narrowed, {@code type} is the object type (any case). */
    boolean matches(String routeName, String type) {
        if (objectType != null && (type == null || !objectType.equalsIgnoreCase(type))) {
            return false;
        }
        return routeMatches(routeName);
    }

    @Override
    protected String narrowedTo() {
        return objectType;
    }

    @Override
    protected boolean answersStatus() {
        return kind == Kind.STATUS || kind == Kind.STATUS_AFTER_COMMIT;
    }
}
