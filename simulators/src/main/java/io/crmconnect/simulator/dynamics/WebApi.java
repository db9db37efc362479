package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/** Entity-set and record operations of the Web API: queries, change tracking, writes, upserts, bulk messages. */
final class WebApi {
    private static final DateTimeFormatter TOKEN_TIME = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT);

    final Store store;
    final Schema schema;
    final RowWriter writer;
    final DynamicsClock clock;
    /** How long delta tokens stay valid (organization.ExpireChangeTrackingInDays; default 7 days). */
    volatile long tokenRetentionMillis = 7L * 86_400_000L;

    volatile long metadataVersion = 8_800_001L;

    WebApi(Store store, DynamicsClock clock) {
        this.store = store;
        this.schema = store.schema;
        this.writer = new RowWriter(store);
        this.clock = clock;
    }

    // ------------------------------------------------------------------ reads

    Http.Resp list(Http.Req req, TableDef t, String api) {
        Query q = Query.parse(schema, t, req.query);
        Prefer p = req.prefer;
        if (q.deltaToken != null) {
            return delta(req, t, q, api);
        }
        if (p.trackChanges) {
            rejectWithTracking(q, req);
            if (!t.changeTracking) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT,
                        "Change tracking is not " + "enabled for the entity '" + t.logicalName + "'.");
            }
        }
        boolean paged = p.maxPageSize != null || q.top == null || p.trackChanges;
        int pageSize = p.maxPageSize != null || p.trackChanges
                ? p.pageSize()
                : q.top == null ? Prefer.MAX_PAGE_SIZE : Math.min(q.top, Prefer.MAX_PAGE_SIZE);
        Cookie cookie = q.skipToken == null ? null : Cookie.parse(q.skipToken, t.primaryIdAttribute);
        List<Row> page = new ArrayList<>(Math.min(pageSize, 1024));
        boolean more;
        long total = -1;
        long snapshot;
        long tokenTime;
        Json.Buf out;
        store.lock.readLock().lock();
        try {
            Store.Table tab = store.table(t);
            snapshot = cookie != null && cookie.snapshot > 0 ? cookie.snapshot : store.currentVersion();
            tokenTime = cookie != null && cookie.tokenTime > 0 ? cookie.tokenTime : clock.millis();
            if (q.order == null) {
                NavigableMap<String, Row> from =
                        cookie == null || cookie.lastId == null ? tab.rows : tab.rows.tailMap(cookie.lastId, false);
                Iterator<Row> it = from.values().iterator();
                while (it.hasNext() && page.size() <= pageSize) {
                    Row r = it.next();
                    if (q.filter == null || q.filter.test(r)) {
                        page.add(r);
                    }
                }
            } else {
                List<Row> all = new ArrayList<>();
                for (Row r : tab.rows.values()) {
                    if (q.filter == null || q.filter.test(r)) {
                        all.add(r);
                    }
                }
                all.sort(q.order);
                int skip = cookie == null ? 0 : (cookie.pageNumber - 1) * pageSize;
                for (int i = skip; i < all.size() && page.size() <= pageSize; i++) {
                    page.add(all.get(i));
                }
            }
            more = paged && page.size() > pageSize;
            if (page.size() > pageSize) {
                page.remove(page.size() - 1);
            }
            if (q.count) {
                total = 0;
                for (Row r : tab.rows.values()) {
                    if (q.filter == null || q.filter.test(r)) {
                        total++;
                    }
                }
            }
            out = new Json.Buf(1024 + page.size() * (96 + 48 * q.selection.attrs.size()));
            out.ascii("{\"@odata.context\":")
                    .str(api + "/$metadata#" + t.entitySetName + q.selection.contextText(q.selectRequested));
            if (q.count && p.annotations.total) {
                out.ascii(",\"@Microsoft.Dynamics.CRM.totalrecordcount\":")
                        .ascii(Long.toString(Math.min(total, Prefer.MAX_PAGE_SIZE)));
                out.ascii(",\"@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\":")
                        .ascii(total > Prefer.MAX_PAGE_SIZE ? "true" : "false");
            }
            if (p.annotations.globalMetadata) {
                out.ascii(",\"@Microsoft.Dynamics.CRM.globalmetadataversion\":").str(Long.toString(metadataVersion));
            }
            if (q.count) {
                out.ascii(",\"@odata.count\":").ascii(Long.toString(Math.min(total, Prefer.MAX_PAGE_SIZE)));
            }
            out.ascii(",\"value\":[");
            writer.writeRows(out, t, page, q.selection, p.annotations);
            out.write(']');
        } finally {
            store.lock.readLock().unlock();
        }
        if (more) {
            Cookie next = new Cookie();
            next.pageNumber = cookie == null ? 2 : cookie.pageNumber + 1;
            next.firstId = page.get(0).id;
            next.lastId = page.get(page.size() - 1).id;
            next.tracking = p.trackChanges;
            if (p.trackChanges) {
                next.snapshot = snapshot;
                next.tokenTime = tokenTime;
            }
            out.ascii(",\"@odata.nextLink\":")
                    .str(api + "/" + t.entitySetName + "?" + keptQuery(req) + "$skiptoken="
                            + Cookie.urlForm(next.write(t.primaryIdAttribute)));
        } else if (p.trackChanges) {
            out.ascii(",\"@odata.deltaLink\":").str(deltaLink(req, t, api, snapshot, tokenTime));
        }
        out.write('}');
        Http.Resp r = new Http.Resp(200, out.array(), out.length());
        applied(r, p, paged && p.maxPageSize != null, p.trackChanges);
        return r;
    }

    private static void rejectWithTracking(Query q, Http.Req req) {
        for (String o : new String[] {"$filter", "$orderby", "$expand", "$top"}) {
            if (req.query.containsKey(o)) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT,
                        "The \"" + o + "\" query " + "parameter isn't supported when Change Tracking is enabled.");
            }
        }
    }

    private static void applied(Http.Resp r, Prefer p, boolean pageSize, boolean tracking) {
        List<String> a = new ArrayList<>();
        if (p.includeAnnotations != null) {
            a.add("odata.include-annotations=\"" + p.includeAnnotations + "\"");
        }
        if (pageSize) {
            a.add("odata.maxpagesize=" + p.pageSize());
        }
        if (tracking) {
            a.add("odata.track-changes");
        }
        if (!a.isEmpty()) {
            r.header("Preference-Applied", String.join(",", a));
        }
    }

    /** The request's query string without paging and delta parameters, ending with '&' when not empty. */
    private static String keptQuery(Http.Req req) {
        StringBuilder sb = new StringBuilder();
        if (req.rawQuery != null) {
            for (String part : req.rawQuery.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = Http.decode(eq < 0 ? part : part.substring(0, eq));
                if (k.equals("$skiptoken") || k.equals("$deltatoken")) {
                    continue;
                }
                sb.append(part).append('&');
            }
        }
        return sb.toString();
    }

    private String deltaLink(Http.Req req, TableDef t, String api, long version, long tokenTime) {
        String token = version + "!"
                + LocalDateTime.ofEpochSecond(Math.floorDiv(tokenTime, 1000L), 0, ZoneOffset.UTC)
                        .format(TOKEN_TIME);
        return api + "/" + t.entitySetName + "?" + keptQuery(req) + "$deltatoken=" + Cookie.lowerEncode(token);
    }

    /** A delta request: rows changed since the token (version order), then deletions, then a new delta link. */
    private Http.Resp delta(Http.Req req, TableDef t, Query q, String api) {
        rejectWithTracking(q, req);
        if (!t.changeTracking) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "Change tracking is not enabled " + "for the entity '" + t.logicalName + "'.");
        }
        long since;
        long tokenTime;
        try {
            String[] parts = q.deltaToken.split("!", 2);
            since = Long.parseLong(parts[0]);
            tokenTime = LocalDateTime.parse(parts[1], TOKEN_TIME)
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        } catch (RuntimeException e) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "The delta token '" + q.deltaToken + "' is not valid.");
        }
        if (since > store.currentVersion()) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "The delta token '" + q.deltaToken + "' is not valid.");
        }
        long now = clock.millis();
        if (tokenTime < now - tokenRetentionMillis) {
            throw DataverseException.badRequest(
                    DataverseException.EXPIRED_VERSION_STAMP,
                    "Version stamp associated " + "with the client has expired. Please perform a full sync.");
        }
        Prefer p = req.prefer;
        int pageSize = p.pageSize();
        Cookie cookie = q.skipToken == null ? null : Cookie.parse(q.skipToken, t.primaryIdAttribute);
        long target;
        long targetTime;
        String phase;
        long after;
        Json.Buf out = new Json.Buf(4096);
        int n = 0;
        long lastVersion = since;
        boolean more = false;
        store.lock.readLock().lock();
        try {
            Store.Table tab = store.table(t);
            target = cookie != null && cookie.snapshot > 0 ? cookie.snapshot : store.currentVersion();
            targetTime = cookie != null && cookie.tokenTime > 0 ? cookie.tokenTime : now;
            phase = cookie != null && cookie.phase != null ? cookie.phase : "c";
            after = cookie != null && cookie.phase != null ? cookie.lastVersion : since;
            out.ascii("{\"@odata.context\":")
                    .str(api + "/$metadata#" + t.entitySetName + q.selection.contextText(q.selectRequested)
                            + "/$delta");
            out.ascii(",\"value\":[");
            if (phase.equals("c")) {
                for (Row r : tab.byVersion.subMap(after, false, target, true).values()) {
                    if (n == pageSize) {
                        more = true;
                        break;
                    }
                    if (n++ > 0) {
                        out.write(',');
                    }
                    writer.write(out, t, r, q.selection, p.annotations);
                    lastVersion = r.version;
                }
                if (!more) {
                    phase = "d";
                    after = since;
                }
            }
            if (phase.equals("d") && !more) {
                for (Store.Tombstone ts : tab.tombstones) {
                    if (ts.version() <= after || ts.version() > target) {
                        continue;
                    }
                    Row live = tab.rows.get(ts.id());
                    if (live != null && live.version > ts.version()) {
                        continue; // re-created after the delete: the row itself is the newer change
                    }
                    if (n == pageSize) {
                        more = true;
                        break;
                    }
                    if (n++ > 0) {
                        out.write(',');
                    }
                    out.ascii("{\"@odata.context\":")
                            .str(api + "/$metadata#" + t.entitySetName + "/$deletedEntity")
                            .ascii(",\"id\":")
                            .str(ts.id())
                            .ascii(",\"reason\":\"deleted\"}");
                    lastVersion = ts.version();
                }
            }
        } finally {
            store.lock.readLock().unlock();
        }
        out.write(']');
        if (more) {
            Cookie next = new Cookie();
            next.pageNumber = cookie == null ? 2 : cookie.pageNumber + 1;
            next.tracking = true;
            next.snapshot = target;
            next.tokenTime = targetTime;
            next.phase = phase;
            next.lastVersion = lastVersion;
            out.ascii(",\"@odata.nextLink\":")
                    .str(api + "/" + t.entitySetName + "?" + keptQuery(req)
                            + "$deltatoken=" + Cookie.lowerEncode(q.deltaToken) + "&$skiptoken="
                            + Cookie.urlForm(next.write(t.primaryIdAttribute)));
        } else {
            out.ascii(",\"@odata.deltaLink\":").str(deltaLink(req, t, api, target, targetTime));
        }
        out.write('}');
        Http.Resp r = new Http.Resp(200, out.array(), out.length());
        applied(r, p, p.maxPageSize != null, p.trackChanges);
        return r;
    }

    /** GET {set}/$count: the number of matching rows as text (at most 5,000). */
    Http.Resp count(Http.Req req, TableDef t) {
        Query q = Query.parse(schema, t, req.query);
        long n = 0;
        store.lock.readLock().lock();
        try {
            for (Row r : store.table(t).rows.values()) {
                if (q.filter == null || q.filter.test(r)) {
                    n++;
                }
            }
        } finally {
            store.lock.readLock().unlock();
        }
        Http.Resp r = new Http.Resp(
                200, Long.toString(Math.min(n, Prefer.MAX_PAGE_SIZE)).getBytes(StandardCharsets.UTF_8));
        r.contentType = "text/plain; charset=utf-8";
        return r;
    }

    /** GET {set}({key}) */
    Http.Resp get(Http.Req req, TableDef t, String key, String api) {
        Query q = Query.parse(schema, t, req.query);
        Prefer p = req.prefer;
        store.lock.readLock().lock();
        try {
            Row row = require(t, key);
            String inm = req.header("if-none-match");
            if (inm != null
                    && inm.equals(row.etag())
                    && q.selection.expands.isEmpty()
                    && p.includeAnnotations == null) {
                return Http.Resp.empty(304);
            }
            Json.Buf out = new Json.Buf(1024);
            writer.write(out, t, row, q.selection, p.annotations);
            byte[] obj = out.copy();
            Json.Buf full = new Json.Buf(obj.length + 200);
            full.ascii("{\"@odata.context\":")
                    .str(api + "/$metadata#" + t.entitySetName + q.selection.contextText(q.selectRequested)
                            + "/$entity")
                    .write(',');
            full.write(obj, 1, obj.length - 1);
            Http.Resp r = new Http.Resp(200, full.array(), full.length());
            applied(r, p, false, false);
            return r;
        } finally {
            store.lock.readLock().unlock();
        }
    }

    /** GET {set}({key})/{property}: {"value": ...}, or 204 when the value is null. */
    Http.Resp getProperty(Http.Req req, TableDef t, String key, String prop, String api) {
        store.lock.readLock().lock();
        try {
            Row row = require(t, key);
            TableDef.Nav nav = t.navs.get(prop);
            if (nav != null) {
                Object x = row.get(nav.attr());
                TableDef target = schema.table(nav.target());
                if (!(x instanceof Ref r)
                        || !r.table().equals(target.logicalName)
                        || store.get(target, r.id()) == null) {
                    return Http.Resp.empty(204);
                }
                Http.Req inner = new Http.Req("GET", req.rawPath, req.rawQuery, req.headers, null);
                return get(inner, target, r.id(), api);
            }
            Attr a = t.byJson.get(prop);
            if (a == null) {
                throw DataverseException.segment(prop);
            }
            Object x = row.get(a);
            if (x == null) {
                return Http.Resp.empty(204);
            }
            Json.Buf out = new Json.Buf(256);
            try (JsonGenerator g = Json.generator(out)) {
                g.writeStartObject();
                g.writeStringField(
                        "@odata.context", api + "/$metadata#" + t.entitySetName + "(" + row.id + ")/" + prop);
                Query.Selection one = new Query.Selection(List.of(a), false);
                Json.Buf tmp = new Json.Buf(128);
                try (JsonGenerator g2 = Json.generator(tmp)) {
                    writer.writeObject(g2, t, row, one, new Prefer.Annotations(null));
                }
                JsonNode v = Json.MAPPER.readTree(tmp.copy()).get(a.jsonName);
                g.writeFieldName("value");
                g.writeTree(v);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Http.Resp(200, out.copy());
        } finally {
            store.lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ key resolution

    /** The row a key addresses (caller holds a lock); 404 with Dataverse's codes when there is none. */
    Row require(TableDef t, String key) {
        Resolved r = resolve(t, key);
        if (r.row == null) {
            throw r.notFound();
        }
        return r.row;
    }

    /** A key resolved against a table: the row (or null) and what to create on upsert. */
    final class Resolved {
        final TableDef table;
        String id;
        TableDef.Key key;
        Map<Attr, Object> keyValues = new LinkedHashMap<>();
        Row row;

        Resolved(TableDef table) {
            this.table = table;
        }

        DataverseException notFound() {
            if (key == null) {
                return DataverseException.notFound(table.logicalName, id);
            }
            return new DataverseException(
                    404,
                    DataverseException.RECORD_NOT_FOUND_BY_KEY,
                    "A record with the " + "specified key values does not exist in " + table.logicalName + " entity");
        }
    }

    Resolved resolve(TableDef t, String key) {
        Map<String, String> parts = ODataPath.keyParts(key);
        Resolved res = new Resolved(t);
        if (parts.size() == 1 && (parts.containsKey("") || parts.containsKey(t.primaryIdAttribute))) {
            String v = parts.values().iterator().next();
            if (v.startsWith("{") && v.endsWith("}")) {
                v = v.substring(1, v.length() - 1);
            }
            if (!Values.isGuid(v)) {
                throw DataverseException.query("Bad Request - Error in query syntax.");
            }
            res.id = v.toLowerCase(Locale.ROOT);
            res.row = store.get(t, res.id);
            return res;
        }
        if (parts.containsKey("")) {
            throw DataverseException.query("Bad Request - Error in query syntax.");
        }
        TableDef.Key match = null;
        for (TableDef.Key k : t.keys) {
            if (k.attributes().size() != parts.size()) {
                continue;
            }
            boolean all = true;
            for (String a : k.attributes()) {
                if (!parts.containsKey(t.byLogical.get(a).jsonName) && !parts.containsKey(a)) {
                    all = false;
                }
            }
            if (all) {
                match = k;
                break;
            }
        }
        if (match == null) {
            throw DataverseException.query("The key in the request URI is not valid for resource '"
                    + t.qualifiedType() + "'. Ensure that the names and number of key properties match the declared "
                    + "or alternate key properties for the resource '" + t.qualifiedType() + "'.");
        }
        res.key = match;
        List<Object> norm = new ArrayList<>();
        for (String an : match.attributes()) {
            Attr a = t.byLogical.get(an);
            String raw = parts.containsKey(a.jsonName) ? parts.get(a.jsonName) : parts.get(an);
            Object v = keyLiteral(t, a, raw);
            res.keyValues.put(a, v);
            norm.add(Store.norm(v));
        }
        res.row = store.byKey(t, match, norm);
        if (res.row != null) {
            res.id = res.row.id;
        }
        return res;
    }

    private Object keyLiteral(TableDef t, Attr a, String raw) {
        boolean quoted = raw.startsWith("'");
        String s = quoted ? raw.substring(1) : raw;
        try {
            switch (a.type) {
                case STRING:
                case MEMO:
                    if (!quoted) {
                        break;
                    }
                    Values.checkLength(t, a, s);
                    return s;
                case INTEGER:
                case PICKLIST:
                case STATE:
                case STATUS:
                    if (quoted) {
                        break;
                    }
                    return Integer.parseInt(s);
                case BIGINT:
                    return Long.parseLong(s);
                case DECIMAL:
                case MONEY:
                    return new BigDecimal(s);
                case DATETIME:
                    return Values.parseDate(t, a, s);
                case LOOKUP:
                case CUSTOMER:
                case OWNER:
                    if (quoted || !Values.isGuid(s)) {
                        break;
                    }
                    return new Ref(a.navByTarget.keySet().iterator().next(), s.toLowerCase(Locale.ROOT));
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // fall through to the syntax error
        }
        throw DataverseException.query("Bad Request - Error in query syntax.");
    }

    // ------------------------------------------------------------------ writes

    /** Columns and lookups of a request body; unknown names and wrong types get Dataverse's 400s. */
    Map<Attr, Object> body(Http.Req req, TableDef t, JsonNode json, boolean create) {
        if (json == null || !json.isObject()) {
            throw DataverseException.payload(
                    t.entitySetName, "Microsoft.OData.ODataException: The request body is " + "not a JSON object.");
        }
        Map<Attr, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = json.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (k.equals("@odata.type")) {
                String type = v.asText().startsWith("#") ? v.asText().substring(1) : v.asText();
                if (!type.equals(t.qualifiedType())) {
                    throw DataverseException.payload(
                            t.entitySetName,
                            "Microsoft.OData.ODataException: A resource "
                                    + "with type '" + type
                                    + "' was found, but it is not assignable to the expected type '"
                                    + t.qualifiedType()
                                    + "'. The type specified in the resource must be equal to either the "
                                    + "expected type or a derived type.");
                }
                continue;
            }
            if (k.endsWith("@odata.bind")) {
                String navName = k.substring(0, k.length() - "@odata.bind".length());
                TableDef.Nav nav = t.navs.get(navName);
                if (nav == null || nav.attr().computed) {
                    throw undeclared(t, navName);
                }
                if (out.containsKey(nav.attr()) && out.get(nav.attr()) != null && !v.isNull()) {
                    throw DataverseException.badRequest(
                            DataverseException.INVALID_ARGUMENT,
                            "The lookup '" + nav.attr().logicalName + "' is bound twice in the payload.");
                }
                out.put(nav.attr(), v.isNull() ? null : bind(req, t, nav, v.asText()));
                continue;
            }
            if (k.startsWith("@") || k.contains("@")) {
                continue; // instance and property annotations are accepted and ignored
            }
            Attr a = t.byJson.get(k);
            if (a == null) {
                if (t.navs.containsKey(k)) {
                    throw DataverseException.badRequest(
                            DataverseException.INVALID_ARGUMENT,
                            "Deep insert through '" + k + "' is not supported by this simulator; bind with " + k
                                    + "@odata.bind.");
                }
                throw DataverseException.payload(
                        t.entitySetName,
                        "Microsoft.Crm.CrmException: Invalid property '" + k
                                + "' was found in entity '" + t.qualifiedType()
                                + "'. ---> Microsoft.OData.ODataException: "
                                + "Does not support untyped value in non-open type.");
            }
            if (a.type.isLookup()) {
                throw new DataverseException(
                        400,
                        DataverseException.ENTITY_REFERENCE_UPDATE,
                        "CRM do not support "
                                + "direct update of Entity Reference properties, Use Navigation properties instead.");
            }
            Object val = Values.fromJson(t, a, v);
            if (a.primaryId) {
                if (create) {
                    out.put(a, val);
                }
                continue;
            }
            if (a.computed || create && !a.validForCreate || !create && !a.validForUpdate) {
                continue; // Dataverse ignores values for columns that are not valid for this operation
            }
            if (val == null && "SystemRequired".equals(a.requiredLevel)) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT, "Attribute '" + a.logicalName + "' cannot be NULL");
            }
            out.put(a, val);
        }
        return out;
    }

    static DataverseException undeclared(TableDef t, String name) {
        return DataverseException.payload(
                t.entitySetName,
                "Microsoft.OData.ODataException: An undeclared property '"
                        + name
                        + "' which only has property annotations in the payload but no property value was found in the "
                        + "payload. In OData, only declared navigation properties and declared named streams can be "
                        + "represented as properties without values.");
    }

    /** Resolves an @odata.bind value: /set(id), set(key='x'), an absolute URL, or a change-set $n reference. */
    private Ref bind(Http.Req req, TableDef t, TableDef.Nav nav, String ref) {
        String s = ref;
        if (s.startsWith("$") && req.contentIds != null) {
            String target = req.contentIds.get(s.substring(1));
            if (target == null) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT,
                        "Content-ID Reference: '" + s + "' does not exist in the batch context.");
            }
            s = target;
        }
        int api = s.indexOf("/api/data/v");
        if (api >= 0) {
            s = s.substring(s.indexOf('/', api + "/api/data/v".length()) + 1);
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        ODataPath path;
        try {
            path = ODataPath.parse(s);
        } catch (DataverseException e) {
            throw badBind(t, ref);
        }
        TableDef target = schema.set(path.head);
        if (path.key == null || target == null || !path.rest.isEmpty()) {
            throw badBind(t, ref);
        }
        if (!target.logicalName.equals(nav.target())) {
            throw DataverseException.payload(
                    t.entitySetName,
                    "Microsoft.OData.ODataException: The entity set '" + path.head
                            + "' is not valid for the navigation property '" + nav.name() + "'.");
        }
        Resolved r = resolve(target, path.key);
        if (r.row == null) {
            throw r.notFound();
        }
        return new Ref(target.logicalName, r.row.id);
    }

    private static DataverseException badBind(TableDef t, String ref) {
        return DataverseException.payload(
                t.entitySetName,
                "Microsoft.OData.ODataException: The URI '" + ref
                        + "' in an @odata.bind annotation is not a valid entity reference.");
    }

    static JsonNode parseJson(Http.Req req, TableDef t) {
        if (req.body.length == 0) {
            throw DataverseException.payload(
                    t.entitySetName, "Microsoft.OData.ODataException: The request body is " + "empty.");
        }
        try {
            return Json.MAPPER.readTree(req.body);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw DataverseException.payload(t.entitySetName, "Microsoft.OData.ODataException: Invalid JSON. " + m);
        }
    }

    /** POST {set}: 204 with OData-EntityId, or 201 with the row under return=representation. */
    Http.Resp create(Http.Req req, TableDef t, String api) {
        requireWritable(t);
        JsonNode json = parseJson(req, t);
        Query q = Query.parse(schema, t, req.query);
        Row row;
        store.lock.writeLock().lock();
        try {
            Map<Attr, Object> values = body(req, t, json, true);
            String id = (String) values.remove(t.primaryId());
            row = store.insert(t, id, values, req.principal.userId(), clock.millis());
            return written(req, t, row, q, api, 201);
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    private Http.Resp written(Http.Req req, TableDef t, Row row, Query q, String api, int status) {
        String entityId = api + "/" + t.entitySetName + "(" + row.id + ")";
        if (req.prefer.returnRepresentation) {
            Json.Buf out = new Json.Buf(1024);
            writer.write(out, t, row, q.selection, req.prefer.annotations);
            byte[] obj = out.copy();
            Json.Buf full = new Json.Buf(obj.length + 200);
            full.ascii("{\"@odata.context\":")
                    .str(api + "/$metadata#" + t.entitySetName + q.selection.contextText(q.selectRequested)
                            + "/$entity")
                    .write(',');
            full.write(obj, 1, obj.length - 1);
            Http.Resp r = new Http.Resp(status, full.copy());
            r.header("OData-EntityId", entityId);
            r.header("Preference-Applied", "return=representation");
            return r;
        }
        return Http.Resp.empty(204).header("OData-EntityId", entityId);
    }

    private static void requireWritable(TableDef t) {
        if (t.readOnly) {
            throw new DataverseException(
                    403,
                    DataverseException.PRIVILEGE_DENIED,
                    "Principal user is missing "
                            + "prvWrite" + t.schemaName + " privilege on OTC=" + t.objectTypeCode + " for entity '"
                            + t.logicalName + "'.");
        }
    }

    /** PATCH {set}({key}): update, or create when missing (upsert), honouring If-Match / If-None-Match. */
    Http.Resp patch(Http.Req req, TableDef t, String key, String api) {
        requireWritable(t);
        JsonNode json = parseJson(req, t);
        Query q = Query.parse(schema, t, req.query);
        store.lock.writeLock().lock();
        try {
            Resolved res = resolve(t, key);
            Map<Attr, Object> values = body(req, t, json, res.row == null);
            String ifMatch = req.header("if-match");
            String ifNoneMatch = req.header("if-none-match");
            long now = clock.millis();
            if (res.row != null) {
                if ("*".equals(ifNoneMatch)) {
                    throw new DataverseException(
                            412,
                            DataverseException.DUPLICATE_RECORD,
                            "A record with matching " + "key values already exists.");
                }
                checkIfMatch(ifMatch, res.row);
                values.remove(t.primaryId());
                Row row = store.update(t, res.row, values, req.principal.userId(), now);
                return written(req, t, row, q, api, 200);
            }
            if (ifMatch != null) {
                throw res.notFound();
            }
            String id = res.id;
            Object bodyId = values.remove(t.primaryId());
            if (id == null && bodyId != null) {
                id = (String) bodyId;
            }
            values.putAll(res.keyValues);
            Row row = store.insert(t, id, values, req.principal.userId(), now);
            return written(req, t, row, q, api, 201);
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    private static void checkIfMatch(String ifMatch, Row row) {
        if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(row.etag())) {
            throw new DataverseException(
                    412,
                    DataverseException.VERSION_MISMATCH,
                    "The version of the existing " + "record doesn't match the RowVersion property provided.");
        }
    }

    /** DELETE {set}({key}) */
    Http.Resp delete(Http.Req req, TableDef t, String key) {
        requireWritable(t);
        store.lock.writeLock().lock();
        try {
            Row row = require(t, key);
            checkIfMatch(req.header("if-match"), row);
            store.delete(t, row, clock.millis());
            return Http.Resp.empty(204);
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    /** PUT {set}({key})/{property} {"value": x}: sets one column. */
    Http.Resp putProperty(Http.Req req, TableDef t, String key, String prop) {
        requireWritable(t);
        JsonNode json = parseJson(req, t);
        if (!json.has("value")) {
            throw DataverseException.payload(
                    t.entitySetName,
                    "Microsoft.OData.ODataException: A property named " + "'value' was expected in the payload.");
        }
        ObjectNode one = Json.obj();
        one.set(prop, json.get("value"));
        return setColumns(req, t, key, one);
    }

    /** DELETE {set}({key})/{property}: clears one column. */
    Http.Resp deleteProperty(Http.Req req, TableDef t, String key, String prop) {
        requireWritable(t);
        ObjectNode one = Json.obj();
        one.putNull(prop);
        return setColumns(req, t, key, one);
    }

    /** DELETE {set}({key})/{nav}/$ref clears a lookup; PUT with {"@odata.id": "set(id)"} sets it. */
    Http.Resp ref(Http.Req req, TableDef t, String key, String navName) {
        requireWritable(t);
        TableDef.Nav nav = t.navs.get(navName);
        if (nav == null || nav.attr().computed) {
            throw DataverseException.segment(navName);
        }
        ObjectNode one = Json.obj();
        if (req.method.equals("DELETE")) {
            one.putNull(navName + "@odata.bind");
        } else {
            JsonNode json = parseJson(req, t);
            one.put(navName + "@odata.bind", json.path("@odata.id").asText());
        }
        return setColumns(req, t, key, one);
    }

    private Http.Resp setColumns(Http.Req req, TableDef t, String key, ObjectNode body) {
        if (!body.fields().next().getKey().contains("@")
                && !t.byJson.containsKey(body.fieldNames().next())) {
            throw DataverseException.segment(body.fieldNames().next());
        }
        store.lock.writeLock().lock();
        try {
            Row row = require(t, key);
            checkIfMatch(req.header("if-match"), row);
            Map<Attr, Object> values = body(req, t, body, false);
            store.update(t, row, values, req.principal.userId(), clock.millis());
            return Http.Resp.empty(204);
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ bulk messages

    /** POST {set}/Microsoft.Dynamics.CRM.CreateMultiple | UpdateMultiple | UpsertMultiple: one transaction. */
    Http.Resp bulk(Http.Req req, TableDef t, String message, String api) {
        requireWritable(t);
        JsonNode json = parseJson(req, t);
        JsonNode targets = json.get("Targets");
        if (targets == null || !targets.isArray()) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "Required parameter 'Targets' " + "of " + message + " is missing or not a collection.");
        }
        if (targets.isEmpty()) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "The Targets collection of " + message + " is empty.");
        }
        List<String> ids = new ArrayList<>();
        store.lock.writeLock().lock();
        boolean outer = store.inTransaction();
        if (!outer) {
            store.begin();
        }
        try {
            long now = clock.millis();
            for (JsonNode target : targets) {
                if (!target.isObject() || !target.has("@odata.type")) {
                    throw DataverseException.badRequest(
                            DataverseException.INVALID_ARGUMENT,
                            "Each entity in Targets " + "of " + message + " must have an @odata.type annotation.");
                }
                ObjectNode item = ((ObjectNode) target).deepCopy();
                String odataId =
                        item.has("@odata.id") ? item.remove("@odata.id").asText() : null;
                Map<Attr, Object> values;
                switch (message) {
                    case "CreateMultiple" -> {
                        values = body(req, t, item, true);
                        String id = (String) values.remove(t.primaryId());
                        ids.add(store.insert(t, id, values, req.principal.userId(), now).id);
                    }
                    case "UpdateMultiple" -> {
                        Resolved r = odataId != null ? resolveRef(t, odataId) : byBodyId(t, item);
                        if (r.row == null) {
                            throw r.notFound();
                        }
                        values = body(req, t, item, false);
                        values.remove(t.primaryId());
                        store.update(t, r.row, values, req.principal.userId(), now);
                    }
                    default -> {
                        Resolved r = odataId != null ? resolveRef(t, odataId) : byBodyId(t, item);
                        values = body(req, t, item, r.row == null);
                        if (r.row != null) {
                            values.remove(t.primaryId());
                            store.update(t, r.row, values, req.principal.userId(), now);
                        } else {
                            Object bodyId = values.remove(t.primaryId());
                            values.putAll(r.keyValues);
                            store.insert(t, r.id != null ? r.id : (String) bodyId, values, req.principal.userId(), now);
                        }
                    }
                }
            }
            if (!outer) {
                store.commit();
            }
        } catch (RuntimeException e) {
            if (!outer) {
                store.rollback();
            }
            throw e;
        } finally {
            store.lock.writeLock().unlock();
        }
        if (message.equals("CreateMultiple")) {
            ObjectNode n = Json.obj();
            n.put("@odata.context", api + "/$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse");
            var arr = n.putArray("Ids");
            ids.forEach(arr::add);
            return Http.Resp.json(200, n);
        }
        return Http.Resp.empty(204);
    }

    private Resolved byBodyId(TableDef t, ObjectNode item) {
        JsonNode id = item.get(t.primaryIdAttribute);
        if (id == null || !id.isTextual() || !Values.isGuid(id.asText())) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "Each entity in Targets must " + "carry its primary key '" + t.primaryIdAttribute
                            + "' or an @odata.id with an alternate key.");
        }
        return resolve(t, id.asText());
    }

    private Resolved resolveRef(TableDef t, String odataId) {
        String s = odataId;
        int api = s.indexOf("/api/data/v");
        if (api >= 0) {
            s = s.substring(s.indexOf('/', api + "/api/data/v".length()) + 1);
        }
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        ODataPath p = ODataPath.parse(s);
        if (p.key == null || !t.entitySetName.equals(p.head)) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "The @odata.id '" + odataId + "' does not address a " + t.logicalName + " record.");
        }
        return resolve(t, p.key);
    }
}
