package io.crmconnect.simulator.warehouse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A write transaction: writes are invisible until {@link #commit()}, which makes them visible at one commit time.
 * {@link #startTime()} is what CURRENT_TIMESTAMP() returns inside it — the value an application stamps into an
 * {@code updated_at} column — so a transaction that commits late publishes rows whose timestamps are older than
 * rows other transactions committed meanwhile.
 */
public final class Transaction {
    enum Kind {
        INSERT,
        UPDATE,
        DELETE
    }

    record Op(VersionedTable table, Kind kind, Object[] row, Key key, Map<String, Object> set) {}

    private final Warehouse warehouse;
    private final Instant startTime;
    private final List<Op> ops = new ArrayList<>();
    private boolean done;

    Transaction(Warehouse warehouse, Instant startTime) {
        this.warehouse = warehouse;
        this.startTime = startTime;
    }

    public Instant startTime() {
        return startTime;
    }

    public Transaction insert(String table, Object... row) {
        ops.add(new Op(warehouse.table(table), Kind.INSERT, row, null, null));
        return this;
    }

    /** UPDATE table SET col = value, ... WHERE key = {@code key}. */
    public Transaction update(String table, Key key, Map<String, Object> set) {
        ops.add(new Op(warehouse.table(table), Kind.UPDATE, null, key, new LinkedHashMap<>(set)));
        return this;
    }

    public Transaction update(String table, Object key, String column, Object value) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put(column, value);
        return update(table, new Key(key), set);
    }

    public Transaction delete(String table, Object... key) {
        ops.add(new Op(warehouse.table(table), Kind.DELETE, null, new Key(key), null));
        return this;
    }

    /** Publishes every write at one commit time and returns it. */
    public Instant commit() {
        if (done) {
            throw new IllegalStateException("transaction already ended");
        }
        done = true;
        return warehouse.commit(ops);
    }

    public void rollback() {
        done = true;
        ops.clear();
    }
}
