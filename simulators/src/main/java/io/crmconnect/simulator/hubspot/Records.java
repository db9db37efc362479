package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record operations every writer shares (the object APIs, the data generator, the mutator): resolve, create,
 * update, archive and merge records with HubSpot's validation, uniqueness and association rules.
 */
final class Records {
    private final Store store;
    volatile boolean trackHistory = true;

    Records(Store store) {
        this.store = store;
    }

    /** Resolves {id} (or idProperty value) of a single-record path; follows merges when asked. */
    Rec resolve(ObjectType t, String idOrValue, String idProperty, boolean archived, boolean followMerges) {
        ObjectTable tab = store.table(t);
        if (archived) {
            try {
                Rec r = tab.archived.get(Long.parseLong(idOrValue));
                if (r != null) {
                    return r;
                }
            } catch (NumberFormatException ignored) {
                // fall through to 404
            }
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        if (idProperty != null && !idProperty.isEmpty() && !idProperty.equals("hs_object_id")) {
            PropertyDef p = t.property(idProperty);
            if (p == null) {
                throw ApiException.validation("Property \"" + idProperty + "\" does not exist");
            }
            if (!p.hasUniqueValue && !(t.name.equals("contacts") && idProperty.equals("email"))) {
                throw ApiException.validation("Unable to get by non-unique " + t.objectTypeId + " property "
                        + idProperty + " in portal ID " + store.portalId);
            }
            Long id = tab.findByUnique(idProperty, idOrValue);
            Rec r = id == null ? null : tab.live.get(id);
            if (r == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.");
            }
            return r;
        }
        long id;
        try {
            id = Long.parseLong(idOrValue);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        Rec r = tab.get(id, followMerges);
        if (r == null) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        return r;
    }

    /** Creates a record (validated), with inline associations. Caller holds no lock. */
    Rec createRecord(
            ObjectType t, Map<String, String> input, JsonNode associations, long now, String source, boolean internal) {
        ObjectTable tab = store.table(t);
        Map<String, String> changes = new LinkedHashMap<>(store.validate(t, input, null, internal));
        applyCreateDefaults(t, changes);
        checkRequired(t, changes);
        List<InlineAssoc> assoc = parseInlineAssociations(t, associations);
        synchronized (tab) {
            checkUnique(t, tab, changes, -1);
            long id = store.nextId();
            // generated (CRM_UI) records keep no explicit history: their one value is implied (see writeRecord)
            Rec r = ObjectTable.withChanges(
                    null, id, changes, now, t, source, trackHistory && !"CRM_UI".equals(source));
            tab.put(r, now, store.indexLagMillis);
            for (InlineAssoc a : assoc) {
                store.associations.add(t.objectTypeId, id, a.toTypeId(), a.toId(), a.typeId());
            }
            return r;
        }
    }

    private void applyCreateDefaults(ObjectType t, Map<String, String> changes) {
        if (t.objectTypeId.equals("0-3") && !changes.containsKey("pipeline")) {
            changes.put("pipeline", "default");
        }
        if (t.objectTypeId.equals("0-5") && !changes.containsKey("hs_pipeline")) {
            changes.put("hs_pipeline", "0");
        }
    }

    private static void checkRequired(ObjectType t, Map<String, String> changes) {
        for (String p : t.requiredProps) {
            String v = changes.get(p);
            if (v == null || v.isEmpty()) {
                throw ApiException.validation("Property values were not valid: [{\"isValid\":false,\"message\":" + "\""
                                + p + " is required\",\"error\":\"REQUIRED_PROPERTY\",\"name\":\"" + p + "\"}]")
                        .error(p + " is required", "REQUIRED_PROPERTY", "propertyName", p);
            }
        }
    }

    /** 409 when a unique value (contact email, hasUniqueValue property) belongs to another record. */
    private void checkUnique(ObjectType t, ObjectTable tab, Map<String, String> changes, long selfId) {
        for (String p : t.uniqueProps()) {
            String v = changes.get(p);
            if (v == null || v.isEmpty()) {
                continue;
            }
            Long other = tab.findByUnique(p, v);
            if (other != null && other != selfId) {
                String msg = t.name.equals("contacts") && p.equals("email")
                        ? "Contact already exists. Existing ID: " + other
                        : "A " + t.singular + " with the unique value \"" + v + "\" for property \"" + p
                                + "\" already exists. Existing ID: " + other;
                throw new ApiException(409, "CONFLICT", msg).context("id", Long.toString(other));
            }
        }
    }

    /** One association given inline on create. */
    record InlineAssoc(String toTypeId, long toId, int typeId) {}

    /** Parses [{to:{id}, types:[{associationCategory, associationTypeId}]}]. */
    private List<InlineAssoc> parseInlineAssociations(ObjectType t, JsonNode associations) {
        List<InlineAssoc> out = new ArrayList<>();
        if (associations == null || !associations.isArray()) {
            return out;
        }
        for (JsonNode a : associations) {
            long toId = a.path("to").path("id").asLong(-1);
            for (JsonNode ty : a.path("types")) {
                int typeId = ty.path("associationTypeId").asInt(-1);
                Store.Associations.Def d = null;
                for (Store.Associations.Def x : store.associations.defs) {
                    if (x.fromTypeId().equals(t.objectTypeId) && x.typeId() == typeId) {
                        d = x;
                        break;
                    }
                }
                if (d == null) {
                    throw ApiException.validation("Invalid association type id " + typeId + " for " + t.name);
                }
                ObjectType to = store.typeOrNull(d.toTypeId());
                if (to == null || store.table(to).live.get(toId) == null) {
                    throw ApiException.validation("Cannot create association: " + (to == null ? "?" : to.singular) + " "
                                    + toId + " does not exist")
                            .context("id", Long.toString(toId));
                }
                out.add(new InlineAssoc(d.toTypeId(), toId, typeId));
            }
        }
        return out;
    }

    Rec updateRecord(ObjectType t, Rec existing, Map<String, String> input, long now, String source, boolean internal) {
        ObjectTable tab = store.table(t);
        Map<String, String> changes = store.validate(t, input, existing, internal);
        synchronized (tab) {
            Rec cur = tab.live.get(existing.id);
            if (cur == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.");
            }
            checkUnique(t, tab, changes, cur.id);
            if (changes.isEmpty() && !internal) {
                return cur;
            }
            Rec r = ObjectTable.withChanges(cur, cur.id, changes, now, t, source, trackHistory);
            tab.put(r, now, store.indexLagMillis);
            return r;
        }
    }

    boolean archiveRecord(ObjectType t, long id, long now) {
        ObjectTable tab = store.table(t);
        Rec a = tab.archive(id, now, store.indexLagMillis);
        if (a != null) {
            store.associations.removeAll(t.objectTypeId, id, allTypeIds());
        }
        return a != null;
    }

    List<String> allTypeIds() {
        List<String> out = new ArrayList<>();
        for (ObjectType x : store.types) {
            out.add(x.objectTypeId);
        }
        return out;
    }

    Rec mergeRecords(ObjectType t, long primaryId, long mergeId, long now) {
        if (primaryId == mergeId) {
            throw ApiException.validation("Cannot merge an object with itself");
        }
        ObjectTable tab = store.table(t);
        synchronized (tab) {
            Rec primary = tab.live.get(primaryId);
            Rec merged = tab.live.get(mergeId);
            if (primary == null || merged == null) {
                throw ApiException.notFound("Object not found.  objectId are usually numeric.")
                        .context("id", Long.toString(primary == null ? primaryId : mergeId));
            }
            Map<String, String> changes = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : merged.props.entrySet()) {
                String k = e.getKey();
                if (!primary.props.containsKey(k)
                        && !k.equals("hs_object_id")
                        && !k.equals(t.createdProp)
                        && !k.equals(t.lastModifiedProp)
                        && !k.equals("hs_merged_object_ids")) {
                    changes.put(k, e.getValue());
                }
            }
            Set<String> ids = new LinkedHashSet<>();
            for (Rec x : List.of(primary, merged)) {
                String s = x.props.get("hs_merged_object_ids");
                if (s != null) {
                    for (String v : s.split(";")) {
                        if (!v.isEmpty()) {
                            ids.add(v);
                        }
                    }
                }
            }
            ids.add(Long.toString(mergeId));
            changes.put("hs_merged_object_ids", String.join(";", ids));
            if (t.name.equals("contacts") && merged.props.get("email") != null) {
                String extra = primary.props.getOrDefault("hs_additional_emails", "");
                changes.put(
                        "hs_additional_emails",
                        extra.isEmpty() ? merged.props.get("email") : extra + ";" + merged.props.get("email"));
                changes.remove("email");
            }
            tab.mergedAway(mergeId, primaryId, now, store.indexLagMillis);
            Rec r = ObjectTable.withChanges(primary, primaryId, changes, now, t, "API", trackHistory);
            tab.put(r, now, store.indexLagMillis);
            store.associations.moveAll(t.objectTypeId, mergeId, primaryId, allTypeIds());
            return r;
        }
    }
}
