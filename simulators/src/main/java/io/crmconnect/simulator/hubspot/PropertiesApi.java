package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Properties API ({@code properties-v3.json}): property definitions and property groups. */
final class PropertiesApi {
    static final Set<String> TYPES =
            Set.of("string", "number", "date", "datetime", "enumeration", "bool", "phone_number");
    static final Set<String> FIELD_TYPES = Set.of(
            "booleancheckbox",
            "calculation_equation",
            "checkbox",
            "date",
            "file",
            "html",
            "number",
            "phonenumber",
            "radio",
            "select",
            "text",
            "textarea");

    private final Store store;

    PropertiesApi(Store store) {
        this.store = store;
    }

    void register(Router r) {
        String pr = "/crm/v3/properties/{objectType}";
        r.add("GET", pr, this::list);
        r.add("POST", pr, this::create);
        r.add("GET", pr + "/{propertyName}", this::get);
        r.add("PATCH", pr + "/{propertyName}", this::update);
        r.add("DELETE", pr + "/{propertyName}", this::archive);
        r.add("POST", pr + "/batch/read", this::batchRead);
        r.add("POST", pr + "/batch/create", this::batchCreate);
        r.add("POST", pr + "/batch/archive", this::batchArchive);
        r.add("GET", pr + "/groups", this::groups);
        r.add("POST", pr + "/groups", this::createGroup);
        r.add("GET", pr + "/groups/{groupName}", this::group);
        r.add("PATCH", pr + "/groups/{groupName}", this::updateGroup);
        r.add("DELETE", pr + "/groups/{groupName}", this::archiveGroup);
    }

    static ObjectNode render(PropertyDef p) {
        ObjectNode n = Json.obj();
        n.put("name", p.name);
        n.put("label", p.label);
        n.put("type", p.type);
        n.put("fieldType", p.fieldType);
        n.put("groupName", p.groupName);
        n.put("description", p.description);
        ArrayNode opts = n.putArray("options");
        int i = 0;
        for (String[] o : p.options) {
            ObjectNode on = opts.addObject();
            on.put("label", o[0]);
            on.put("value", o[1]);
            on.put("displayOrder", i++);
            on.put("hidden", false);
        }
        n.put("displayOrder", p.displayOrder);
        n.put("hidden", false);
        n.put("formField", !p.calculated && !p.readOnlyValue);
        n.put("hasUniqueValue", p.hasUniqueValue);
        n.put("calculated", p.calculated);
        n.put("externalOptions", false);
        n.put("hubspotDefined", p.hubspotDefined);
        ObjectNode mm = n.putObject("modificationMetadata");
        mm.put("archivable", !p.hubspotDefined);
        mm.put("readOnlyDefinition", p.hubspotDefined);
        mm.put("readOnlyValue", p.readOnlyValue || p.calculated);
        n.put("dataSensitivity", "non_sensitive");
        n.put("createdAt", Json.iso(p.createdAt));
        n.put("updatedAt", Json.iso(p.createdAt));
        n.put("archived", p.archived);
        if (p.archived) {
            n.put("archivedAt", Json.iso(p.archivedAt));
        }
        return n;
    }

    private Http.Resp list(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        boolean archived = req.qBool("archived", false);
        List<String> only = req.qList("properties");
        ObjectNode out = Json.obj();
        ArrayNode res = out.putArray("results");
        for (PropertyDef p : t.properties(archived)) {
            if (only.isEmpty() || only.contains(p.name)) {
                res.add(render(p));
            }
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp get(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        PropertyDef p = req.qBool("archived", false)
                ? t.propertyIncludingArchived(req.param("propertyName"))
                : t.property(req.param("propertyName"));
        if (p == null) {
            throw new ApiException(
                    404,
                    "OBJECT_NOT_FOUND",
                    "Unable to find property " + req.param("propertyName") + " for object type " + t.objectTypeId);
        }
        return Http.Resp.json(200, render(p));
    }

    PropertyDef define(ObjectType t, JsonNode b) {
        String name = b.path("name").asText(null);
        String label = b.path("label").asText(null);
        String type = b.path("type").asText(null);
        String fieldType = b.path("fieldType").asText(null);
        String group = b.path("groupName").asText(null);
        if (name == null || label == null || type == null || fieldType == null || group == null) {
            throw ApiException.validation("A property needs name, label, type, fieldType and groupName");
        }
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw ApiException.validation("Property name " + name
                    + " is invalid: use lowercase letters, digits and underscores, starting with a letter");
        }
        if (!TYPES.contains(type)) {
            throw ApiException.validation("Unknown property type " + type + ". Allowed: " + TYPES);
        }
        if (!FIELD_TYPES.contains(fieldType)) {
            throw ApiException.validation("Unknown fieldType " + fieldType + ". Allowed: " + FIELD_TYPES);
        }
        if (t.propertyIncludingArchived(name) != null && t.property(name) != null) {
            throw new ApiException(409, "OBJECT_ALREADY_EXISTS", "Property named '" + name + "' already exists.");
        }
        boolean unique = b.path("hasUniqueValue").asBoolean(false);
        long customUnique = t.properties(false).stream()
                .filter(x -> x.hasUniqueValue && !x.hubspotDefined)
                .count();
        if (unique && customUnique >= 10) {
            throw ApiException.validation("An object can have at most 10 unique value properties");
        }
        List<String[]> opts = new ArrayList<>();
        for (JsonNode o : b.path("options")) {
            opts.add(new String[] {
                o.path("label").asText(o.path("value").asText()),
                o.path("value").asText()
            });
        }
        if (type.equals("enumeration")
                && opts.isEmpty()
                && !b.path("externalOptions").asBoolean(false)) {
            throw ApiException.validation("Enumeration property " + name + " needs options");
        }
        if (type.equals("bool") && opts.isEmpty()) {
            opts.add(new String[] {"Yes", "true"});
            opts.add(new String[] {"No", "false"});
        }
        PropertyDef p = new PropertyDef(
                name,
                label,
                type,
                fieldType,
                group,
                opts,
                unique,
                fieldType.equals("calculation_equation"),
                fieldType.equals("calculation_equation"),
                false,
                b.path("description").asText(""),
                b.path("displayOrder").asInt(-1),
                store.clock.millis());
        t.addProperty(p);
        return p;
    }

    private Http.Resp create(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        return Http.Resp.json(201, render(define(t, req.json())));
    }

    private Http.Resp update(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        PropertyDef old = t.property(req.param("propertyName"));
        if (old == null) {
            throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property " + req.param("propertyName"));
        }
        if (old.hubspotDefined && req.json().has("type")) {
            throw ApiException.validation("Cannot change the type of HubSpot-defined property " + old.name);
        }
        JsonNode b = req.json();
        List<String[]> opts = old.options;
        if (b.has("options")) {
            opts = new ArrayList<>();
            for (JsonNode o : b.path("options")) {
                opts.add(new String[] {o.path("label").asText(), o.path("value").asText()});
            }
        }
        PropertyDef p = new PropertyDef(
                old.name,
                b.path("label").asText(old.label),
                b.path("type").asText(old.type),
                b.path("fieldType").asText(old.fieldType),
                b.path("groupName").asText(old.groupName),
                opts,
                old.hasUniqueValue,
                old.calculated,
                old.readOnlyValue,
                old.hubspotDefined,
                b.path("description").asText(old.description),
                b.path("displayOrder").asInt(old.displayOrder),
                old.createdAt);
        t.addProperty(p);
        return Http.Resp.json(200, render(p));
    }

    private Http.Resp archive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        PropertyDef p = t.property(req.param("propertyName"));
        if (p == null) {
            throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property " + req.param("propertyName"));
        }
        if (p.hubspotDefined) {
            throw ApiException.validation("HubSpot-defined property " + p.name + " cannot be archived");
        }
        p.archivedAt = store.clock.millis();
        p.archived = true;
        t.definitionsChanged();
        return Http.Resp.noContent();
    }

    private Http.Resp batchRead(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), 1000);
        boolean archived = req.json().path("archived").asBoolean(false);
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode res = out.putArray("results");
        for (JsonNode x : in) {
            PropertyDef p = archived
                    ? t.propertyIncludingArchived(x.path("name").asText())
                    : t.property(x.path("name").asText());
            if (p != null) {
                res.add(render(p));
            }
        }
        out.put("startedAt", Json.iso(started));
        out.put("completedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(200, out);
    }

    private Http.Resp batchCreate(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), 1000);
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode res = out.putArray("results");
        for (JsonNode x : in) {
            res.add(render(define(t, x)));
        }
        out.put("startedAt", Json.iso(started));
        out.put("completedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(201, out);
    }

    private Http.Resp batchArchive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        for (JsonNode x : Batch.inputs(req.json(), 1000)) {
            PropertyDef p = t.property(x.path("name").asText());
            if (p != null && !p.hubspotDefined) {
                p.archivedAt = store.clock.millis();
                p.archived = true;
                t.definitionsChanged();
            }
        }
        return Http.Resp.noContent();
    }

    private static ObjectNode renderGroup(String name, String label, int order) {
        ObjectNode g = Json.obj();
        g.put("name", name);
        g.put("label", label);
        g.put("displayOrder", order);
        g.put("archived", false);
        return g;
    }

    private Http.Resp groups(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        ObjectNode out = Json.obj();
        ArrayNode res = out.putArray("results");
        int i = 0;
        for (Map.Entry<String, String> e : t.groups().entrySet()) {
            res.add(renderGroup(e.getKey(), e.getValue(), i++));
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp group(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        String label = t.groups().get(req.param("groupName"));
        if (label == null) {
            throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property group " + req.param("groupName"));
        }
        return Http.Resp.json(200, renderGroup(req.param("groupName"), label, 0));
    }

    private Http.Resp createGroup(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        String name = req.json().path("name").asText(null);
        String label = req.json().path("label").asText(null);
        if (name == null || label == null) {
            throw ApiException.validation("A property group needs name and label");
        }
        if (t.groups().containsKey(name)) {
            throw new ApiException(409, "OBJECT_ALREADY_EXISTS", "Property group named '" + name + "' already exists.");
        }
        t.addGroup(name, label);
        return Http.Resp.json(
                201, renderGroup(name, label, req.json().path("displayOrder").asInt(-1)));
    }

    private Http.Resp updateGroup(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        String name = req.param("groupName");
        if (!t.groups().containsKey(name)) {
            throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property group " + name);
        }
        String label = req.json().path("label").asText(t.groups().get(name));
        t.addGroup(name, label);
        return Http.Resp.json(
                200, renderGroup(name, label, req.json().path("displayOrder").asInt(0)));
    }

    private Http.Resp archiveGroup(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        if (!t.removeGroup(req.param("groupName"))) {
            throw new ApiException(404, "OBJECT_NOT_FOUND", "Unable to find property group " + req.param("groupName"));
        }
        return Http.Resp.noContent();
    }
}
