package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * CRM objects API ({@code objects-v3.json}, {@code contacts-v3.json}, {@code customObjects-v3.json}): list, get,
 * create, update, archive, batch read/create/update/upsert/archive, merge, contacts GDPR delete.
 */
final class ObjectsApi {
    static final int MAX_BATCH = 100;
    private final Store store;
    private final Records records;
    private final RecordJson json;
    private final String baseUrl;

    ObjectsApi(Store store, Records records, RecordJson json, String baseUrl) {
        this.store = store;
        this.records = records;
        this.json = json;
        this.baseUrl = baseUrl;
    }

    void register(Router r) {
        String obj = "/crm/v3/objects/{objectType}";
        r.add("GET", obj, this::list);
        r.add("POST", obj, this::create);
        r.add("GET", obj + "/{objectId}", this::get);
        r.add("PATCH", obj + "/{objectId}", this::update);
        r.add("DELETE", obj + "/{objectId}", this::archive);
        r.add("POST", obj + "/batch/read", this::batchRead);
        r.add("POST", obj + "/batch/create", this::batchCreate);
        r.add("POST", obj + "/batch/update", this::batchUpdate);
        r.add("POST", obj + "/batch/upsert", this::batchUpsert);
        r.add("POST", obj + "/batch/archive", this::batchArchive);
        r.add("POST", obj + "/merge", this::merge);
        r.add("POST", "/crm/v3/objects/contacts/gdpr-delete", this::gdprDelete);
    }

    private Http.Resp list(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        ObjectTable tab = store.table(t);
        List<String> hist = req.qList("propertiesWithHistory");
        int max = hist.isEmpty() ? 100 : 50;
        int limit = req.qInt("limit", 10);
        if (limit < 1 || limit > max) {
            throw ApiException.validation("limit must be between 1 and " + max
                    + (hist.isEmpty() ? "" : " when propertiesWithHistory is requested") + ", got " + limit);
        }
        boolean archived = req.qBool("archived", false);
        long now = store.clock.millis();
        Map<Long, Rec> src = archived ? tab.archived : tab.live;
        if (archived) {
            tab.purgeArchived(now);
        }
        long after = 0;
        String a = req.q("after");
        if (a != null && !a.isEmpty()) {
            try {
                after = Long.parseLong(a.trim());
            } catch (NumberFormatException e) {
                throw ApiException.validation("Invalid after cursor: " + a);
            }
        }
        Iterator<Rec> it =
                ((NavigableMap<Long, Rec>) src).tailMap(after, true).values().iterator();
        List<Rec> page = new ArrayList<>(limit);
        Rec next = null;
        while (it.hasNext()) {
            Rec r = it.next();
            if (page.size() == limit) {
                next = r;
                break;
            }
            page.add(r);
        }
        Set<String> props = RecordJson.selectProps(t, req.qList("properties"));
        Set<String> histSet = new LinkedHashSet<>(hist);
        List<String> assoc = req.qList("associations");
        final Rec nextRec = next;
        int hint = page.size() * (120 + 40 * props.size() + (histSet.isEmpty() ? 0 : 400 * histSet.size())) + 512;
        String key = histSet.isEmpty() && assoc.isEmpty() ? String.join(",", props) : null;
        return RecordJson.stream(200, hint, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (Rec r : page) {
                if (key != null) {
                    json.writeRecordCached(g, t, r, props, key);
                } else {
                    json.writeRecord(g, t, r, props, histSet, assoc, null);
                }
            }
            g.writeEndArray();
            if (nextRec != null) {
                g.writeObjectFieldStart("paging");
                g.writeObjectFieldStart("next");
                g.writeStringField("after", Long.toString(nextRec.id));
                g.writeStringField("link", baseUrl + req.rawPath + "?after=" + nextRec.id);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    private Http.Resp get(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        Rec r = records.resolve(t, req.param("objectId"), req.q("idProperty"), req.qBool("archived", false), true);
        Set<String> props = RecordJson.selectProps(t, req.qList("properties"));
        Set<String> hist = new LinkedHashSet<>(req.qList("propertiesWithHistory"));
        List<String> assoc = req.qList("associations");
        return RecordJson.stream(200, g -> json.writeRecord(g, t, r, props, hist, assoc, null));
    }

    static Map<String, String> propsOf(JsonNode node, String where) {
        Map<String, String> m = new LinkedHashMap<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return m;
        }
        if (!node.isObject()) {
            throw ApiException.validation("Invalid input JSON: " + where + " must be an object of property values");
        }
        node.fields()
                .forEachRemaining(e -> m.put(
                        e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return m;
    }

    private Http.Resp create(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode body = req.json();
        Rec r = records.createRecord(
                t,
                propsOf(body.get("properties"), "properties"),
                body.get("associations"),
                store.clock.millis(),
                "API",
                false);
        return RecordJson.stream(201, g -> json.writeRecord(g, t, r, RecordJson.allProps(r), null, null, null));
    }

    private Http.Resp update(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        Rec existing = records.resolve(t, req.param("objectId"), req.q("idProperty"), false, true);
        Rec r = records.updateRecord(
                t, existing, propsOf(req.json().get("properties"), "properties"), store.clock.millis(), "API", false);
        return RecordJson.stream(200, g -> json.writeRecord(g, t, r, RecordJson.allProps(r), null, null, null));
    }

    private Http.Resp archive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        long id;
        try {
            id = Long.parseLong(req.param("objectId"));
        } catch (NumberFormatException e) {
            return Http.Resp.noContent();
        }
        records.archiveRecord(t, id, store.clock.millis());
        return Http.Resp.noContent(); // HubSpot answers 204 for unknown ids too
    }

    private Http.Resp merge(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode b = req.json();
        String p = b.path("primaryObjectId").asText(null);
        String m = b.path("objectIdToMerge").asText(null);
        if (p == null || m == null) {
            throw ApiException.validation("primaryObjectId and objectIdToMerge are required");
        }
        Rec r = records.mergeRecords(t, parseId(p), parseId(m), store.clock.millis());
        return RecordJson.stream(200, g -> json.writeRecord(g, t, r, RecordJson.allProps(r), null, null, null));
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw ApiException.validation("Invalid object id: " + s);
        }
    }

    private Http.Resp gdprDelete(Http.Req req) {
        ObjectType t = store.type("contacts");
        JsonNode b = req.json();
        String id = b.path("objectId").asText(null);
        if (id == null) {
            throw ApiException.validation("objectId is required");
        }
        String idProperty = b.path("idProperty").asText(null);
        Rec r;
        try {
            r = records.resolve(t, id, idProperty, false, false);
        } catch (ApiException e) {
            if (e.status != 404 || !"email".equals(idProperty)) {
                throw e;
            }
            // the contacts spec: an email that is not found is added to a blocklist, and the call succeeds
            store.blocklistEmail(id);
            return Http.Resp.noContent();
        }
        store.table(t).removePermanently(r.id, store.clock.millis(), store.indexLagMillis);
        store.associations.removeAll(t.objectTypeId, r.id, records.allTypeIds());
        return Http.Resp.noContent();
    }

    /** Writes a BatchResponse envelope; 207 when errors is non-empty. */
    Http.Resp batchResponse(
            int okStatus,
            long started,
            ObjectType t,
            List<Rec> results,
            List<Set<String>> props,
            List<Boolean> isNew,
            List<Map<String, Object>> errors) {
        long done = store.clock.millis();
        return RecordJson.stream(errors.isEmpty() ? okStatus : 207, g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (int i = 0; i < results.size(); i++) {
                json.writeRecord(g, t, results.get(i), props.get(i), null, null, isNew == null ? null : isNew.get(i));
            }
            g.writeEndArray();
            if (!errors.isEmpty()) {
                g.writeNumberField("numErrors", errors.size());
                g.writeFieldName("errors");
                Json.MAPPER.writeValue(g, errors);
            }
            g.writeStringField("startedAt", Json.iso(started));
            g.writeStringField("completedAt", Json.iso(done));
            g.writeEndObject();
        });
    }

    private Http.Resp batchRead(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode body = req.json();
        JsonNode in = Batch.inputs(body, MAX_BATCH);
        long started = store.clock.millis();
        boolean archived = req.qBool("archived", false);
        String idProperty = body.path("idProperty").asText(null);
        List<String> requested = new ArrayList<>();
        body.path("properties").forEach(n -> requested.add(n.asText()));
        Set<String> hist = new LinkedHashSet<>();
        body.path("propertiesWithHistory").forEach(n -> hist.add(n.asText()));
        Set<String> props = RecordJson.selectProps(t, requested);
        List<Rec> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            try {
                Rec r = records.resolve(t, id, idProperty, archived, false);
                if (seen.add(r.id)) {
                    found.add(r);
                }
            } catch (ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
                missing.add(id);
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        if (!missing.isEmpty()) {
            ApiException e = ApiException.notFound("Could not get some " + t.singular.toUpperCase(Locale.ROOT)
                    + " objects, they may be deleted or not exist. Check that ids are valid.");
            errors.add(Batch.standardError(e, Map.of("ids", missing)));
        }
        long done = store.clock.millis();
        return RecordJson.stream(errors.isEmpty() ? 200 : 207, g -> {
            g.writeStartObject();
            g.writeStringField("status", "COMPLETE");
            g.writeArrayFieldStart("results");
            for (Rec r : found) {
                json.writeRecord(g, t, r, props, hist, null, null);
            }
            g.writeEndArray();
            if (!errors.isEmpty()) {
                g.writeNumberField("numErrors", errors.size());
                g.writeFieldName("errors");
                Json.MAPPER.writeValue(g, errors);
            }
            g.writeStringField("startedAt", Json.iso(started));
            g.writeStringField("completedAt", Json.iso(done));
            g.writeEndObject();
        });
    }

    private Http.Resp batchCreate(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = Batch.allHaveTraceIds(in);
        // Without per-input trace ids the batch is all-or-nothing: validate everything first.
        if (!multi) {
            Set<String> emails = new HashSet<>();
            for (JsonNode x : in) {
                Map<String, String> p = store.validate(t, propsOf(x.get("properties"), "properties"), null, false);
                for (String u : t.uniqueProps()) {
                    String v = p.get(u);
                    if (v != null && !v.isEmpty()) {
                        Long other = store.table(t).findByUnique(u, v);
                        if (other != null || !emails.add(u + "=" + ObjectTable.norm(u, v))) {
                            throw new ApiException(
                                    409,
                                    "CONFLICT",
                                    t.name.equals("contacts") && u.equals("email")
                                            ? "Contact already exists. Existing ID: " + other
                                            : "Duplicate value \"" + v + "\" for unique property " + u
                                                    + (other == null
                                                            ? " within the batch"
                                                            : ". Existing ID: " + other));
                        }
                    }
                }
            }
        }
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JsonNode x : in) {
            try {
                Rec r = records.createRecord(
                        t, propsOf(x.get("properties"), "properties"), x.get("associations"), now, "API", false);
                results.add(r);
                props.add(RecordJson.allProps(r));
            } catch (ApiException e) {
                if (!multi) {
                    throw e;
                }
                errors.add(Batch.standardError(
                        e,
                        Map.of(
                                "objectWriteTraceId",
                                List.of(x.path("objectWriteTraceId").asText()))));
            }
        }
        return batchResponse(201, now, t, results, props, null, errors);
    }

    private Http.Resp batchUpdate(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = Batch.allHaveTraceIds(in);
        List<Rec> targets = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            String idProp = x.path("idProperty").asText(null);
            if (idProp != null && !idProp.equals("hs_object_id")) {
                PropertyDef p = t.property(idProp);
                if (p == null || !(p.hasUniqueValue || (t.name.equals("contacts") && idProp.equals("email")))) {
                    throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                            + " property " + idProp + " in portal ID " + store.portalId);
                }
            } else if (idProp != null) {
                throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                        + " property hs_object_id in portal ID " + store.portalId);
            }
            Rec r;
            try {
                r = records.resolve(t, id, idProp, false, false); // batch update does not follow merged ids
            } catch (ApiException e) {
                r = null;
            }
            if (r == null) {
                missing.add(id);
                targets.add(null);
                continue;
            }
            if (!ids.add(r.id)) {
                throw ApiException.validation("Duplicate IDs found in batch input: [" + r.id + "]. IDs must be unique");
            }
            targets.add(r);
        }
        if (!missing.isEmpty() && !multi) {
            throw ApiException.notFound("Could not get some " + t.singular.toUpperCase(Locale.ROOT)
                            + " objects, they may be deleted or not exist. Check that ids are valid: " + missing)
                    .context("ids", missing.toArray(new String[0]));
        }
        if (!multi) {
            int i = 0;
            for (JsonNode x : in) {
                store.validate(t, propsOf(x.get("properties"), "properties"), targets.get(i++), false);
            }
        }
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        int i = 0;
        for (JsonNode x : in) {
            Rec target = targets.get(i++);
            String trace = x.path("objectWriteTraceId").asText();
            if (target == null) {
                ApiException e = ApiException.notFound("Object not found.  objectId are usually numeric.");
                errors.add(Batch.standardError(
                        e,
                        Map.of(
                                "objectWriteTraceId",
                                List.of(trace),
                                "ids",
                                List.of(x.path("id").asText()))));
                continue;
            }
            try {
                Rec r = records.updateRecord(t, target, propsOf(x.get("properties"), "properties"), now, "API", false);
                results.add(r);
                props.add(RecordJson.allProps(r));
            } catch (ApiException e) {
                if (!multi) {
                    throw e;
                }
                errors.add(Batch.standardError(e, Map.of("objectWriteTraceId", List.of(trace))));
            }
        }
        return batchResponse(200, now, t, results, props, null, errors);
    }

    private Http.Resp batchUpsert(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        boolean multi = Batch.allHaveTraceIds(in);
        boolean byEmail = false;
        Set<String> keys = new HashSet<>();
        for (JsonNode x : in) {
            String idProp = x.path("idProperty").asText(null);
            String id = x.path("id").asText(null);
            if (id == null || id.isEmpty()) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            if (idProp == null || idProp.isEmpty()) {
                throw ApiException.validation("Upsert requires an idProperty: a property with unique values"
                        + (t.name.equals("contacts") ? " or email" : ""));
            }
            PropertyDef p = t.property(idProp);
            boolean email = t.name.equals("contacts") && idProp.equals("email");
            if (p == null || idProp.equals("hs_object_id") || !(p.hasUniqueValue || email)) {
                throw ApiException.validation("Unable to perform update/upsert by non-unique " + t.objectTypeId
                        + " property " + idProp + " in portal ID " + store.portalId);
            }
            byEmail |= email;
            if (!keys.add(idProp + "=" + ObjectTable.norm(idProp, id))) {
                throw ApiException.validation("Duplicate IDs found in batch input: [" + id + "]. IDs must be unique");
            }
        }
        if (!multi || byEmail) {
            // Partial upserts are not supported with email; without trace ids the batch is all-or-nothing.
            for (JsonNode x : in) {
                Map<String, String> p = new LinkedHashMap<>(propsOf(x.get("properties"), "properties"));
                p.put(x.path("idProperty").asText(), x.path("id").asText());
                store.validate(t, p, null, false);
            }
        }
        ObjectTable tab = store.table(t);
        List<Rec> results = new ArrayList<>();
        List<Set<String>> props = new ArrayList<>();
        List<Boolean> isNew = new ArrayList<>();
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JsonNode x : in) {
            String idProp = x.path("idProperty").asText();
            String id = x.path("id").asText();
            Map<String, String> p = new LinkedHashMap<>(propsOf(x.get("properties"), "properties"));
            try {
                Long existing = tab.findByUnique(idProp, id);
                Rec cur = existing == null ? null : tab.live.get(existing);
                Rec r;
                if (cur != null) {
                    r = records.updateRecord(t, cur, p, now, "API", false);
                } else {
                    p.put(idProp, id);
                    r = records.createRecord(t, p, null, now, "API", false);
                }
                results.add(r);
                props.add(RecordJson.allProps(r));
                isNew.add(cur == null);
            } catch (ApiException e) {
                if (!multi || byEmail) {
                    throw e;
                }
                errors.add(Batch.standardError(
                        e,
                        Map.of(
                                "objectWriteTraceId",
                                List.of(x.path("objectWriteTraceId").asText()))));
            }
        }
        return batchResponse(200, now, t, results, props, isNew, errors);
    }

    private Http.Resp batchArchive(Http.Req req) {
        ObjectType t = store.type(req.param("objectType"));
        JsonNode in = Batch.inputs(req.json(), MAX_BATCH);
        long now = store.clock.millis();
        for (JsonNode x : in) {
            String id = x.path("id").asText(null);
            if (id == null) {
                throw ApiException.validation("Invalid input JSON: every input needs an \"id\"");
            }
            try {
                records.archiveRecord(t, Long.parseLong(id), now);
            } catch (NumberFormatException ignored) {
                // unknown ids are ignored, like HubSpot
            }
        }
        return Http.Resp.noContent();
    }
}
