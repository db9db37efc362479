package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Associations API v4 ({@code associations-v4.json}): batch read, create, associate default, archive and labels
 * archive; one record's associations (list, labelled PUT, default PUT, DELETE).
 */
final class AssociationsApi {
    static final int MAX_ASSOC_READ = 1000;
    static final int MAX_ASSOC_CREATE = 2000;
    private final Store store;

    AssociationsApi(Store store) {
        this.store = store;
    }

    void register(Router r) {
        String as = "/crm/v4/associations/{fromObjectType}/{toObjectType}";
        // the spec marks the batch endpoints exempt from the ten-secondly limit
        r.add("POST", as + "/batch/read", this::batchRead).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/create", this::batchCreate).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/associate/default", this::batchAssociateDefault).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/archive", req -> batchArchive(req, false)).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/labels/archive", req -> batchArchive(req, true)).tenSecondlyExempt = true;
        String ao = "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}";
        r.add("GET", ao, this::listForRecord);
        r.add("PUT", ao + "/{toObjectId}", this::putLabelled);
        r.add("DELETE", ao + "/{toObjectId}", this::deleteForRecord);
        r.add(
                "PUT",
                "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
                this::putDefault);
    }

    /** An association type as the v4 APIs render it (AssociationSpecWithLabel). */
    static ObjectNode typeSpec(Store.Associations.Def d, int typeId) {
        ObjectNode s = Json.obj();
        s.put("category", d == null ? "HUBSPOT_DEFINED" : d.category());
        s.put("typeId", typeId);
        if (d != null && d.label() != null) {
            s.put("label", d.label()); // unlabelled types omit it (the spec does not allow null)
        }
        return s;
    }

    private long liveId(ObjectType t, String id) {
        try {
            long v = Long.parseLong(id.trim());
            if (store.table(t).live.containsKey(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // not found below
        }
        return -1;
    }

    private Http.Resp batchRead(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_ASSOC_READ);
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText("");
            long fid = liveId(from, id);
            TreeMap<Long, TreeSet<Integer>> m =
                    fid < 0 ? new TreeMap<>() : store.associations.get(from.objectTypeId, fid, to.objectTypeId);
            if (m.isEmpty()) {
                missing.add(id);
                continue;
            }
            long after = x.hasNonNull("after") ? Long.parseLong(x.get("after").asText("0")) : 0;
            ObjectNode r = results.addObject();
            r.putObject("from").put("id", id);
            ArrayNode toArr = r.putArray("to");
            int n = 0;
            Long next = null;
            for (Map.Entry<Long, TreeSet<Integer>> e : m.tailMap(after, true).entrySet()) {
                if (n == 500) {
                    next = e.getKey();
                    break;
                }
                ObjectNode o = toArr.addObject();
                o.put("toObjectId", Long.toString(e.getKey()));
                ArrayNode types = o.putArray("associationTypes");
                for (Integer typeId : e.getValue()) {
                    types.add(typeSpec(store.associations.def(from.objectTypeId, to.objectTypeId, typeId), typeId));
                }
                n++;
            }
            if (next != null) {
                r.putObject("paging").putObject("next").put("after", Long.toString(next));
            }
        }
        if (!missing.isEmpty()) {
            out.put("numErrors", 1);
            ArrayNode errs = out.putArray("errors");
            ObjectNode e = errs.addObject();
            e.put("status", "error");
            e.put("category", "OBJECT_NOT_FOUND");
            e.put("message", "No " + to.singular + " is associated with " + from.singular + " " + missing + ".");
            ObjectNode ctx = e.putObject("context");
            ArrayNode ids = ctx.putArray("fromObjectId");
            missing.forEach(ids::add);
            e.putArray("errors");
            e.putObject("links");
        }
        out.put("startedAt", Json.iso(started));
        out.put("completedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(missing.isEmpty() ? 200 : 207, out);
    }

    private Http.Resp batchCreate(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_ASSOC_CREATE);
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        ArrayNode errors = Json.arr();
        for (JsonNode x : in) {
            String fid = x.path("from").path("id").asText("");
            String tid = x.path("to").path("id").asText("");
            long f = liveId(from, fid);
            long t = liveId(to, tid);
            if (f < 0 || t < 0) {
                errors.add(assocError(
                        "OBJECT_NOT_FOUND",
                        (f < 0 ? from.singular + " " + fid : to.singular + " " + tid) + " does not exist",
                        f < 0 ? fid : tid));
                continue;
            }
            List<Integer> typeIds = new ArrayList<>();
            boolean bad = false;
            for (JsonNode ty : x.path("types")) {
                int typeId = ty.path("associationTypeId").asInt(-1);
                if (store.associations.def(from.objectTypeId, to.objectTypeId, typeId) == null) {
                    errors.add(assocError(
                            "VALIDATION_ERROR",
                            "association type id " + typeId + " is not valid for " + from.name + " -> " + to.name,
                            fid));
                    bad = true;
                    break;
                }
                typeIds.add(typeId);
            }
            if (bad) {
                continue;
            }
            // a labelled association also creates the unlabelled default one
            Store.Associations.Def dflt = store.associations.defaultDef(from.objectTypeId, to.objectTypeId);
            if (dflt != null && !typeIds.contains(dflt.typeId())) {
                typeIds.add(dflt.typeId());
            }
            for (int typeId : typeIds) {
                store.associations.add(from.objectTypeId, f, to.objectTypeId, t, typeId);
            }
            results.add(labelsPair(from, f, to, t));
        }
        if (errors.size() > 0) {
            out.put("numErrors", errors.size());
            out.set("errors", errors);
        }
        out.put("startedAt", Json.iso(started));
        out.put("completedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(errors.size() > 0 ? 207 : 201, out);
    }

    private static ObjectNode assocError(String category, String message, String id) {
        ObjectNode e = Json.obj();
        e.put("status", "error");
        e.put("category", category);
        e.put("message", message);
        e.putObject("context").putArray("id").add(id);
        e.putArray("errors");
        e.putObject("links");
        return e;
    }

    private ObjectNode labelsPair(ObjectType from, long f, ObjectType to, long t) {
        ObjectNode r = Json.obj();
        r.put("fromObjectTypeId", from.objectTypeId);
        r.put("fromObjectId", Long.toString(f));
        r.put("toObjectTypeId", to.objectTypeId);
        r.put("toObjectId", Long.toString(t));
        ArrayNode labels = r.putArray("labels");
        TreeSet<Integer> types =
                store.associations.get(from.objectTypeId, f, to.objectTypeId).get(t);
        if (types != null) {
            for (int typeId : types) {
                Store.Associations.Def d = store.associations.def(from.objectTypeId, to.objectTypeId, typeId);
                if (d != null && d.label() != null) {
                    labels.add(d.label());
                }
            }
        }
        return r;
    }

    private Http.Resp batchAssociateDefault(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_ASSOC_CREATE);
        Store.Associations.Def d = store.associations.defaultDef(from.objectTypeId, to.objectTypeId);
        if (d == null) {
            throw ApiException.validation(
                    "No default association type exists between " + from.name + " and " + to.name);
        }
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        for (JsonNode x : in) {
            long f = liveId(from, x.path("from").path("id").asText(""));
            long t = liveId(to, x.path("to").path("id").asText(""));
            if (f < 0 || t < 0) {
                throw ApiException.notFound("One of the records does not exist: " + x);
            }
            store.associations.add(from.objectTypeId, f, to.objectTypeId, t, d.typeId());
            ObjectNode r = results.addObject();
            r.putObject("from").put("id", Long.toString(f));
            r.putObject("to").put("id", Long.toString(t));
            ObjectNode s = r.putObject("associationSpec");
            s.put("associationCategory", d.category());
            s.put("associationTypeId", d.typeId());
        }
        out.put("startedAt", Json.iso(started));
        out.put("completedAt", Json.iso(store.clock.millis()));
        return Http.Resp.json(200, out);
    }

    private Http.Resp batchArchive(Http.Req req, boolean labelsOnly) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_ASSOC_CREATE);
        for (JsonNode x : in) {
            long f = liveId(from, x.path("from").path("id").asText(""));
            if (f < 0) {
                continue;
            }
            if (labelsOnly) {
                long t = liveId(to, x.path("to").path("id").asText(""));
                for (JsonNode ty : x.path("types")) {
                    store.associations.remove(
                            from.objectTypeId,
                            f,
                            to.objectTypeId,
                            t,
                            ty.path("associationTypeId").asInt());
                }
            } else {
                for (JsonNode t : x.path("to")) {
                    long tid = liveId(to, t.path("id").asText(""));
                    if (tid >= 0) {
                        store.associations.remove(from.objectTypeId, f, to.objectTypeId, tid, null);
                    }
                }
            }
        }
        return Http.Resp.noContent();
    }

    private Http.Resp listForRecord(Http.Req req) {
        ObjectType from = store.type(req.param("objectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        long f = liveId(from, req.param("objectId"));
        if (f < 0) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        int limit = req.qInt("limit", 500);
        if (limit < 1 || limit > 500) {
            throw ApiException.validation("limit must be between 1 and 500");
        }
        long after = req.q("after") == null ? 0 : Long.parseLong(req.q("after"));
        TreeMap<Long, TreeSet<Integer>> m = store.associations.get(from.objectTypeId, f, to.objectTypeId);
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        Long next = null;
        for (Map.Entry<Long, TreeSet<Integer>> e : m.tailMap(after, true).entrySet()) {
            if (results.size() == limit) {
                next = e.getKey();
                break;
            }
            ObjectNode o = results.addObject();
            o.put("toObjectId", Long.toString(e.getKey()));
            ArrayNode types = o.putArray("associationTypes");
            for (Integer typeId : e.getValue()) {
                types.add(typeSpec(store.associations.def(from.objectTypeId, to.objectTypeId, typeId), typeId));
            }
        }
        if (next != null) {
            ObjectNode n = out.putObject("paging").putObject("next");
            n.put("after", Long.toString(next));
            n.put("link", req.rawPath + "?after=" + next);
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp putLabelled(Http.Req req) {
        ObjectType from = store.type(req.param("objectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        long f = liveId(from, req.param("objectId"));
        long t = liveId(to, req.param("toObjectId"));
        if (f < 0 || t < 0) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(req.body);
        } catch (IOException e) {
            throw ApiException.validation("Invalid input JSON: " + e.getMessage());
        }
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw ApiException.validation("Body must be a non-empty array of {associationCategory, associationTypeId}");
        }
        for (JsonNode ty : body) {
            int typeId = ty.path("associationTypeId").asInt(-1);
            if (store.associations.def(from.objectTypeId, to.objectTypeId, typeId) == null) {
                throw ApiException.validation(
                        "association type id " + typeId + " is not valid for " + from.name + " -> " + to.name);
            }
            store.associations.add(from.objectTypeId, f, to.objectTypeId, t, typeId);
        }
        return Http.Resp.json(201, labelsPair(from, f, to, t));
    }

    private Http.Resp putDefault(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        long f = liveId(from, req.param("fromObjectId"));
        long t = liveId(to, req.param("toObjectId"));
        if (f < 0 || t < 0) {
            throw ApiException.notFound("Object not found.  objectId are usually numeric.");
        }
        Store.Associations.Def d = store.associations.defaultDef(from.objectTypeId, to.objectTypeId);
        if (d == null) {
            throw ApiException.validation("No default association type between " + from.name + " and " + to.name);
        }
        store.associations.add(from.objectTypeId, f, to.objectTypeId, t, d.typeId());
        long now = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ObjectNode r = out.putArray("results").addObject();
        r.putObject("from").put("id", Long.toString(f));
        r.putObject("to").put("id", Long.toString(t));
        ObjectNode s = r.putObject("associationSpec");
        s.put("associationCategory", d.category());
        s.put("associationTypeId", d.typeId());
        out.put("startedAt", Json.iso(now));
        out.put("completedAt", Json.iso(now));
        return Http.Resp.json(200, out);
    }

    private Http.Resp deleteForRecord(Http.Req req) {
        ObjectType from = store.type(req.param("objectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        long f = liveId(from, req.param("objectId"));
        long t = liveId(to, req.param("toObjectId"));
        if (f >= 0 && t >= 0) {
            store.associations.remove(from.objectTypeId, f, to.objectTypeId, t, null);
        }
        return Http.Resp.noContent();
    }
}
