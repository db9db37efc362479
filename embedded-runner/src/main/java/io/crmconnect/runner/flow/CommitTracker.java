package io.crmconnect.runner.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides which source records may have their offsets committed: the longest prefix, in arrival order, of records
 * the sink has confirmed written (or that never reach the sink). A source offset means "everything polled before
 * this is done", so one unconfirmed record holds back every record that arrived after it, whatever its topic.
 */
public final class CommitTracker {
    private final ArrayDeque<InFlightRecord> arrivals = new ArrayDeque<>();

    /** Records in arrival order, as the sink thread takes them from the hand-off. */
    public void arrived(List<InFlightRecord> records) {
        arrivals.addAll(records);
    }

    /**
     * @param confirmedNext per virtual topic-partition, the first offset the sink has not confirmed
     * @return the records that became committable, oldest first; they leave the tracker
     */
    public List<InFlightRecord> confirm(Map<TopicPartition, Long> confirmedNext) {
        List<InFlightRecord> done = new ArrayList<>();
        while (!arrivals.isEmpty()) {
            InFlightRecord head = arrivals.peekFirst();
            if (head.delivered()) {
                Long next = confirmedNext.get(head.partition());
                if (next == null || head.offset() >= next) {
                    break;
                }
            }
            done.add(arrivals.pollFirst());
        }
        return done;
    }

    /** Records taken from the hand-off whose offsets are not committable yet. */
    public int pending() {
        return arrivals.size();
    }

    /** Forgets everything (the pipeline is stopping without committing more). */
    public List<InFlightRecord> abandon() {
        List<InFlightRecord> all = new ArrayList<>(arrivals);
        arrivals.clear();
        return all;
    }
}
