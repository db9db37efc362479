package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.ObjectSchema;
import io.crmconnect.hubspot.client.PropertyDefinition;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The target object's property definitions (type, uniqueness, read-only, enumeration options). */
final class PropertyCatalog {
    static final Set<String> STANDARD = Set.of(
            "contacts",
            "companies",
            "deals",
            "tickets",
            "products",
            "line_items",
            "quotes",
            "calls",
            "emails",
            "meetings",
            "notes",
            "tasks",
            "leads");

    /** One property; {@code options} empty when unknown or not an enumeration. */
    record Prop(String name, String type, boolean multi, boolean unique, boolean readOnly, Set<String> options) {}

    final String objectType;
    final Map<String, Prop> props;

    PropertyCatalog(String objectType, Map<String, Prop> props) {
        this.objectType = objectType;
        this.props = props;
    }

    Prop get(String name) {
        return props.get(name);
    }

    boolean isUniqueKey(String name) {
        Prop p = props.get(name);
        return p != null && (p.unique() || isContacts() && "email".equals(name));
    }

    boolean isContacts() {
        return objectType.equals("contacts") || objectType.equals("0-1");
    }

    /**
     * Resolves an object name to what the objects API accepts: standard names and 0-x / 2-x ids as they are, custom
     * object names and fully qualified names through the schemas API. Null when no such object exists.
     */
    static String resolveObjectType(HubSpotClient client, String object) {
        String o = object.trim();
        if (STANDARD.contains(o.toLowerCase(Locale.ROOT)) || o.matches("0-\\d+")) {
            return o.toLowerCase(Locale.ROOT);
        }
        for (ObjectSchema s : client.schemas()) {
            if (o.equals(s.objectTypeId())
                    || o.equalsIgnoreCase(s.name())
                    || o.equalsIgnoreCase(s.fullyQualifiedName())) {
                return s.objectTypeId();
            }
        }
        return null;
    }

    /** Loads the definitions, enumeration options included, with one call through the task's rate budget. */
    static PropertyCatalog load(HubSpotClient client, String objectType) {
        Map<String, Prop> props = new LinkedHashMap<>();
        for (PropertyDefinition d : client.properties(objectType)) {
            props.put(d.name(), prop(d));
        }
        return new PropertyCatalog(objectType, props);
    }

    static Prop prop(PropertyDefinition d) {
        Set<String> options = "enumeration".equals(d.type()) ? new LinkedHashSet<>(d.options()) : Set.of();
        return new Prop(
                d.name(),
                d.type(),
                d.isMultiValued(),
                d.hasUniqueValue(),
                d.readOnlyValue() || d.calculated(),
                options);
    }

    List<String> names() {
        return List.copyOf(props.keySet());
    }
}
