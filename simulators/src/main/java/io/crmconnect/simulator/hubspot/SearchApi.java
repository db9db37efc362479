package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** CRM search ({@code POST /crm/v3/objects/{objectType}/search} in the objects specs) over the lagging search index. */
final class SearchApi {
    static final int MAX_RESULTS = 10_000;
    static final int MAX_GROUPS = 5;
    static final int MAX_FILTERS_PER_GROUP = 6;
    static final int MAX_FILTERS = 18;
    static final int MAX_PAGE = 200;
    static final int MAX_BODY_CHARS = 3_000;
    static final Set<String> OPERATORS = Set.of(
            "LT",
            "LTE",
            "GT",
            "GTE",
            "EQ",
            "NEQ",
            "BETWEEN",
            "IN",
            "NOT_IN",
            "HAS_PROPERTY",
            "NOT_HAS_PROPERTY",
            "CONTAINS_TOKEN",
            "NOT_CONTAINS_TOKEN");

    private final Store store;
    private final RecordJson json;

    SearchApi(Store store, RecordJson json) {
        this.store = store;
        this.json = json;
    }

    void register(Router r) {
        r.add("POST", "/crm/v3/objects/{objectType}/search", this::search).search = true;
    }

    /**
     * A compiled filter. IN/NOT_IN values are parsed once into {@code inSet} (in the form a stored value is
     * compared in, see {@link #inKey}); {@code num}/{@code highNum} are typed values parsed once; {@code lookup}
     * holds the hash-index keys of an EQ/IN filter (null when the filter cannot use the index).
     */
    private record F(
            String prop,
            String op,
            PropertyDef def,
            String value,
            String high,
            List<String> values,
            Pattern token,
            Long assocTo,
            String assocType,
            Set<String> inSet,
            BigDecimal num,
            BigDecimal highNum,
            Set<String> lookup) {}

    private Http.Resp search(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        // HubSpot's search guide: a request body over 3,000 characters (filters, sorts, properties and query
        // included) is answered 400
        int chars = new String(req.body, StandardCharsets.UTF_8).length();
        if (chars > MAX_BODY_CHARS) {
            throw ApiException.validation("The search request body has " + chars + " characters; the maximum is "
                    + MAX_BODY_CHARS + " (filters, sorts, properties and query included)");
        }
        JsonNode b = req.json();
        int limit = b.path("limit").asInt(10);
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.validation("Paging limit must be between 1 and " + MAX_PAGE + ", got " + limit);
        }
        int after = 0;
        String a = b.path("after").asText("");
        if (!a.isEmpty()) {
            try {
                after = Integer.parseInt(a.trim());
            } catch (NumberFormatException e) {
                throw ApiException.validation("after must be an integer-formatted string, got \"" + a + "\"");
            }
        }
        if (after >= MAX_RESULTS) {
            throw ApiException.validation("Search results are limited to " + MAX_RESULTS
                            + " total results for any given query. Page beyond " + MAX_RESULTS
                            + " results by narrowing the query (e.g. hs_object_id > the last id seen).")
                    .subCategory("SEARCH_RESULT_LIMIT_EXCEEDED");
        }
        List<List<F>> groups = new ArrayList<>();
        int total = 0;
        JsonNode fgs = b.path("filterGroups");
        if (fgs.size() > MAX_GROUPS) {
            throw filterLimit("Too many filter groups: " + fgs.size() + " (the maximum is " + MAX_GROUPS + ")");
        }
        for (JsonNode fg : fgs) {
            List<F> fs = new ArrayList<>();
            JsonNode filters = fg.path("filters");
            if (filters.size() > MAX_FILTERS_PER_GROUP) {
                throw filterLimit("Too many filters in a group: " + filters.size() + " (the maximum is "
                        + MAX_FILTERS_PER_GROUP + ")");
            }
            total += filters.size();
            for (JsonNode f : filters) {
                fs.add(compile(t, f));
            }
            if (!fs.isEmpty()) {
                groups.add(fs);
            }
        }
        if (total > MAX_FILTERS) {
            throw filterLimit("Too many filters: " + total + " (the maximum is " + MAX_FILTERS + ")");
        }
        JsonNode sorts = b.path("sorts");
        if (sorts.size() > 1) {
            throw ApiException.validation("Only one sort is allowed, got " + sorts.size());
        }
        Comparator<Rec> order = Comparator.comparingLong((Rec r) -> r.createdAt).thenComparingLong(r -> r.id);
        if (sorts.size() == 1) {
            JsonNode s = sorts.get(0);
            String prop = s.isTextual()
                    ? s.asText().replaceFirst("^-", "")
                    : s.path("propertyName").asText();
            boolean desc = s.isTextual()
                    ? s.asText().startsWith("-")
                    : "DESCENDING".equalsIgnoreCase(s.path("direction").asText("ASCENDING"));
            PropertyDef def = t.property(prop);
            if (def == null) {
                throw ApiException.validation("Cannot sort by unknown property: " + prop)
                        .error(
                                "Property \"" + prop + "\" does not exist",
                                "PROPERTY_DOESNT_EXIST",
                                "propertyName",
                                prop);
            }
            Comparator<Rec> byProp = (x, y) -> compareValues(def, x.props.get(prop), y.props.get(prop));
            order = (desc ? byProp.reversed() : byProp).thenComparingLong(r -> r.id);
            Comparator<Rec> base = order;
            // records without a value sort last either way
            order = (x, y) -> {
                boolean nx = x.props.get(prop) == null;
                boolean ny = y.props.get(prop) == null;
                if (nx != ny) {
                    return nx ? 1 : -1;
                }
                return base.compare(x, y);
            };
        }
        String query = b.path("query").asText("").trim().toLowerCase(Locale.ROOT);
        List<Rec> matches = new ArrayList<>();
        for (Rec r : candidates(store.table(t), store.clock.millis(), groups)) {
            if (matchesGroups(t, r, groups) && matchesQuery(t, r, query)) {
                matches.add(r);
            }
        }
        matches.sort(order);
        List<String> requested = new ArrayList<>();
        b.path("properties").forEach(n -> requested.add(n.asText()));
        Set<String> props = requested.isEmpty() ? searchDefaults(t) : RecordJson.selectProps(t, requested);
        int from = Math.min(after, matches.size());
        int to = Math.min(Math.min(from + limit, matches.size()), MAX_RESULTS);
        List<Rec> page = matches.subList(from, to);
        int totalCount = matches.size();
        boolean hasNext = to < matches.size();
        int nextAfter = to;
        String key = String.join(",", props);
        return RecordJson.stream(200, 512 + page.size() * (120 + 40 * props.size()), g -> {
            g.writeStartObject();
            g.writeNumberField("total", totalCount);
            g.writeArrayFieldStart("results");
            for (Rec r : page) {
                json.writeRecordCached(g, t, r, props, key);
            }
            g.writeEndArray();
            if (hasNext) {
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", Integer.toString(nextAfter));
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /**
     * The records worth testing: when every group has an EQ or IN filter, the union over groups of the hash-index
     * bucket of each group's most selective such filter (a superset of the matches, every filter is still
     * evaluated on each candidate); otherwise the whole search view.
     */
    private static Collection<Rec> candidates(ObjectTable table, long now, List<List<F>> groups) {
        if (groups.isEmpty()) {
            return table.searchable(now);
        }
        List<F> chosen = new ArrayList<>(groups.size());
        long estimate = 0;
        for (List<F> g : groups) {
            F best = null;
            int bestCount = Integer.MAX_VALUE;
            for (F f : g) {
                if (f.lookup() == null) {
                    continue;
                }
                int c = table.indexCount(now, f.prop(), signature(f.def()), keysOf(f.def()), f.lookup());
                if (c < bestCount) {
                    best = f;
                    bestCount = c;
                }
            }
            if (best == null) {
                return table.searchable(now);
            }
            chosen.add(best);
            estimate += bestCount;
        }
        if (estimate == 0) {
            return List.of();
        }
        if (chosen.size() == 1) {
            F f = chosen.get(0);
            return table.indexLookup(now, f.prop(), signature(f.def()), keysOf(f.def()), f.lookup());
        }
        Map<Long, Rec> union = new HashMap<>();
        for (F f : chosen) {
            for (Rec r : table.indexLookup(now, f.prop(), signature(f.def()), keysOf(f.def()), f.lookup())) {
                union.putIfAbsent(r.id, r);
            }
        }
        return union.values();
    }

    private static String signature(PropertyDef d) {
        return d.type + "/" + d.fieldType;
    }

    /**
     * Hash-index keys of a stored value: every value an EQ or IN filter could match maps to a key that the filter's
     * own keys ({@link #lookupKeys}) contain. Strings: the case fold ({@code equalsIgnoreCase} classes) of the value
     * and of its lower-case form (string IN compares the lower-cased stored value); multi-checkbox values also each
     * option; number/date/datetime: the canonical number, or the case fold when the value does not parse.
     */
    private static Function<String, Collection<String>> keysOf(PropertyDef d) {
        if (isTyped(d)) {
            return v -> {
                try {
                    return List.of(numKey(toNumber(d, v)));
                } catch (RuntimeException e) {
                    return List.of("s:" + fold(v));
                }
            };
        }
        boolean multi = d.isMultiValued();
        return v -> {
            String f = fold(v);
            String fl = fold(v.toLowerCase(Locale.ROOT));
            if (!multi) {
                return f.equals(fl) ? List.of(f) : List.of(f, fl);
            }
            Set<String> out = new HashSet<>();
            out.add(f);
            out.add(fl);
            for (String part : v.split(";")) {
                out.add(fold(part));
            }
            return out;
        };
    }

    /** The hash-index keys an EQ or IN filter value can match (see {@link #keysOf}). */
    private static Set<String> lookupKeys(PropertyDef d, List<String> wanted) {
        Set<String> out = new HashSet<>();
        for (String w : wanted) {
            if (isTyped(d)) {
                out.add(numKey(toNumber(d, w)));
                out.add("s:" + fold(w));
            } else {
                out.add(fold(w));
            }
        }
        return out;
    }

    private static String numKey(BigDecimal n) {
        return "n:" + n.stripTrailingZeros().toPlainString();
    }

    /**
     * Case fold with exactly {@link String#equalsIgnoreCase}'s equivalence: every code point mapped to the lower
     * case of its upper case.
     */
    static String fold(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder b = new StringBuilder(n);
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return b.toString();
    }

    private static Set<String> searchDefaults(ObjectType t) {
        Set<String> s = new LinkedHashSet<>();
        s.add(t.createdProp);
        s.add(t.lastModifiedProp);
        s.add("hs_object_id");
        s.addAll(t.defaultProps);
        return s;
    }

    private static ApiException filterLimit(String msg) {
        return ApiException.validation(msg).error(msg, "TOO_MANY_FILTERS", null, null);
    }

    private F compile(ObjectType t, JsonNode f) {
        String prop = f.path("propertyName").asText(null);
        String op = f.path("operator").asText("EQ").toUpperCase(Locale.ROOT);
        if (prop == null || prop.isEmpty()) {
            throw ApiException.validation("Every filter needs a propertyName");
        }
        if (!OPERATORS.contains(op)) {
            throw ApiException.validation("Unknown filter operator: " + op + ". Allowed: " + OPERATORS);
        }
        String value = f.hasNonNull("value") ? f.get("value").asText() : null;
        String high = f.hasNonNull("highValue") ? f.get("highValue").asText() : null;
        List<String> values = new ArrayList<>();
        f.path("values").forEach(v -> values.add(v.asText()));
        if (prop.startsWith("associations.")) {
            ObjectType other = store.typeOrNull(prop.substring("associations.".length()));
            if (other == null || !op.equals("EQ") || value == null) {
                throw ApiException.validation("Invalid association filter: " + prop + " " + op);
            }
            return new F(
                    prop,
                    op,
                    null,
                    value,
                    null,
                    values,
                    null,
                    Long.parseLong(value.trim()),
                    other.objectTypeId,
                    null,
                    null,
                    null,
                    null);
        }
        PropertyDef def = t.property(prop);
        if (def == null) {
            throw ApiException.validation(
                            "There was a problem with the request: Property \"" + prop + "\" does not exist")
                    .error("Property \"" + prop + "\" does not exist", "PROPERTY_DOESNT_EXIST", "propertyName", prop);
        }
        boolean needsValue = !op.equals("HAS_PROPERTY")
                && !op.equals("NOT_HAS_PROPERTY")
                && !op.equals("IN")
                && !op.equals("NOT_IN");
        if (needsValue && value == null) {
            throw ApiException.validation("Filter on " + prop + " with operator " + op + " needs a value");
        }
        if (op.equals("BETWEEN") && high == null) {
            throw ApiException.validation("BETWEEN on " + prop + " needs value and highValue");
        }
        if ((op.equals("IN") || op.equals("NOT_IN")) && values.isEmpty()) {
            throw ApiException.validation(op + " on " + prop + " needs values");
        }
        if (isTyped(def)) {
            for (String v : concat(value, high, values)) {
                try {
                    toNumber(def, v);
                } catch (RuntimeException e) {
                    throw ApiException.validation(
                                    "Invalid filter value \"" + v + "\" for " + def.type + " property " + prop)
                            .error("Invalid value for " + prop, "INVALID_FILTER_VALUE", "propertyName", prop);
                }
            }
        }
        Pattern token = null;
        if (op.endsWith("CONTAINS_TOKEN")) {
            String re = Pattern.quote(value.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            token = Pattern.compile(re);
        }
        Set<String> inSet = null;
        if (op.equals("IN") || op.equals("NOT_IN")) {
            inSet = new HashSet<>();
            for (String w : values) {
                inSet.add(inKey(def, w, true));
                if (isTyped(def)) {
                    inSet.add("s:" + fold(w));
                }
            }
        }
        BigDecimal num = isTyped(def) && value != null ? toNumber(def, value) : null;
        BigDecimal highNum = isTyped(def) && high != null ? toNumber(def, high) : null;
        Set<String> lookup =
                op.equals("EQ") ? lookupKeys(def, List.of(value)) : op.equals("IN") ? lookupKeys(def, values) : null;
        return new F(prop, op, def, value, high, values, token, null, null, inSet, num, highNum, lookup);
    }

    /**
     * The form in which an IN/NOT_IN value ({@code wanted}) or a stored value is compared, so that membership in
     * the filter's set equals the per-value comparison: string and phone_number values must be given in lower case
     * and the stored value is compared lower-cased; enumerations compare exactly (case-sensitive); numbers, dates
     * and datetimes by value (a stored value that does not parse compares as text, case-insensitively); other types
     * case-insensitively.
     */
    private static String inKey(PropertyDef d, String v, boolean wanted) {
        if (d.type.equals("string") || d.type.equals("phone_number")) {
            return wanted ? v : v.toLowerCase(Locale.ROOT);
        }
        if (d.type.equals("enumeration")) {
            return v;
        }
        if (isTyped(d)) {
            if (wanted) {
                return numKey(toNumber(d, v));
            }
            try {
                return numKey(toNumber(d, v));
            } catch (RuntimeException e) {
                return "s:" + fold(v);
            }
        }
        return fold(v);
    }

    private static List<String> concat(String a, String b, List<String> rest) {
        List<String> out = new ArrayList<>();
        if (a != null) {
            out.add(a);
        }
        if (b != null) {
            out.add(b);
        }
        out.addAll(rest);
        return out;
    }

    private static boolean isTyped(PropertyDef d) {
        return d.type.equals("number") || d.type.equals("date") || d.type.equals("datetime");
    }

    private static BigDecimal toNumber(PropertyDef d, String v) {
        if (d.type.equals("number")) {
            return new BigDecimal(v.trim());
        }
        return BigDecimal.valueOf(Store.parseTime(v, d.type.equals("date")));
    }

    static int compareValues(PropertyDef d, String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (isTyped(d)) {
            try {
                return toNumber(d, a).compareTo(toNumber(d, b));
            } catch (RuntimeException e) {
                // fall back to text
            }
        }
        return a.compareToIgnoreCase(b);
    }

    private boolean matchesGroups(ObjectType t, Rec r, List<List<F>> groups) {
        if (groups.isEmpty()) {
            return true;
        }
        for (List<F> g : groups) {
            boolean all = true;
            for (F f : g) {
                if (!matches(t, r, f)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(ObjectType t, Rec r, F f) {
        if (f.assocTo != null) {
            return store.associations.get(t.objectTypeId, r.id, f.assocType).containsKey(f.assocTo);
        }
        String v = r.props.get(f.prop);
        switch (f.op) {
            case "HAS_PROPERTY":
                return v != null;
            case "NOT_HAS_PROPERTY":
                return v == null;
            case "EQ":
                return v != null && eq(f.def, v, f.value, f.num);
            case "NEQ":
                return v == null || !eq(f.def, v, f.value, f.num);
            case "IN":
                return v != null && in(f, v);
            case "NOT_IN":
                return v == null || !in(f, v);
            case "LT":
                return v != null && compare(f.def, v, f.value, f.num) < 0;
            case "LTE":
                return v != null && compare(f.def, v, f.value, f.num) <= 0;
            case "GT":
                return v != null && compare(f.def, v, f.value, f.num) > 0;
            case "GTE":
                return v != null && compare(f.def, v, f.value, f.num) >= 0;
            case "BETWEEN":
                return v != null && compare(f.def, v, f.value, f.num) >= 0 && compare(f.def, v, f.high, f.highNum) <= 0;
            case "CONTAINS_TOKEN":
                return v != null && containsToken(v, f.token);
            case "NOT_CONTAINS_TOKEN":
                return v == null || !containsToken(v, f.token);
            default:
                return false;
        }
    }

    /** {@link #compareValues} with the filter value already parsed ({@code wantNum}, null when not typed). */
    private static int compare(PropertyDef d, String v, String want, BigDecimal wantNum) {
        if (wantNum != null) {
            try {
                return toNumber(d, v).compareTo(wantNum);
            } catch (RuntimeException e) {
                return v.compareToIgnoreCase(want);
            }
        }
        return compareValues(d, v, want);
    }

    private static boolean eq(PropertyDef d, String v, String want, BigDecimal wantNum) {
        if (wantNum != null) {
            return compare(d, v, want, wantNum) == 0;
        }
        return eq(d, v, want);
    }

    private static boolean eq(PropertyDef d, String v, String want) {
        if (d.isMultiValued()) {
            for (String s : v.split(";")) {
                if (s.equals(want)) {
                    return true;
                }
            }
            return false;
        }
        if (d.type.equals("enumeration")) {
            return v.equals(want); // enumeration filters are case-sensitive
        }
        if (isTyped(d)) {
            return compareValues(d, v, want) == 0;
        }
        return v.equalsIgnoreCase(want);
    }

    /** IN membership against the values parsed once per filter (see {@link #inKey}). */
    private static boolean in(F f, String v) {
        PropertyDef d = f.def;
        if (d.isMultiValued()) {
            for (String s : v.split(";")) {
                if (f.inSet.contains(s)) {
                    return true;
                }
            }
            return false;
        }
        return f.inSet.contains(inKey(d, v, false));
    }

    private static boolean containsToken(String v, Pattern token) {
        String l = v.toLowerCase(Locale.ROOT);
        if (token.matcher(l).matches()) {
            return true;
        }
        for (String tok : l.split("[^\\p{L}\\p{N}_]+")) {
            if (!tok.isEmpty() && token.matcher(tok).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesQuery(ObjectType t, Rec r, String q) {
        if (q.isEmpty()) {
            return true;
        }
        for (String p : t.searchableProps) {
            String v = r.props.get(p);
            if (v == null) {
                continue;
            }
            String l = v.toLowerCase(Locale.ROOT);
            if (l.startsWith(q)) {
                return true;
            }
            for (String tok : l.split("[^\\p{L}\\p{N}]+")) {
                if (tok.startsWith(q)) {
                    return true;
                }
            }
        }
        return false;
    }
}
