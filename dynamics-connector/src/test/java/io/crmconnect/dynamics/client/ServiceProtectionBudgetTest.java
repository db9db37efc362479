package io.crmconnect.dynamics.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServiceProtectionBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private ServiceProtectionBudget budget(int requests, long execMs, long windowMs, int concurrent, double share) {
        return new ServiceProtectionBudget(
                new ServiceProtectionBudget.Limits(requests, execMs, windowMs, concurrent), share, now::get);
    }

    @Test
    void noWindowOfTheServersLengthSeesMoreThanTheLimit() throws InterruptedException {
        ServiceProtectionBudget b = budget(600, 1_000_000_000L, 60_000, 52, 1.0);
        int sent = 0;
        long end = now.get() + 60_000;
        while (now.get() < end) {
            if (b.delayMillis() == 0) {
                b.release(b.acquire(), 0);
                sent++;
            } else {
                now.addAndGet(1);
            }
        }
        assertThat(sent).isBetween(590, 600); // 2% burst + 98% spread over the window
        assertThat(b.requestsPerSecond()).isCloseTo(9.8, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void executionTimeDebtHoldsCallsUntilRepaid() throws InterruptedException {
        ServiceProtectionBudget b = budget(1_000_000, 10_000, 10_000, 52, 1.0); // 1 ms of server time per ms
        b.release(b.acquire(), 2_000); // a long call, measured by the caller: 2 s of execution, capacity is 200 ms
        long d = b.delayMillis();
        assertThat(d).isBetween(1_800L, 1_900L);
        now.addAndGet(d);
        assertThat(b.delayMillis()).isZero();
    }

    @Test
    void retryAfterPausesAndTheDopHintBoundsConcurrency() throws InterruptedException {
        ServiceProtectionBudget b = budget(6_000, 1_200_000, 300_000, 52, 0.5);
        assertThat(b.concurrency()).isEqualTo(26);
        b.observeDopHint(5);
        assertThat(b.concurrency()).isEqualTo(2);
        long first = b.acquire();
        b.acquire();
        assertThat(b.delayMillis()).isPositive(); // two in flight
        b.release(first, 10);
        assertThat(b.delayMillis()).isZero();
        b.pause(3_000);
        assertThat(b.delayMillis()).isEqualTo(3_000);
        assertThat(b.throttled()).isEqualTo(1);
    }

    @Test
    void callsInFlightAreChargedAsTheyRunSoTheRefillMeanwhileIsNotLost() throws InterruptedException {
        // 4 ms of server time per ms (Dataverse's 1,200 s per 300 s), 800 ms burst; five 1-second calls at once
        ServiceProtectionBudget b = budget(1_000_000, 40_000, 10_000, 52, 1.0);
        long[] tickets = new long[5];
        for (int i = 0; i < 5; i++) {
            tickets[i] = b.acquire();
        }
        now.addAndGet(1_000);
        for (long t : tickets) {
            b.release(t, 1_000);
        }
        // 800 + 1,000 x (3.92 - 5) = -280 ms: about 70 ms to repay (charged only at the end it was 1,100 ms, because
        // the 3,920 ms refilled during the calls were capped at the 800 ms burst)
        assertThat(b.delayMillis()).isBetween(60L, 80L);
    }

    @Test
    void wavesOfLongCallsUseTheExecutionRateInTheLongRun() throws InterruptedException {
        ServiceProtectionBudget b = budget(1_000_000, 40_000, 10_000, 52, 1.0);
        long end = now.get() + 100_000;
        long used = 0;
        while (now.get() < end) {
            if (b.delayMillis() > 0) {
                now.addAndGet(1);
                continue;
            }
            long[] tickets = new long[5];
            for (int i = 0; i < 5; i++) {
                tickets[i] = b.acquire();
            }
            now.addAndGet(1_000);
            for (long t : tickets) {
                b.release(t, 1_000);
            }
            used += 5_000;
        }
        assertThat(used / 100_000.0).isBetween(3.8, 4.0); // 98 % of 4 ms per ms, never more than the limit
    }
}
