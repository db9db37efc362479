package io.crmconnect.simulator.common;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs a simulator's mutator in the background at a set rate: ten ticks a second on one daemon thread, each tick
 * handing the operations due (fractions carried over) to the burst function, so a burst shares one timestamp.
 */
public final class Churn {
    private final String threadName;
    private final IntConsumer burst;
    private volatile ScheduledExecutorService exec;
    private volatile double opsPerSecond;

    /** {@code burst} applies n operations; a RuntimeException it throws skips that tick's operations. */
    public Churn(String threadName, IntConsumer burst) {
        this.threadName = threadName;
        this.burst = burst;
    }

    /** (Re)starts at this rate; a rate of 0 or less only stops. */
    public synchronized void start(double opsPerSecond) {
        stop();
        if (opsPerSecond <= 0) {
            return;
        }
        this.opsPerSecond = opsPerSecond;
        exec = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        double perTick = opsPerSecond / 10.0;
        double[] carry = {0};
        exec.scheduleAtFixedRate(
                () -> {
                    carry[0] += perTick;
                    int n = (int) carry[0];
                    carry[0] -= n;
                    try {
                        burst.accept(n);
                    } catch (RuntimeException e) {
                        // a conflicting random operation (a duplicate key, say) is skipped
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
    }

    /** Stops and waits (up to 2 s) for a running burst to end. */
    public synchronized void stop() {
        if (exec != null) {
            exec.shutdownNow();
            try {
                exec.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exec = null;
        }
        opsPerSecond = 0;
    }

    public boolean running() {
        return exec != null;
    }

    public double opsPerSecond() {
        return opsPerSecond;
    }
}
