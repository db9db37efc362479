package io.crmconnect.simulator.dynamics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * OData {@code $filter}: {@code eq ne gt ge lt le}, {@code and or not}, parentheses, {@code contains startswith
 * endswith}, {@code null}, string, number, boolean, GUID, date and date-time literals. Text compares
 * case-insensitively and a null column matches only {@code eq null} / {@code ne <value>} never, as SQL Server does.
 * Errors carry the OData URI parser's messages (code 0x0, HTTP 400).
 */
final class Filter {
    private static final Pattern NUMBER = Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?[mMdDlLfF]?");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern DATETIME =
            Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})");

    private enum Kind {
        LPAREN,
        RPAREN,
        COMMA,
        STRING,
        WORD,
        END
    }

    private record Tok(Kind kind, String text, int pos) {}

    private final TableDef table;
    private final String source;
    private final List<Tok> toks = new ArrayList<>();
    private int i;

    private Filter(TableDef table, String source) {
        this.table = table;
        this.source = source;
    }

    /** Parses a $filter expression into a row predicate. */
    static Predicate<Row> parse(TableDef table, String expr) {
        Filter f = new Filter(table, expr);
        f.tokenize();
        if (f.peek().kind == Kind.END) {
            throw f.syntax(0);
        }
        Predicate<Row> p = f.or();
        if (f.peek().kind != Kind.END) {
            throw f.syntax(f.peek().pos);
        }
        return p;
    }

    private void tokenize() {
        String s = source;
        int p = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '(') {
                toks.add(new Tok(Kind.LPAREN, "(", p++));
            } else if (c == ')') {
                toks.add(new Tok(Kind.RPAREN, ")", p++));
            } else if (c == ',') {
                toks.add(new Tok(Kind.COMMA, ",", p++));
            } else if (c == '\'') {
                int start = p++;
                StringBuilder sb = new StringBuilder();
                boolean closed = false;
                while (p < s.length()) {
                    char d = s.charAt(p++);
                    if (d == '\'') {
                        if (p < s.length() && s.charAt(p) == '\'') {
                            sb.append('\'');
                            p++;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        sb.append(d);
                    }
                }
                if (!closed) {
                    throw DataverseException.query(
                            "There is an unterminated string literal at position " + start + " in '" + source + "'.");
                }
                toks.add(new Tok(Kind.STRING, sb.toString(), start));
            } else {
                int start = p;
                while (p < s.length() && !Character.isWhitespace(s.charAt(p)) && "(),'".indexOf(s.charAt(p)) < 0) {
                    p++;
                }
                toks.add(new Tok(Kind.WORD, s.substring(start, p), start));
            }
        }
        toks.add(new Tok(Kind.END, "", s.length()));
    }

    private Tok peek() {
        return toks.get(i);
    }

    private Tok next() {
        Tok t = toks.get(i);
        if (t.kind != Kind.END) {
            i++;
        }
        return t;
    }

    private boolean word(String w) {
        Tok t = peek();
        return t.kind == Kind.WORD && t.text.equals(w);
    }

    private DataverseException syntax(int pos) {
        return DataverseException.query("Syntax error at position " + pos + " in '" + source + "'.");
    }

    private Predicate<Row> or() {
        Predicate<Row> left = and();
        while (word("or")) {
            next();
            Predicate<Row> l = left;
            Predicate<Row> r = and();
            left = row -> l.test(row) || r.test(row);
        }
        return left;
    }

    private Predicate<Row> and() {
        Predicate<Row> left = unary();
        while (word("and")) {
            next();
            Predicate<Row> l = left;
            Predicate<Row> r = unary();
            left = row -> l.test(row) && r.test(row);
        }
        return left;
    }

    private Predicate<Row> unary() {
        if (word("not")) {
            next();
            Predicate<Row> p = unary();
            return row -> !p.test(row);
        }
        Tok t = peek();
        if (t.kind == Kind.LPAREN) {
            next();
            Predicate<Row> p = or();
            expect(Kind.RPAREN);
            return p;
        }
        if (t.kind == Kind.WORD && i + 1 < toks.size() && toks.get(i + 1).kind == Kind.LPAREN) {
            return function();
        }
        return comparison();
    }

    private void expect(Kind k) {
        Tok t = next();
        if (t.kind != k) {
            throw syntax(t.pos);
        }
    }

    private Predicate<Row> function() {
        Tok name = next();
        String fn = name.text;
        if (!fn.equals("contains") && !fn.equals("startswith") && !fn.equals("endswith")) {
            throw DataverseException.query("An unknown function with name '" + fn + "' was found. This may also be a "
                    + "function import or a key lookup on a navigation property, which is not allowed.");
        }
        expect(Kind.LPAREN);
        Tok prop = next();
        if (prop.kind != Kind.WORD) {
            throw syntax(prop.pos);
        }
        Attr a = attr(prop.text);
        expect(Kind.COMMA);
        Tok lit = next();
        if (lit.kind != Kind.STRING) {
            throw DataverseException.query("No function signature for the function with name '" + fn + "' matches "
                    + "the specified arguments. The function signatures considered are: " + fn + "(Edm.String "
                    + "Nullable=true, Edm.String Nullable=true).");
        }
        expect(Kind.RPAREN);
        if (a.type != AttrType.STRING && a.type != AttrType.MEMO) {
            throw DataverseException.query("No function signature for the function with name '" + fn + "' matches "
                    + "the specified arguments. The function signatures considered are: " + fn + "(Edm.String "
                    + "Nullable=true, Edm.String Nullable=true).");
        }
        String needle = lit.text.toLowerCase(Locale.ROOT);
        int idx = a.index;
        return switch (fn) {
            case "contains" ->
                row -> row.v[idx] != null
                        && ((String) row.v[idx]).toLowerCase(Locale.ROOT).contains(needle);
            case "startswith" ->
                row -> row.v[idx] != null
                        && ((String) row.v[idx]).toLowerCase(Locale.ROOT).startsWith(needle);
            default ->
                row -> row.v[idx] != null
                        && ((String) row.v[idx]).toLowerCase(Locale.ROOT).endsWith(needle);
        };
    }

    private Attr attr(String name) {
        if (name.contains("/")) {
            throw DataverseException.query("Filtering on properties of related records ('" + name + "') is not "
                    + "supported by this simulator.");
        }
        Attr a = table.byJson.get(name);
        if (a == null) {
            throw DataverseException.query(
                    "Could not find a property named '" + name + "' on type '" + table.qualifiedType() + "'.");
        }
        return a;
    }

    private Predicate<Row> comparison() {
        Tok left = next();
        Tok op = next();
        Tok right = next();
        if (left.kind == Kind.END || right.kind == Kind.END) {
            throw syntax(source.length());
        }
        if (op.kind != Kind.WORD || !List.of("eq", "ne", "gt", "ge", "lt", "le").contains(op.text)) {
            throw syntax(op.pos);
        }
        String o = op.text;
        Tok propTok;
        Tok litTok;
        if (left.kind == Kind.WORD && isProperty(left.text)) {
            propTok = left;
            litTok = right;
        } else if (right.kind == Kind.WORD && isProperty(right.text)) {
            propTok = right;
            litTok = left;
            o = switch (o) {
                case "gt" -> "lt";
                case "lt" -> "gt";
                case "ge" -> "le";
                case "le" -> "ge";
                default -> o;
            };
        } else {
            throw left.kind == Kind.WORD
                    ? DataverseException.query("Could not find a property named '" + left.text + "' on type '"
                            + table.qualifiedType() + "'.")
                    : syntax(left.pos);
        }
        if (litTok.kind != Kind.STRING && litTok.kind != Kind.WORD) {
            throw syntax(litTok.pos);
        }
        Attr a = attr(propTok.text);
        int idx = a.index;
        if (litTok.kind == Kind.WORD && litTok.text.equals("null")) {
            if (o.equals("eq")) {
                return row -> row.v[idx] == null;
            }
            if (o.equals("ne")) {
                return row -> row.v[idx] != null;
            }
            return row -> false;
        }
        Object lit = literal(a, litTok, o);
        String fo = o;
        return row -> {
            Object x = row.v[idx];
            if (x == null) {
                return false;
            }
            int c = compare(x, lit);
            return switch (fo) {
                case "eq" -> c == 0;
                case "ne" -> c != 0;
                case "gt" -> c > 0;
                case "ge" -> c >= 0;
                case "lt" -> c < 0;
                default -> c <= 0;
            };
        };
    }

    private boolean isProperty(String w) {
        return !w.equals("null")
                        && !w.equals("true")
                        && !w.equals("false")
                        && !NUMBER.matcher(w).matches()
                        && !DATE.matcher(w).matches()
                        && !DATETIME.matcher(w).matches()
                        && !Values.GUID.matcher(w).matches()
                        && Character.isLetter(w.charAt(0))
                || w.startsWith("_");
    }

    private DataverseException incompatible(Attr a, String litType, String op) {
        String kind = switch (op) {
            case "eq" -> "Equal";
            case "ne" -> "NotEqual";
            case "gt" -> "GreaterThan";
            case "ge" -> "GreaterThanOrEqual";
            case "lt" -> "LessThan";
            default -> "LessThanOrEqual";
        };
        return DataverseException.query("A binary operator with incompatible types was detected. Found operand types '"
                + a.edm() + "' and '" + litType + "' for operator kind '" + kind + "'.");
    }

    private Object literal(Attr a, Tok t, String op) {
        String s = t.text;
        boolean str = t.kind == Kind.STRING;
        switch (a.type) {
            case STRING:
            case MEMO:
            case MULTISELECT:
                if (!str) {
                    throw incompatible(a, litType(t), op);
                }
                return s;
            case INTEGER:
            case PICKLIST:
            case STATE:
            case STATUS:
            case BIGINT:
                if (str || !NUMBER.matcher(s).matches()) {
                    throw incompatible(a, litType(t), op);
                }
                try {
                    return new BigDecimal(strip(s)).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw incompatible(a, "Edm.Decimal", op);
                }
            case DECIMAL:
            case MONEY:
            case DOUBLE:
                if (str || !NUMBER.matcher(s).matches()) {
                    throw incompatible(a, litType(t), op);
                }
                return new BigDecimal(strip(s));
            case BOOLEAN:
                if (str || !s.equals("true") && !s.equals("false")) {
                    throw incompatible(a, litType(t), op);
                }
                return Boolean.parseBoolean(s);
            case DATETIME:
                if (str) {
                    throw incompatible(a, "Edm.String", op);
                }
                try {
                    if (DATE.matcher(s).matches()) {
                        LocalDate d = LocalDate.parse(s);
                        return a.dateOnly()
                                ? d.toEpochDay()
                                : d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
                    }
                    if (DATETIME.matcher(s).matches()) {
                        long ms = OffsetDateTime.parse(s).toInstant().toEpochMilli();
                        return a.dateOnly() ? Math.floorDiv(ms, 86_400_000L) : ms;
                    }
                } catch (DateTimeParseException e) {
                    throw syntax(t.pos);
                }
                throw incompatible(a, litType(t), op);
            default: // GUIDs: uniqueidentifier and lookups
                if (str || !Values.GUID.matcher(s).matches()) {
                    throw incompatible(a, litType(t), op);
                }
                return s.toLowerCase(Locale.ROOT);
        }
    }

    private static String strip(String s) {
        char last = s.charAt(s.length() - 1);
        return Character.isLetter(last) ? s.substring(0, s.length() - 1) : s;
    }

    private static String litType(Tok t) {
        if (t.kind == Kind.STRING) {
            return "Edm.String";
        }
        String s = t.text;
        if (s.equals("true") || s.equals("false")) {
            return "Edm.Boolean";
        }
        if (Values.GUID.matcher(s).matches()) {
            return "Edm.Guid";
        }
        if (DATETIME.matcher(s).matches()) {
            return "Edm.DateTimeOffset";
        }
        if (DATE.matcher(s).matches()) {
            return "Edm.Date";
        }
        if (NUMBER.matcher(s).matches()) {
            return s.contains(".") ? "Edm.Decimal" : "Edm.Int32";
        }
        return "Edm.Untyped";
    }

    /** Compares a stored value with a converted literal (or another stored value, for $orderby). */
    @SuppressWarnings("unchecked")
    static int compare(Object x, Object lit) {
        if (x instanceof String s) {
            return s.compareToIgnoreCase((String) lit);
        }
        if (x instanceof Ref r) {
            return r.id().compareTo(lit instanceof Ref l ? l.id() : (String) lit);
        }
        if (x instanceof Boolean b) {
            return Boolean.compare(b, (Boolean) lit);
        }
        if (x instanceof BigDecimal d) {
            return d.compareTo(lit instanceof BigDecimal l ? l : new BigDecimal(lit.toString()));
        }
        if (x instanceof Double d) {
            return BigDecimal.valueOf(d).compareTo(lit instanceof BigDecimal l ? l : new BigDecimal(lit.toString()));
        }
        if (x instanceof Integer || x instanceof Long) {
            long v = ((Number) x).longValue();
            if (lit instanceof BigDecimal l) {
                return BigDecimal.valueOf(v).compareTo(l);
            }
            return Long.compare(v, ((Number) lit).longValue());
        }
        return ((Comparable<Object>) x).compareTo(lit);
    }
}
