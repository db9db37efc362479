package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pipelines API ({@code pipelines-v3.json}): deal and ticket pipelines and their stages. */
final class PipelinesApi {
    private final Store store;

    PipelinesApi(Store store) {
        this.store = store;
    }

    void register(Router r) {
        String pl = "/crm/v3/pipelines/{objectType}";
        r.add("GET", pl, this::pipelines);
        r.add("POST", pl, this::createPipeline);
        r.add("GET", pl + "/{pipelineId}", this::getPipeline);
        r.add("PATCH", pl + "/{pipelineId}", this::patchPipeline);
        r.add("DELETE", pl + "/{pipelineId}", this::deletePipeline);
        r.add("GET", pl + "/{pipelineId}/stages", this::stages);
        r.add("POST", pl + "/{pipelineId}/stages", this::createStage);
        r.add("GET", pl + "/{pipelineId}/stages/{stageId}", this::getStage);
        r.add("PATCH", pl + "/{pipelineId}/stages/{stageId}", this::patchStage);
        r.add("DELETE", pl + "/{pipelineId}/stages/{stageId}", this::deleteStage);
    }

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

    private Http.Resp pipelines(Http.Req req) {
        ObjectNode out = Json.obj();
        ArrayNode results = out.putArray("results");
        for (Store.Pipeline p : pipelinesOf(req)) {
            if (!p.archived) {
                results.add(renderPipeline(p));
            }
        }
        return Http.Resp.json(200, out);
    }

    private Http.Resp getPipeline(Http.Req req) {
        return Http.Resp.json(200, renderPipeline(pipeline(req)));
    }

    private Http.Resp createPipeline(Http.Req req) {
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
        Map<String, String> md = new LinkedHashMap<>();
        s.path("metadata")
                .fields()
                .forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
        return new Store.Pipeline.Stage(
                s.path("stageId").asText(Long.toString(store.nextId())),
                s.path("label").asText("Stage"),
                s.path("displayOrder").asInt(0),
                md,
                now);
    }

    private Http.Resp patchPipeline(Http.Req req) {
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

    private Http.Resp deletePipeline(Http.Req req) {
        Store.Pipeline p = pipeline(req);
        p.archived = true;
        p.updatedAt = store.clock.millis();
        return Http.Resp.noContent();
    }

    private Http.Resp stages(Http.Req req) {
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

    private Http.Resp getStage(Http.Req req) {
        return Http.Resp.json(200, renderStage(stage(req)));
    }

    private Http.Resp createStage(Http.Req req) {
        Store.Pipeline p = pipeline(req);
        Store.Pipeline.Stage s = stageFrom(req.json(), store.clock.millis());
        p.stages.add(s);
        return Http.Resp.json(201, renderStage(s));
    }

    private Http.Resp patchStage(Http.Req req) {
        Store.Pipeline.Stage s = stage(req);
        JsonNode b = req.json();
        if (b.has("label")) {
            s.label = b.get("label").asText();
        }
        if (b.has("displayOrder")) {
            s.displayOrder = b.get("displayOrder").asInt();
        }
        b.path("metadata")
                .fields()
                .forEachRemaining(e -> s.metadata.put(e.getKey(), e.getValue().asText()));
        s.updatedAt = store.clock.millis();
        return Http.Resp.json(200, renderStage(s));
    }

    private Http.Resp deleteStage(Http.Req req) {
        Store.Pipeline.Stage s = stage(req);
        s.archived = true;
        return Http.Resp.noContent();
    }
}
