package io.crmconnect.simulator.bigquery;

import io.crmconnect.simulator.warehouse.Key;
import io.crmconnect.simulator.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The GoogleSQL subset the warehouse source sends, parsed into a {@link Query}: {@code SELECT CURRENT_TIMESTAMP()},
 * and {@code SELECT * FROM t [FOR SYSTEM_TIME AS OF @p]}, {@code CHANGES(TABLE t, @from|NULL, @to)} or
 * {@code APPENDS(TABLE t, @from|NULL, @to)} with an optional WHERE of comparisons of a column with a named parameter,
 * IS [NOT] NULL, AND, OR, NOT and parentheses, ORDER BY columns [ASC|DESC] [NULLS FIRST|LAST], LIMIT n. Anything else
 * is refused as BigQuery refuses a syntax error. This is not BigQuery's SQL engine.
 */
final class BigQuerySql {
    /** What FROM reads. */
    enum Source {
        NOW,
        TABLE,
        CHANGES,
        APPENDS
    }

    /** A boolean condition over a row, resolved against column names and parameters. */
    interface Cond {
        boolean test(Map<String, Integer> cols, Object[] row, Map<String, Object> params);
    }

    record Order(String column, boolean desc, boolean nullsFirst) {}

    record Query(
            Source source,
            String table,
            String asOf,
            String from,
            String to,
            Cond where,
            List<Order> orderBy,
            long limit) {
        Predicate<Object[]> filter(Map<String, Integer> cols, Map<String, Object> params) {
            return where == null ? r -> true : r -> where.test(cols, r, params);
        }
    }

    private final List<String> tokens;
    private int i;

    private BigQuerySql(List<String> tokens) {
        this.tokens = tokens;
    }

    static Query parse(String sql) {
        BigQuerySql p = new BigQuerySql(tokenize(sql));
        return p.query();
    }

    private Query query() {
        expect("SELECT");
        if (peekIs("CURRENT_TIMESTAMP")) {
            next();
            expect("(");
            expect(")");
            if (peekIs("AS")) {
                next();
                next();
            }
            end();
            return new Query(Source.NOW, null, null, null, null, null, List.of(), Long.MAX_VALUE);
        }
        expect("*");
        expect("FROM");
        Source source = Source.TABLE;
        String table;
        String asOf = null;
        String from = null;
        String to = null;
        if (peekIs("CHANGES") || peekIs("APPENDS")) {
            source = Source.valueOf(next().toUpperCase(Locale.ROOT));
            expect("(");
            expect("TABLE");
            table = next();
            expect(",");
            from = peekIs("NULL") ? nullToken() : param();
            expect(",");
            to = peekIs("NULL") ? nullToken() : param();
            expect(")");
        } else {
            table = next();
            if (peekIs("FOR")) {
                next();
                expect("SYSTEM_TIME");
                expect("AS");
                expect("OF");
                asOf = param();
            }
        }
        Cond where = null;
        if (peekIs("WHERE")) {
            next();
            where = or();
        }
        List<Order> order = new ArrayList<>();
        if (peekIs("ORDER")) {
            next();
            expect("BY");
            do {
                String col = ident(next());
                boolean desc = false;
                if (peekIs("ASC") || peekIs("DESC")) {
                    desc = next().equalsIgnoreCase("DESC");
                }
                boolean nullsFirst = !desc;
                if (peekIs("NULLS")) {
                    next();
                    nullsFirst = next().equalsIgnoreCase("FIRST");
                }
                order.add(new Order(col, desc, nullsFirst));
            } while (accept(","));
        }
        long limit = Long.MAX_VALUE;
        if (peekIs("LIMIT")) {
            next();
            limit = Long.parseLong(next());
        }
        end();
        return new Query(source, unquote(table), asOf, from, to, where, order, limit);
    }

    private String nullToken() {
        next();
        return null;
    }

    private Cond or() {
        Cond left = and();
        while (accept("OR")) {
            Cond l = left;
            Cond r = and();
            left = (c, row, p) -> l.test(c, row, p) || r.test(c, row, p);
        }
        return left;
    }

    private Cond and() {
        Cond left = factor();
        while (accept("AND")) {
            Cond l = left;
            Cond r = factor();
            left = (c, row, p) -> l.test(c, row, p) && r.test(c, row, p);
        }
        return left;
    }

    private Cond factor() {
        if (accept("(")) {
            Cond c = or();
            expect(")");
            return c;
        }
        if (accept("NOT")) {
            Cond c = factor();
            return (cols, row, p) -> !c.test(cols, row, p);
        }
        String col = ident(next());
        if (accept("IS")) {
            boolean not = accept("NOT");
            expect("NULL");
            return (cols, row, p) -> (value(cols, row, col) == null) != not;
        }
        String op = next();
        String param = param();
        return (cols, row, p) -> {
            Object a = value(cols, row, col);
            if (!p.containsKey(param)) {
                throw new WarehouseException(
                        WarehouseException.Kind.SYNTAX, "Query parameter '" + param + "' not found");
            }
            Object b = p.get(param);
            if (a == null || b == null) {
                return false;
            }
            int cmp = Key.compareValues(a, b);
            return switch (op) {
                case "=" -> cmp == 0;
                case ">" -> cmp > 0;
                case "<" -> cmp < 0;
                case ">=" -> cmp >= 0;
                case "<=" -> cmp <= 0;
                case "!=", "<>" -> cmp != 0;
                default ->
                    throw new WarehouseException(
                            WarehouseException.Kind.SYNTAX, "Syntax error: " + "unexpected operator " + op);
            };
        };
    }

    private static Object value(Map<String, Integer> cols, Object[] row, String col) {
        Integer idx = cols.get(col.toLowerCase(Locale.ROOT));
        if (idx == null) {
            throw new WarehouseException(WarehouseException.Kind.SYNTAX, "Unrecognized name: " + col);
        }
        return row[idx];
    }

    private String param() {
        String t = next();
        if (!t.startsWith("@")) {
            throw syntax("expected a query parameter, got " + t);
        }
        return t.substring(1);
    }

    private static String ident(String t) {
        return unquote(t);
    }

    static String unquote(String t) {
        return t.startsWith("`") ? t.substring(1, t.length() - 1) : t;
    }

    private boolean peekIs(String kw) {
        return i < tokens.size() && tokens.get(i).equalsIgnoreCase(kw);
    }

    private boolean accept(String kw) {
        if (peekIs(kw)) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(String kw) {
        if (!accept(kw)) {
            throw syntax("expected " + kw + (i < tokens.size() ? " but got " + tokens.get(i) : " at end"));
        }
    }

    private String next() {
        if (i >= tokens.size()) {
            throw syntax("unexpected end of statement");
        }
        return tokens.get(i++);
    }

    private void end() {
        if (i != tokens.size()) {
            throw syntax("unexpected " + tokens.get(i));
        }
    }

    private static WarehouseException syntax(String what) {
        return new WarehouseException(WarehouseException.Kind.SYNTAX, "Syntax error: " + what);
    }

    static List<String> tokenize(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        int p = 0;
        while (p < n) {
            char c = sql.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '`') {
                int e = sql.indexOf('`', p + 1);
                if (e < 0) {
                    throw syntax("unclosed identifier quote");
                }
                out.add(sql.substring(p, e + 1));
                p = e + 1;
            } else if (c == '>' || c == '<' || c == '!' || c == '=') {
                int e = p + 1;
                if (e < n && (sql.charAt(e) == '=' || (c == '<' && sql.charAt(e) == '>'))) {
                    e++;
                }
                out.add(sql.substring(p, e));
                p = e;
            } else if ("(),*".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                p++;
            } else if (c == '@' || Character.isLetterOrDigit(c) || c == '_') {
                int e = p + 1;
                while (e < n
                        && (Character.isLetterOrDigit(sql.charAt(e)) || sql.charAt(e) == '_' || sql.charAt(e) == '.')) {
                    e++;
                }
                out.add(sql.substring(p, e));
                p = e;
            } else {
                throw syntax("unexpected character '" + c + "'");
            }
        }
        return out;
    }
}
