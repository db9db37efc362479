package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fault injected on matching routes, at start ({@code builder().fault(...)}) or at runtime
 * ({@code POST /_sim/faults} with this object as JSON, or {@link HubSpotSimulator#addFault}).
 *
 * <p>{@code route} is a glob over the route name {@code "METHOD /template"}, e.g.
 * {@code "GET /crm/v3/objects/{objectType}"}, {@code "POST /crm/v3/objects/&#42;/search"} or {@code "*"}; {@code objectType}
 * optionally narrows it to one object type. {@code probability} is drawn from the simulator's seeded random;
 * {@code times} limits how often the fault fires (-1 = unlimited).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Fault {
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

    public String route = "*";
    public String objectType;
    public Kind kind = Kind.STATUS;
    public int status = 500;
    public double probability = 1.0;
    public long latencyMinMillis;
    public long latencyMaxMillis;
    /** "uniform" (default) between min and max, or "exponential": min + an exponential tail with mean (max - min). */
    public String latencyDistribution = "uniform";

    public int times = -1;

    private transient AtomicInteger fired = new AtomicInteger();
    private transient volatile Pattern compiled;

    public Fault() {}

    public static Fault status(String route, int status, double probability) {
        Fault f = new Fault();
        f.route = route;
        f.kind = Kind.STATUS;
        f.status = status;
        f.probability = probability;
        return f;
    }

    /** {@link Kind#STATUS_AFTER_COMMIT}: the handler runs, the client gets {@code status}. */
    public static Fault statusAfterCommit(String route, int status, double probability) {
        Fault f = status(route, status, probability);
        f.kind = Kind.STATUS_AFTER_COMMIT;
        return f;
    }

    public static Fault of(String route, Kind kind, double probability) {
        Fault f = new Fault();
        f.route = route;
        f.kind = kind;
        f.status = kind == Kind.RATE_LIMIT_429 ? 429 : kind == Kind.LOCKED_423 ? 423 : 200;
        f.probability = probability;
        return f;
    }

    public static Fault latency(String route, long minMillis, long maxMillis) {
        Fault f = of(route, Kind.LATENCY, 1.0);
        f.latencyMinMillis = minMillis;
        f.latencyMaxMillis = maxMillis;
        return f;
    }

    public Fault times(int n) {
        this.times = n;
        return this;
    }

    public Fault objectType(String t) {
        this.objectType = t;
        return this;
    }

    /** Long-tailed latency: min + exponential with mean (max - min). */
    public Fault exponential() {
        this.latencyDistribution = "exponential";
        return this;
    }

    long drawLatencyMillis(double uniform01) {
        long span = Math.max(0, latencyMaxMillis - latencyMinMillis);
        if ("exponential".equalsIgnoreCase(latencyDistribution)) {
            return latencyMinMillis + (long) (-Math.log(1 - Math.min(uniform01, 0.999_999)) * span);
        }
        return latencyMinMillis + (long) (uniform01 * (span + 1));
    }

    public Fault latencyMillis(long min, long max) {
        this.latencyMinMillis = min;
        this.latencyMaxMillis = max;
        return this;
    }

    boolean matches(String routeName, String type) {
        if (objectType != null && (type == null || !objectType.equalsIgnoreCase(type))) {
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
        return kind + "(" + route + (objectType == null ? "" : ", " + objectType) + ", p=" + probability
                + (kind == Kind.STATUS || kind == Kind.STATUS_AFTER_COMMIT ? ", status=" + status : "") + ")";
    }
}
