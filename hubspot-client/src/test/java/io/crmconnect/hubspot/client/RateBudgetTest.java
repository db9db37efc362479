package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pacing arithmetic of {@link RateBudget} on a clock the test moves (calls are made only when allowed). */
class RateBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateBudget budget(int burst, double taskShare) {
        return new RateBudget(burst, 1_000_000, 1.0, taskShare, now::get);
    }

    private void call(RateBudget b, long answerAfterMillis, int remaining) throws InterruptedException {
        assertThat(b.delayMillis()).isZero();
        b.acquire();
        now.addAndGet(answerAfterMillis);
        b.observe(remaining, 10_000);
    }

    @Test
    void aCallCountsUntilTenSecondsAfterItsAnswerNotItsStart() throws InterruptedException {
        RateBudget b = budget(11, 1.0); // 10 per window after the one-request margin
        long start = now.get();
        for (int i = 0; i < 10; i++) {
            while (b.delayMillis() > 0) {
                now.addAndGet(10); // paced: about one call per second
            }
            call(b, i == 0 ? 2_000 : 10, 100);
        }
        long firstAnswer = start + 2_000;
        now.set(start + 11_500); // counted from its start, the first call would have left the window
        assertThat(b.delayMillis())
                .as("still counted: its answer came 2 s after it began")
                .isPositive();
        now.set(firstAnswer + 10_000 + 100);
        assertThat(b.delayMillis()).isZero();
    }

    @Test
    void callsAreSpreadOverTheWindowNotSpentAtOnce() throws InterruptedException {
        RateBudget b = budget(190, 1.0); // 189 per window, a bucket of 4
        int atOnce = 0;
        while (b.delayMillis() == 0) {
            call(b, 0, 180);
            atOnce++;
        }
        assertThat(atOnce).isEqualTo(4);
        assertThat(b.delayMillis()).isBetween(40L, 60L); // 10 s / 189
    }

    @Test
    void whatTheServerSaysIsLeftIsSharedByTheTasks() throws InterruptedException {
        RateBudget solo = budget(100, 1.0);
        long first = now.get();
        call(solo, 1_000, 1);
        assertThat(solo.delayMillis()).as("one left, nothing of ours uncounted").isZero();
        call(solo, 1_000, 0);
        assertThat(solo.delayMillis())
                .as("nothing left: wait for the server's window")
                .isPositive();
        now.set(first + 1_000 + 10_100);
        assertThat(solo.delayMillis())
                .as("our first call left the server's window: room for one")
                .isZero();

        RateBudget half = budget(100, 0.5);
        call(half, 1_000, 3);
        assertThat(half.delayMillis()).as("our half of 3 is 1").isZero();
        call(half, 1_000, 1);
        assertThat(half.delayMillis()).as("our half of 1 is 0").isPositive();
        now.addAndGet(10_001);
        assertThat(half.delayMillis()).as("the answer is a window old").isZero();
    }

    @Test
    void anIsolated429HoldsOtherCallsBrieflyAndRefusalsInARowHoldThemForTheServersDelay() {
        RateBudget b = budget(1_000, 1.0);
        b.pause(10_000); // an isolated refusal with Retry-After 10 s
        assertThat(b.delayMillis())
                .as("others held 1 s, not the refused call's 10 s")
                .isEqualTo(1_000);
        now.addAndGet(1_000);
        assertThat(b.delayMillis()).isZero();
        b.accepted();
        b.pause(10_000); // isolated again: an accepted call came in between
        assertThat(b.delayMillis()).isEqualTo(1_000);
        // a window that is really full refuses every call: 1, 2, 4, 8, then the server's 10 s
        long[] holds = {2_000, 4_000, 8_000, 10_000, 10_000};
        for (long hold : holds) {
            now.addAndGet(b.delayMillis());
            b.pause(10_000);
            assertThat(b.delayMillis()).isEqualTo(hold);
        }
        assertThat(b.throttled()).isEqualTo(7);
    }
}
