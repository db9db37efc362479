package io.crmconnect.simulator.dynamics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Parsed OData query options of one request against one table. */
final class Query {
    /** One {@code $expand} item: a single-valued navigation property and the columns to return from it. */
    record Expand(TableDef.Nav nav, TableDef target, Selection select) {}

    /** Which columns to write, and the text of the {@code @odata.context} selection. */
    static final class Selection {
        /** Columns in output order; the primary key is always there. */
        final List<Attr> attrs;

        final boolean all;
        final String key;
        final List<Expand> expands = new ArrayList<>();

        Selection(List<Attr> attrs, boolean all) {
            this.attrs = attrs;
            this.all = all;
            StringBuilder sb = new StringBuilder();
            for (Attr a : attrs) {
                sb.append(a.jsonName).append(',');
            }
            this.key = all ? "*" : sb.toString();
        }

        /** {@code (a,b,nav(c))} as the context URL shows the selection, or "" for all columns. */
        String contextText(List<String> requested) {
            if (requested.isEmpty() && expands.isEmpty()) {
                return "";
            }
            List<String> parts = new ArrayList<>(requested);
            for (Expand e : expands) {
                parts.add(e.nav().name() + "(" + String.join(",", e.select().requestedNames) + ")");
            }
            return "(" + String.join(",", parts) + ")";
        }

        List<String> requestedNames = List.of();
    }

    final TableDef table;
    Selection selection;
    List<String> selectRequested = List.of();
    Predicate<Row> filter;
    String filterText;
    Comparator<Row> order;
    String orderText;
    Integer top;
    boolean count;
    String skipToken;
    String deltaToken;

    private Query(TableDef table) {
        this.table = table;
    }

    /** System query options Dataverse accepts on entity sets; others are rejected. */
    private static final Set<String> KNOWN = Set.of(
            "$select",
            "$filter",
            "$orderby",
            "$top",
            "$count",
            "$expand",
            "$skiptoken",
            "$deltatoken",
            "$apply",
            "$skip",
            "$search",
            "$format",
            "$levels");

    static Query parse(Schema schema, TableDef t, Map<String, List<String>> q) {
        Query query = new Query(t);
        for (String k : q.keySet()) {
            if (k.startsWith("$") && !KNOWN.contains(k)) {
                throw DataverseException.query("The query parameter " + k + " is not supported");
            }
        }
        if (q.containsKey("$skip")) {
            throw DataverseException.query("The query parameter $skip is not supported");
        }
        if (q.containsKey("$apply") || q.containsKey("$search") || q.containsKey("$levels")) {
            throw DataverseException.query("The query parameter "
                    + (q.containsKey("$apply") ? "$apply" : q.containsKey("$search") ? "$search" : "$levels")
                    + " is not supported by this simulator");
        }
        String sel = first(q, "$select");
        query.selectRequested = sel == null ? List.of() : splitTop(sel);
        query.selection = selection(t, query.selectRequested);
        query.selection.requestedNames = query.selectRequested;
        String exp = first(q, "$expand");
        if (exp != null) {
            for (String item : splitTop(exp)) {
                query.selection.expands.add(expand(schema, t, item));
            }
        }
        String f = first(q, "$filter");
        if (f != null) {
            query.filterText = f;
            query.filter = Filter.parse(t, f);
        }
        String o = first(q, "$orderby");
        if (o != null) {
            query.orderText = o;
            query.order = orderBy(t, o);
        }
        String top = first(q, "$top");
        if (top != null) {
            try {
                query.top = Integer.parseInt(top.trim());
            } catch (NumberFormatException e) {
                throw DataverseException.query("Invalid value '" + top + "' for $top query option found. The $top "
                        + "query option requires a non-negative integer value.");
            }
            if (query.top < 0) {
                throw DataverseException.query("Invalid value '" + top + "' for $top query option found. The $top "
                        + "query option requires a non-negative integer value.");
            }
        }
        String c = first(q, "$count");
        if (c != null) {
            if (!c.equals("true") && !c.equals("false")) {
                throw DataverseException.query("'" + c + "' is not a valid count option.");
            }
            query.count = c.equals("true");
        }
        query.skipToken = first(q, "$skiptoken");
        query.deltaToken = first(q, "$deltatoken");
        return query;
    }

    static String first(Map<String, List<String>> q, String k) {
        List<String> v = q.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Columns for a $select list (null or empty = all). */
    static Selection selection(TableDef t, List<String> names) {
        if (names == null || names.isEmpty()) {
            return new Selection(t.attrs, true);
        }
        Set<Attr> out = new LinkedHashSet<>();
        boolean money = false;
        for (String n : names) {
            Attr a = t.byJson.get(n);
            if (a == null) {
                throw DataverseException.query(
                        "Could not find a property named '" + n + "' on type '" + t.qualifiedType() + "'.");
            }
            out.add(a);
            money |= a.type == AttrType.MONEY;
        }
        out.add(t.primaryId());
        Attr cur = t.byLogical.get("transactioncurrencyid");
        if (money && cur != null) {
            out.add(cur);
        }
        return new Selection(new ArrayList<>(out), false);
    }

    private static Expand expand(Schema schema, TableDef t, String item) {
        String name = item;
        List<String> select = List.of();
        int p = item.indexOf('(');
        if (p >= 0) {
            if (!item.endsWith(")")) {
                throw DataverseException.query("Syntax error: the $expand item '" + item + "' is not closed.");
            }
            name = item.substring(0, p).trim();
            for (String opt : item.substring(p + 1, item.length() - 1).split(";")) {
                String o = opt.trim();
                if (o.isEmpty()) {
                    continue;
                }
                if (o.startsWith("$select=")) {
                    select = splitTop(o.substring("$select=".length()));
                } else {
                    throw DataverseException.query("The query option '" + o.split("=")[0] + "' inside $expand is not "
                            + "supported by this simulator (only $select).");
                }
            }
        }
        TableDef.Nav nav = t.navs.get(name.trim());
        if (nav == null
                || nav.attr().computed
                        && !nav.name().equals("createdby")
                        && !nav.name().equals("modifiedby")) {
            throw DataverseException.query(
                    "Could not find a property named '" + name + "' on type '" + t.qualifiedType() + "'.");
        }
        TableDef target = schema.table(nav.target());
        Selection ts = selection(target, select);
        ts.requestedNames = select;
        return new Expand(nav, target, ts);
    }

    private static Comparator<Row> orderBy(TableDef t, String spec) {
        Comparator<Row> cmp = null;
        for (String part : splitTop(spec)) {
            String[] w = part.trim().split("\\s+");
            Attr a = t.byJson.get(w[0]);
            if (a == null) {
                throw DataverseException.query(
                        "Could not find a property named '" + w[0] + "' on type '" + t.qualifiedType() + "'.");
            }
            boolean desc = w.length > 1 && w[1].equalsIgnoreCase("desc");
            if (w.length > 2 || w.length == 2 && !desc && !w[1].equalsIgnoreCase("asc")) {
                throw DataverseException.query("Syntax error at position " + part.length() + " in '" + spec + "'.");
            }
            int idx = a.index;
            Comparator<Row> c = (x, y) -> {
                Object a1 = x.v[idx];
                Object b1 = y.v[idx];
                if (a1 == null || b1 == null) {
                    return a1 == null ? (b1 == null ? 0 : -1) : 1; // nulls first, as SQL Server sorts them
                }
                return Filter.compare(a1, b1);
            };
            if (desc) {
                c = c.reversed();
            }
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        return cmp == null ? null : cmp.thenComparing(r -> r.id);
    }

    /** Splits on commas outside parentheses. */
    static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                if (!cur.toString().isBlank()) {
                    out.add(cur.toString().trim());
                }
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }
}
