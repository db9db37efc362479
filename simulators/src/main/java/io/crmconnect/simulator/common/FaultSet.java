package io.crmconnect.simulator.common;

import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A simulator's active injected faults and the seeded draw that decides which one (if any) a request gets. */
public final class FaultSet<F extends FaultRule<?, F>> {
    private final List<F> active = new CopyOnWriteArrayList<>();
    private final SplittableRandom random;

    public FaultSet(long seed) {
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    public void add(F f) {
        active.add(f);
    }

    /** Drops every active fault and activates these (a simulator's reset to its start-up faults). */
    public void replaceWith(Collection<F> faults) {
        active.clear();
        active.addAll(faults);
    }

    public void clear() {
        active.clear();
    }

    public List<F> list() {
        return List.copyOf(active);
    }

    public int size() {
        return active.size();
    }

    /**
     * The first fault that matches the request, wins its probability draw and has firings left, or null. Each
     * matching fault draws once, in the order the faults were added.
     */
    public F pick(Predicate<F> matches) {
        if (active.isEmpty()) {
            return null;
        }
        for (F f : active) {
            if (matches.test(f)) {
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (draw < f.probability && f.tryFire()) {
                    return f;
                }
            }
        }
        return null;
    }
}
