package io.crmconnect.smt.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;

/**
 * A mapping file (YAML or JSON) or inline mapping, parsed and checked once at configure time.
 *
 * <pre>
 * objects:
 *   contact:
 *     rules: { email: both, phone: a_to_b, notes: none }      # FieldDirection
 *     a_to_b:                                                  # FieldMapping, mapping.direction=a_to_b
 *       unmapped: drop            # or keep
 *       drop: [internal_notes]
 *       fields:
 *         - { from: properties.email, to: email }
 *         - { from: dob, to: birth_date, type: date, format: [MM/dd/yyyy, yyyy-MM-dd] }
 *     b_to_a: { fields: [...] }
 * </pre>
 *
 * A document may also be a single mapping ({@code fields:} at the top) or an object with {@code fields:} that
 * applies to both directions.
 */
public final class MappingDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static final Set<String> FIELD_KEYS = Set.of(
            "to",
            "from",
            "constant",
            "concat",
            "separator",
            "json",
            "default",
            "type",
            "format",
            "timezone",
            "output",
            "output_format",
            "output_timezone",
            "scale",
            "required");
    private static final Set<String> DIRECTION_KEYS = Set.of("fields", "unmapped", "drop", "schema_name");
    private static final Set<String> OBJECT_KEYS =
            Set.of("rules", "a_to_b", "b_to_a", "fields", "unmapped", "drop", "schema_name");

    private final String source;
    private final Map<String, ObjectSpec> objects;

    private MappingDocument(String source, Map<String, ObjectSpec> objects) {
        this.source = source;
        this.objects = objects;
    }

    /** Loads from inline text (JSON or YAML) or, when {@code inline} is blank, from a file. */
    public static MappingDocument load(String inlineKey, String inline, String fileKey, String file) {
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasInline == hasFile) {
            throw new ConfigException("Set exactly one of '" + inlineKey + "' (inline JSON/YAML) or '" + fileKey
                    + "' (path to a .yaml, .yml or .json file)");
        }
        if (hasInline) {
            return parse(inlineKey, inline);
        }
        Path path = Path.of(file.trim());
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ConfigException(fileKey, file, "cannot read the mapping file: " + e);
        }
        return parse(fileKey + " " + path.getFileName(), text);
    }

    /** Parses JSON or YAML text (YAML is a superset, but JSON goes through the JSON parser for exact errors). */
    public static MappingDocument parse(String source, String text) {
        JsonNode root;
        String trimmed = text.strip();
        try {
            root = trimmed.startsWith("{") ? JSON.readTree(trimmed) : YAML.readTree(trimmed);
        } catch (JsonProcessingException e) {
            throw new ConfigException("Mapping " + source + " is not valid JSON/YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " at line " + e.getLocation().getLineNr()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("Mapping " + source + " must be an object with 'objects' or 'fields'");
        }
        Map<String, ObjectSpec> objects = new LinkedHashMap<>();
        if (root.has("objects")) {
            checkKeys(source, "", root, Set.of("objects", "version"));
            JsonNode objs = root.get("objects");
            if (!objs.isObject() || objs.isEmpty()) {
                throw error(source, "objects", "must be a non-empty map of object name to mapping");
            }
            for (Map.Entry<String, JsonNode> e : objs.properties()) {
                objects.put(e.getKey(), parseObject(source, "objects." + e.getKey(), e.getKey(), e.getValue()));
            }
        } else {
            objects.put("", parseObject(source, "", "", root));
        }
        return new MappingDocument(source, Collections.unmodifiableMap(objects));
    }

    public Map<String, ObjectSpec> objects() {
        return objects;
    }

    /** The object named by {@code mapping.object}; may be blank when the document describes a single object. */
    public ObjectSpec object(String key, String name) {
        if (name == null || name.isBlank()) {
            if (objects.size() == 1) {
                return objects.values().iterator().next();
            }
            throw new ConfigException(
                    key,
                    name,
                    "the mapping " + source + " describes several objects " + objects.keySet() + "; choose one");
        }
        ObjectSpec spec = objects.get(name.trim());
        if (spec == null) {
            throw new ConfigException(
                    key, name, "no such object in the mapping " + source + "; known: " + objects.keySet());
        }
        return spec;
    }

    private static ObjectSpec parseObject(String source, String location, String name, JsonNode node) {
        if (!node.isObject()) {
            throw error(source, location, "must be an object");
        }
        checkKeys(source, location, node, OBJECT_KEYS);
        Map<Direction, ObjectSpec.DirectionSpec> directions = new EnumMap<>(Direction.class);
        if (node.has("fields")) {
            if (node.has("a_to_b") || node.has("b_to_a")) {
                throw error(source, location, "has both 'fields' and a_to_b/b_to_a; use one style");
            }
            ObjectSpec.DirectionSpec both = parseDirection(source, location, node, false);
            directions.put(Direction.A_TO_B, both);
            directions.put(Direction.B_TO_A, both);
        }
        for (Direction d : Direction.values()) {
            JsonNode dn = node.get(d.configName());
            if (dn != null) {
                String loc = join(location, d.configName());
                if (!dn.isObject()) {
                    throw error(source, loc, "must be an object with 'fields'");
                }
                checkKeys(source, loc, dn, DIRECTION_KEYS);
                directions.put(d, parseDirection(source, loc, dn, true));
            }
        }
        Map<String, DirectionRule> rules = new LinkedHashMap<>();
        JsonNode rn = node.get("rules");
        if (rn != null) {
            String loc = join(location, "rules");
            if (!rn.isObject()) {
                throw error(source, loc, "must map field names to a_to_b, b_to_a, both or none");
            }
            for (Map.Entry<String, JsonNode> e : rn.properties()) {
                DirectionRule rule = e.getValue().isTextual()
                        ? DirectionRule.fromName(e.getValue().asText())
                        : null;
                if (rule == null) {
                    throw error(
                            source,
                            join(loc, e.getKey()),
                            "must be one of a_to_b, b_to_a, both, none (was " + e.getValue() + ")");
                }
                rules.put(e.getKey(), rule);
            }
        }
        if (directions.isEmpty() && rules.isEmpty()) {
            throw error(source, location, "has neither field mappings (fields, a_to_b, b_to_a) nor rules");
        }
        return new ObjectSpec(name, Collections.unmodifiableMap(directions), Collections.unmodifiableMap(rules));
    }

    private static ObjectSpec.DirectionSpec parseDirection(
            String source, String location, JsonNode node, boolean fieldsRequired) {
        JsonNode fn = node.get("fields");
        String floc = join(location, "fields");
        List<FieldSpec> fields = new ArrayList<>();
        if (fn == null) {
            if (fieldsRequired) {
                throw error(source, floc, "is required");
            }
        } else if (!fn.isArray()) {
            throw error(source, floc, "must be a list of field mappings");
        } else {
            for (int i = 0; i < fn.size(); i++) {
                fields.add(parseField(source, floc + "[" + i + "]", fn.get(i)));
            }
        }
        boolean keep = false;
        JsonNode un = node.get("unmapped");
        if (un != null) {
            String v = un.asText("").toLowerCase(Locale.ROOT);
            if (!v.equals("keep") && !v.equals("drop")) {
                throw error(source, join(location, "unmapped"), "must be 'keep' or 'drop'");
            }
            keep = v.equals("keep");
        }
        Set<String> drop = new LinkedHashSet<>(stringList(source, join(location, "drop"), node.get("drop")));
        String schemaName = text(source, join(location, "schema_name"), node.get("schema_name"));
        Set<String> targets = new LinkedHashSet<>();
        for (FieldSpec f : fields) {
            if (!targets.add(f.to())) {
                throw error(source, f.location(), "maps to '" + f.to() + "', which an earlier entry already maps to");
            }
        }
        return new ObjectSpec.DirectionSpec(
                location, List.copyOf(fields), keep, Collections.unmodifiableSet(drop), schemaName);
    }

    private static FieldSpec parseField(String source, String loc, JsonNode n) {
        if (n.isTextual()) {
            // shorthand: "email" keeps a field as is
            return new FieldSpec(
                    loc,
                    leaf(n.asText()),
                    n.asText(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    false);
        }
        if (!n.isObject()) {
            throw error(source, loc, "must be an object such as {from: a, to: b} or a field name");
        }
        checkKeys(source, loc, n, FIELD_KEYS);
        String from = text(source, loc + ".from", n.get("from"));
        JsonNode constantNode = n.get("constant");
        JsonNode concatNode = n.get("concat");
        int sources = (from != null ? 1 : 0) + (constantNode != null ? 1 : 0) + (concatNode != null ? 1 : 0);
        if (sources != 1) {
            throw error(source, loc, "needs exactly one of 'from', 'constant' or 'concat'");
        }
        String to = text(source, loc + ".to", n.get("to"));
        if (to == null) {
            if (from == null) {
                throw error(source, loc, "needs 'to' (the target field)");
            }
            to = leaf(from);
        }
        List<FieldSpec.ConcatPart> parts = null;
        if (concatNode != null) {
            if (!concatNode.isArray() || concatNode.isEmpty()) {
                throw error(source, loc + ".concat", "must be a non-empty list of field paths or {literal: text}");
            }
            parts = new ArrayList<>();
            for (int i = 0; i < concatNode.size(); i++) {
                JsonNode p = concatNode.get(i);
                if (p.isTextual()) {
                    parts.add(new FieldSpec.ConcatPart(p.asText(), false));
                } else if (p.isObject()
                        && p.size() == 1
                        && p.has("literal")
                        && p.get("literal").isValueNode()) {
                    parts.add(new FieldSpec.ConcatPart(p.get("literal").asText(), true));
                } else {
                    throw error(source, loc + ".concat[" + i + "]", "must be a field path or {literal: text}");
                }
            }
            parts = List.copyOf(parts);
        }
        String json = text(source, loc + ".json", n.get("json"));
        if (json != null && from == null) {
            throw error(source, loc + ".json", "needs 'from' (the column holding the JSON text)");
        }
        Integer scale = null;
        if (n.has("scale")) {
            if (!n.get("scale").canConvertToInt()) {
                throw error(source, loc + ".scale", "must be an integer");
            }
            scale = n.get("scale").asInt();
        }
        JsonNode req = n.get("required");
        if (req != null && !req.isBoolean()) {
            throw error(source, loc + ".required", "must be true or false");
        }
        return new FieldSpec(
                loc,
                to,
                from,
                constantNode == null ? null : plain(constantNode),
                parts,
                n.has("separator") && n.get("separator").isValueNode()
                        ? n.get("separator").asText()
                        : null,
                json,
                n.has("default") ? plain(n.get("default")) : null,
                text(source, loc + ".type", n.get("type")),
                stringList(source, loc + ".format", n.get("format")),
                text(source, loc + ".timezone", n.get("timezone")),
                text(source, loc + ".output", n.get("output")),
                text(source, loc + ".output_format", n.get("output_format")),
                text(source, loc + ".output_timezone", n.get("output_timezone")),
                scale,
                req != null && req.asBoolean());
    }

    /** A JSON scalar as a Java value (text, Long, Double/BigDecimal, Boolean); containers as JSON text. */
    static Object plain(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.asLong() : n.decimalValue();
        }
        if (n.isNumber()) {
            return n.isBigDecimal() ? n.decimalValue() : (Object) n.asDouble();
        }
        return n.toString();
    }

    private static String text(String source, String loc, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw error(source, loc, "must be a text value");
        }
        String t = n.asText();
        return t.isEmpty() ? null : t;
    }

    private static List<String> stringList(String source, String loc, JsonNode n) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isValueNode()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw error(source, loc, "must be a text or a list of texts");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isValueNode()) {
                throw error(source, loc, "must be a list of texts");
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static void checkKeys(String source, String loc, JsonNode node, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(
                        source,
                        loc.isEmpty() ? k : loc + "." + k,
                        "unknown key '" + k + "'; allowed: " + new TreeSet<>(allowed));
            }
        }
    }

    private static String leaf(String path) {
        int i = path.lastIndexOf('.');
        return i < 0 ? path.trim() : path.substring(i + 1).trim();
    }

    private static String join(String location, String key) {
        return location.isEmpty() ? key : location + "." + key;
    }

    static ConfigException error(String source, String location, String message) {
        return new ConfigException("Mapping" + (source.isEmpty() ? "" : " " + source) + ": "
                + (location.isEmpty() ? "" : location + " ") + message);
    }

    public String source() {
        return source;
    }
}
