package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Association labels ({@code associationsSchema-v4.json}): list, create, rename and delete the association types
 * between two object types. Served under {@code /crm/associations/v4/} and the {@code /crm/v4/associations/} alias.
 */
final class AssociationLabelsApi {
    private final Store store;

    AssociationLabelsApi(Store store) {
        this.store = store;
    }

    void register(Router r) {
        String as = "/crm/v4/associations/{fromObjectType}/{toObjectType}";
        r.add("GET", as + "/labels", this::labels).tenSecondlyExempt = true;
        r.add("POST", as + "/labels", this::createLabel).tenSecondlyExempt = true;
        r.add("PUT", as + "/labels", this::updateLabel).tenSecondlyExempt = true;
        r.add("DELETE", as + "/labels/{associationTypeId}", this::deleteLabel).tenSecondlyExempt = true;
    }

    private Http.Resp labels(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (Store.Associations.Def d : store.associations.defsBetween(from.objectTypeId, to.objectTypeId)) {
            results.add(AssociationsApi.typeSpec(d, d.typeId()));
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp createLabel(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode b = req.json();
        String label = b.path("label").asText(null);
        String name = b.path("name").asText(null);
        if (label == null || name == null) {
            throw ApiException.validation("label and name are required");
        }
        int typeId = store.associations.labelSeq.incrementAndGet();
        int inverse = store.associations.labelSeq.incrementAndGet();
        String inverseLabel = b.path("inverseLabel").asText(label);
        store.associations.defs.add(
                new Store.Associations.Def(from.objectTypeId, to.objectTypeId, typeId, label, "USER_DEFINED", inverse));
        store.associations.defs.add(new Store.Associations.Def(
                to.objectTypeId, from.objectTypeId, inverse, inverseLabel, "USER_DEFINED", typeId));
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        Store.Associations a = store.associations;
        results.add(AssociationsApi.typeSpec(a.def(from.objectTypeId, to.objectTypeId, typeId), typeId));
        results.add(AssociationsApi.typeSpec(a.def(to.objectTypeId, from.objectTypeId, inverse), inverse));
        return Http.Resp.json(200, out);
    }

    private Http.Resp updateLabel(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode b = req.json();
        int typeId = b.path("associationTypeId").asInt(-1);
        Store.Associations.Def d = store.associations.def(from.objectTypeId, to.objectTypeId, typeId);
        if (d == null || !"USER_DEFINED".equals(d.category())) {
            throw ApiException.notFound("No user-defined association label " + typeId);
        }
        store.associations.defs.remove(d);
        store.associations.defs.add(new Store.Associations.Def(
                d.fromTypeId(),
                d.toTypeId(),
                d.typeId(),
                b.path("label").asText(d.label()),
                d.category(),
                d.inverseTypeId()));
        return Http.Resp.noContent();
    }

    private Http.Resp deleteLabel(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        int typeId = Integer.parseInt(req.param("associationTypeId"));
        Store.Associations.Def d = store.associations.def(from.objectTypeId, to.objectTypeId, typeId);
        if (d == null || !"USER_DEFINED".equals(d.category())) {
            throw ApiException.notFound("No user-defined association label " + typeId);
        }
        store.associations.defs.remove(d);
        store.associations.defs.removeIf(
                x -> x.fromTypeId().equals(to.objectTypeId) && x.typeId() == d.inverseTypeId());
        return Http.Resp.noContent();
    }
}
