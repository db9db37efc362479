package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Associations v4 (records and labels), pipelines and stages, owners, custom object schemas. */
final class Meta {
    static final int MAX_ASSOC_READ = 1000;
    static final int MAX_ASSOC_CREATE = 2000;
    private final Store store;
    private final Objects objects;
    private final Properties properties;

    Meta(Store store, Objects objects, Properties properties) {
        this.store = store;
        this.objects = objects;
        this.properties = properties;
    }

    // ------------------------------------------------------------------ associations

    private ObjectNode spec(Store.Associations.Def d, String from, String to, int typeId) {
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

    Http.Resp batchRead(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Objects.inputs(req.json(), MAX_ASSOC_READ);
        long started = store.clock.millis();
        ObjectNode out = Json.obj();
        out.put("status", "COMPLETE");
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText("");
            long fid = liveId(from, id);
            TreeMap<Long, TreeSet<Integer>> m = fid < 0 ? new TreeMap<>()
                    : store.associations.get(from.objectTypeId, fid, to.objectTypeId);
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
                    types.add(spec(store.associations.def(from.objectTypeId, to.objectTypeId, typeId),
                            from.objectTypeId, to.objectTypeId, typeId));
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

    Http.Resp batchCreate(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Objects.inputs(req.json(), MAX_ASSOC_CREATE);
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
                errors.add(assocError("OBJECT_NOT_FOUND", (f < 0 ? from.singular + " " + fid : to.singular + " " + tid)
                        + " does not exist", f < 0 ? fid : tid));
                continue;
            }
            List<Integer> typeIds = new ArrayList<>();
            boolean bad = false;
            for (JsonNode ty : x.path("types")) {
                int typeId = ty.path("associationTypeId").asInt(-1);
                if (store.associations.def(from.objectTypeId, to.objectTypeId, typeId) == null) {
                    errors.add(assocError("VALIDATION_ERROR", "association type id " + typeId + " is not valid for "
                            + from.name + " -> " + to.name, fid));
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
        TreeSet<Integer> types = store.associations.get(from.objectTypeId, f, to.objectTypeId).get(t);
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

    Http.Resp batchAssociateDefault(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Objects.inputs(req.json(), MAX_ASSOC_CREATE);
        Store.Associations.Def d = store.associations.defaultDef(from.objectTypeId, to.objectTypeId);
        if (d == null) {
            throw ApiException.validation("No default association type exists between " + from.name + " and "
                    + to.name);
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

    Http.Resp batchArchive(Http.Req req, boolean labelsOnly) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode in = Objects.inputs(req.json(), MAX_ASSOC_CREATE);
        for (JsonNode x : in) {
            long f = liveId(from, x.path("from").path("id").asText(""));
            if (f < 0) {
                continue;
            }
            if (labelsOnly) {
                long t = liveId(to, x.path("to").path("id").asText(""));
                for (JsonNode ty : x.path("types")) {
                    store.associations.remove(from.objectTypeId, f, to.objectTypeId, t,
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

    Http.Resp listForRecord(Http.Req req) {
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
                types.add(spec(store.associations.def(from.objectTypeId, to.objectTypeId, typeId), null, null,
                        typeId));
            }
        }
        if (next != null) {
            ObjectNode n = out.putObject("paging").putObject("next");
            n.put("after", Long.toString(next));
            n.put("link", req.rawPath + "?after=" + next);
        }
        return Http.Resp.json(200, out);
    }

    Http.Resp putLabelled(Http.Req req) {
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
        } catch (java.io.IOException e) {
            throw ApiException.validation("Invalid input JSON: " + e.getMessage());
        }
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw ApiException.validation("Body must be a non-empty array of {associationCategory, associationTypeId}");
        }
        for (JsonNode ty : body) {
            int typeId = ty.path("associationTypeId").asInt(-1);
            if (store.associations.def(from.objectTypeId, to.objectTypeId, typeId) == null) {
                throw ApiException.validation("association type id " + typeId + " is not valid for " + from.name
                        + " -> " + to.name);
            }
            store.associations.add(from.objectTypeId, f, to.objectTypeId, t, typeId);
        }
        return Http.Resp.json(201, labelsPair(from, f, to, t));
    }

    Http.Resp putDefault(Http.Req req) {
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

    Http.Resp deleteForRecord(Http.Req req) {
        ObjectType from = store.type(req.param("objectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        long f = liveId(from, req.param("objectId"));
        long t = liveId(to, req.param("toObjectId"));
        if (f >= 0 && t >= 0) {
            store.associations.remove(from.objectTypeId, f, to.objectTypeId, t, null);
        }
        return Http.Resp.noContent();
    }

    Http.Resp labels(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (Store.Associations.Def d : store.associations.defsBetween(from.objectTypeId, to.objectTypeId)) {
            results.add(spec(d, null, null, d.typeId()));
        }
        return Http.Resp.json(200, out);
    }

    Http.Resp createLabel(Http.Req req) {
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
        store.associations.defs.add(new Store.Associations.Def(from.objectTypeId, to.objectTypeId, typeId, label,
                "USER_DEFINED", inverse));
        store.associations.defs.add(new Store.Associations.Def(to.objectTypeId, from.objectTypeId, inverse,
                inverseLabel, "USER_DEFINED", typeId));
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        results.add(spec(store.associations.def(from.objectTypeId, to.objectTypeId, typeId), null, null, typeId));
        results.add(spec(store.associations.def(to.objectTypeId, from.objectTypeId, inverse), null, null, inverse));
        return Http.Resp.json(200, out);
    }

    Http.Resp updateLabel(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        JsonNode b = req.json();
        int typeId = b.path("associationTypeId").asInt(-1);
        Store.Associations.Def d = store.associations.def(from.objectTypeId, to.objectTypeId, typeId);
        if (d == null || !"USER_DEFINED".equals(d.category())) {
            throw ApiException.notFound("No user-defined association label " + typeId);
        }
        store.associations.defs.remove(d);
        store.associations.defs.add(new Store.Associations.Def(d.fromTypeId(), d.toTypeId(), d.typeId(),
                b.path("label").asText(d.label()), d.category(), d.inverseTypeId()));
        return Http.Resp.noContent();
    }

    Http.Resp deleteLabel(Http.Req req) {
        ObjectType from = store.type(req.param("fromObjectType"));
        ObjectType to = store.type(req.param("toObjectType"));
        int typeId = Integer.parseInt(req.param("associationTypeId"));
        Store.Associations.Def d = store.associations.def(from.objectTypeId, to.objectTypeId, typeId);
        if (d == null || !"USER_DEFINED".equals(d.category())) {
            throw ApiException.notFound("No user-defined association label " + typeId);
        }
        store.associations.defs.remove(d);
        store.associations.defs.removeIf(x -> x.fromTypeId().equals(to.objectTypeId) && x.typeId() == d.inverseTypeId());
        return Http.Resp.noContent();
    }

    // ------------------------------------------------------------------ pipelines

    private List<Store.Pipeline> pipelinesOf(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        List<Store.Pipeline> p = store.pipelines.get(t.objectTypeId);
        if (p == null) {
            throw ApiException.validation("Object type " + t.name + " has no pipelines");
        }
        return p;
    }

    private Store.Pipeline pipeline(Http.Req req) {
        for (Store.Pipeline p : pipelinesOf(req)) {
            if (p.id.equals(req.param("pipelineId")) && !p.archived) {
                return p;
            }
        }
        throw ApiException.notFound("Unable to find pipeline " + req.param("pipelineId"));
    }

    static ObjectNode renderStage(Store.Pipeline.Stage s) {
        ObjectNode n = Json.obj();
        n.put("id", s.id);
        n.put("label", s.label);
        n.put("displayOrder", s.displayOrder);
        ObjectNode md = n.putObject("metadata");
        s.metadata.forEach(md::put);
        n.put("createdAt", Json.iso(s.createdAt));
        n.put("updatedAt", Json.iso(s.updatedAt));
        n.put("archived", s.archived);
        n.put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
        return n;
    }

    static ObjectNode renderPipeline(Store.Pipeline p) {
        ObjectNode n = Json.obj();
        n.put("id", p.id);
        n.put("label", p.label);
        n.put("displayOrder", p.displayOrder);
        ArrayNode stages = n.putArray("stages");
        for (Store.Pipeline.Stage s : p.stages) {
            if (!s.archived) {
                stages.add(renderStage(s));
            }
        }
        n.put("createdAt", Json.iso(p.createdAt));
        n.put("updatedAt", Json.iso(p.updatedAt));
        n.put("archived", p.archived);
        return n;
    }

    Http.Resp pipelines(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (Store.Pipeline p : pipelinesOf(req)) {
            if (!p.archived) {
                results.add(renderPipeline(p));
            }
        }
        return Http.Resp.json(200, out);
    }

    Http.Resp getPipeline(Http.Req req) {
        return Http.Resp.json(200, renderPipeline(pipeline(req)));
    }

    Http.Resp createPipeline(Http.Req req) {
        List<Store.Pipeline> list = pipelinesOf(req);
        JsonNode b = req.json();
        String label = b.path("label").asText(null);
        if (label == null || !b.has("stages") || !b.has("displayOrder")) {
            throw ApiException.validation("A pipeline needs label, displayOrder and stages");
        }
        long now = store.clock.millis();
        String id = b.path("pipelineId").asText(Long.toString(store.nextId()));
        Store.Pipeline p = new Store.Pipeline(id, label, b.path("displayOrder").asInt(), now);
        for (JsonNode s : b.path("stages")) {
            p.stages.add(stageFrom(s, now));
        }
        list.add(p);
        return Http.Resp.json(201, renderPipeline(p));
    }

    private Store.Pipeline.Stage stageFrom(JsonNode s, long now) {
        Map<String, String> md = new java.util.LinkedHashMap<>();
        s.path("metadata").fields().forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
        return new Store.Pipeline.Stage(s.path("stageId").asText(Long.toString(store.nextId())),
                s.path("label").asText("Stage"), s.path("displayOrder").asInt(0), md, now);
    }

    Http.Resp patchPipeline(Http.Req req) {
        Store.Pipeline p = pipeline(req);
        JsonNode b = req.json();
        if (b.has("label")) {
            p.label = b.get("label").asText();
        }
        if (b.has("displayOrder")) {
            p.displayOrder = b.get("displayOrder").asInt();
        }
        if (b.path("archived").asBoolean(false)) {
            p.archived = true;
        }
        p.updatedAt = store.clock.millis();
        return Http.Resp.json(200, renderPipeline(p));
    }

    Http.Resp deletePipeline(Http.Req req) {
        Store.Pipeline p = pipeline(req);
        p.archived = true;
        p.updatedAt = store.clock.millis();
        return Http.Resp.noContent();
    }

    Http.Resp stages(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (Store.Pipeline.Stage s : pipeline(req).stages) {
            if (!s.archived) {
                results.add(renderStage(s));
            }
        }
        return Http.Resp.json(200, out);
    }

    private Store.Pipeline.Stage stage(Http.Req req) {
        for (Store.Pipeline.Stage s : pipeline(req).stages) {
            if (s.id.equals(req.param("stageId")) && !s.archived) {
                return s;
            }
        }
        throw ApiException.notFound("Unable to find stage " + req.param("stageId"));
    }

    Http.Resp getStage(Http.Req req) {
        return Http.Resp.json(200, renderStage(stage(req)));
    }

    Http.Resp createStage(Http.Req req) {
        Store.Pipeline p = pipeline(req);
        Store.Pipeline.Stage s = stageFrom(req.json(), store.clock.millis());
        p.stages.add(s);
        return Http.Resp.json(201, renderStage(s));
    }

    Http.Resp patchStage(Http.Req req) {
        Store.Pipeline.Stage s = stage(req);
        JsonNode b = req.json();
        if (b.has("label")) {
            s.label = b.get("label").asText();
        }
        if (b.has("displayOrder")) {
            s.displayOrder = b.get("displayOrder").asInt();
        }
        b.path("metadata").fields().forEachRemaining(e -> s.metadata.put(e.getKey(), e.getValue().asText()));
        s.updatedAt = store.clock.millis();
        return Http.Resp.json(200, renderStage(s));
    }

    Http.Resp deleteStage(Http.Req req) {
        Store.Pipeline.Stage s = stage(req);
        s.archived = true;
        return Http.Resp.noContent();
    }

    // ------------------------------------------------------------------ owners

    static ObjectNode renderOwner(Store.Owner o) {
        ObjectNode n = Json.obj();
        n.put("id", Long.toString(o.id()));
        n.put("email", o.email());
        n.put("type", "PERSON");
        n.put("firstName", o.firstName());
        n.put("lastName", o.lastName());
        if (!o.archived()) {
            n.put("userId", o.userId()); // archived owners have no userId (omitted: the spec does not allow null)
        }
        n.put("userIdIncludingInactive", o.userId());
        n.put("createdAt", Json.iso(o.createdAt()));
        n.put("updatedAt", Json.iso(o.updatedAt()));
        n.put("archived", o.archived());
        ObjectNode team = n.putArray("teams").addObject();
        team.put("id", o.teamId());
        team.put("name", o.teamName());
        team.put("primary", true);
        return n;
    }

    Http.Resp owners(Http.Req req) {
        int limit = req.qInt("limit", 100);
        if (limit < 1 || limit > 500) {
            throw ApiException.validation("limit must be between 1 and 500");
        }
        boolean archived = req.qBool("archived", false);
        String email = req.q("email");
        long after = req.q("after") == null ? 0 : Long.parseLong(req.q("after"));
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        Long next = null;
        for (Store.Owner o : store.owners.tailMap(after, true).values()) {
            if (o.archived() != archived || email != null && !email.equalsIgnoreCase(o.email())) {
                continue;
            }
            if (results.size() == limit) {
                next = o.id();
                break;
            }
            results.add(renderOwner(o));
        }
        if (next != null) {
            ObjectNode n = out.putObject("paging").putObject("next");
            n.put("after", Long.toString(next));
            n.put("link", req.rawPath + "?after=" + next);
        }
        return Http.Resp.json(200, out);
    }

    Http.Resp owner(Http.Req req) {
        String id = req.param("ownerId");
        boolean byUser = "userId".equals(req.q("idProperty"));
        boolean archived = req.qBool("archived", false);
        for (Store.Owner o : store.owners.values()) {
            if ((byUser ? Long.toString(o.userId()) : Long.toString(o.id())).equals(id) && o.archived() == archived) {
                return Http.Resp.json(200, renderOwner(o));
            }
        }
        throw ApiException.notFound("Unable to find owner " + id);
    }

    // ------------------------------------------------------------------ schemas

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
                props.add(Properties.render(p));
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

    Http.Resp schemas(Http.Req req) {
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

    Http.Resp schema(Http.Req req) {
        return Http.Resp.json(200, renderSchema(customType(req.param("objectType")), true));
    }

    Http.Resp batchReadSchemas(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (JsonNode x : Objects.inputs(req.json(), 100)) {
            ObjectType t = store.typeOrNull(x.asText(x.path("id").asText("")));
            if (t != null && t.custom) {
                results.add(renderSchema(t, req.json().path("includePropertyDefinitions").asBoolean(true)));
            }
        }
        return Http.Resp.json(200, out);
    }

    Http.Resp createSchema(Http.Req req) {
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
                throw new ApiException(409, "OBJECT_ALREADY_EXISTS", "Object type with name " + name
                        + " already exists");
            }
        }
        List<String> required = new ArrayList<>();
        b.path("requiredProperties").forEach(n -> required.add(n.asText()));
        List<String> searchable = new ArrayList<>();
        b.path("searchableProperties").forEach(n -> searchable.add(n.asText()));
        String primary = b.path("primaryDisplayProperty").asText(b.path("properties").get(0).path("name").asText());
        if (searchable.isEmpty()) {
            searchable.add(primary);
        }
        long now = store.clock.millis();
        String id = "2-" + store.customTypeSeq.getAndIncrement();
        ObjectType t = new ObjectType(lower, id, b.path("labels").path("singular").asText(lower),
                "p" + store.portalId + "_" + lower, true, "hs_createdate", "hs_lastmodifieddate", List.of(primary),
                required, primary, searchable, now);
        Catalog.Props base = new Catalog.Props(now).systemId().roDt("hs_createdate", lower + "_information")
                .roDt("hs_lastmodifieddate", lower + "_information").mergedIds();
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

    Http.Resp patchSchema(Http.Req req) {
        ObjectType t = customType(req.param("objectType"));
        ObjectNode n = renderSchema(t, false);
        n.remove("properties");
        n.remove("associations");
        n.put("portalId", store.portalId);
        return Http.Resp.json(200, n);
    }

    Http.Resp deleteSchema(Http.Req req) {
        ObjectType t = customType(req.param("objectType"));
        if (!store.table(t).live.isEmpty()) {
            throw new ApiException(400, "VALIDATION_ERROR", "Object type " + t.objectTypeId
                    + " still has records; delete every record before deleting its schema");
        }
        if (req.qBool("archived", false)) {
            store.unregisterType(t);
        } else {
            t.archived = true;
        }
        return Http.Resp.noContent();
    }

    Http.Resp createSchemaAssociation(Http.Req req) {
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

    Objects objects() {
        return objects;
    }
}
