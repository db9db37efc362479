package io.crmconnect.simulator.snowflake;

import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Key;
import io.crmconnect.simulator.warehouse.RowChange;
import io.crmconnect.simulator.warehouse.VersionedTable;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.simulator.warehouse.WarehouseException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs a parsed statement against the warehouse model and returns typed columns and Java values. */
final class QueryExecutor {
    /** A result: columns (model columns with Snowflake type names) and rows. */
    record Result(List<Column> columns, List<Object[]> rows) {}

    private static final DateTimeFormatter SPACE_TS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private final Warehouse wh;

    QueryExecutor(Warehouse wh) {
        this.wh = wh;
    }

    Result run(Sql.Select s, Map<Integer, String> binds) {
        Instant now = wh.clock().now();
        if (s.alterSession) {
            return new Result(
                    List.of(Column.of("status", "TEXT")),
                    List.<Object[]>of(new Object[] {"Statement executed successfully."}));
        }
        if (s.showTablesLike != null) {
            return showTables(s.showTablesLike);
        }
        if (s.table == null) {
            return new Result(
                    List.of(Column.of("CURRENT_TIMESTAMP()", "TIMESTAMP_LTZ")), List.<Object[]>of(new Object[] {now}));
        }
        VersionedTable t = table(s.table);
        List<Column> cols = new ArrayList<>(t.columns());
        List<Object[]> rows;
        if (s.changesInfo != null) {
            if (s.at == null) {
                throw Sql.syntax("SQL compilation error: CHANGES needs AT or BEFORE");
            }
            Instant at = instant(s.at, binds, now);
            Instant end = s.end == null ? now : instant(s.end, binds, now);
            t.checkTimeTravel(at, now);
            t.checkTimeTravel(end, now);
            boolean appendOnly = s.changesInfo.equalsIgnoreCase("APPEND_ONLY");
            cols.add(Column.of("METADATA$ACTION", "TEXT"));
            cols.add(Column.of("METADATA$ISUPDATE", "BOOLEAN"));
            cols.add(Column.of("METADATA$ROW_ID", "TEXT"));
            rows = new ArrayList<>();
            int[] keyIdx = keyIdx(t);
            for (RowChange c : t.changes(at, end, appendOnly)) {
                Object[] r = Arrays.copyOf(c.row(), c.row().length + 3);
                r[r.length - 3] = c.action();
                r[r.length - 2] = c.isUpdate();
                r[r.length - 1] = Key.ofRow(c.row(), keyIdx).toString();
                rows.add(r);
            }
        } else if (s.at != null) {
            Instant at = instant(s.at, binds, now);
            t.checkTimeTravel(at, now);
            rows = t.snapshot(at);
        } else {
            rows = t.snapshot(now);
        }
        List<Object[]> out = new ArrayList<>();
        boolean ordered = !s.orderBy.isEmpty() && !isKeyOrder(t, s.orderBy);
        int limit = ordered ? Integer.MAX_VALUE : s.limit;
        for (Object[] r : rows) {
            if (s.where == null || eval(s.where, r, cols, binds, now)) {
                out.add(r);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        if (ordered) {
            Comparator<Object[]> cmp = null;
            for (String o : s.orderBy) {
                int i = index(cols, o);
                Comparator<Object[]> c = (a, b) -> compare(a[i], b[i]);
                cmp = cmp == null ? c : cmp.thenComparing(c);
            }
            out.sort(cmp);
            if (out.size() > s.limit) {
                out = new ArrayList<>(out.subList(0, s.limit));
            }
        }
        if (s.columns.isEmpty()) {
            return new Result(cols, out);
        }
        int[] proj = new int[s.columns.size()];
        List<Column> pc = new ArrayList<>();
        for (int i = 0; i < proj.length; i++) {
            proj[i] = index(cols, s.columns.get(i));
            pc.add(cols.get(proj[i]));
        }
        List<Object[]> projected = new ArrayList<>(out.size());
        for (Object[] r : out) {
            Object[] x = new Object[proj.length];
            for (int i = 0; i < proj.length; i++) {
                x[i] = r[proj[i]];
            }
            projected.add(x);
        }
        return new Result(pc, projected);
    }

    /** Rows come from the model in key order: ORDER BY the key columns (then metadata, DELETE first) is free. */
    private static boolean isKeyOrder(VersionedTable t, List<String> orderBy) {
        List<String> keys = t.keyColumns();
        List<String> rest = orderBy.subList(Math.min(keys.size(), orderBy.size()), orderBy.size());
        for (int i = 0; i < Math.min(keys.size(), orderBy.size()); i++) {
            if (!keys.get(i).equalsIgnoreCase(orderBy.get(i))) {
                return false;
            }
        }
        return orderBy.size() >= keys.size()
                && (rest.isEmpty() || (rest.size() == 1 && rest.get(0).equalsIgnoreCase("METADATA$ACTION")));
    }

    private static int[] keyIdx(VersionedTable t) {
        List<String> keys = t.keyColumns();
        int[] k = new int[keys.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = t.indexOf(keys.get(i));
        }
        return k;
    }

    private Result showTables(String like) {
        List<Object[]> rows = new ArrayList<>();
        for (VersionedTable t : wh.tables()) {
            String simple = t.name().substring(t.name().lastIndexOf('.') + 1);
            if (simple.equalsIgnoreCase(like) || t.name().equalsIgnoreCase(like)) {
                rows.add(new Object[] {
                    t.created(),
                    simple,
                    t.changeTracking() ? "ON" : "OFF",
                    BigDecimal.valueOf(t.retention().toDays())
                });
            }
        }
        return new Result(
                List.of(
                        Column.of("created_on", "TIMESTAMP_LTZ"),
                        Column.of("name", "TEXT"),
                        Column.of("change_tracking", "TEXT"),
                        Column.number("retention_time", 38, 0)),
                rows);
    }

    VersionedTable table(String name) {
        if (wh.hasTable(name)) {
            return wh.table(name);
        }
        String simple = name.substring(name.lastIndexOf('.') + 1);
        if (wh.hasTable(simple)) {
            return wh.table(simple);
        }
        throw new WarehouseException(
                WarehouseException.Kind.NO_SUCH_TABLE,
                "SQL compilation error:\nObject '" + name + "' does not exist or not authorized.");
    }

    private static int index(List<Column> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw Sql.syntax("SQL compilation error: error line 1 at position 7\ninvalid identifier '" + name + "'");
    }

    private Instant instant(Sql.Value v, Map<Integer, String> binds, Instant now) {
        Object o = value(v, binds, now);
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return parseInstant(String.valueOf(o));
    }

    private static Object value(Sql.Value v, Map<Integer, String> binds, Instant now) {
        if (v.currentTimestamp()) {
            return now;
        }
        String text = v.bindIndex() > 0 ? binds.get(v.bindIndex()) : v.literal();
        if (v.bindIndex() > 0 && !binds.containsKey(v.bindIndex())) {
            throw Sql.syntax("SQL compilation error: Bind variable ? not set.");
        }
        if (text == null || v.cast() == null) {
            return text;
        }
        return cast(text, v.cast());
    }

    private static Object cast(String text, String type) {
        switch (type.toUpperCase(Locale.ROOT)) {
            case "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP":
                return parseInstant(text);
            case "TIMESTAMP_NTZ":
                return text.endsWith("Z")
                        ? LocalDateTime.ofInstant(Instant.parse(text), ZoneOffset.UTC)
                        : text.contains("T") ? LocalDateTime.parse(text) : LocalDateTime.parse(text, SPACE_TS);
            case "NUMBER", "INT", "INTEGER", "DECIMAL", "NUMERIC":
                return new BigDecimal(text);
            case "DATE":
                return LocalDate.parse(text);
            default:
                return text;
        }
    }

    /** ISO-8601 with Z or offset, or 'yyyy-MM-dd HH:mm:ss[.f]' in the session's time zone (UTC). */
    static Instant parseInstant(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException e) {
            try {
                return LocalDateTime.parse(s, SPACE_TS).toInstant(ZoneOffset.UTC);
            } catch (RuntimeException e2) {
                throw new WarehouseException(WarehouseException.Kind.SYNTAX, "Timestamp '" + s + "' is not recognized");
            }
        }
    }

    private boolean eval(Sql.Expr e, Object[] row, List<Column> cols, Map<Integer, String> binds, Instant now) {
        if (e instanceof Sql.And a) {
            return eval(a.a(), row, cols, binds, now) && eval(a.b(), row, cols, binds, now);
        }
        if (e instanceof Sql.Or o) {
            return eval(o.a(), row, cols, binds, now) || eval(o.b(), row, cols, binds, now);
        }
        if (e instanceof Sql.Not n) {
            return !eval(n.a(), row, cols, binds, now);
        }
        if (e instanceof Sql.IsNull n) {
            return (row[index(cols, n.column())] == null) != n.negated();
        }
        Sql.Cmp c = (Sql.Cmp) e;
        Object l = operand(c.left(), row, cols, binds, now);
        Object r = operand(c.right(), row, cols, binds, now);
        if (l == null || r == null) {
            return false; // SQL: comparisons with NULL are unknown
        }
        if (l instanceof String && !(r instanceof String)) {
            l = coerce((String) l, r);
        } else if (r instanceof String && !(l instanceof String)) {
            r = coerce((String) r, l);
        }
        int x = compare(l, r);
        return switch (c.op()) {
            case "=" -> x == 0;
            case "<>", "!=" -> x != 0;
            case "<" -> x < 0;
            case "<=" -> x <= 0;
            case ">" -> x > 0;
            default -> x >= 0;
        };
    }

    private Object operand(Object o, Object[] row, List<Column> cols, Map<Integer, String> binds, Instant now) {
        return o instanceof String col ? row[index(cols, col)] : value((Sql.Value) o, binds, now);
    }

    private static Object coerce(String s, Object like) {
        if (like instanceof Number) {
            return new BigDecimal(s);
        }
        if (like instanceof Instant) {
            return parseInstant(s);
        }
        if (like instanceof LocalDateTime) {
            return cast(s, "TIMESTAMP_NTZ");
        }
        if (like instanceof LocalDate) {
            return LocalDate.parse(s);
        }
        if (like instanceof LocalTime) {
            return LocalTime.parse(s);
        }
        if (like instanceof Boolean) {
            return Boolean.parseBoolean(s);
        }
        return s;
    }

    static int compare(Object a, Object b) {
        if (a instanceof Instant && b instanceof LocalDateTime l) {
            b = l.toInstant(ZoneOffset.UTC);
        } else if (a instanceof LocalDateTime l && b instanceof Instant) {
            a = l.toInstant(ZoneOffset.UTC);
        }
        return Key.compareValues(a, b);
    }
}
