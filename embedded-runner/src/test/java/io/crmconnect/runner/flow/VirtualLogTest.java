package io.crmconnect.runner.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class VirtualLogTest {
    private final Records.Committer committer = new Records.Committer();
    private final TopicPartition contacts = new TopicPartition("contacts", 0);
    private final TopicPartition deals = new TopicPartition("deals", 0);

    @Test
    void offsetsStartAtZeroPerPartitionAndBatchesFollowThem() {
        VirtualLog log = new VirtualLog();
        assertThat(log.append(Records.inFlight("contacts", 1, committer), contacts))
                .isTrue();
        assertThat(log.append(Records.inFlight("contacts", 2, committer), contacts))
                .isFalse();
        assertThat(log.append(Records.inFlight("deals", 1, committer), deals)).isTrue();

        List<InFlightRecord> batch = log.nextBatch(10, Set.of());
        assertThat(batch).extracting(InFlightRecord::offset).containsExactly(0L, 1L, 0L);
        assertThat(log.positions()).containsEntry(contacts, 2L).containsEntry(deals, 1L);
        assertThat(log.nextBatch(10, Set.of())).isEmpty();
    }

    @Test
    void pausedPartitionsWaitAndMaxBoundsTheBatch() {
        VirtualLog log = new VirtualLog();
        for (int i = 0; i < 5; i++) {
            log.append(Records.inFlight("contacts", i, committer), contacts);
            log.append(Records.inFlight("deals", i, committer), deals);
        }
        assertThat(log.nextBatch(3, Set.of(contacts)))
                .extracting(r -> r.partition().topic())
                .containsExactly("deals", "deals", "deals");
        assertThat(log.nextBatch(100, Set.of())).hasSize(7);
    }

    @Test
    void seekRedeliversRetainedRecordsButNotConfirmedOnes() {
        VirtualLog log = new VirtualLog();
        for (int i = 0; i < 4; i++) {
            log.append(Records.inFlight("contacts", i, committer), contacts);
        }
        log.nextBatch(10, Set.of());
        log.trim(contacts, 2);
        log.seek(contacts, 2);
        assertThat(log.nextBatch(10, Set.of()))
                .extracting(InFlightRecord::offset)
                .containsExactly(2L, 3L);
        assertThat(log.find(contacts, 1)).isNull();
        assertThat(Records.n(log.find(contacts, 3))).isEqualTo(3);
        assertThatThrownBy(() -> log.seek(contacts, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retained: 2..4");
    }

    @Test
    void recordsDroppedBySinkTransformsAtTheFrontierSettle() {
        VirtualLog log = new VirtualLog();
        for (int i = 0; i < 3; i++) {
            log.append(Records.inFlight("contacts", i, committer), contacts);
        }
        List<InFlightRecord> batch = log.nextBatch(10, Set.of());
        log.dropped(batch.get(1));
        log.dropped(batch.get(2));
        // the task confirmed offset 0 only (it never saw 1 and 2): nothing is outstanding before them
        assertThat(log.settle(contacts, 1)).isEqualTo(3);
        assertThat(log.settle(contacts, 0)).isZero();
    }
}
