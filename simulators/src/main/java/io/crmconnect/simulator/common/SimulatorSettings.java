package io.crmconnect.simulator.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The builder options both simulators have: port, seed, faults active from the start, HTTP worker threads, request
 * log size and a mutator started at once. Each simulator's builder extends it with its own options.
 *
 * @param <B> the simulator's builder, returned by the setters
 * @param <F> the simulator's fault type
 */
public abstract class SimulatorSettings<B extends SimulatorSettings<B, F>, F extends FaultRule<?, F>> {
    protected int port;
    long seed = 42;
    final List<F> faults = new ArrayList<>();
    int threads;
    int requestLogSize = 10_000;
    double mutatorOpsPerSecond;

    /** {@code threads}: the simulator's default number of HTTP worker threads. */
    protected SimulatorSettings(int threads) {
        this.threads = threads;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** TCP port on 127.0.0.1; 0 (default) picks a free port. */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /** Seed of the data generator, ids, fault draws and the mutator (default 42). */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** A fault active from the start (and again after a reset). */
    public B fault(F f) {
        faults.add(f);
        return self();
    }

    /** Worker threads of the HTTP server (a request holds its thread for its whole life, faults included). */
    public B threads(int n) {
        this.threads = n;
        return self();
    }

    /** How many requests the request log keeps (default 10,000). */
    public B requestLogSize(int n) {
        this.requestLogSize = n;
        return self();
    }

    /** Start the mutator right away at this many operations per second. */
    public B mutator(double opsPerSecond) {
        this.mutatorOpsPerSecond = opsPerSecond;
        return self();
    }
}
