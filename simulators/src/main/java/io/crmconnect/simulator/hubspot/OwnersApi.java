package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Owners API ({@code crmOwners-v3.json}): paged owners by email or archived state, one owner by id or userId. */
final class OwnersApi {
    private final Store store;

    OwnersApi(Store store) {
        this.store = store;
    }

    void register(Router r) {
        r.add("GET", "/crm/v3/owners", this::owners);
        r.add("GET", "/crm/v3/owners/{ownerId}", this::owner);
    }

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

    private Http.Resp owners(Http.Req req) {
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

    private Http.Resp owner(Http.Req req) {
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
}
