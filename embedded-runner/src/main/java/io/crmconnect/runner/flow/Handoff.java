package io.crmconnect.runner.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory stand-in for the Kafka topic between the source tasks' threads and the sink thread. Bounded by the
 * number of records not yet committed (queued, delivered or waiting for the sink's preCommit): a source thread
 * waits while the bound is reached, which is how a slow sink slows the source down.
 */
public final class Handoff {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition space = lock.newCondition();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<InFlightRecord> queue = new ArrayDeque<>();
    private final int capacity;
    private int uncommitted;
    private boolean closed;

    public Handoff(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Queues a source batch, waiting while the bound is reached (a batch larger than the bound passes once nothing
     * else is pending, so it cannot wait forever).
     *
     * @return false when the hand-off was closed: the batch was not taken and its offsets will not be committed
     */
    public boolean put(List<InFlightRecord> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return true;
        }
        lock.lockInterruptibly();
        try {
            while (!closed && uncommitted > 0 && uncommitted + batch.size() > capacity) {
                space.await();
            }
            if (closed) {
                return false;
            }
            queue.addAll(batch);
            uncommitted += batch.size();
            arrived.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} queued records, waiting up to {@code timeoutMs} for the first. */
    public List<InFlightRecord> take(int max, long timeoutMs) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs));
            while (queue.isEmpty() && nanos > 0 && !closed) {
                nanos = arrived.awaitNanos(nanos);
            }
            List<InFlightRecord> out = new ArrayList<>(Math.min(max, queue.size()));
            while (out.size() < max && !queue.isEmpty()) {
                out.add(queue.pollFirst());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Records whose source offsets were committed (or that were abandoned) free their place. */
    public void release(int records) {
        if (records <= 0) {
            return;
        }
        lock.lock();
        try {
            uncommitted = Math.max(0, uncommitted - records);
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking batches; waiting source threads return at once. Queued records stay for take(). */
    public void close() {
        lock.lock();
        try {
            closed = true;
            space.signalAll();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Records taken in but not yet committed, queued ones included. */
    public int uncommitted() {
        lock.lock();
        try {
            return uncommitted;
        } finally {
            lock.unlock();
        }
    }

    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
