package io.crmconnect.runner.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HandoffTest {
    private final Records.Committer committer = new Records.Committer();

    private List<InFlightRecord> batch(int from, int n) {
        return IntStream.range(from, from + n)
                .mapToObj(i -> Records.inFlight("contacts", i, committer))
                .toList();
    }

    @Test
    void aFullBufferHoldsTheSourceUntilRecordsAreCommitted() throws Exception {
        Handoff handoff = new Handoff(4);
        assertThat(handoff.put(batch(0, 3))).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            try {
                return handoff.put(batch(3, 3));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(second).isNotDone();
        assertThat(handoff.take(10, 0)).hasSize(3);
        assertThat(second).isNotDone(); // taken is not committed
        handoff.release(3);
        assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(handoff.uncommitted()).isEqualTo(3);
    }

    @Test
    void aBatchLargerThanTheBufferPassesWhenNothingElseIsPending() throws Exception {
        Handoff handoff = new Handoff(2);
        assertThat(handoff.put(batch(0, 5))).isTrue();
        assertThat(handoff.take(3, 0)).hasSize(3);
        assertThat(handoff.take(3, 0)).hasSize(2);
    }

    @Test
    void closingReleasesWaitingSourcesWithoutTakingTheirRecords() throws Exception {
        Handoff handoff = new Handoff(1);
        handoff.put(batch(0, 1));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return handoff.put(batch(1, 1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        handoff.close();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(handoff.queued()).isEqualTo(1);
        assertThat(handoff.put(batch(2, 1))).isFalse();
    }
}
