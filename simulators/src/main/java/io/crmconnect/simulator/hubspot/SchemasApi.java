package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Custom object schemas ({@code schemas-v3.json}, served under {@code /crm-object-schemas/v3/schemas} and the
 * {@code /crm/v3/schemas} alias): list, get, create, patch, delete, batch read, association definitions.
 */
final class SchemasApi {
    private final Store store;
    private final PropertiesApi properties;

    SchemasApi(Store store, PropertiesApi properties) {
        this.store = store;
        this.properties = properties;
    }

    void register(Router r) {
        String sc = "/crm-object-schemas/v3/schemas";
        r.add("GET", sc, this::schemas);
        r.add("POST", sc, this::createSchema);
        r.add("POST", sc + "/batch/read", this::batchReadSchemas);
        r.add("GET", sc + "/{objectType}", this::schema);
        r.add("PATCH", sc + "/{objectType}", this::patchSchema);
        r.add("DELETE", sc + "/{objectType}", this::deleteSchema);
        r.add("POST", sc + "/{objectType}/associations", this::createSchemaAssociation);
    }

    ObjectNode renderSchema(ObjectType t, boolean withProps) {
        ObjectNode n = Json.obj();
        n.put("id", t.objectTypeId.substring(2));
        n.put("objectTypeId", t.objectTypeId);
        n.put("name", t.name);
        n.put("fullyQualifiedName", t.fullyQualifiedName);
        ObjectNode labels = n.putObject("labels");
        labels.put("singular", t.singular);
        labels.put("plural", t.name);
        n.put("primaryDisplayProperty", t.primaryDisplayProperty);
        ArrayNode req = n.putArray("requiredProperties");
        t.requiredProps.forEach(req::add);
        ArrayNode sp = n.putArray("searchableProperties");
        t.searchableProps.forEach(sp::add);
        n.putArray("secondaryDisplayProperties");
        ArrayNode props = n.putArray("properties");
        if (withProps) {
            for (PropertyDef p : t.properties(false)) {
                props.add(PropertiesApi.render(p));
            }
        }
        ArrayNode assoc = n.putArray("associations");
        for (Store.Associations.Def d : store.associations.defs) {
            if (d.fromTypeId().equals(t.objectTypeId) && d.label() == null) {
                ObjectNode a = assoc.addObject();
                a.put("id", Integer.toString(d.typeId()));
                a.put("fromObjectTypeId", d.fromTypeId());
                a.put("toObjectTypeId", d.toTypeId());
                ObjectType to = store.typeOrNull(d.toTypeId());
                a.put("name", (t.name + "_to_" + (to == null ? d.toTypeId() : to.name)).toUpperCase(Locale.ROOT));
            }
        }
        n.put("createdAt", Json.iso(t.createdAt));
        n.put("updatedAt", Json.iso(t.createdAt));
        n.put("archived", t.archived);
        return n;
    }

    private Http.Resp schemas(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        boolean withProps = req.qBool("includePropertyDefinitions", true);
        for (ObjectType t : store.types) {
            if (t.custom && t.archived == req.qBool("archived", false)) {
                results.add(renderSchema(t, withProps));
            }
        }
        return Http.Resp.json(200, out);
    }

    private ObjectType customType(String key) {
        ObjectType t = store.typeOrNull(key);
        if (t == null && key != null && !key.startsWith("p_") && !key.contains("-")) {
            t = store.typeOrNull("p" + store.portalId + "_" + key);
        }
        if (t == null || !t.custom) {
            throw ApiException.notFound("Unable to find object type " + key);
        }
        return t;
    }

    private Http.Resp schema(Http.Req req) {
        return Http.Resp.json(200, renderSchema(customType(req.param("objectType")), true));
    }

    private Http.Resp batchReadSchemas(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (JsonNode x : Batch.inputs(req.json(), 100)) {
            ObjectType t = store.typeOrNull(x.asText(x.path("id").asText("")));
            if (t != null && t.custom) {
                results.add(renderSchema(
                        t, req.json().path("includePropertyDefinitions").asBoolean(true)));
            }
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp createSchema(Http.Req req) {
        return Http.Resp.json(201, renderSchema(defineSchema(req.json()), true));
    }

    ObjectType defineSchema(JsonNode b) {
        String name = b.path("name").asText(null);
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw ApiException.validation("A schema needs a name of letters, digits and underscores");
        }
        if (!b.path("properties").isArray() || b.path("properties").isEmpty()) {
            throw ApiException.validation("A schema needs at least one property");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ObjectType t : store.types) {
            if (t.custom && t.name.equals(lower) && !t.archived) {
                throw new ApiException(
                        409, "OBJECT_ALREADY_EXISTS", "Object type with name " + name + " already exists");
            }
        }
        List<String> required = new ArrayList<>();
        b.path("requiredProperties").forEach(n -> required.add(n.asText()));
        List<String> searchable = new ArrayList<>();
        b.path("searchableProperties").forEach(n -> searchable.add(n.asText()));
        String primary = b.path("primaryDisplayProperty")
                .asText(b.path("properties").get(0).path("name").asText());
        if (searchable.isEmpty()) {
            searchable.add(primary);
        }
        long now = store.clock.millis();
        String id = "2-" + store.customTypeSeq.getAndIncrement();
        ObjectType t = new ObjectType(
                lower,
                id,
                b.path("labels").path("singular").asText(lower),
                "p" + store.portalId + "_" + lower,
                true,
                "hs_createdate",
                "hs_lastmodifieddate",
                List.of(primary),
                required,
                primary,
                searchable,
                now);
        Catalog.Props base = new Catalog.Props(now)
                .systemId()
                .roDt("hs_createdate", lower + "_information")
                .roDt("hs_lastmodifieddate", lower + "_information")
                .mergedIds();
        base.list.forEach(t::addProperty);
        store.registerType(t);
        try {
            for (JsonNode p : b.path("properties")) {
                ObjectNode def = p.deepCopy();
                if (!def.has("groupName")) {
                    def.put("groupName", lower + "_information");
                }
                if (!def.has("label")) {
                    def.put("label", def.path("name").asText());
                }
                properties.define(t, def);
            }
            for (String r : required) {
                if (t.property(r) == null) {
                    throw ApiException.validation("Required property " + r + " is not among the schema's properties");
                }
            }
        } catch (ApiException e) {
            store.unregisterType(t);
            throw e;
        }
        for (JsonNode a : b.path("associatedObjects")) {
            ObjectType other = store.typeOrNull(a.asText());
            if (other != null) {
                int typeId = store.associations.labelSeq.incrementAndGet();
                int inverse = store.associations.labelSeq.incrementAndGet();
                store.associations.define(id, other.objectTypeId, typeId, null, "USER_DEFINED", inverse);
            }
        }
        return t;
    }

    private Http.Resp patchSchema(Http.Req req) {
        ObjectType t = customType(req.param("objectType"));
        ObjectNode n = renderSchema(t, false);
        n.remove("properties");
        n.remove("associations");
        n.put("portalId", store.portalId);
        return Http.Resp.json(200, n);
    }

    private Http.Resp deleteSchema(Http.Req req) {
        ObjectType t = customType(req.param("objectType"));
        if (!store.table(t).live.isEmpty()) {
            throw new ApiException(
                    400,
                    "VALIDATION_ERROR",
                    "Object type " + t.objectTypeId
                            + " still has records; delete every record before deleting its schema");
        }
        if (req.qBool("archived", false)) {
            store.unregisterType(t);
        } else {
            t.archived = true;
        }
        return Http.Resp.noContent();
    }

    private Http.Resp createSchemaAssociation(Http.Req req) {
        ObjectType t = customType(req.param("objectType"));
        JsonNode b = req.json();
        ObjectType to = store.type(b.path("toObjectTypeId").asText());
        int typeId = store.associations.labelSeq.incrementAndGet();
        int inverse = store.associations.labelSeq.incrementAndGet();
        store.associations.define(t.objectTypeId, to.objectTypeId, typeId, null, "USER_DEFINED", inverse);
        ObjectNode n = Json.obj();
        n.put("id", Integer.toString(typeId));
        n.put("fromObjectTypeId", t.objectTypeId);
        n.put("toObjectTypeId", to.objectTypeId);
        n.put("name", b.path("name").asText((t.name + "_to_" + to.name).toUpperCase(Locale.ROOT)));
        n.put("createdAt", Json.iso(store.clock.millis()));
        n.put("updatedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(201, n);
    }
}
