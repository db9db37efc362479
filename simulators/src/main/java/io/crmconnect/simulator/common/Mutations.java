package io.crmconnect.simulator.common;

import java.util.Map;

/** A simulator's mutator: the churn it applies in the background ({@link Churn}) or on demand. */
public interface Mutations {
    /** (Re)starts the background churn at this rate; 0 or less stops it. */
    void start(double opsPerSecond);

    void stop();

    /** Applies n operations now, sharing one timestamp. */
    void applyBurst(int n);

    /** Whether it runs, its rate and what it applied so far. */
    Map<String, Object> stats();
}
