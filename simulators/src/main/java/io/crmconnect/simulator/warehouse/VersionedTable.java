package io.crmconnect.simulator.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A table whose every committed version stays readable for its retention period: time travel ({@link #snapshot}),
 * net-delta change sets between two versions ({@link #changes}, Snowflake's CHANGES clause) and per-commit change
 * events ({@link #changeEvents}, BigQuery's CHANGES / APPENDS). Rows have a hidden row id, so an update of the key
 * itself is still one row changing. All methods are thread-safe.
 */
public final class VersionedTable {
    private record Version(Instant commitTime, Object[] values, String op) {}

    private record Commit(Instant time, long[] rowIds) {}

    private final String name;
    private final List<Column> columns;
    private final int[] keyIdx;
    private final Instant created;
    private Duration retention;
    private Instant changeTrackingSince;
    private final Map<Long, List<Version>> chains = new HashMap<>();
    private final TreeMap<Key, Long> live = new TreeMap<>();
    private final List<Commit> log = new ArrayList<>();
    private long nextRowId = 1;
    private int cachedVersion = -1;
    private List<Object[]> cachedSnapshot;

    VersionedTable(
            String name,
            List<Column> columns,
            List<String> keyColumns,
            Duration retention,
            Instant created,
            boolean changeTracking) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.keyIdx = new int[keyColumns.size()];
        for (int i = 0; i < keyIdx.length; i++) {
            keyIdx[i] = indexOf(keyColumns.get(i));
            if (keyIdx[i] < 0) {
                throw new IllegalArgumentException("key column " + keyColumns.get(i) + " is not a column of " + name);
            }
        }
        this.retention = retention;
        this.created = created;
        this.changeTrackingSince = changeTracking ? created : null;
    }

    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> keyColumns() {
        List<String> out = new ArrayList<>();
        for (int i : keyIdx) {
            out.add(columns.get(i).name());
        }
        return out;
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    public Instant created() {
        return created;
    }

    public synchronized Duration retention() {
        return retention;
    }

    public synchronized void retention(Duration d) {
        retention = d;
    }

    public synchronized boolean changeTracking() {
        return changeTrackingSince != null;
    }

    /** ALTER TABLE ... SET CHANGE_TRACKING: changes are readable from {@code at} on (off forgets the history). */
    synchronized void changeTracking(boolean on, Instant at) {
        if (on && changeTrackingSince == null) {
            changeTrackingSince = at;
        } else if (!on) {
            changeTrackingSince = null;
        }
    }

    public synchronized int liveRows() {
        return live.size();
    }

    /** Applies one transaction's writes at its commit time; returns false (and changes nothing) on a key conflict. */
    synchronized void apply(Instant commitTime, List<Transaction.Op> ops) {
        Map<Long, Version> touched = new LinkedHashMap<>();
        for (Transaction.Op op : ops) {
            switch (op.kind()) {
                case INSERT -> {
                    Object[] row = op.row().clone();
                    if (row.length != columns.size()) {
                        throw new IllegalArgumentException(
                                name + ": row has " + row.length + " values, table has " + columns.size() + " columns");
                    }
                    Key k = Key.of(row, keyIdx);
                    if (live.containsKey(k)) {
                        throw new IllegalStateException(name + ": duplicate key " + k);
                    }
                    long id = nextRowId++;
                    live.put(k, id);
                    chains.put(id, new ArrayList<>());
                    touched.put(id, new Version(commitTime, row, "INSERT"));
                }
                case UPDATE -> {
                    Long id = live.get(op.key());
                    if (id == null) {
                        continue; // UPDATE ... WHERE key = x matching nothing
                    }
                    Version before = touched.containsKey(id) ? touched.get(id) : last(id);
                    Object[] row = before.values().clone();
                    for (Map.Entry<String, Object> e : op.set().entrySet()) {
                        int i = indexOf(e.getKey());
                        if (i < 0) {
                            throw new IllegalArgumentException(name + ": no column " + e.getKey());
                        }
                        row[i] = e.getValue();
                    }
                    Key nk = Key.of(row, keyIdx);
                    if (!nk.equals(op.key())) {
                        if (live.containsKey(nk)) {
                            throw new IllegalStateException(name + ": duplicate key " + nk);
                        }
                        live.remove(op.key());
                        live.put(nk, id);
                    }
                    touched.put(
                            id,
                            new Version(
                                    commitTime,
                                    row,
                                    touched.containsKey(id) && "INSERT".equals(before.op()) ? "INSERT" : "UPDATE"));
                }
                case DELETE -> {
                    Long id = live.remove(op.key());
                    if (id == null) {
                        continue;
                    }
                    Version before = touched.containsKey(id) ? touched.get(id) : last(id);
                    touched.put(id, new Version(commitTime, null, "DELETE"));
                    if ("INSERT".equals(before.op())
                            && touched.containsKey(id)
                            && chains.get(id).isEmpty()) {
                        touched.remove(id); // inserted and deleted in one transaction: never visible
                        chains.remove(id);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        long[] ids = new long[touched.size()];
        int n = 0;
        for (Map.Entry<Long, Version> e : touched.entrySet()) {
            Version v = e.getValue();
            List<Version> chain = chains.get(e.getKey());
            // a DELETE remembers the values it removed, so change events can report them
            chain.add(v.values() == null ? new Version(commitTime, null, "DELETE") : v);
            ids[n++] = e.getKey();
        }
        if (n > 0) {
            log.add(new Commit(commitTime, ids));
        }
    }

    private Version last(long id) {
        List<Version> c = chains.get(id);
        return c.get(c.size() - 1);
    }

    private static Version at(List<Version> chain, Instant t) {
        Version found = null;
        for (Version v : chain) {
            if (v.commitTime().isAfter(t)) {
                break;
            }
            found = v;
        }
        return found;
    }

    private static Object[] valuesAt(List<Version> chain, Instant t) {
        Version v = at(chain, t);
        return v == null ? null : v.values();
    }

    /** Number of commits at or before {@code t}: names the table version a point in time sees. */
    private int versionAt(Instant t) {
        int lo = 0;
        int hi = log.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (log.get(mid).time().isAfter(t)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Throws unless {@code t} is inside the time-travel window [max(created, now - retention), now]. */
    public synchronized void checkTimeTravel(Instant t, Instant now) {
        if (t.isAfter(now)) {
            throw new WarehouseException(
                    WarehouseException.Kind.INVALID_INTERVAL,
                    "The requested time " + t + " for table " + name + " is in the future.");
        }
        if (t.isBefore(created) || t.isBefore(now.minus(retention))) {
            throw new WarehouseException(
                    WarehouseException.Kind.TIME_TRAVEL_UNAVAILABLE,
                    "Time travel data is not available for table " + name + ". The requested time is either beyond "
                            + "the allowed time travel period or before the object creation time.");
        }
    }

    /** The rows visible at {@code asOf} (commits at or before it), ordered by key. Do not modify the arrays. */
    public synchronized List<Object[]> snapshot(Instant asOf) {
        int version = versionAt(asOf);
        if (version == cachedVersion) {
            return cachedSnapshot;
        }
        List<Object[]> out = new ArrayList<>(live.size());
        if (version == log.size()) {
            for (Long id : live.values()) {
                out.add(last(id).values());
            }
        } else {
            TreeMap<Key, Object[]> sorted = new TreeMap<>();
            for (List<Version> chain : chains.values()) {
                Object[] v = valuesAt(chain, asOf);
                if (v != null) {
                    sorted.put(Key.of(v, keyIdx), v);
                }
            }
            out.addAll(sorted.values());
        }
        cachedVersion = version;
        cachedSnapshot = out;
        return out;
    }

    /** Rows visible at {@code asOf} that match {@code where}, in key order, at most {@code limit}. */
    public synchronized List<Object[]> scan(Instant asOf, Predicate<Object[]> where, int limit) {
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : snapshot(asOf)) {
            if (where.test(r)) {
                out.add(r);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The net change set between the table at {@code from} and at {@code to} (commits in (from, to]): a row that
     * appeared is an INSERT, one that disappeared a DELETE, one that changed a DELETE + INSERT pair with isUpdate;
     * inserted-then-deleted rows do not appear. {@code appendOnly} (APPEND_ONLY): only rows that did not exist at
     * {@code from} and do at {@code to}, with their values at {@code to}. Ordered by key, DELETE first.
     */
    public synchronized List<RowChange> changes(Instant from, Instant to, boolean appendOnly) {
        if (changeTrackingSince == null || from.isBefore(changeTrackingSince)) {
            throw new WarehouseException(
                    WarehouseException.Kind.CHANGE_TRACKING_OFF,
                    "Change tracking is not " + "enabled or has been missing for the time range requested on table '"
                            + name + "'.");
        }
        if (to.isBefore(from)) {
            throw new WarehouseException(WarehouseException.Kind.INVALID_INTERVAL, "END is before AT for " + name);
        }
        TreeMap<Key, List<RowChange>> byKey = new TreeMap<>();
        for (long id : touchedBetween(from, to)) {
            List<Version> chain = chains.get(id);
            Object[] a = valuesAt(chain, from);
            Object[] b = valuesAt(chain, to);
            if (a == null && b != null) {
                add(byKey, b, new RowChange(b, "INSERT", false));
            } else if (a != null && b == null && !appendOnly) {
                add(byKey, a, new RowChange(a, "DELETE", false));
            } else if (a != null && !appendOnly) {
                add(byKey, a, new RowChange(a, "DELETE", true));
                add(byKey, b, new RowChange(b, "INSERT", true));
            }
        }
        List<RowChange> out = new ArrayList<>();
        for (List<RowChange> l : byKey.values()) {
            l.sort((x, y) -> x.action().compareTo(y.action())); // DELETE before INSERT
            out.addAll(l);
        }
        return out;
    }

    private void add(TreeMap<Key, List<RowChange>> byKey, Object[] row, RowChange c) {
        byKey.computeIfAbsent(Key.of(row, keyIdx), k -> new ArrayList<>()).add(c);
    }

    private List<Long> touchedBetween(Instant from, Instant to) {
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        for (int i = versionAt(from); i < log.size() && !log.get(i).time().isAfter(to); i++) {
            for (long id : log.get(i).rowIds()) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * Every change committed in [{@code from}, {@code to}) in commit order, as BigQuery's CHANGES (or, with
     * {@code appendsOnly}, APPENDS: inserted rows with their values as inserted) reports them.
     */
    public synchronized List<ChangeEvent> changeEvents(Instant from, Instant to, boolean appendsOnly) {
        if (!appendsOnly && (changeTrackingSince == null || from.isBefore(changeTrackingSince))) {
            throw new WarehouseException(
                    WarehouseException.Kind.CHANGE_TRACKING_OFF,
                    "Table " + name + " does not have change history enabled for the requested time range");
        }
        List<ChangeEvent> out = new ArrayList<>();
        for (int i = versionAt(from.minusNanos(1));
                i < log.size() && log.get(i).time().isBefore(to);
                i++) {
            Commit c = log.get(i);
            for (long id : c.rowIds()) {
                List<Version> chain = chains.get(id);
                int at = -1;
                for (int j = 0; j < chain.size(); j++) {
                    if (chain.get(j).commitTime().equals(c.time())) {
                        at = j;
                    }
                }
                Version v = chain.get(at);
                if (appendsOnly && !"INSERT".equals(v.op())) {
                    continue;
                }
                Object[] row =
                        v.values() != null ? v.values() : chain.get(at - 1).values();
                out.add(new ChangeEvent(row, v.op(), c.time()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(keyIdx);
    }
}
