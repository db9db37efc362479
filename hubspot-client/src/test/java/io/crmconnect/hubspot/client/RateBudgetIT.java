package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.LimiterMode;
import io.crmconnect.simulator.hubspot.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two tasks sharing one private app (half its burst each, four threads each) and a caller outside their budgets
 * (the connector's own calls) against the simulator's rolling and fixed ten-second limiters, for a run shorter than
 * two windows. The simulator handles requests on two threads with 30-80 ms each, so a request is counted well after
 * the task let it through: the situation the rate budget must absorb without a single 429.
 */
class RateBudgetIT {
    private static final int STARTER_BURST = 100;
    private static final long RUN_MILLIS = 12_000;

    @Test
    void tasksSharingAnAppDrawNo429AgainstEitherLimiter() throws Exception {
        ExecutorService modes = Executors.newFixedThreadPool(2);
        try {
            Future<long[]> rolling = modes.submit(() -> run(LimiterMode.SLIDING));
            Future<long[]> fixed = modes.submit(() -> run(LimiterMode.FIXED));
            for (Future<long[]> f : List.of(rolling, fixed)) {
                long[] r = f.get(60, TimeUnit.SECONDS);
                assertThat(r[1]).as("calls made (the run is not idle)").isGreaterThan(STARTER_BURST);
                assertThat(r[0]).as("429s served").isZero();
            }
        } finally {
            modes.shutdownNow();
        }
    }

    /** {429s served, calls made}. */
    private static long[] run(LimiterMode mode) throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(3)
                .contacts(30)
                .companies(0)
                .deals(0)
                .tickets(0)
                .tier(Tier.STARTER)
                .limiter(mode)
                .threads(2)
                .fault(Fault.latency("GET /crm/v3/objects/{objectType}", 30, 80))
                .start()) {
            try (HubSpotClient own = client(sim, new RateBudget(STARTER_BURST, 250_000, 1.0, 1.0))) {
                for (int i = 0; i < 3; i++) {
                    own.list("contacts", List.of(), null, null, 1, false);
                }
            }
            AtomicLong made = new AtomicLong();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<HubSpotClient> tasks = new ArrayList<>();
            List<Future<?>> work = new ArrayList<>();
            try {
                for (int t = 0; t < 2; t++) {
                    HubSpotClient c = client(sim, new RateBudget(STARTER_BURST, 250_000, 1.0, 0.5));
                    tasks.add(c);
                    for (int i = 0; i < 4; i++) {
                        work.add(threads.submit(() -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                c.list("contacts", List.of(), null, null, 1, false);
                                made.incrementAndGet();
                            }
                            return null;
                        }));
                    }
                }
                Thread.sleep(RUN_MILLIS);
            } finally {
                threads.shutdownNow(); // a call waiting on its budget ends with a retriable error
                threads.awaitTermination(10, TimeUnit.SECONDS);
                tasks.forEach(HubSpotClient::close);
            }
            return new long[] {sim.rateLimited429Count(), made.get()};
        }
    }

    private static HubSpotClient client(HubSpotSimulator sim, RateBudget budget) {
        return HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(budget)
                .build();
    }
}
