package io.crmconnect.simulator.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulator's mutator: the churn it applies on demand ({@link #applyBurst}) or in the background at a set rate
 * ({@link Churn}). Each simulator's subclass knows its operations and counts them.
 */
public abstract class Mutations {
    private final Churn churn;

    /** {@code threadName}: the background thread's name. */
    protected Mutations(String threadName) {
        this.churn = new Churn(threadName, this::applyBurst);
    }

    /** (Re)starts the background churn at this rate; 0 or less stops it. */
    public void start(double opsPerSecond) {
        churn.start(opsPerSecond);
    }

    public void stop() {
        churn.stop();
    }

    /** Applies n operations now, sharing one timestamp. */
    public abstract void applyBurst(int n);

    /** Adds the counts of what was applied so far to {@code stats}. */
    protected abstract void counts(Map<String, Object> stats);

    /** Whether it runs, its rate and what it applied so far. */
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", churn.running());
        m.put("opsPerSecond", churn.opsPerSecond());
        counts(m);
        return m;
    }
}
