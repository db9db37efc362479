package io.crmconnect.runner.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's view of the records as if they sat in Kafka: per topic-partition an offset sequence starting at 0,
 * a delivery position, and the records from the last confirmed offset on, so a batch can be delivered again
 * after a RetriableException, a failed preCommit or a rewind the task asks for through its context.
 */
public final class VirtualLog {
    /** One topic-partition's retained records: offsets {@code base .. base + records.size() - 1}. */
    private static final class Partition {
        private final List<InFlightRecord> records = new ArrayList<>();
        private final Set<Long> dropped = new HashSet<>();
        private int head;
        private long base;
        private long position;

        long end() {
            return base + records.size() - head;
        }

        InFlightRecord at(long offset) {
            return records.get(head + (int) (offset - base));
        }

        void trim(long next) {
            while (base < next && head < records.size()) {
                dropped.remove(base);
                head++;
                base++;
            }
            if (head > 1024 && head > records.size() / 2) {
                records.subList(0, head).clear();
                head = 0;
            }
        }
    }

    private final Map<TopicPartition, Partition> partitions = new LinkedHashMap<>();

    /**
     * Gives the record the next offset of its topic-partition.
     *
     * @return true when the partition is new (the sink must be told it was assigned before records arrive)
     */
    public boolean append(InFlightRecord record, TopicPartition tp) {
        Partition p = partitions.get(tp);
        boolean created = p == null;
        if (created) {
            p = new Partition();
            partitions.put(tp, p);
        }
        record.place(tp, p.end());
        p.records.add(record);
        return created;
    }

    /**
     * Up to {@code max} records from the delivery positions of the partitions not paused, in offset order per
     * partition; the positions move past them.
     */
    public List<InFlightRecord> nextBatch(int max, Collection<TopicPartition> paused) {
        List<InFlightRecord> batch = new ArrayList<>();
        for (Map.Entry<TopicPartition, Partition> e : partitions.entrySet()) {
            if (batch.size() >= max) {
                break;
            }
            if (paused.contains(e.getKey())) {
                continue;
            }
            Partition p = e.getValue();
            while (batch.size() < max && p.position < p.end()) {
                batch.add(p.at(p.position));
                p.position++;
            }
        }
        return batch;
    }

    /** The record at this offset was not handed to put() (a sink-side transform dropped it). */
    public void dropped(InFlightRecord record) {
        partitions.get(record.partition()).dropped.add(record.offset());
    }

    /**
     * The sink's confirmed offset, moved past records at the frontier that it never saw (dropped by a transform):
     * nothing before them is outstanding, so they are done too.
     */
    public long settle(TopicPartition tp, long next) {
        Partition p = partitions.get(tp);
        while (p != null && p.dropped.contains(next) && next < p.position) {
            next++;
        }
        return next;
    }

    /** Records below {@code next} are written: they are released. */
    public void trim(TopicPartition tp, long next) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.trim(next);
        }
    }

    /**
     * Moves the delivery position (as a consumer seek would).
     *
     * @throws IllegalArgumentException when the offset is no longer retained (already confirmed) or not yet known
     */
    public void seek(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p == null || offset < p.base || offset > p.end()) {
            throw new IllegalArgumentException("offset " + offset + " of " + tp + " is not retained (retained: "
                    + (p == null ? "none" : p.base + ".." + p.end()) + ")");
        }
        p.position = offset;
    }

    /** Per partition, the offset after the last record delivered (what a consumer's position would be). */
    public Map<TopicPartition, Long> positions() {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach((tp, p) -> out.put(tp, p.position));
        return out;
    }

    /** The retained record at this offset, or null when it is not retained. */
    public InFlightRecord find(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p == null || offset < p.base || offset >= p.end()) {
            return null;
        }
        return p.at(offset);
    }

    public Set<TopicPartition> partitions() {
        return partitions.keySet();
    }

    /** Records appended but not yet delivered. */
    public long undelivered() {
        long n = 0;
        for (Partition p : partitions.values()) {
            n += p.end() - p.position;
        }
        return n;
    }
}
