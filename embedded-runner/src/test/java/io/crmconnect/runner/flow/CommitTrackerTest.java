package io.crmconnect.runner.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitTrackerTest {
    private final Records.Committer committer = new Records.Committer();
    private final TopicPartition contacts = new TopicPartition("contacts", 0);
    private final TopicPartition deals = new TopicPartition("deals", 0);

    @Test
    void onlyAPrefixInArrivalOrderBecomesCommittable() {
        VirtualLog log = new VirtualLog();
        CommitTracker tracker = new CommitTracker();
        List<InFlightRecord> arrivals = List.of(
                Records.inFlight("contacts", 1, committer),
                Records.inFlight("deals", 2, committer),
                Records.inFlight("contacts", 3, committer),
                Records.dropped("contacts", 4, committer),
                Records.inFlight("deals", 5, committer));
        for (InFlightRecord r : arrivals) {
            if (r.transformed() != null) {
                log.append(r, new TopicPartition(r.transformed().topic(), 0));
            }
        }
        tracker.arrived(arrivals);
        log.nextBatch(10, Set.of());

        // contacts written up to offset 1 (both contacts), deals not yet: the deal polled second holds back the rest
        assertThat(tracker.confirm(Map.of(contacts, 2L))).extracting(Records::n).containsExactly(1);
        // deals' first written: the second contact and the dropped record follow, the last deal waits
        assertThat(tracker.confirm(Map.of(contacts, 2L, deals, 1L)))
                .extracting(Records::n)
                .containsExactly(2, 3, 4);
        assertThat(tracker.pending()).isEqualTo(1);
        assertThat(tracker.confirm(Map.of(contacts, 2L, deals, 2L))).hasSize(1);
        assertThat(tracker.pending()).isZero();
    }

    @Test
    void aPartitionTheSinkNeverConfirmedHoldsEverythingAfterIt() {
        CommitTracker tracker = new CommitTracker();
        VirtualLog log = new VirtualLog();
        InFlightRecord first = Records.inFlight("deals", 1, committer);
        InFlightRecord second = Records.inFlight("contacts", 2, committer);
        log.append(first, deals);
        log.append(second, contacts);
        tracker.arrived(List.of(first, second));
        assertThat(tracker.confirm(Map.of(contacts, 1L))).isEmpty();
    }
}
