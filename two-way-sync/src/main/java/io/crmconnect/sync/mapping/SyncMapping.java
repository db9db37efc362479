package io.crmconnect.sync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mapping file users write once: objects, and per field its direction, merge policy, conflict policy and value
 * translations. Parsed strictly: an unknown key, a field linked twice or a missing link is an error naming its path,
 * so a typo is found when the connector is created, not as silently unsynced data.
 *
 * <pre>
 * objects:
 *   contact:
 *     hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
 *     dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
 *                 match_key: emailaddress1, integration_user: 5d0c... }
 *     defaults: { direction: both, merge: overwrite, conflict: most_recent_wins, tie_breaker: hubspot }
 *     deletes: both          # none (default), both, hubspot_to_d365, d365_to_hubspot
 *     fields:
 *       email:     { hubspot: email, dynamics: emailaddress1, conflict: source_of_truth:hubspot }
 *       jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
 *       gender:    { hubspot: gender, dynamics: gendercode_label, values: { male: Male, female: Female } }
 * </pre>
 */
public final class SyncMapping {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> OBJECT_KEYS = Set.of("hubspot", "dynamics", "defaults", "fields", "deletes");
    private static final Set<String> SIDE_KEYS =
            Set.of("object", "id", "link", "state", "match_key", "modified", "modified_by", "integration_user");
    private static final Set<String> RULE_KEYS = Set.of("direction", "merge", "conflict", "tie_breaker");
    private static final Set<String> FIELD_KEYS =
            Set.of("hubspot", "dynamics", "direction", "merge", "conflict", "tie_breaker", "values");

    private final Map<String, ObjectMapping> objects;

    private SyncMapping(Map<String, ObjectMapping> objects) {
        this.objects = objects;
    }

    public Map<String, ObjectMapping> objects() {
        return objects;
    }

    /** The object named {@code name}, or the only one when {@code name} is empty. */
    public ObjectMapping object(String name) {
        if ((name == null || name.isEmpty()) && objects.size() == 1) {
            return objects.values().iterator().next();
        }
        ObjectMapping m = objects.get(name);
        if (m == null) {
            throw new MappingException("objects: no object '" + name + "' (the file has " + objects.keySet() + ")");
        }
        return m;
    }

    public static SyncMapping parseFile(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new MappingException(
                    "cannot read the mapping file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** Parses YAML (JSON is YAML too). */
    public static SyncMapping parse(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new MappingException("the mapping is not valid YAML/JSON: " + firstLine(e.getMessage()));
        }
        if (root == null
                || !root.isObject()
                || !root.has("objects")
                || !root.get("objects").isObject()
                || root.get("objects").isEmpty()) {
            throw new MappingException("the mapping needs an 'objects' map with at least one object");
        }
        checkKeys(root, Set.of("objects"), "");
        Map<String, ObjectMapping> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("objects").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), object(e.getKey(), e.getValue(), "objects." + e.getKey()));
        }
        return new SyncMapping(out);
    }

    private static ObjectMapping object(String name, JsonNode n, String path) {
        if (!n.isObject()) {
            throw new MappingException(path + ": must be a map");
        }
        checkKeys(n, OBJECT_KEYS, path);
        ObjectMapping.SideSpec hs = side(n.get("hubspot"), path + ".hubspot", "hs_object_id", "updatedAt", "");
        ObjectMapping.SideSpec d = side(n.get("dynamics"), path + ".dynamics", null, "modifiedon", "modifiedby");
        JsonNode defaults = n.has("defaults") ? n.get("defaults") : YAML.createObjectNode();
        checkKeys(defaults, RULE_KEYS, path + ".defaults");
        Rules base = rules(
                defaults,
                new Rules(Direction.BOTH, MergePolicy.OVERWRITE, ConflictPolicy.mostRecentWins(Side.HUBSPOT)),
                path + ".defaults");
        JsonNode fieldsNode = n.get("fields");
        if (fieldsNode == null || !fieldsNode.isObject() || fieldsNode.isEmpty()) {
            throw new MappingException(path + ".fields: needs at least one field");
        }
        List<FieldRule> fields = new ArrayList<>();
        Set<String> hsSeen = new HashSet<>();
        Set<String> dSeen = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String fp = path + ".fields." + e.getKey();
            JsonNode f = e.getValue();
            if (!f.isObject()) {
                throw new MappingException(fp + ": must be a map with 'hubspot' and 'dynamics'");
            }
            checkKeys(f, FIELD_KEYS, fp);
            String hp = text(f, "hubspot", fp, true);
            String dc = text(f, "dynamics", fp, true);
            if (!hsSeen.add(hp)) {
                throw new MappingException(fp + ".hubspot: property '" + hp + "' is linked by two fields");
            }
            if (!dSeen.add(dc)) {
                throw new MappingException(fp + ".dynamics: column '" + dc + "' is linked by two fields");
            }
            for (String reserved : new String[] {hs.linkField(), hs.stateField()}) {
                if (hp.equals(reserved)) {
                    throw new MappingException(fp + ".hubspot: '" + hp + "' holds the link or the sync state");
                }
            }
            for (String reserved : new String[] {d.linkField(), d.stateField(), d.idField()}) {
                if (dc.equals(reserved)) {
                    throw new MappingException(fp + ".dynamics: '" + dc + "' holds the id, link or sync state");
                }
            }
            Rules r = rules(f, base, fp);
            ValueMap values = ValueMap.IDENTITY;
            if (f.has("values")) {
                JsonNode v = f.get("values");
                if (!v.isObject()) {
                    throw new MappingException(fp + ".values: must map HubSpot values to Dynamics 365 values");
                }
                Map<String, String> m = new LinkedHashMap<>();
                v.fields().forEachRemaining(x -> m.put(x.getKey(), x.getValue().asText()));
                try {
                    values = new ValueMap(m);
                } catch (IllegalArgumentException ex) {
                    throw new MappingException(fp + ".values: " + ex.getMessage());
                }
            }
            fields.add(new FieldRule(e.getKey(), hp, dc, r.direction, r.merge, r.conflict, values));
        }
        Direction deletes = Direction.NONE;
        if (n.has("deletes")) {
            try {
                deletes = Direction.parse(n.get("deletes").asText());
            } catch (IllegalArgumentException ex) {
                throw new MappingException(path + ".deletes: '"
                        + n.get("deletes").asText() + "' is not none, both, " + "hubspot_to_d365 or d365_to_hubspot");
            }
        }
        return new ObjectMapping(name, hs, d, List.copyOf(fields), deletes);
    }

    private record Rules(Direction direction, MergePolicy merge, ConflictPolicy conflict) {}

    private static Rules rules(JsonNode n, Rules base, String path) {
        Direction dir = base.direction;
        MergePolicy merge = base.merge;
        ConflictPolicy conflict = base.conflict;
        if (n.has("direction")) {
            try {
                dir = Direction.parse(n.get("direction").asText());
            } catch (IllegalArgumentException e) {
                throw new MappingException(path + ".direction: '"
                        + n.get("direction").asText() + "' is not one of hubspot_to_d365, d365_to_hubspot, both, none");
            }
        }
        if (n.has("merge")) {
            try {
                merge = MergePolicy.valueOf(n.get("merge").asText().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MappingException(
                        path + ".merge: '" + n.get("merge").asText() + "' is not one of overwrite, fill_if_missing");
            }
        }
        Side tie = conflict.kind() == ConflictPolicy.Kind.MOST_RECENT_WINS ? conflict.side() : Side.HUBSPOT;
        if (n.has("tie_breaker")) {
            tie = sideName(n.get("tie_breaker").asText(), path + ".tie_breaker");
            if (conflict.kind() == ConflictPolicy.Kind.MOST_RECENT_WINS) {
                conflict = ConflictPolicy.mostRecentWins(tie);
            }
        }
        if (n.has("conflict")) {
            String c = n.get("conflict").asText().trim().toLowerCase(Locale.ROOT);
            if (c.equals("most_recent_wins")) {
                conflict = ConflictPolicy.mostRecentWins(tie);
            } else if (c.startsWith("source_of_truth:")) {
                conflict = ConflictPolicy.sourceOfTruth(
                        sideName(c.substring("source_of_truth:".length()), path + ".conflict"));
            } else {
                throw new MappingException(
                        path + ".conflict: '" + n.get("conflict").asText()
                                + "' is not most_recent_wins, source_of_truth:hubspot or source_of_truth:dynamics");
            }
        }
        return new Rules(dir, merge, conflict);
    }

    private static Side sideName(String s, String path) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "hubspot":
                return Side.HUBSPOT;
            case "dynamics":
            case "d365":
                return Side.DYNAMICS;
            default:
                throw new MappingException(path + ": '" + s + "' is not hubspot or dynamics");
        }
    }

    private static ObjectMapping.SideSpec side(
            JsonNode n, String path, String defaultId, String defaultModified, String defaultModifiedBy) {
        if (n == null || !n.isObject()) {
            throw new MappingException(path + ": required (object, link, state, match_key)");
        }
        checkKeys(n, SIDE_KEYS, path);
        String object = text(n, "object", path, true);
        String id = n.has("id") ? text(n, "id", path, true) : defaultId;
        if (id == null) {
            throw new MappingException(path + ".id: required (the table's primary id column, e.g. contactid)");
        }
        return new ObjectMapping.SideSpec(
                object,
                id,
                text(n, "link", path, true),
                text(n, "state", path, true),
                text(n, "match_key", path, true),
                n.has("modified") ? text(n, "modified", path, true) : defaultModified,
                n.has("modified_by") ? text(n, "modified_by", path, false) : defaultModifiedBy,
                n.has("integration_user") ? text(n, "integration_user", path, false) : "");
    }

    private static String text(JsonNode n, String key, String path, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank()) {
            if (required) {
                throw new MappingException(path + "." + key + ": required");
            }
            return "";
        }
        return v.asText().trim();
    }

    private static void checkKeys(JsonNode n, Set<String> allowed, String path) {
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                throw new MappingException((path.isEmpty() ? "" : path + ".") + k + ": unknown key (allowed: "
                        + new TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The mapping is wrong; the message names the path of the problem. */
    public static final class MappingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MappingException(String message) {
            super(message);
        }
    }
}
