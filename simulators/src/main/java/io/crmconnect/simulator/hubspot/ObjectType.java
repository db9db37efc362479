package io.crmconnect.simulator.hubspot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A CRM object type (built-in or custom) with its property definitions. */
final class ObjectType {
    final String name; // contacts, companies, ..., or custom plural name
    final String objectTypeId; // 0-1, 2-1234567
    final String singular;
    final String fullyQualifiedName;
    final boolean custom;
    final String createdProp;
    final String lastModifiedProp;
    final List<String> defaultProps;
    final List<String> requiredProps;
    final String primaryDisplayProperty;
    final List<String> searchableProps;
    final long createdAt;
    /** Insertion-ordered property definitions; guarded by this. */
    private final Map<String, PropertyDef> properties = new LinkedHashMap<>();
    /** groupName -> label; guarded by this. */
    private final Map<String, String> groups = new LinkedHashMap<>();

    volatile boolean archived;

    ObjectType(
            String name,
            String objectTypeId,
            String singular,
            String fullyQualifiedName,
            boolean custom,
            String createdProp,
            String lastModifiedProp,
            List<String> defaultProps,
            List<String> requiredProps,
            String primaryDisplayProperty,
            List<String> searchableProps,
            long createdAt) {
        this.name = name;
        this.objectTypeId = objectTypeId;
        this.singular = singular;
        this.fullyQualifiedName = fullyQualifiedName;
        this.custom = custom;
        this.createdProp = createdProp;
        this.lastModifiedProp = lastModifiedProp;
        this.defaultProps = List.copyOf(defaultProps);
        this.requiredProps = List.copyOf(requiredProps);
        this.primaryDisplayProperty = primaryDisplayProperty;
        this.searchableProps = List.copyOf(searchableProps);
        this.createdAt = createdAt;
    }

    synchronized PropertyDef property(String name) {
        PropertyDef p = properties.get(name);
        return p == null || p.archived ? null : p;
    }

    synchronized PropertyDef propertyIncludingArchived(String name) {
        return properties.get(name);
    }

    synchronized List<PropertyDef> properties(boolean archived) {
        List<PropertyDef> out = new ArrayList<>();
        for (PropertyDef p : properties.values()) {
            if (p.archived == archived) {
                out.add(p);
            }
        }
        return out;
    }

    synchronized void addProperty(PropertyDef p) {
        properties.put(p.name, p);
        uniqueCache = null;
        groups.putIfAbsent(p.groupName, humanize(p.groupName));
    }

    synchronized Map<String, String> groups() {
        return new LinkedHashMap<>(groups);
    }

    synchronized void addGroup(String name, String label) {
        groups.put(name, label);
    }

    synchronized boolean removeGroup(String name) {
        return groups.remove(name) != null;
    }

    private volatile List<String> uniqueCache;

    /** Properties whose values identify one record: hasUniqueValue ones, and email for contacts. */
    List<String> uniqueProps() {
        List<String> u = uniqueCache;
        if (u == null) {
            synchronized (this) {
                List<String> out = new ArrayList<>();
                for (PropertyDef p : properties.values()) {
                    // a contact's email is an identity property although not hasUniqueValue (HubSpot's contacts guide)
                    if (!p.archived && (p.hasUniqueValue || name.equals("contacts") && p.name.equals("email"))) {
                        out.add(p.name);
                    }
                }
                u = List.copyOf(out);
                uniqueCache = u;
            }
        }
        return u;
    }

    /** Call after archiving a property definition. */
    void definitionsChanged() {
        uniqueCache = null;
    }

    static String humanize(String s) {
        String t = s.replace('_', ' ');
        return t.isEmpty() ? t : Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }
}
