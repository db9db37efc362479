package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault injected on matching requests, at start ({@code builder().fault(...)}) or at runtime
 * ({@code POST /_sim/faults} with this object as JSON, or {@link DynamicsSimulator#addFault}).
 *
 * <p>{@code route} is a glob over the route name {@code "METHOD /template"}, e.g. {@code "GET /{entityset}"},
 * {@code "PATCH /{entityset}({key})"}, {@code "POST /$batch"} or {@code "*"} (see {@code GET /_sim/routes});
 * {@code entitySet} optionally narrows it to one table. {@code probability} is drawn from the simulator's seeded
 * random; {@code times} limits how often the fault fires (-1 = unlimited).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class DynamicsFault {
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

    public String route = "*";
    public String entitySet;
    public Kind kind = Kind.STATUS;
    public int status = 500;
    /** Dataverse error code of STATUS and THROTTLE_429 faults (defaults: 0x80040216, 0x80072322). */
    public String code;

    public double probability = 1.0;
    public long latencyMinMillis;
    public long latencyMaxMillis;
    /** Retry-After seconds of THROTTLE_429 faults (and of 503s when set). */
    public int retryAfterSeconds;

    public int times = -1;

    private transient AtomicInteger fired = new AtomicInteger();
    private transient volatile Pattern compiled;

    public DynamicsFault() {}

    public static DynamicsFault status(String route, int status, double probability) {
        DynamicsFault f = new DynamicsFault();
        f.route = route;
        f.kind = Kind.STATUS;
        f.status = status;
        f.probability = probability;
        return f;
    }

    public static DynamicsFault of(String route, Kind kind, double probability) {
        DynamicsFault f = new DynamicsFault();
        f.route = route;
        f.kind = kind;
        f.status = kind == Kind.THROTTLE_429 ? 429 : kind == Kind.STATUS ? 500 : 200;
        f.probability = probability;
        return f;
    }

    /** A 429 storm answering one of the service-protection codes with this Retry-After. */
    public static DynamicsFault throttle(String route, String code, int retryAfterSeconds) {
        DynamicsFault f = of(route, Kind.THROTTLE_429, 1.0);
        f.code = code;
        f.retryAfterSeconds = retryAfterSeconds;
        return f;
    }

    public static DynamicsFault latency(String route, long minMillis, long maxMillis) {
        DynamicsFault f = of(route, Kind.LATENCY, 1.0);
        f.latencyMinMillis = minMillis;
        f.latencyMaxMillis = maxMillis;
        return f;
    }

    public DynamicsFault times(int n) {
        this.times = n;
        return this;
    }

    public DynamicsFault entitySet(String set) {
        this.entitySet = set;
        return this;
    }

    public DynamicsFault code(String dataverseCode) {
        this.code = dataverseCode;
        return this;
    }

    public DynamicsFault latencyMillis(long min, long max) {
        this.latencyMinMillis = min;
        this.latencyMaxMillis = max;
        return this;
    }

    long drawLatencyMillis(double uniform01) {
        long span = Math.max(0, latencyMaxMillis - latencyMinMillis);
        return latencyMinMillis + (long) (uniform01 * (span + 1));
    }

    boolean matches(String routeName, String set) {
        if (entitySet != null && (set == null || !entitySet.equals(set))) {
            return false;
        }
        Pattern p = compiled;
        if (p == null) {
            StringBuilder re = new StringBuilder();
            for (char c : route.toCharArray()) {
                re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            p = Pattern.compile(re.toString());
            compiled = p;
        }
        return p.matcher(routeName).matches()
                || p.matcher(routeName.substring(routeName.indexOf(' ') + 1)).matches();
    }

    /** Consumes one firing if the fault has budget left. */
    boolean tryFire() {
        if (fired == null) {
            fired = new AtomicInteger();
        }
        if (times < 0) {
            fired.incrementAndGet();
            return true;
        }
        return fired.incrementAndGet() <= times;
    }

    public int firedCount() {
        return fired == null ? 0 : Math.max(0, times < 0 ? fired.get() : Math.min(fired.get(), times));
    }

    @Override
    public String toString() {
        return kind + "(" + route + (entitySet == null ? "" : ", " + entitySet) + ", p=" + probability
                + (kind == Kind.STATUS ? ", status=" + status : "") + ")";
    }
}
