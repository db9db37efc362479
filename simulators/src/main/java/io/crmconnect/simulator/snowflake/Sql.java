package io.crmconnect.simulator.snowflake;

import io.crmconnect.simulator.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL subset the fake understands, parsed into a small tree: SELECT list FROM table, Snowflake's AT / CHANGES /
 * END clauses, a WHERE of comparisons joined by AND / OR / NOT with parentheses, ORDER BY, LIMIT; also SELECT
 * CURRENT_TIMESTAMP(), SHOW TABLES LIKE and ALTER SESSION. Binds are {@code ?} with optional {@code ::TYPE} casts.
 * It parses what change-capture clients send, not Snowflake SQL in general.
 */
final class Sql {
    /** A parsed statement. */
    static final class Select {
        List<String> columns = new ArrayList<>(); // empty = *
        boolean currentTimestampOnly;
        String table;
        String changesInfo; // DEFAULT / APPEND_ONLY, or null
        Value at;
        Value end;
        Expr where;
        List<String> orderBy = new ArrayList<>();
        int limit = Integer.MAX_VALUE;
        String showTablesLike;
        boolean alterSession;
    }

    /** A bind, literal or CURRENT_TIMESTAMP(), with its cast. */
    record Value(int bindIndex, String literal, boolean currentTimestamp, String cast) {}

    /** A boolean or operand expression. */
    sealed interface Expr permits And, Or, Not, Cmp, IsNull {}

    record And(Expr a, Expr b) implements Expr {}

    record Or(Expr a, Expr b) implements Expr {}

    record Not(Expr a) implements Expr {}

    record Cmp(Object left, String op, Object right) implements Expr {}

    record IsNull(String column, boolean negated) implements Expr {}

    private final List<String> tokens;
    private int p;
    private int binds;

    private Sql(String text) {
        tokens = tokenize(text);
    }

    static Select parse(String text) {
        try {
            return new Sql(text).statement();
        } catch (RuntimeException e) {
            if (e instanceof WarehouseException) {
                throw e;
            }
            throw syntax("SQL compilation error: " + e.getMessage());
        }
    }

    static WarehouseException syntax(String msg) {
        return new WarehouseException(WarehouseException.Kind.SYNTAX, msg);
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int j = i + 1;
                StringBuilder b = new StringBuilder("'");
                while (j < s.length()) {
                    if (s.charAt(j) == '\'' && j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                        b.append('\'');
                        j += 2;
                    } else if (s.charAt(j) == '\'') {
                        break;
                    } else {
                        b.append(s.charAt(j++));
                    }
                }
                out.add(b.toString());
                i = j + 1;
            } else if (c == '"') {
                int j = s.indexOf('"', i + 1);
                out.add("\"" + s.substring(i + 1, j));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || "_$.".indexOf(s.charAt(j)) >= 0)) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("::", "=>", "<=", ">=", "<>", "!=").contains(two)) {
                    out.add(two);
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
        }
        return out;
    }

    private String peek() {
        return p < tokens.size() ? tokens.get(p) : "";
    }

    private boolean is(String kw) {
        return peek().equalsIgnoreCase(kw);
    }

    private boolean accept(String kw) {
        if (is(kw)) {
            p++;
            return true;
        }
        return false;
    }

    private void expect(String kw) {
        if (!accept(kw)) {
            throw new IllegalArgumentException("syntax error: expected '" + kw + "' at '" + peek() + "'");
        }
    }

    private String ident() {
        String t = peek();
        if (t.isEmpty() || !(Character.isLetter(t.charAt(0)) || t.charAt(0) == '_' || t.charAt(0) == '"')) {
            throw new IllegalArgumentException("syntax error: expected an identifier at '" + t + "'");
        }
        p++;
        return t.startsWith("\"") ? t.substring(1) : t.toUpperCase(Locale.ROOT);
    }

    private Select statement() {
        Select s = new Select();
        if (accept("ALTER")) {
            expect("SESSION");
            s.alterSession = true;
            p = tokens.size();
            return s;
        }
        if (accept("SHOW")) {
            expect("TABLES");
            expect("LIKE");
            s.showTablesLike = peek().substring(1);
            p = tokens.size();
            return s;
        }
        expect("SELECT");
        if (accept("*")) {
            // all columns
        } else {
            do {
                if (is("CURRENT_TIMESTAMP")) {
                    p++;
                    expect("(");
                    expect(")");
                    s.currentTimestampOnly = true;
                } else {
                    s.columns.add(ident());
                }
            } while (accept(","));
        }
        if (!accept("FROM")) {
            if (!s.currentTimestampOnly) {
                throw new IllegalArgumentException("syntax error: expected FROM");
            }
            return s;
        }
        s.table = ident();
        if (accept("CHANGES")) {
            expect("(");
            expect("INFORMATION");
            expect("=>");
            s.changesInfo = ident();
            expect(")");
        }
        if (accept("AT")) {
            expect("(");
            expect("TIMESTAMP");
            expect("=>");
            s.at = value();
            expect(")");
        }
        if (accept("END")) {
            expect("(");
            expect("TIMESTAMP");
            expect("=>");
            s.end = value();
            expect(")");
        }
        if (accept("WHERE")) {
            s.where = or();
        }
        if (accept("ORDER")) {
            expect("BY");
            do {
                s.orderBy.add(ident());
                accept("ASC");
            } while (accept(","));
        }
        if (accept("LIMIT")) {
            s.limit = Integer.parseInt(peek());
            p++;
        }
        accept(";");
        if (p != tokens.size()) {
            throw new IllegalArgumentException("syntax error: unexpected '" + peek() + "'");
        }
        return s;
    }

    private Value value() {
        Value v;
        if (accept("?")) {
            v = new Value(++binds, null, false, null);
        } else if (peek().startsWith("'")) {
            v = new Value(0, tokens.get(p++).substring(1), false, null);
        } else if (accept("CURRENT_TIMESTAMP")) {
            expect("(");
            expect(")");
            v = new Value(0, null, true, null);
        } else {
            v = new Value(0, tokens.get(p++), false, null); // a number
        }
        if (accept("::")) {
            v = new Value(v.bindIndex(), v.literal(), v.currentTimestamp(), ident());
            if (accept("(")) { // NUMBER(38, 2): precision and scale do not change a comparison
                while (!accept(")")) {
                    p++;
                }
            }
        }
        return v;
    }

    private Expr or() {
        Expr e = and();
        while (accept("OR")) {
            e = new Or(e, and());
        }
        return e;
    }

    private Expr and() {
        Expr e = unary();
        while (accept("AND")) {
            e = new And(e, unary());
        }
        return e;
    }

    private Expr unary() {
        if (accept("NOT")) {
            return new Not(unary());
        }
        if (accept("(")) {
            Expr e = or();
            expect(")");
            return e;
        }
        Object left = operand();
        if (accept("IS")) {
            boolean not = accept("NOT");
            expect("NULL");
            return new IsNull((String) left, not);
        }
        String op = tokens.get(p++);
        if (!List.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(op)) {
            throw new IllegalArgumentException("syntax error: unexpected '" + op + "'");
        }
        return new Cmp(left, op, operand());
    }

    /** A column name (String) or a {@link Value}. */
    private Object operand() {
        String t = peek();
        if (t.equals("?")
                || t.startsWith("'")
                || t.equalsIgnoreCase("CURRENT_TIMESTAMP")
                || (!t.isEmpty() && (Character.isDigit(t.charAt(0)) || t.charAt(0) == '-'))) {
            return value();
        }
        return ident();
    }
}
