package io.crmconnect.simulator.common;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What every simulator's injected fault has: a glob over the route name {@code "METHOD /template"} ({@code "*"}
 * matches every route; a glob without the method matches the template alone), a kind, a status, the probability
 * drawn from the simulator's seeded random, a latency range, and how often it may fire ({@code times}, -1 =
 * unlimited). Each simulator's subclass adds its kinds, how a fault narrows to one object type or table, and its
 * factory methods; instances are JSON ({@code POST /_sim/faults}).
 *
 * @param <K> the simulator's fault kinds
 * @param <F> the subclass, returned by the fluent setters
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class FaultRule<K extends Enum<K>, F extends FaultRule<K, F>> {
    public String route = "*";
    public K kind;
    public int status = 500;
    public double probability = 1.0;
    public long latencyMinMillis;
    public long latencyMaxMillis;
    /** "uniform" (default) between min and max, or "exponential": min + an exponential tail with mean (max - min). */
    public String latencyDistribution = "uniform";

    public int times = -1;

    private transient AtomicInteger fired = new AtomicInteger();
    private transient volatile Pattern compiled;

    protected FaultRule(K kind) {
        this.kind = kind;
    }

    @SuppressWarnings("unchecked")
    private F self() {
        return (F) this;
    }

    /** Sets what every factory method sets. */
    protected F with(String route, K kind, int status, double probability) {
        this.route = route;
        this.kind = kind;
        this.status = status;
        this.probability = probability;
        return self();
    }

    /** Fires at most n times. */
    public F times(int n) {
        this.times = n;
        return self();
    }

    public F latencyMillis(long min, long max) {
        this.latencyMinMillis = min;
        this.latencyMaxMillis = max;
        return self();
    }

    /** Long-tailed latency: min + exponential with mean (max - min). */
    public F exponential() {
        this.latencyDistribution = "exponential";
        return self();
    }

    /** The latency for a uniform draw in [0, 1) under this fault's range and distribution. */
    public long drawLatencyMillis(double uniform01) {
        long span = Math.max(0, latencyMaxMillis - latencyMinMillis);
        if ("exponential".equalsIgnoreCase(latencyDistribution)) {
            return latencyMinMillis + (long) (-Math.log(1 - Math.min(uniform01, 0.999_999)) * span);
        }
        return latencyMinMillis + (long) (uniform01 * (span + 1));
    }

    /** Sleeps one latency drawn from this fault's range (a LATENCY fault, before the request is served). */
    public void sleepLatency() {
        sleep(drawLatencyMillis(ThreadLocalRandom.current().nextDouble()));
    }

    /** The wire fault this one's kind stands for, or null. */
    public WireFault wire() {
        return WireFault.of(kind);
    }

    /** Whether the route glob matches this route name. */
    protected boolean routeMatches(String routeName) {
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

    /** The object type or table the fault is narrowed to, or null. */
    protected abstract String narrowedTo();

    /** Whether the kind answers {@link #status} (shown by {@link #toString()}). */
    protected abstract boolean answersStatus();

    @Override
    public String toString() {
        String to = narrowedTo();
        return kind + "(" + route + (to == null ? "" : ", " + to) + ", p=" + probability
                + (answersStatus() ? ", status=" + status : "") + ")";
    }

    /** Sleeps, keeping the interrupt flag when interrupted. */
    public static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
