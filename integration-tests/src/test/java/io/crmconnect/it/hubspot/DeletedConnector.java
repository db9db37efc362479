package io.crmconnect.it.hubspot;

import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks that a deleted HubSpot connector is really gone from the worker: its calls to HubSpot stop and none of the
 * threads its connector and tasks started (named {@code hubspot-*}: initial-load readers, the custom-object
 * refresher, sink writers) is left. The worker runs in the test JVM, so its threads are visible here (the simulator's
 * own {@code hubspot-sim-*} threads are not the plugins').
 */
public final class DeletedConnector {
    /** Longer than every interval at which a running HubSpot plugin calls (1 s polls and refreshes in these tests). */
    static final Duration QUIET = Duration.ofMillis(1500);
    /** Connect stops tasks within task.shutdown.graceful.timeout.ms (5 s); the rest is a loaded machine's margin. */
    static final Duration LIMIT = Duration.ofSeconds(15);

    private DeletedConnector() {}

    /** The live threads of HubSpot plugins, taken before a test creates its connector. */
    public static Set<Thread> hubSpotThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive()
                        && t.getName().startsWith("hubspot-")
                        && !t.getName().startsWith("hubspot-sim"))
                .collect(Collectors.toSet());
    }

    /**
     * Deletes the connector, then waits until the simulator has served no request for {@link #QUIET} and no HubSpot
     * plugin thread is alive that was not in {@code before}; fails after {@link #LIMIT} with what is still going on.
     */
    public static void deleteAndAwaitSilence(
            ConnectCluster cluster, String name, HubSpotSimulator sim, Set<Thread> before) {
        long deletedAt = System.nanoTime();
        cluster.deleteConnector(name);
        long[] last = {requests(sim), System.nanoTime()};
        String[] state = {""};
        try {
            cluster.awaitCondition(name + " silent after its deletion", LIMIT, () -> {
                long now = System.nanoTime();
                long served = requests(sim);
                if (served != last[0]) {
                    last[0] = served;
                    last[1] = now;
                }
                Set<String> left = hubSpotThreads().stream()
                        .filter(t -> !before.contains(t))
                        .map(Thread::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
                state[0] = "last request to HubSpot " + (now - last[1]) / 1_000_000 + " ms ago (" + served
                        + " served), " + (now - deletedAt) / 1_000_000 + " ms after the delete; threads left: "
                        + left;
                return left.isEmpty() && now - last[1] >= QUIET.toNanos();
            });
        } catch (AssertionError e) {
            throw new AssertionError(name + " still active after its deletion: " + state[0], e);
        }
    }

    private static long requests(HubSpotSimulator sim) {
        return ((Number) sim.stats().get("requests")).longValue();
    }
}
