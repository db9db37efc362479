package io.crmconnect.simulator.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A commit-versioned warehouse model behind the Snowflake and BigQuery fakes: tables with time travel, change
 * tracking and retention, transactions that commit atomically at strictly increasing commit times, and a clock
 * tests can move. It models what change capture depends on (visibility by commit, net deltas, retention), not a
 * SQL engine.
 */
public final class Warehouse {
    private final ModelClock clock = new ModelClock();
    private final Map<String, VersionedTable> tables = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public ModelClock clock() {
        return clock;
    }

    /** Creates a table (key columns = its business key; retention = time-travel period). */
    public synchronized VersionedTable createTable(
            String name, List<Column> columns, List<String> keyColumns, Duration retention, boolean changeTracking) {
        if (tables.containsKey(name)) {
            throw new IllegalArgumentException("table " + name + " exists");
        }
        VersionedTable t =
                new VersionedTable(name, columns, keyColumns, retention, clock.nextCommitTime(), changeTracking);
        tables.put(name, t);
        return t;
    }

    public synchronized VersionedTable table(String name) {
        VersionedTable t = tables.get(name);
        if (t == null) {
            throw new WarehouseException(
                    WarehouseException.Kind.NO_SUCH_TABLE, "Object '" + name + "' does not exist or not authorized.");
        }
        return t;
    }

    public synchronized boolean hasTable(String name) {
        return tables.containsKey(name);
    }

    public synchronized List<VersionedTable> tables() {
        return new ArrayList<>(tables.values());
    }

    /** ALTER TABLE ... SET CHANGE_TRACKING = TRUE|FALSE, effective from now. */
    public void changeTracking(String table, boolean on) {
        table(table).changeTracking(on, clock.nextCommitTime());
    }

    public Transaction begin() {
        return new Transaction(this, clock.now());
    }

    /** Auto-commit convenience: one transaction with one insert per row. */
    public Instant insert(String table, Object[]... rows) {
        Transaction tx = begin();
        for (Object[] r : rows) {
            tx.insert(table, r);
        }
        return tx.commit();
    }

    synchronized Instant commit(List<Transaction.Op> ops) {
        Instant t = clock.nextCommitTime();
        Map<VersionedTable, List<Transaction.Op>> byTable = new LinkedHashMap<>();
        for (Transaction.Op op : ops) {
            byTable.computeIfAbsent(op.table(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<VersionedTable, List<Transaction.Op>> e : byTable.entrySet()) {
            e.getKey().apply(t, e.getValue());
        }
        return t;
    }
}
