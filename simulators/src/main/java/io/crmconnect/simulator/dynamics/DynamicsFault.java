package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.crmconnect.simulator.common.FaultRule;

/**
 * A fault injected on matching requests, at start ({@code builder().fault(...)}) or at runtime
 * ({@code POST /_sim/faults} with this object as JSON, or {@link DynamicsSimulator#addFault}).
 *
 * <p>{@code route} is a glob over the route name {@code "METHOD /template"}, e.g. {@code "GET /{entityset}"},
 * {@code "PATCH /{entityset}({key})"}, {@code "POST /$batch"} or {@code "*"} (see {@code GET /_sim/routes});
 * {@code entitySet} optionally narrows it to one table. {@code probability} is drawn from the simulator's seeded
 * random; {@code times} limits how often the fault fires (-1 = unlimited). The rest is {@link FaultRule}.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class DynamicsFault extends FaultRule<DynamicsFault.Kind, DynamicsFault> {
    /** What happens to a matching request. */
    public enum Kind {
        /** Adds latency (uniform between latencyMinMillis and latencyMaxMillis), then serves normally. */
        LATENCY,
        /** Answers {@code status} (500, 502, 503, 504...) with a Dataverse error body carrying {@code code}. */
        STATUS,
        /** Answers 429 with Retry-After and a service-protection code (a storm when probability is 1). */
        THROTTLE_429,
        /** Sends headers promising a body, then closes the connection. */
        CONNECTION_RESET,
        /** Declares the full Content-Length, sends half of the body, closes the connection. */
        TRUNCATED_BODY,
        /** Answers 200 with a body that is not valid JSON. */
        MALFORMED_JSON,
        /** Sends the body in small chunks with pauses (total about latencyMaxMillis). */
        SLOW_BODY
    }

    public String entitySet;
    /** Dataverse error code of STATUS and THROTTLE_429 faults (defaults: 0x80040216, 0x80072322). */
    public String code;
    /** Retry-After seconds of THROTTLE_429 faults (and of 503s when set). */
    public int retryAfterSeconds;

    public DynamicsFault() {
        super(Kind.STATUS);
    }

    public static DynamicsFault status(String route, int status, double probability) {
        return new DynamicsFault().with(route, Kind.STATUS, status, probability);
    }

    public static DynamicsFault of(String route, Kind kind, double probability) {
        int status = kind == Kind.THROTTLE_429 ? 429 : kind == Kind.STATUS ? 500 : 200;
        return new DynamicsFault().with(route, kind, status, probability);
    }

    /** A 429 storm answering one of the service-protection codes with this Retry-After. */
    public static DynamicsFault throttle(String route, String code, int retryAfterSeconds) {
        DynamicsFault f = of(route, Kind.THROTTLE_429, 1.0);
        f.code = code;
        f.retryAfterSeconds = retryAfterSeconds;
        return f;
    }

    public static DynamicsFault latency(String route, long minMillis, long maxMillis) {
        return of(route, Kind.LATENCY, 1.0).latencyMillis(minMillis, maxMillis);
    }

    public DynamicsFault entitySet(String set) {
        this.entitySet = set;
        return this;
    }

    public DynamicsFault code(String dataverseCode) {
        this.code = dataverseCode;
        return this;
    }

    /** Whether the route glob matches and, when narrowed, {@code set} is the entity set. */
    boolean matches(String routeName, String set) {
        if (entitySet != null && (set == null || !entitySet.equals(set))) {
            return false;
        }
        return routeMatches(routeName);
    }

    @Override
    protected String narrowedTo() {
        return entitySet;
    }

    @Override
    protected boolean answersStatus() {
        return kind == Kind.STATUS;
    }
}
