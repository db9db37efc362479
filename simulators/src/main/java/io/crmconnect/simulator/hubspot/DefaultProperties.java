package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HubSpot's default property definitions of contacts, companies and deals (names, labels, types, field types, groups,
 * {@code readOnlyValue}, {@code calculated}, options), read once from {@code hubspot-default-properties.json}, whose
 * {@code source} field names the public portal dumps it was derived from.
 */
final class DefaultProperties {
    private static final String RESOURCE = "/hubspot-default-properties.json";

    /** One object type's groups (name to label, in order) and property definitions (in order). */
    record ObjectDefaults(Map<String, String> groups, List<Spec> properties) {}

    /** One property as the resource describes it. */
    record Spec(
            String name,
            String label,
            String type,
            String fieldType,
            String groupName,
            boolean readOnlyValue,
            boolean calculated,
            boolean hasUniqueValue,
            List<String[]> options) {
        PropertyDef toDef(int displayOrder, long createdAt) {
            return new PropertyDef(
                    name,
                    label,
                    type,
                    fieldType,
                    groupName,
                    options,
                    hasUniqueValue,
                    calculated,
                    readOnlyValue,
                    true,
                    "",
                    displayOrder,
                    createdAt);
        }
    }

    private static final Map<String, ObjectDefaults> BY_TYPE = load();

    private DefaultProperties() {}

    /** The defaults of an object type (contacts, companies, deals); null for other types. */
    static ObjectDefaults of(String objectType) {
        return BY_TYPE.get(objectType);
    }

    private static Map<String, ObjectDefaults> load() {
        JsonNode root;
        try (InputStream in = DefaultProperties.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            root = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Map<String, ObjectDefaults> out = new LinkedHashMap<>();
        root.path("objects").fields().forEachRemaining(e -> {
            Map<String, String> groups = new LinkedHashMap<>();
            e.getValue()
                    .path("groups")
                    .forEach(g -> groups.put(g.get(0).asText(), g.get(1).asText()));
            List<Spec> props = new ArrayList<>();
            for (JsonNode p : e.getValue().path("properties")) {
                List<String[]> options = new ArrayList<>();
                p.path("options")
                        .forEach(o -> options.add(
                                new String[] {o.get(0).asText(), o.get(1).asText()}));
                props.add(new Spec(
                        p.path("name").asText(),
                        p.path("label").asText(),
                        p.path("type").asText(),
                        p.path("fieldType").asText(),
                        p.path("groupName").asText(),
                        p.path("readOnlyValue").asBoolean(false),
                        p.path("calculated").asBoolean(false),
                        p.path("hasUniqueValue").asBoolean(false),
                        List.copyOf(options)));
            }
            out.put(e.getKey(), new ObjectDefaults(groups, List.copyOf(props)));
        });
        return Map.copyOf(out);
    }
}
