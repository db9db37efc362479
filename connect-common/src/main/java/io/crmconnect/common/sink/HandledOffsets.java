package io.crmconnect.common.sink;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a sink task has already handled (written, or sent to the dead-letter topic) in a batch that Connect
 * may hand back after a {@code RetriableException}. Connect redelivers such a batch whole; a task that consults this
 * ledger neither reports a bad record to the DLQ a second time nor repeats a write that already committed.
 *
 * <p>Keys are the record's original topic-partition and offset (before any SMT renamed the topic), the same ones
 * the task commits. Entries below the offsets a task has fully written are dropped with {@link #pruneBelow}, so
 * the ledger holds about one batch per partition: one bit per offset from the oldest kept one. A partition whose
 * kept range would exceed {@link #MAX_SPAN} offsets forgets its oldest entries (those records would at worst be
 * handled again, the at-least-once behaviour without the ledger). Thread-safe.
 */
public final class HandledOffsets {
    /** Largest range of offsets kept per partition (2 MB of bits). */
    public static final int MAX_SPAN = 1 << 24;

    private final Map<TopicPartition, Range> partitions = new HashMap<>();

    /** One partition's handled offsets: bit i stands for offset base + i. */
    private static final class Range {
        long base;
        BitSet bits = new BitSet();
    }

    /** Records that the offset is handled; true when it was not before. */
    public synchronized boolean add(TopicPartition tp, long offset) {
        Range r = partitions.computeIfAbsent(tp, k -> new Range());
        if (r.bits.isEmpty()) {
            r.base = offset;
        } else if (offset < r.base) {
            if (r.base - offset + r.bits.length() > MAX_SPAN) {
                return true; // far below what is kept: not worth widening the window for
            }
            BitSet shifted = new BitSet();
            int by = (int) (r.base - offset);
            for (int i = r.bits.nextSetBit(0); i >= 0; i = r.bits.nextSetBit(i + 1)) {
                shifted.set(i + by);
            }
            r.bits = shifted;
            r.base = offset;
        } else if (offset - r.base >= MAX_SPAN) {
            prune(r, offset - MAX_SPAN + 1);
            if (r.bits.isEmpty()) {
                r.base = offset;
            }
        }
        int bit = (int) (offset - r.base);
        boolean before = r.bits.get(bit);
        r.bits.set(bit);
        return !before;
    }

    /** Whether the offset was handled (and not pruned since). */
    public synchronized boolean contains(TopicPartition tp, long offset) {
        Range r = partitions.get(tp);
        return r != null && offset >= r.base && offset - r.base < MAX_SPAN && r.bits.get((int) (offset - r.base));
    }

    /** Forgets the partition's offsets below {@code next}: the task has written everything before it. */
    public synchronized void pruneBelow(TopicPartition tp, long next) {
        Range r = partitions.get(tp);
        if (r != null) {
            prune(r, next);
            if (r.bits.isEmpty()) {
                partitions.remove(tp);
            }
        }
    }

    /** Forgets partitions this task no longer owns (Connect's {@code close(partitions)}). */
    public synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /** Number of offsets kept, over all partitions. */
    public synchronized int size() {
        int n = 0;
        for (Range r : partitions.values()) {
            n += r.bits.cardinality();
        }
        return n;
    }

    private static void prune(Range r, long next) {
        if (next <= r.base) {
            return;
        }
        long by = next - r.base;
        r.bits = by >= r.bits.length() ? new BitSet() : r.bits.get((int) by, r.bits.length());
        r.base = next;
    }
}
