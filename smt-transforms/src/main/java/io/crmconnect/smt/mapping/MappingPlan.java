package io.crmconnect.smt.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.smt.util.Errors;
import io.crmconnect.smt.util.FieldPath;
import io.crmconnect.smt.util.Schemas;
import io.crmconnect.smt.util.Structs;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * A direction of a mapping compiled at configure time: paths parsed, conversions and formatters built, constants
 * and defaults converted, the target tree laid out. Per input schema, {@link #bind(Schema)} resolves source paths
 * to {@link Field}s and derives the output schema once; {@link Bound#apply(Struct)} and
 * {@link #applySchemaless(Map)} then only read, convert and put.
 */
public final class MappingPlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind {
        PATH,
        CONSTANT,
        CONCAT,
        JSON
    }

    /** One compiled target field. */
    static final class Op {
        final String location;
        final String target;
        final FieldPath targetPath;
        final Kind kind;
        final FieldPath from;
        final Object constant;
        final Object[] concatParts; // FieldPath or String literal
        final String separator;
        final FieldPath jsonPath;
        final int jsonSlot;
        final Conversion conversion;
        final Object defaultValue;
        final boolean required;
        final String sourceName;

        Op(
                String location,
                String target,
                Kind kind,
                FieldPath from,
                Object constant,
                Object[] concatParts,
                String separator,
                FieldPath jsonPath,
                int jsonSlot,
                Conversion conversion,
                Object defaultValue,
                boolean required) {
            this.location = location;
            this.target = target;
            this.targetPath = FieldPath.parse(target);
            this.kind = kind;
            this.from = from;
            this.constant = constant;
            this.concatParts = concatParts;
            this.separator = separator;
            this.jsonPath = jsonPath;
            this.jsonSlot = jsonSlot;
            this.conversion = conversion;
            this.defaultValue = defaultValue;
            this.required = required;
            this.sourceName = switch (kind) {
                case PATH -> from.path();
                case JSON -> from.path() + "$" + jsonPath.path();
                case CONSTANT -> "(constant)";
                case CONCAT -> "(concat)";
            };
        }
    }

    private final String transform;
    private final Op[] ops;
    private final FieldPath[] jsonColumns;
    private final boolean keepUnmapped;
    private final Set<String> drop;
    private final Set<String> consumedRoots;
    private final String schemaName;

    private MappingPlan(
            String transform,
            Op[] ops,
            FieldPath[] jsonColumns,
            boolean keepUnmapped,
            Set<String> drop,
            Set<String> consumedRoots,
            String schemaName) {
        this.transform = transform;
        this.ops = ops;
        this.jsonColumns = jsonColumns;
        this.keepUnmapped = keepUnmapped;
        this.drop = drop;
        this.consumedRoots = consumedRoots;
        this.schemaName = schemaName;
    }

    public static MappingPlan compile(String transform, ObjectSpec.DirectionSpec spec) {
        List<Op> ops = new ArrayList<>();
        List<FieldPath> jsonColumns = new ArrayList<>();
        Set<String> consumed = new HashSet<>();
        Set<String> targetRoots = new HashSet<>();
        Map<String, Boolean> targetLeafOrNode = new HashMap<>();
        for (FieldSpec f : spec.fields()) {
            String loc = f.location();
            FieldPath target;
            try {
                target = FieldPath.parse(f.to());
            } catch (RuntimeException e) {
                throw MappingDocument.error("", loc, "to: " + e.getMessage());
            }
            checkTargetShape(loc, target, targetLeafOrNode);
            targetRoots.add(target.root());
            Conversion conversion = null;
            if (f.type() != null) {
                conversion = Conversion.compile(
                        loc,
                        f.type(),
                        f.formats(),
                        f.timezone(),
                        f.output(),
                        f.outputFormat(),
                        f.outputTimezone(),
                        f.scale(),
                        f.required());
            } else if (f.timezone() != null
                    || f.output() != null
                    || f.outputFormat() != null
                    || !f.formats().isEmpty()
                    || f.scale() != null) {
                throw MappingDocument.error("", loc, "format/timezone/output/scale need a 'type'");
            }
            Object defaultValue =
                    f.defaultValue() == null ? null : convertAtConfigure(loc, "default", conversion, f.defaultValue());
            Kind kind;
            FieldPath from = null;
            FieldPath jsonPath = null;
            int slot = -1;
            Object constant = null;
            Object[] parts = null;
            if (f.constant() != null) {
                kind = Kind.CONSTANT;
                constant = convertAtConfigure(loc, "constant", conversion, f.constant());
                if (conversion == null
                        && !(constant == null
                                || constant instanceof String
                                || constant instanceof Long
                                || constant instanceof Double
                                || constant instanceof Boolean)) {
                    constant = constant.toString();
                }
            } else if (f.concat() != null) {
                kind = Kind.CONCAT;
                parts = new Object[f.concat().size()];
                for (int i = 0; i < parts.length; i++) {
                    FieldSpec.ConcatPart p = f.concat().get(i);
                    parts[i] = p.literal() ? p.text() : path(loc + ".concat[" + i + "]", p.text());
                }
            } else {
                from = path(loc + ".from", f.from());
                if (f.json() != null) {
                    kind = Kind.JSON;
                    jsonPath = path(loc + ".json", f.json());
                    slot = jsonColumns.indexOf(from);
                    if (slot < 0) {
                        slot = jsonColumns.size();
                        jsonColumns.add(from);
                    }
                } else {
                    kind = Kind.PATH;
                }
                if (from.depth() == 1) {
                    consumed.add(from.root());
                }
            }
            ops.add(new Op(
                    loc,
                    target.path(),
                    kind,
                    from,
                    constant,
                    parts,
                    f.separator() == null ? (kind == Kind.CONCAT ? " " : null) : f.separator(),
                    jsonPath,
                    slot,
                    conversion,
                    defaultValue,
                    f.required()));
        }
        // Kept (unmapped) fields are top-level; a kept name also targeted by a mapping is taken by the mapping.
        consumed.addAll(targetRoots);
        return new MappingPlan(
                transform,
                ops.toArray(new Op[0]),
                jsonColumns.toArray(new FieldPath[0]),
                spec.keepUnmapped(),
                Set.copyOf(spec.drop()),
                Set.copyOf(consumed),
                spec.schemaName());
    }

    private static void checkTargetShape(String loc, FieldPath target, Map<String, Boolean> shape) {
        // A target cannot be both a leaf and a parent (email and email.domain).
        StringBuilder prefix = new StringBuilder();
        List<String> segs = target.segments();
        for (int i = 0; i < segs.size(); i++) {
            if (i > 0) {
                prefix.append('.');
            }
            prefix.append(segs.get(i));
            boolean leaf = i == segs.size() - 1;
            Boolean existing = shape.putIfAbsent(prefix.toString(), leaf);
            if (existing != null && (existing || leaf)) {
                throw MappingDocument.error(
                        "", loc, "target '" + target + "' clashes with another target at '" + prefix + "'");
            }
        }
    }

    private static FieldPath path(String loc, String text) {
        try {
            return FieldPath.parse(text);
        } catch (RuntimeException e) {
            throw MappingDocument.error("", loc, e.getMessage());
        }
    }

    private static Object convertAtConfigure(String loc, String what, Conversion conversion, Object value) {
        if (conversion == null) {
            return value;
        }
        try {
            return conversion.convert(value);
        } catch (Conversion.Failure e) {
            throw MappingDocument.error("", loc, what + " value " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ evaluation (shared)

    /** Reads a source value for op {@code i}; implemented for Struct (bound) and Map (schemaless) records. */
    private interface Reader {
        Object read(Object root, Object[] json);
    }

    private Object finish(Op op, Object raw) {
        Object value = raw;
        if (value != null && op.conversion != null) {
            try {
                value = op.conversion.convert(value);
            } catch (Conversion.Failure e) {
                throw Errors.field(
                        transform,
                        op.sourceName,
                        "cannot map to '" + op.target + "': " + Errors.describe(raw) + " " + e.getMessage());
            }
        }
        if (value == null) {
            value = op.defaultValue;
            if (value == null && op.required) {
                throw Errors.field(transform, op.sourceName, "is null or missing but '" + op.target + "' is required");
            }
        }
        return value;
    }

    private Object parseJsonColumn(FieldPath column, Object value) {
        if (value == null || value instanceof Map || value instanceof Struct) {
            return value;
        }
        if (value instanceof String s) {
            if (s.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw Errors.field(
                        transform,
                        column.path(),
                        "is not valid JSON (" + e.getOriginalMessage() + " at column "
                                + (e.getLocation() == null
                                        ? "?"
                                        : e.getLocation().getColumnNr()) + ")");
            }
        }
        throw Errors.field(
                transform, column.path(), "holds a " + value.getClass().getSimpleName() + ", expected JSON text");
    }

    private static Object text(Object v) {
        if (v == null || v instanceof String) {
            return v;
        }
        return v instanceof BigDecimal bd ? bd.toPlainString() : v.toString();
    }

    private static Object navigateJson(Object parsed, FieldPath path, boolean schemaless) {
        if (parsed instanceof JsonNode node) {
            JsonNode current = node;
            for (String seg : path.segments()) {
                if (current == null) {
                    return null;
                }
                if (current.isArray()) {
                    int idx;
                    try {
                        idx = Integer.parseInt(seg);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    current = current.get(idx);
                } else {
                    current = current.get(seg);
                }
            }
            return jsonValue(current, schemaless);
        }
        return path.get(parsed);
    }

    static Object jsonValue(JsonNode n, boolean containers) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : new BigDecimal(n.bigIntegerValue());
        }
        if (n.isNumber()) {
            return n.isBigDecimal() ? n.decimalValue() : (Object) n.asDouble();
        }
        if (!containers) {
            return n.toString();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                list.add(jsonValue(e, true));
            }
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            map.put(e.getKey(), jsonValue(e.getValue(), true));
        }
        return map;
    }

    /** Parts joined; literals kept, null or empty fields skipped; null when no field had a value. */
    private static String concat(Object[] parts, Object[] values, String separator) {
        StringBuilder b = null;
        boolean anyField = false;
        for (int i = 0; i < parts.length; i++) {
            boolean literal = parts[i] instanceof String;
            Object v = literal ? parts[i] : values[i];
            if (v == null) {
                continue;
            }
            String s = v.toString();
            if (s.isEmpty()) {
                continue;
            }
            if (b == null) {
                b = new StringBuilder(32);
            } else if (!literal && i > 0 && !(parts[i - 1] instanceof String)) {
                b.append(separator);
            }
            anyField |= !literal;
            b.append(s);
        }
        return anyField ? b.toString() : null;
    }

    // ------------------------------------------------------------------ schemaless

    public Map<String, Object> applySchemaless(Map<?, ?> input) {
        Object[] json = jsonColumns.length == 0 ? null : new Object[jsonColumns.length];
        Map<String, Object> out = new LinkedHashMap<>(Math.max(16, (ops.length + input.size()) * 2));
        for (Op op : ops) {
            Object raw = switch (op.kind) {
                case PATH -> op.from.get(input);
                case CONSTANT -> op.constant;
                case CONCAT -> {
                    Object[] values = new Object[op.concatParts.length];
                    for (int i = 0; i < values.length; i++) {
                        if (op.concatParts[i] instanceof FieldPath p) {
                            values[i] = p.get(input);
                        }
                    }
                    yield concat(op.concatParts, values, op.separator);
                }
                case JSON -> {
                    Object parsed = json[op.jsonSlot];
                    if (parsed == null) {
                        parsed = parseJsonColumn(op.from, op.from.get(input));
                        json[op.jsonSlot] = parsed == null ? NULL_JSON : parsed;
                    }
                    yield parsed == NULL_JSON ? null : navigateJson(parsed, op.jsonPath, op.conversion == null);
                }
            };
            Object value = op.kind == Kind.CONSTANT ? (raw == null ? finish(op, null) : raw) : finish(op, raw);
            putPath(out, op.targetPath, value);
        }
        if (keepUnmapped) {
            for (Map.Entry<?, ?> e : input.entrySet()) {
                Object k = e.getKey();
                if (k instanceof String name && !consumedRoots.contains(name) && !drop.contains(name)) {
                    out.put(name, e.getValue());
                }
            }
        }
        return out;
    }

    private static final Object NULL_JSON = new Object();

    @SuppressWarnings("unchecked")
    private static void putPath(Map<String, Object> out, FieldPath path, Object value) {
        if (path.depth() == 1) {
            out.put(path.root(), value);
            return;
        }
        Map<String, Object> current = out;
        List<String> segs = path.segments();
        for (int i = 0; i < segs.size() - 1; i++) {
            current = (Map<String, Object>) current.computeIfAbsent(segs.get(i), k -> new LinkedHashMap<>());
        }
        current.put(segs.get(segs.size() - 1), value);
    }

    // ------------------------------------------------------------------ with schema

    /** Resolves the plan against one input schema: source fields, output schema, assembly layout. */
    public Bound bind(Schema input) {
        if (input.type() != Schema.Type.STRUCT) {
            throw new DataException(transform + ": the record schema is " + input.type() + ", expected a STRUCT");
        }
        int n = ops.length;
        Reader[] readers = new Reader[n];
        Field[] single = new Field[n];
        Schema[] leafSchemas = new Schema[n];
        for (int i = 0; i < n; i++) {
            Op op = ops[i];
            switch (op.kind) {
                case CONSTANT -> {
                    Object c = op.constant;
                    readers[i] = (root, json) -> c;
                    leafSchemas[i] = op.conversion != null ? op.conversion.schema() : schemaForConstant(c);
                }
                case CONCAT -> {
                    Field[][] chains = new Field[op.concatParts.length][];
                    for (int p = 0; p < chains.length; p++) {
                        if (op.concatParts[p] instanceof FieldPath fp) {
                            chains[p] = requireChain(op, fp, input);
                        }
                    }
                    Object[] parts = op.concatParts;
                    String sep = op.separator;
                    readers[i] = (root, json) -> {
                        Object[] values = new Object[chains.length];
                        for (int p = 0; p < chains.length; p++) {
                            if (chains[p] != null) {
                                values[p] = FieldPath.get((Struct) root, chains[p]);
                            }
                        }
                        return concat(parts, values, sep);
                    };
                    leafSchemas[i] = op.conversion != null
                            ? op.conversion.schema()
                            : op.required ? Schema.STRING_SCHEMA : Schema.OPTIONAL_STRING_SCHEMA;
                }
                case PATH -> {
                    Field[] chain = requireChain(op, op.from, input);
                    readers[i] = chain.length == 1
                            ? (root, json) -> ((Struct) root).get(chain[0])
                            : (root, json) -> FieldPath.get((Struct) root, chain);
                    single[i] = chain.length == 1 ? chain[0] : null;
                    if (op.conversion != null) {
                        leafSchemas[i] = op.conversion.schema();
                    } else {
                        Schema s = FieldPath.schemaOf(chain);
                        if (op.defaultValue != null) {
                            // an unconverted default must fit the source type
                            try {
                                org.apache.kafka.connect.data.ConnectSchema.validateValue(
                                        Schemas.optional(s), op.defaultValue);
                            } catch (DataException e) {
                                throw Errors.field(
                                        transform,
                                        op.sourceName,
                                        "default for '" + op.target + "' does not fit the field type " + s.type()
                                                + "; add a 'type'");
                            }
                        }
                        // a struct keeps its exact schema: its values carry that schema and must match it
                        leafSchemas[i] = op.required || s.type() == Schema.Type.STRUCT ? s : Schemas.optional(s);
                    }
                }
                case JSON -> {
                    Field[] chain = requireChain(op, op.from, input);
                    int slot = op.jsonSlot;
                    FieldPath column = op.from;
                    FieldPath jp = op.jsonPath;
                    boolean untyped = op.conversion == null;
                    readers[i] = (root, json) -> {
                        Object parsed = json[slot];
                        if (parsed == null) {
                            parsed = parseJsonColumn(column, FieldPath.get((Struct) root, chain));
                            json[slot] = parsed == null ? NULL_JSON : parsed;
                        }
                        Object v = parsed == NULL_JSON ? null : navigateJson(parsed, jp, false);
                        return untyped ? text(v) : v;
                    };
                    leafSchemas[i] = op.conversion != null
                            ? op.conversion.schema()
                            : op.required ? Schema.STRING_SCHEMA : Schema.OPTIONAL_STRING_SCHEMA;
                }
                default -> throw new IllegalStateException();
            }
        }
        // Kept fields
        List<Field> kept = new ArrayList<>();
        if (keepUnmapped) {
            for (Field f : input.fields()) {
                if (!consumedRoots.contains(f.name()) && !drop.contains(f.name())) {
                    kept.add(f);
                }
            }
        }
        Node root = layout(input, leafSchemas, kept);
        return new Bound(this, readers, single, root, kept.toArray(new Field[0]));
    }

    private Field[] requireChain(Op op, FieldPath path, Schema input) {
        Field[] chain = path.bind(input);
        if (chain == null) {
            throw Errors.field(
                    transform,
                    path.path(),
                    "is not in the record schema" + (input.name() == null ? "" : " '" + input.name() + "'")
                            + " (mapping " + op.location + " -> '" + op.target + "')");
        }
        return chain;
    }

    private static Schema schemaForConstant(Object c) {
        if (c instanceof Long) {
            return Schema.OPTIONAL_INT64_SCHEMA;
        }
        if (c instanceof Double) {
            return Schema.OPTIONAL_FLOAT64_SCHEMA;
        }
        if (c instanceof Boolean) {
            return Schema.OPTIONAL_BOOLEAN_SCHEMA;
        }
        return Schema.OPTIONAL_STRING_SCHEMA;
    }

    /** Output struct layout: a tree of nodes; leaves point at op indexes, kept fields follow the mapped ones. */
    static final class Node {
        Schema schema;
        Field[] fields;
        int[] leafOp; // op index per field, or -1
        Node[] children; // child node per field, or null
        Field[] keptIn; // root only
        Field[] keptOut;
    }

    private Node layout(Schema input, Schema[] leafSchemas, List<Field> kept) {
        // Group by first segment, keeping declaration order.
        Node root = buildNode(0, allOps(), leafSchemas, "");
        SchemaBuilder b = SchemaBuilder.struct();
        String name = schemaName != null ? schemaName : input.name();
        b.name(name).version(input.version()).doc(input.doc());
        // re-add mapped fields, then kept fields
        for (Field f : root.schema.fields()) {
            b.field(f.name(), f.schema());
        }
        for (Field f : kept) {
            b.field(f.name(), f.schema());
        }
        if (input.isOptional()) {
            b.optional();
        }
        Schema schema = b.build();
        root.schema = schema;
        root.fields = new Field[root.leafOp.length];
        for (int i = 0; i < root.fields.length; i++) {
            root.fields[i] = schema.fields().get(i);
        }
        root.keptIn = kept.toArray(new Field[0]);
        root.keptOut = new Field[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            root.keptOut[i] = schema.field(kept.get(i).name());
        }
        return root;
    }

    private List<Integer> allOps() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < ops.length; i++) {
            all.add(i);
        }
        return all;
    }

    private Node buildNode(int depth, List<Integer> opIdx, Schema[] leafSchemas, String prefix) {
        LinkedHashMap<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : opIdx) {
            groups.computeIfAbsent(ops[i].targetPath.segments().get(depth), k -> new ArrayList<>())
                    .add(i);
        }
        Node node = new Node();
        int size = groups.size();
        node.leafOp = new int[size];
        node.children = new Node[size];
        SchemaBuilder b = SchemaBuilder.struct();
        if (depth > 0) {
            b.optional();
        }
        int k = 0;
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            int first = members.get(0);
            if (members.size() == 1 && ops[first].targetPath.depth() == depth + 1) {
                node.leafOp[k] = first;
                b.field(g.getKey(), leafSchemas[first]);
            } else {
                node.leafOp[k] = -1;
                Node child = buildNode(depth + 1, members, leafSchemas, prefix + g.getKey() + ".");
                node.children[k] = child;
                b.field(g.getKey(), child.schema);
            }
            k++;
        }
        node.schema = b.build();
        node.fields = node.schema.fields().toArray(new Field[0]);
        return node;
    }

    /** A plan bound to one input schema. Immutable; safe to cache per schema. */
    public static final class Bound {
        private final MappingPlan plan;
        private final Reader[] readers;
        private final Node root;
        private final Field[] kept;
        /** Per op: the input field when it reads a top-level field (no lambda call), else null. */
        private final Field[] single;
        /** Per op: its output field index when the output has no nested structs, else the whole array is null. */
        private final int[] flatOut;

        Bound(MappingPlan plan, Reader[] readers, Field[] single, Node root, Field[] kept) {
            this.plan = plan;
            this.readers = readers;
            this.single = single;
            this.root = root;
            this.kept = kept;
            int[] flat = new int[plan.ops.length];
            for (int k = 0; k < root.leafOp.length; k++) {
                if (root.leafOp[k] < 0) {
                    flat = null;
                    break;
                }
                flat[root.leafOp[k]] = root.fields[k].index();
            }
            this.flatOut = flat;
        }

        public Schema schema() {
            return root.schema;
        }

        public Struct apply(Struct input) {
            Object[] json = plan.jsonColumns.length == 0 ? null : new Object[plan.jsonColumns.length];
            Op[] ops = plan.ops;
            Struct out;
            Object[] direct;
            if (flatOut != null && (direct = Structs.values(out = new Struct(root.schema))) != null) {
                // one-level output and direct writes: each op's value goes straight into its output slot
                for (int i = 0; i < ops.length; i++) {
                    Object v = value(i, ops[i], input, json);
                    if (v != null) {
                        direct[flatOut[i]] = v;
                    }
                }
            } else {
                Object[] values = new Object[ops.length];
                for (int i = 0; i < ops.length; i++) {
                    values[i] = value(i, ops[i], input, json);
                }
                out = build(root, values);
                direct = Structs.values(out);
            }
            if (root.keptIn.length > 0) {
                for (int i = 0; i < root.keptIn.length; i++) {
                    Object v = input.get(root.keptIn[i]);
                    if (v == null) {
                        continue;
                    }
                    if (direct != null) {
                        direct[root.keptOut[i].index()] = v;
                    } else {
                        out.put(root.keptOut[i], v);
                    }
                }
            }
            return out;
        }

        /** The converted value of op {@code i}: top-level fields read directly, other shapes through readers. */
        private Object value(int i, Op op, Struct input, Object[] json) {
            Field f = single[i];
            Object raw = f != null ? input.get(f) : readers[i].read(input, json);
            return op.kind == Kind.CONSTANT && raw != null ? raw : plan.finish(op, raw);
        }

        private Struct build(Node node, Object[] values) {
            Struct s = new Struct(node.schema);
            Object[] direct = Structs.values(s);
            for (int i = 0; i < node.leafOp.length; i++) {
                int op = node.leafOp[i];
                Object v = op >= 0 ? values[op] : build(node.children[i], values);
                if (v == null) {
                    continue;
                }
                if (direct != null) {
                    direct[node.fields[i].index()] = v;
                } else {
                    try {
                        s.put(node.fields[i], v);
                    } catch (DataException e) {
                        throw Errors.field(
                                plan.transform,
                                op >= 0 ? plan.ops[op].sourceName : node.fields[i].name(),
                                "does not fit the target '" + node.fields[i].name() + "': " + e.getMessage());
                    }
                }
            }
            return s;
        }
    }
}
