package io.crmconnect.simulator.dynamics;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * All rows of all tables, their alternate-key indexes, version index and deletion log. One read-write lock guards
 * everything: readers share it, a write (or a whole atomic change set) holds it exclusively, so change sets and
 * bulk messages can be rolled back from an undo log.
 */
final class Store {
    /** A deleted row as change tracking reports it. */
    record Tombstone(long version, String id, long at) {}

    /** One table's rows and indexes. */
    static final class Table {
        final TableDef def;
        final TreeMap<String, Row> rows = new TreeMap<>();
        final TreeMap<Long, Row> byVersion = new TreeMap<>();
        final Map<String, Map<List<Object>, String>> keyIndex = new HashMap<>();
        final ArrayList<Tombstone> tombstones = new ArrayList<>();

        Table(TableDef def) {
            this.def = def;
            for (TableDef.Key k : def.keys) {
                keyIndex.put(k.logicalName(), new HashMap<>());
            }
        }
    }

    final Schema schema;
    final DynamicsClock clock;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Map<String, Table> tables = new LinkedHashMap<>();
    private long version = 1_000_000L;
    /** Non-null inside a transaction (change set, bulk message): how to undo each step, newest first. */
    private Deque<Runnable> undo;

    private final SplittableRandom idRandom;
    /** Org base currency set on rows that have money columns. */
    String baseCurrencyId;

    Store(Schema schema, DynamicsClock clock, long seed) {
        this.schema = schema;
        this.clock = clock;
        this.idRandom = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        for (TableDef t : schema.tables()) {
            tables.put(t.logicalName, new Table(t));
        }
    }

    Table table(TableDef t) {
        return tables.get(t.logicalName);
    }

    Table table(String logical) {
        return tables.get(logical);
    }

    /** Current (highest) version number; also the watermark a delta token carries. */
    long currentVersion() {
        return version;
    }

    synchronized String newId() {
        return new UUID(
                        (idRandom.nextLong() & ~0xF000L) | 0x4000L,
                        (idRandom.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    // ------------------------------------------------------------------ transactions

    void begin() {
        undo = new ArrayDeque<>();
    }

    void commit() {
        undo = null;
    }

    void rollback() {
        Deque<Runnable> u = undo;
        undo = null;
        if (u != null) {
            while (!u.isEmpty()) {
                u.pop().run();
            }
        }
    }

    boolean inTransaction() {
        return undo != null;
    }

    // ------------------------------------------------------------------ reads (caller holds the read lock)

    Row get(TableDef t, String id) {
        return table(t).rows.get(id);
    }

    /** The row whose alternate key has these values (already normalized), or null. */
    Row byKey(TableDef t, TableDef.Key k, List<Object> values) {
        Table tab = table(t);
        String id = tab.keyIndex.get(k.logicalName()).get(values);
        return id == null ? null : tab.rows.get(id);
    }

    /** Primary name of a referenced row (lookup formatted values), or null. */
    String primaryName(Ref r) {
        TableDef t = schema.table(r.table());
        if (t == null || t.primaryName() == null) {
            return null;
        }
        Row row = table(t).rows.get(r.id());
        return row == null ? null : (String) row.get(t.primaryName());
    }

    // ------------------------------------------------------------------ writes (caller holds the write lock)

    /**
     * Inserts a row. {@code values} are already validated; system columns are set here. Throws 412 when the id or
     * an alternate key already exists.
     */
    Row insert(TableDef t, String id, Map<Attr, Object> values, String userId, long now) {
        Table tab = table(t);
        if (id == null) {
            id = newId();
        } else if (tab.rows.containsKey(id)) {
            throw new DataverseException(
                    412, DataverseException.DUPLICATE_RECORD, "A record with matching key values already exists.");
        }
        Object[] v = new Object[t.width()];
        for (Attr a : t.attrs) {
            if (a.defaultValue != null && a.type != AttrType.BOOLEAN) {
                v[a.index] = a.defaultValue;
            } else if (a.defaultValue != null) {
                v[a.index] = a.defaultValue != 0;
            }
        }
        values.forEach((a, x) -> v[a.index] = x);
        v[t.primaryId().index] = id;
        Attr owner = t.byLogical.get("ownerid");
        if (owner != null && v[owner.index] == null) {
            v[owner.index] = new Ref("systemuser", userId);
        }
        Attr currency = t.byLogical.get("transactioncurrencyid");
        if (currency != null && v[currency.index] == null && baseCurrencyId != null) {
            v[currency.index] = new Ref("transactioncurrency", baseCurrencyId);
        }
        fixStatus(t, v, values);
        v[t.byLogical.get("createdon").index] = now;
        v[t.byLogical.get("createdby").index] = new Ref("systemuser", userId);
        Row row = stamp(t, id, v, userId, now);
        checkKeys(tab, null, row);
        put(tab, null, row);
        return row;
    }

    /** Applies changed columns to a row; every update gets a new version, even when no value changes. */
    Row update(TableDef t, Row old, Map<Attr, Object> changes, String userId, long now) {
        Table tab = table(t);
        Object[] v = old.v.clone();
        changes.forEach((a, x) -> v[a.index] = x);
        fixStatus(t, v, changes);
        Row row = stamp(t, old.id, v, userId, now);
        checkKeys(tab, old, row);
        put(tab, old, row);
        return row;
    }

    void delete(TableDef t, Row old, long now) {
        Table tab = table(t);
        remove(tab, old);
        long ver = ++version;
        Tombstone ts = new Tombstone(ver, old.id, now);
        tab.tombstones.add(ts);
        if (undo != null) {
            undo.push(() -> {
                tab.tombstones.remove(ts);
                put(tab, null, old);
            });
        }
        removeLinks(t, old.id, now);
    }

    /** Lookups that pointed at a deleted row are cleared ("Remove Link"), which is an update of those rows. */
    private void removeLinks(TableDef target, String id, long now) {
        for (Table tab : tables.values()) {
            List<Attr> refs = new ArrayList<>();
            for (Attr a : tab.def.attrs) {
                if (a.type.isLookup()
                        && a.navByTarget.containsKey(target.logicalName)
                        && !a.computed
                        && !"ownerid".equals(a.logicalName)) {
                    refs.add(a);
                }
            }
            if (refs.isEmpty()) {
                continue;
            }
            List<Row> hits = new ArrayList<>();
            for (Row r : tab.rows.values()) {
                for (Attr a : refs) {
                    Object x = r.v[a.index];
                    if (x instanceof Ref ref
                            && ref.id().equals(id)
                            && ref.table().equals(target.logicalName)) {
                        hits.add(r);
                        break;
                    }
                }
            }
            for (Row r : hits) {
                Map<Attr, Object> ch = new HashMap<>();
                for (Attr a : refs) {
                    Object x = r.v[a.index];
                    if (x instanceof Ref ref && ref.id().equals(id)) {
                        ch.put(a, null);
                    }
                }
                Ref by = (Ref) r.v[tab.def.byLogical.get("modifiedby").index];
                update(tab.def, r, ch, by == null ? null : by.id(), now);
            }
        }
    }

    private Row stamp(TableDef t, String id, Object[] v, String userId, long now) {
        long ver = ++version;
        v[t.byLogical.get("modifiedon").index] = now;
        v[t.byLogical.get("modifiedby").index] = new Ref("systemuser", userId);
        v[t.byLogical.get("versionnumber").index] = ver;
        Attr full = t.byLogical.get("fullname");
        if (full != null && full.computed && t.byLogical.containsKey("lastname")) {
            String f = (String) v[t.byLogical.get("firstname").index];
            String l = (String) v[t.byLogical.get("lastname").index];
            String name = ((f == null ? "" : f) + " " + (l == null ? "" : l)).trim();
            v[full.index] = name.isEmpty() ? null : name;
        }
        return new Row(id, v, ver);
    }

    /** Setting statecode alone moves statuscode to that state's default status, as SetState does. */
    private static void fixStatus(TableDef t, Object[] v, Map<Attr, Object> changes) {
        Attr state = t.byLogical.get("statecode");
        Attr status = t.byLogical.get("statuscode");
        if (state == null || status == null) {
            return;
        }
        boolean stateSet = changes.containsKey(state);
        boolean statusSet = changes.containsKey(status);
        Integer st = (Integer) v[state.index];
        if (stateSet && !statusSet && st != null) {
            for (Map.Entry<Integer, Integer> e : status.statusState.entrySet()) {
                if (e.getValue().equals(st)) {
                    v[status.index] = e.getKey();
                    break;
                }
            }
        } else if (statusSet && !stateSet && v[status.index] != null) {
            Integer s = status.statusState.get((Integer) v[status.index]);
            if (s != null) {
                v[state.index] = s;
            }
        } else if (statusSet && st != null && v[status.index] != null) {
            Integer s = status.statusState.get((Integer) v[status.index]);
            if (s != null && !s.equals(st)) {
                throw DataverseException.badRequest(
                        "0x80040203",
                        status.logicalName + " " + v[status.index] + " is not a valid status code for state code "
                                + t.logicalName + "State." + st + ".");
            }
        }
    }

    private void checkKeys(Table tab, Row old, Row row) {
        for (TableDef.Key k : tab.def.keys) {
            List<Object> kv = keyValues(tab.def, k, row);
            if (kv == null) {
                continue;
            }
            String owner = tab.keyIndex.get(k.logicalName()).get(kv);
            if (owner != null && !owner.equals(row.id)) {
                throw new DataverseException(
                        412,
                        DataverseException.DUPLICATE_KEY,
                        "A record that has the attribute "
                                + "values " + String.join(", ", display(tab.def, k, row))
                                + " already exists. The entity key "
                                + k.schemaName()
                                + " requires that this set of attributes contains unique values. Select "
                                + "unique values and try again.");
            }
        }
    }

    private static List<String> display(TableDef t, TableDef.Key k, Row row) {
        List<String> out = new ArrayList<>();
        for (String a : k.attributes()) {
            Object x = row.get(t.byLogical.get(a));
            out.add(x instanceof Ref r ? r.id() : String.valueOf(x));
        }
        return out;
    }

    /** Normalized key values of a row, or null when a key column is empty (such rows are not indexed). */
    static List<Object> keyValues(TableDef t, TableDef.Key k, Row row) {
        List<Object> out = new ArrayList<>(k.attributes().size());
        for (String a : k.attributes()) {
            Object x = row.get(t.byLogical.get(a));
            if (x == null) {
                return null;
            }
            out.add(norm(x));
        }
        return out;
    }

    /** Key comparison follows SQL Server's case-insensitive collation for text. */
    static Object norm(Object x) {
        if (x instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (x instanceof Ref r) {
            return r.id();
        }
        if (x instanceof BigDecimal d) {
            return d.stripTrailingZeros();
        }
        if (x instanceof Integer i) {
            return i.longValue();
        }
        return x;
    }

    private void put(Table tab, Row old, Row row) {
        if (old != null) {
            unindex(tab, old);
        }
        tab.rows.put(row.id, row);
        tab.byVersion.put(row.version, row);
        for (TableDef.Key k : tab.def.keys) {
            List<Object> kv = keyValues(tab.def, k, row);
            if (kv != null) {
                tab.keyIndex.get(k.logicalName()).put(kv, row.id);
            }
        }
        if (undo != null) {
            undo.push(() -> {
                unindex(tab, row);
                tab.rows.remove(row.id);
                if (old != null) {
                    put(tab, null, old);
                }
            });
        }
    }

    private void remove(Table tab, Row old) {
        unindex(tab, old);
        tab.rows.remove(old.id);
    }

    private static void unindex(Table tab, Row old) {
        tab.byVersion.remove(old.version);
        for (TableDef.Key k : tab.def.keys) {
            List<Object> kv = keyValues(tab.def, k, old);
            if (kv != null) {
                tab.keyIndex.get(k.logicalName()).remove(kv, old.id);
            }
        }
    }

    /** Live row counts per table. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        tables.forEach((k, v) -> out.put(k, v.rows.size()));
        return out;
    }
}
