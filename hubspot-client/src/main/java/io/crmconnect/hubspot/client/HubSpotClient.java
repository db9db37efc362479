package io.crmconnect.hubspot.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.Backoff;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.client.Failures;
import io.crmconnect.common.client.RetryAfter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed client for the HubSpot CRM APIs (objects v3, search, batch, properties, schemas, associations v4, pipelines,
 * owners) with one {@link RateBudget} shared by all calls.
 *
 * <p>Errors: transient failures (5xx, 429, 423, 477, timeouts, resets, truncated/malformed bodies) are retried with
 * {@link Backoff} inside a time budget and then surface as {@link HubSpotRetriableException}; other 4xx answers are
 * {@link HubSpotApiException} with HubSpot's category, message and correlation id. 401 on an OAuth token refreshes the
 * token once. The access token never appears in logs or exception messages.
 *
 * <p>Thread-safe; create one per connector task (the budget is per task) and {@link #close()} it.
 */
public final class HubSpotClient implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpUrl base;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final TokenProvider tokens;
    private final RateBudget budget;
    private final Backoff backoff;
    private final int maxUrlChars;

    /** A view of {@code other} with its own retry policy: same connections, credentials and budget. */
    private HubSpotClient(HubSpotClient other, Backoff backoff) {
        this.base = other.base;
        this.http = other.http;
        this.ownsHttp = false;
        this.tokens = other.tokens;
        this.budget = other.budget;
        this.backoff = backoff;
        this.maxUrlChars = other.maxUrlChars;
    }

    /**
     * This client with another retry policy, sharing its connections, credentials and rate budget (closing the view
     * releases nothing; close this client). A caller that must not block long in one call (a thread serving several
     * streams) uses a short budget: a transient failure that outlives it, or a 429 whose Retry-After is longer,
     * surfaces at once as {@link HubSpotRetriableException} with the server's delay as its hint.
     */
    public HubSpotClient withBackoff(Backoff backoff) {
        return new HubSpotClient(this, Objects.requireNonNull(backoff));
    }

    private HubSpotClient(Builder b) {
        this.base = HttpUrl.get(b.baseUrl);
        this.ownsHttp = b.http == null;
        this.http = b.http != null
                ? b.http
                : new OkHttpClient.Builder()
                        .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .callTimeout(b.readTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                        .retryOnConnectionFailure(false) // we retry ourselves, within the budget
                        .build();
        this.tokens = b.tokens != null
                ? b.tokens
                : new OAuthTokenProvider(http, b.baseUrl, b.oauthClientId, b.oauthClientSecret, b.oauthRefreshToken);
        this.budget = b.budget != null ? b.budget : new RateBudget(Tier.STARTER, 1.0, 1.0);
        this.backoff = b.backoff;
        this.maxUrlChars = b.maxUrlChars;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration of a client. */
    public static final class Builder {
        private String baseUrl = "https://api.hubapi.com";
        private TokenProvider tokens;
        private String oauthClientId;
        private String oauthClientSecret;
        private String oauthRefreshToken;
        private RateBudget budget;
        private OkHttpClient http;
        private Backoff backoff =
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 10, Duration.ofSeconds(60));
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private int maxUrlChars = 12_000;

        public Builder baseUrl(String url) {
            this.baseUrl = Objects.requireNonNull(url);
            return this;
        }

        /** Private-app token / service key. */
        public Builder accessToken(String token) {
            this.tokens = TokenProvider.privateApp(Objects.requireNonNull(token));
            return this;
        }

        /** OAuth refresh-token flow. */
        public Builder oauth(String clientId, String clientSecret, String refreshToken) {
            this.oauthClientId = Objects.requireNonNull(clientId);
            this.oauthClientSecret = Objects.requireNonNull(clientSecret);
            this.oauthRefreshToken = Objects.requireNonNull(refreshToken);
            return this;
        }

        public Builder tokenProvider(TokenProvider p) {
            this.tokens = p;
            return this;
        }

        public Builder rateBudget(RateBudget b) {
            this.budget = b;
            return this;
        }

        /** Retries of transient failures: attempts and total time per call. */
        public Builder backoff(Backoff b) {
            this.backoff = b;
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = connect;
            this.readTimeout = read;
            return this;
        }

        /** Longest URL sent; longer property lists are split (HubSpot answers 414 around 15-16k chars). */
        public Builder maxUrlChars(int n) {
            this.maxUrlChars = n;
            return this;
        }

        public Builder httpClient(OkHttpClient c) {
            this.http = c;
            return this;
        }

        public HubSpotClient build() {
            if (tokens == null && oauthRefreshToken == null) {
                throw new IllegalArgumentException("an access token or OAuth credentials are required");
            }
            return new HubSpotClient(this);
        }
    }

    public RateBudget budget() {
        return budget;
    }

    // ------------------------------------------------------------------------------------------------ objects

    /**
     * One page of {@code GET /crm/v3/objects/{type}} (id-ascending, cursor {@code after}). When the property list does
     * not fit in one URL, the page is read with the properties that fit and the rest are fetched with one batch read of
     * the same ids (POST body, no URL limit), then merged: every record has every requested property.
     *
     * @param archived true lists ONLY archived records (recycle bin, 90 days)
     */
    public Page<CrmObject> list(
            String objectType,
            List<String> properties,
            List<String> associations,
            String after,
            int limit,
            boolean archived) {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        splitForUrl(objectType, properties, first, rest);
        HttpUrl.Builder u = url("crm/v3/objects/" + objectType)
                .addQueryParameter("limit", Integer.toString(limit))
                .addQueryParameter("archived", Boolean.toString(archived));
        if (!first.isEmpty()) {
            u.addQueryParameter("properties", String.join(",", first));
        }
        if (associations != null && !associations.isEmpty()) {
            u.addQueryParameter("associations", String.join(",", associations));
        }
        if (after != null) {
            u.addQueryParameter("after", after);
        }
        Page<CrmObject> page = send(
                new Request.Builder().url(u.build()).get(),
                false,
                "list " + objectType,
                bytes -> ListPageReader.read(bytes, first.size()));
        if (!rest.isEmpty() && !page.results().isEmpty()) {
            return new Page<>(mergeRemaining(objectType, page.results(), rest, archived), page.after());
        }
        return page;
    }

    /** How many property chunks a list of these properties needs (1 = one request per page). */
    public int propertyChunks(String objectType, List<String> properties) {
        List<String> first = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        splitForUrl(objectType, properties, first, rest);
        return rest.isEmpty() ? 1 : 2;
    }

    private void splitForUrl(String objectType, List<String> properties, List<String> first, List<String> rest) {
        if (properties == null) {
            return;
        }
        // base URL + path + limit/after/archived/associations parameters: keep 600 chars of headroom
        int room = maxUrlChars - base.toString().length() - objectType.length() - 600;
        int used = 0;
        for (String p : properties) {
            int cost = p.length() + 3; // the comma is percent-encoded
            if (rest.isEmpty() && used + cost <= room) {
                first.add(p);
                used += cost;
            } else {
                rest.add(p);
            }
        }
    }

    private List<CrmObject> mergeRemaining(
            String objectType, List<CrmObject> page, List<String> rest, boolean archived) {
        List<String> ids = page.stream().map(CrmObject::id).toList();
        BatchResult more = batchRead(objectType, ids, rest, null, archived);
        Map<String, CrmObject> byId = new LinkedHashMap<>();
        for (CrmObject o : more.results()) {
            byId.put(o.id(), o);
        }
        List<CrmObject> merged = new ArrayList<>(page.size());
        for (CrmObject o : page) {
            CrmObject extra = byId.get(o.id());
            if (extra == null) {
                merged.add(o); // deleted between the two calls: keep what we have; the delete arrives separately
                continue;
            }
            Map<String, String> props = new LinkedHashMap<>(o.properties());
            props.putAll(extra.properties());
            // the later read is at least as fresh
            merged.add(new CrmObject(
                    o.id(),
                    props,
                    o.createdAt(),
                    later(o.updatedAt(), extra.updatedAt()),
                    o.archived(),
                    o.archivedAt(),
                    o.associations()));
        }
        return merged;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** {@code GET /crm/v3/objects/{type}/{id}}; null when not found. */
    public CrmObject get(String objectType, String id, List<String> properties) {
        HttpUrl.Builder u = url("crm/v3/objects/" + objectType + "/" + id);
        if (properties != null && !properties.isEmpty()) {
            u.addQueryParameter("properties", String.join(",", properties));
        }
        try {
            return parseObject(send(new Request.Builder().url(u.build()).get(), false, "get " + objectType));
        } catch (HubSpotApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    /** {@code POST /crm/v3/objects/{type}/search}: counts against the separate 5/s search limit. */
    public SearchPage search(String objectType, SearchRequest r) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (List<SearchRequest.Filter> g : r.filterGroups()) {
            ArrayNode fs = groups.addObject().putArray("filters");
            for (SearchRequest.Filter f : g) {
                ObjectNode fn = fs.addObject();
                fn.put("propertyName", f.propertyName());
                fn.put("operator", f.operator());
                if (f.value() != null) {
                    fn.put("value", f.value());
                }
                if (f.highValue() != null) {
                    fn.put("highValue", f.highValue());
                }
                if (f.values() != null) {
                    ArrayNode vs = fn.putArray("values");
                    f.values().forEach(vs::add);
                }
            }
        }
        // The published contract types sorts as strings: "property" (ascending) or "-property" (descending).
        ArrayNode sorts = body.putArray("sorts");
        if (r.sortProperty() != null) {
            sorts.add(r.ascending() ? r.sortProperty() : "-" + r.sortProperty());
        }
        ArrayNode ps = body.putArray("properties");
        if (r.properties() != null) {
            r.properties().forEach(ps::add);
        }
        body.put("limit", r.limit());
        body.put("after", r.after() == null ? "0" : r.after());
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm/v3/objects/" + objectType + "/search").build())
                        .post(json(body)),
                true,
                "search " + objectType);
        String next = n.path("paging").path("next").path("after").asText(null);
        return new SearchPage(
                n.path("total").asLong(),
                parseObjects(n.path("results")),
                next == null || next.isEmpty() ? null : next);
    }

    /** {@code POST .../batch/read} (≤100 ids); ids not found are simply absent from the results (207 errors kept). */
    public BatchResult batchRead(
            String objectType, Collection<String> ids, List<String> properties, String idProperty, boolean archived) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        ArrayNode ps = body.putArray("properties");
        if (properties != null) {
            properties.forEach(ps::add);
        }
        body.putArray("propertiesWithHistory");
        if (idProperty != null) {
            body.put("idProperty", idProperty);
        }
        HttpUrl u = url("crm/v3/objects/" + objectType + "/batch/read")
                .addQueryParameter("archived", Boolean.toString(archived))
                .build();
        try {
            return parseBatch(send(new Request.Builder().url(u).post(json(body)), false, "batch read " + objectType));
        } catch (HubSpotApiException e) {
            if (e.isNotFound()) {
                return new BatchResult(List.of(), List.of());
            }
            throw e;
        }
    }

    /**
     * {@code POST .../batch/read} with {@code propertiesWithHistory}: per record id, each requested property's history
     * as HubSpot returns it (newest first). Ids not found are absent. HubSpot serves fewer records per call when
     * history is requested: send at most {@link #HISTORY_BATCH} ids.
     */
    public Map<String, Map<String, List<PropertyValue>>> batchReadHistory(
            String objectType, Collection<String> ids, List<String> properties) {
        Map<String, Map<String, List<PropertyValue>>> out = new LinkedHashMap<>();
        for (ObjectWithHistory o : batchReadWithHistory(objectType, ids, List.of("hs_object_id"), properties)) {
            out.put(o.object().id(), o.history());
        }
        return out;
    }

    /**
     * {@code POST .../batch/read} with {@code properties} and {@code propertiesWithHistory}: each record (with its
     * {@code updatedAt}) and its properties' histories (newest first) in one call. Ids not found are absent. At most
     * {@link #HISTORY_BATCH} ids.
     */
    public List<ObjectWithHistory> batchReadWithHistory(
            String objectType, Collection<String> ids, List<String> properties, List<String> historyProperties) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        ArrayNode ps = body.putArray("properties");
        properties.forEach(ps::add);
        ArrayNode ph = body.putArray("propertiesWithHistory");
        historyProperties.forEach(ph::add);
        HttpUrl u = url("crm/v3/objects/" + objectType + "/batch/read")
                .addQueryParameter("archived", "false")
                .build();
        JsonNode n;
        try {
            n = send(new Request.Builder().url(u).post(json(body)), false, "batch read history " + objectType);
        } catch (HubSpotApiException e) {
            if (e.isNotFound()) {
                return List.of();
            }
            throw e;
        }
        List<ObjectWithHistory> out = new ArrayList<>();
        for (JsonNode o : n.path("results")) {
            Map<String, List<PropertyValue>> byProp = new LinkedHashMap<>();
            o.path("propertiesWithHistory").fields().forEachRemaining(e -> {
                List<PropertyValue> vs = new ArrayList<>(e.getValue().size());
                for (JsonNode v : e.getValue()) {
                    vs.add(new PropertyValue(
                            v.path("value").asText(""),
                            instant(v.path("timestamp")),
                            v.path("sourceType").asText(null),
                            v.path("sourceId").asText(null),
                            v.path("sourceLabel").asText(null),
                            v.path("updatedByUserId").canConvertToLong()
                                    ? v.path("updatedByUserId").asLong()
                                    : null));
                }
                byProp.put(e.getKey(), vs);
            });
            out.add(new ObjectWithHistory(parseObject(o), byProp));
        }
        return out;
    }

    /** Most ids per {@link #batchReadHistory} call (HubSpot's limit with property history is 50). */
    public static final int HISTORY_BATCH = 50;

    /**
     * {@code POST .../batch/create}; each input is {@code {properties:{..}}} (optionally associations,
     * objectWriteTraceId). Not idempotent: when the outcome is unknown (timeout, reset, 5xx, cut answer) the call is
     * not resent and {@link HubSpotOutcomeUnknownException} is thrown; the caller must read back before writing.
     */
    public BatchResult batchCreate(String objectType, List<? extends JsonNode> inputs) {
        return batchWrite(objectType, "create", inputs);
    }

    /** {@code POST .../batch/update}; each input is {@code {id, idProperty?, properties}}. */
    public BatchResult batchUpdate(String objectType, List<? extends JsonNode> inputs) {
        return batchWrite(objectType, "update", inputs);
    }

    /** {@code POST .../batch/upsert}; each input is {@code {id, idProperty, properties}}. */
    public BatchResult batchUpsert(String objectType, List<? extends JsonNode> inputs) {
        return batchWrite(objectType, "upsert", inputs);
    }

    /** {@code POST .../batch/archive} (204). */
    public void batchArchive(String objectType, Collection<String> ids) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode inputs = body.putArray("inputs");
        ids.forEach(id -> inputs.addObject().put("id", id));
        send(
                new Request.Builder()
                        .url(url("crm/v3/objects/" + objectType + "/batch/archive")
                                .build())
                        .post(json(body)),
                false,
                "batch archive " + objectType);
    }

    private BatchResult batchWrite(String objectType, String op, List<? extends JsonNode> inputs) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("inputs");
        for (JsonNode in : inputs) {
            if ("create".equals(op) && in.isObject() && !in.has("associations")) {
                ObjectNode copy = ((ObjectNode) in).deepCopy();
                copy.putArray("associations"); // required by the contract, may be empty
                arr.add(copy);
            } else {
                arr.add(in);
            }
        }
        return parseBatch(send(
                new Request.Builder()
                        .url(url("crm/v3/objects/" + objectType + "/batch/" + op)
                                .build())
                        .post(json(body)),
                false,
                "batch " + op + " " + objectType,
                HubSpotClient::readJson,
                !"create".equals(op)));
    }

    // ------------------------------------------------------------------------------------------------ metadata

    /** {@code GET /crm/v3/properties/{type}}: every (non-archived) property definition. */
    public List<PropertyDefinition> properties(String objectType) {
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm/v3/properties/" + objectType).build())
                        .get(),
                false,
                "properties " + objectType);
        List<PropertyDefinition> out = new ArrayList<>();
        for (JsonNode p : n.path("results")) {
            out.add(parseProperty(p));
        }
        return out;
    }

    /** {@code GET /crm-object-schemas/v3/schemas}: custom object schemas. */
    public List<ObjectSchema> schemas() {
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm-object-schemas/v3/schemas").build())
                        .get(),
                false,
                "schemas");
        List<ObjectSchema> out = new ArrayList<>();
        for (JsonNode s : n.path("results")) {
            List<PropertyDefinition> props = new ArrayList<>();
            for (JsonNode p : s.path("properties")) {
                props.add(parseProperty(p));
            }
            out.add(new ObjectSchema(
                    s.path("id").asText(),
                    s.path("objectTypeId").asText(),
                    s.path("name").asText(),
                    s.path("fullyQualifiedName").asText(null),
                    s.path("labels").path("singular").asText(null),
                    s.path("labels").path("plural").asText(null),
                    s.path("archived").asBoolean(false),
                    props));
        }
        return out;
    }

    /**
     * {@code POST /crm/v4/associations/{from}/{to}/batch/read} (≤1,000 ids), following per-record paging, so every
     * association of every id is returned. Ids without associations are absent.
     */
    public List<Associations> associations(String fromType, String toType, Collection<String> fromIds) {
        Map<String, List<Associations.Associated>> byFrom = new LinkedHashMap<>();
        List<String[]> pending = new ArrayList<>();
        fromIds.forEach(id -> pending.add(new String[] {id, null}));
        while (!pending.isEmpty()) {
            ObjectNode body = MAPPER.createObjectNode();
            ArrayNode inputs = body.putArray("inputs");
            for (String[] p : pending) {
                ObjectNode in = inputs.addObject().put("id", p[0]);
                if (p[1] != null) {
                    in.put("after", p[1]);
                }
            }
            pending.clear();
            JsonNode n;
            try {
                n = send(
                        new Request.Builder()
                                .url(url("crm/v4/associations/" + fromType + "/" + toType + "/batch/read")
                                        .build())
                                .post(json(body)),
                        false,
                        "associations " + fromType + "->" + toType);
            } catch (HubSpotApiException e) {
                if (e.isNotFound()) {
                    break;
                }
                throw e;
            }
            for (JsonNode r : n.path("results")) {
                String from = r.path("from").path("id").asText();
                List<Associations.Associated> list = byFrom.computeIfAbsent(from, k -> new ArrayList<>());
                for (JsonNode t : r.path("to")) {
                    List<AssociationType> types = new ArrayList<>();
                    for (JsonNode at : t.path("associationTypes")) {
                        String label = at.path("label").isNull()
                                ? null
                                : at.path("label").asText(null);
                        types.add(new AssociationType(
                                at.path("category").asText(), at.path("typeId").asInt(), label));
                    }
                    list.add(new Associations.Associated(t.path("toObjectId").asText(), types));
                }
                String after = r.path("paging").path("next").path("after").asText(null);
                if (after != null && !after.isEmpty()) {
                    pending.add(new String[] {from, after});
                }
            }
        }
        List<Associations> out = new ArrayList<>();
        byFrom.forEach((k, v) -> out.add(new Associations(k, v)));
        return out;
    }

    /** {@code GET /crm/v4/associations/{from}/{to}/labels}: the association types (labels) defined between two types. */
    public List<AssociationType> associationLabels(String fromType, String toType) {
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm/v4/associations/" + fromType + "/" + toType + "/labels")
                                .build())
                        .get(),
                false,
                "association labels");
        List<AssociationType> out = new ArrayList<>();
        for (JsonNode t : n.path("results")) {
            String label = t.path("label").isNull() ? null : t.path("label").asText(null);
            out.add(new AssociationType(
                    t.path("category").asText(), t.path("typeId").asInt(), label));
        }
        return out;
    }

    /**
     * {@code POST /crm/v4/associations/{from}/{to}/batch/create} (≤2,000 inputs): links each from/to pair with the
     * given association types (labels). Each input: {@code [fromId, toId, category, typeId]} as an
     * {@link AssociationInput}.
     */
    public void createAssociations(String fromType, String toType, List<AssociationInput> inputs) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("inputs");
        for (AssociationInput in : inputs) {
            ObjectNode n = arr.addObject();
            n.putObject("from").put("id", in.fromId());
            n.putObject("to").put("id", in.toId());
            ArrayNode types = n.putArray("types");
            for (AssociationType t : in.types()) {
                types.addObject().put("associationCategory", t.category()).put("associationTypeId", t.typeId());
            }
        }
        send(
                new Request.Builder()
                        .url(url("crm/v4/associations/" + fromType + "/" + toType + "/batch/create")
                                .build())
                        .post(json(body)),
                false,
                "create associations " + fromType + "->" + toType);
    }

    /** One association to create: from id, to id and the types (labels) to set. */
    public record AssociationInput(String fromId, String toId, List<AssociationType> types) {}

    /** {@code POST /crm/v4/associations/{from}/{to}/labels}: creates a USER_DEFINED label; returns its type id. */
    public int createAssociationLabel(String fromType, String toType, String label, String name) {
        ObjectNode body = MAPPER.createObjectNode().put("label", label).put("name", name);
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm/v4/associations/" + fromType + "/" + toType + "/labels")
                                .build())
                        .post(json(body)),
                false,
                "create association label");
        for (JsonNode r : n.path("results")) {
            if (label.equals(r.path("label").asText())) {
                return r.path("typeId").asInt();
            }
        }
        return n.path("results").path(0).path("typeId").asInt();
    }

    /** {@code POST /crm/v3/objects/{type}/merge}: merges {@code idToMerge} into {@code primaryId}; returns the survivor. */
    public CrmObject merge(String objectType, String primaryId, String idToMerge) {
        ObjectNode body =
                MAPPER.createObjectNode().put("primaryObjectId", primaryId).put("objectIdToMerge", idToMerge);
        return parseObject(send(
                new Request.Builder()
                        .url(url("crm/v3/objects/" + objectType + "/merge").build())
                        .post(json(body)),
                false,
                "merge " + objectType));
    }

    /** {@code POST /crm/v3/properties/{type}}: creates a property (e.g. type string / fieldType text). */
    public PropertyDefinition createProperty(
            String objectType, String name, String label, String type, String fieldType, String groupName) {
        ObjectNode body = MAPPER.createObjectNode()
                .put("name", name)
                .put("label", label)
                .put("type", type)
                .put("fieldType", fieldType)
                .put("groupName", groupName);
        return parseProperty(send(
                new Request.Builder()
                        .url(url("crm/v3/properties/" + objectType).build())
                        .post(json(body)),
                false,
                "create property " + objectType));
    }

    /** {@code GET /crm/v3/pipelines/{type}}: all pipelines with their stages. */
    public List<Pipeline> pipelines(String objectType) {
        JsonNode n = send(
                new Request.Builder()
                        .url(url("crm/v3/pipelines/" + objectType).build())
                        .get(),
                false,
                "pipelines " + objectType);
        List<Pipeline> out = new ArrayList<>();
        for (JsonNode p : n.path("results")) {
            List<Pipeline.Stage> stages = new ArrayList<>();
            for (JsonNode s : p.path("stages")) {
                Map<String, String> md = new LinkedHashMap<>();
                s.path("metadata")
                        .fields()
                        .forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
                stages.add(new Pipeline.Stage(
                        s.path("id").asText(),
                        s.path("label").asText(),
                        s.path("displayOrder").asInt(),
                        s.path("archived").asBoolean(false),
                        instant(s.path("createdAt")),
                        instant(s.path("updatedAt")),
                        md));
            }
            out.add(new Pipeline(
                    p.path("id").asText(),
                    p.path("label").asText(),
                    p.path("displayOrder").asInt(),
                    p.path("archived").asBoolean(false),
                    instant(p.path("createdAt")),
                    instant(p.path("updatedAt")),
                    stages));
        }
        return out;
    }

    /** One page of {@code GET /crm/v3/owners}. */
    public Page<Owner> owners(String after, int limit, boolean archived) {
        HttpUrl.Builder u = url("crm/v3/owners")
                .addQueryParameter("limit", Integer.toString(limit))
                .addQueryParameter("archived", Boolean.toString(archived));
        if (after != null) {
            u.addQueryParameter("after", after);
        }
        JsonNode n = send(new Request.Builder().url(u.build()).get(), false, "owners");
        List<Owner> out = new ArrayList<>();
        for (JsonNode o : n.path("results")) {
            out.add(new Owner(
                    o.path("id").asText(),
                    o.path("email").asText(null),
                    o.path("firstName").asText(null),
                    o.path("lastName").asText(null),
                    o.path("userId").isNumber() ? o.path("userId").asLong() : null,
                    o.path("archived").asBoolean(false),
                    instant(o.path("createdAt")),
                    instant(o.path("updatedAt"))));
        }
        String next = n.path("paging").path("next").path("after").asText(null);
        return new Page<>(out, next == null || next.isEmpty() ? null : next);
    }

    // ------------------------------------------------------------------------------------------------ transport

    private HttpUrl.Builder url(String path) {
        return base.newBuilder().addPathSegments(path);
    }

    private static RequestBody json(JsonNode body) {
        try {
            return RequestBody.create(MAPPER.writeValueAsBytes(body), JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends one request with pacing and retries. Returns the parsed body (an empty object for 204).
     */
    JsonNode send(Request.Builder rb, boolean search, String what) {
        return send(rb, search, what, HubSpotClient::readJson);
    }

    private static JsonNode readJson(byte[] bytes) throws IOException {
        return bytes.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(bytes);
    }

    /** Reads a successful answer's body; an IOException (malformed or cut JSON) is retried like a transient fault. */
    interface BodyReader<T> {
        T read(byte[] body) throws IOException;
    }

    /** {@link #send(Request.Builder, boolean, String)} with the 2xx body read by {@code reader}. */
    <T> T send(Request.Builder rb, boolean search, String what, BodyReader<T> reader) {
        return send(rb, search, what, reader, true);
    }

    /**
     * @param idempotent false for a call that must not run twice: a failure after which HubSpot may have run it is
     *                   thrown at once as {@link HubSpotOutcomeUnknownException}; only answers that prove it did not
     *                   run (429, 423, 477, 401 refresh, no connection) are retried
     */
    <T> T send(Request.Builder rb, boolean search, String what, BodyReader<T> reader, boolean idempotent) {
        Backoff.Attempts attempts = backoff.start();
        boolean refreshedToken = false;
        String lastProblem;
        int lastStatus;
        String lastCategory = null;
        String lastCorrelation = null;
        long retryHint = 0;
        while (true) {
            try {
                if (search) {
                    budget.acquireSearch();
                } else {
                    budget.acquire();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubSpotRetriableException(
                        "interrupted while waiting for the rate budget (" + what + ")", 0, null, null, 0, e);
            }
            Request req =
                    rb.header("Authorization", "Bearer " + tokens.accessToken()).build();
            long serverDelay = 0;
            try (Response resp = http.newCall(req).execute()) {
                int code = resp.code();
                observeHeaders(resp);
                if (code != 429 && !search) {
                    budget.accepted();
                }
                ResponseBody body = resp.body();
                byte[] bytes = body == null ? new byte[0] : body.bytes(); // throws on truncated bodies
                if (code >= 200 && code < 300) {
                    try {
                        return reader.read(bytes);
                    } catch (IOException e) {
                        lastProblem = "malformed JSON in a " + code + " answer";
                        lastStatus = code;
                        LOG.debug("HubSpot {}: {}", what, lastProblem);
                        if (!idempotent) {
                            throw outcomeUnknown(what, lastProblem, code, null, null, e);
                        }
                        long d = attempts.nextDelayMillis();
                        if (d < 0) {
                            break;
                        }
                        sleep(d);
                        continue;
                    }
                }
                String text = new String(bytes, StandardCharsets.UTF_8);
                JsonNode err = parseQuietly(text);
                lastCategory = err.path("category").asText(err.path("errorType").asText(null));
                lastCorrelation = err.path("correlationId").asText(resp.header("X-HubSpot-Correlation-Id"));
                String message = maskPersonalData(
                        err.path("message").asText(text.length() > 300 ? text.substring(0, 300) : text));
                lastStatus = code;
                lastProblem = "HTTP " + code + (lastCategory == null ? "" : " " + lastCategory) + ": " + message;
                if (code == 401 && !refreshedToken && tokens.invalidate()) {
                    refreshedToken = true;
                    continue;
                }
                if (code == 429) {
                    String policy = err.path("policyName").asText("");
                    long retryAfter = retryAfterMillis(resp.header("Retry-After"));
                    if ("DAILY".equals(policy)) {
                        long midnight = (Math.floorDiv(System.currentTimeMillis(), 86_400_000L) + 1) * 86_400_000L;
                        throw new HubSpotRetriableException(
                                "HubSpot's daily API limit is reached (" + what + "); " + message,
                                429,
                                "RATE_LIMIT",
                                lastCorrelation,
                                retryAfter > 0 ? retryAfter : midnight - System.currentTimeMillis(),
                                null);
                    }
                    if (search) {
                        budget.searchThrottled();
                        serverDelay = retryAfter > 0 ? retryAfter : 1_000;
                    } else {
                        serverDelay = retryAfter > 0 ? retryAfter : 1_000L * Math.min(10, attempts.failures() + 1);
                        budget.pause(serverDelay);
                    }
                } else if (code == 423) {
                    serverDelay = Math.max(2_000, retryAfterMillis(resp.header("Retry-After")));
                } else if (code == 477) {
                    serverDelay = retryAfterMillis(resp.header("Retry-After"));
                } else if (code >= 500 && !idempotent) {
                    throw outcomeUnknown(what, lastProblem, code, lastCategory, lastCorrelation, null);
                } else if (code < 500) {
                    String sub = err.path("subCategory").asText(null);
                    throw new HubSpotApiException(
                            "HubSpot rejected " + what + " (" + lastProblem + ")"
                                    + (lastCorrelation == null ? "" : " correlationId=" + lastCorrelation),
                            code,
                            lastCategory,
                            sub,
                            lastCorrelation);
                }
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new HubSpotRetriableException("interrupted during " + what, 0, null, null, 0, e);
                }
                lastStatus = 0;
                lastProblem = "timeout (" + e.getClass().getSimpleName() + ")";
                if (!idempotent && !notSent(e)) {
                    throw outcomeUnknown(what, lastProblem, 0, null, null, e);
                }
            } catch (IOException e) {
                lastStatus = 0;
                lastProblem = "I/O error " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (!idempotent && !notSent(e)) {
                    throw outcomeUnknown(what, lastProblem, 0, null, null, e);
                }
            } finally {
                budget.callEnded(); // the rate budget counts this call for 10 s from now
            }
            retryHint = serverDelay;
            long d = attempts.nextDelayMillis(serverDelay);
            if (d < 0) {
                break;
            }
            LOG.debug("HubSpot {} failed ({}); retry {} in {} ms", what, lastProblem, attempts.failures(), d);
            sleep(d);
        }
        throw new HubSpotRetriableException(
                "HubSpot " + what + " still failing after " + attempts.failures() + " attempts in "
                        + attempts.elapsedMillis() + " ms: " + lastProblem,
                lastStatus,
                lastCategory,
                lastCorrelation,
                retryHint,
                null);
    }

    /** The request never reached HubSpot: no connection could be made (connect-common's classification). */
    private static boolean notSent(IOException e) {
        return Failures.neverSent(e);
    }

    private static HubSpotOutcomeUnknownException outcomeUnknown(
            String what, String problem, int status, String category, String correlationId, Throwable cause) {
        return new HubSpotOutcomeUnknownException(
                "HubSpot " + what + " may or may not have been applied (" + problem + "); not resent",
                status,
                category,
                correlationId,
                cause);
    }

    /** HubSpot error messages can quote values (e.g. an email); exceptions end up in logs and task traces. */
    static String maskPersonalData(String message) {
        return ErrorSanitizer.sanitize(message);
    }

    private void observeHeaders(Response resp) {
        String rem = resp.header("X-HubSpot-RateLimit-Remaining");
        String interval = resp.header("X-HubSpot-RateLimit-Interval-Milliseconds");
        if (rem != null) {
            budget.observe(parseInt(rem), parseInt(interval));
        }
    }

    private static int parseInt(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Retry-After in seconds (HubSpot) or an HTTP date; 0 when absent or unreadable (connect-common's reading). */
    static long retryAfterMillis(String v) {
        return RetryAfter.millis(v);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubSpotRetriableException("interrupted during retry backoff", 0, null, null, 0, e);
        }
    }

    private static JsonNode parseQuietly(String text) {
        try {
            JsonNode n = text.isEmpty() ? null : MAPPER.readTree(text);
            return n == null ? MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    // ------------------------------------------------------------------------------------------------ parsing

    static List<CrmObject> parseObjects(JsonNode arr) {
        List<CrmObject> out = new ArrayList<>(arr.size());
        for (JsonNode o : arr) {
            out.add(parseObject(o));
        }
        return out;
    }

    static CrmObject parseObject(JsonNode o) {
        Map<String, String> props = new LinkedHashMap<>();
        o.path("properties").fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                props.put(e.getKey(), e.getValue().asText());
            }
        });
        Map<String, List<String>> assoc = Map.of();
        if (o.has("associations")) {
            assoc = new LinkedHashMap<>();
            Map<String, List<String>> a = assoc;
            o.path("associations").fields().forEachRemaining(e -> {
                List<String> ids = new ArrayList<>();
                e.getValue().path("results").forEach(r -> ids.add(r.path("id").asText()));
                a.put(e.getKey(), ids);
            });
        }
        return new CrmObject(
                o.path("id").asText(),
                props,
                instant(o.path("createdAt")),
                instant(o.path("updatedAt")),
                o.path("archived").asBoolean(false),
                instant(o.path("archivedAt")),
                assoc);
    }

    private static BatchResult parseBatch(JsonNode n) {
        List<BatchResult.BatchError> errors = new ArrayList<>();
        for (JsonNode e : n.path("errors")) {
            Map<String, List<String>> ctx = new LinkedHashMap<>();
            e.path("context").fields().forEachRemaining(c -> {
                List<String> vs = new ArrayList<>();
                if (c.getValue().isArray()) {
                    c.getValue().forEach(v -> vs.add(v.asText()));
                } else {
                    vs.add(c.getValue().asText());
                }
                ctx.put(c.getKey(), vs);
            });
            errors.add(new BatchResult.BatchError(
                    e.path("status").asText(null),
                    e.path("category").asText(null),
                    e.path("message").asText(null),
                    ctx));
        }
        return new BatchResult(parseObjects(n.path("results")), errors);
    }

    private static PropertyDefinition parseProperty(JsonNode p) {
        return new PropertyDefinition(
                p.path("name").asText(),
                p.path("label").asText(null),
                p.path("type").asText(),
                p.path("fieldType").asText(null),
                p.path("groupName").asText(null),
                p.path("hubspotDefined").asBoolean(false),
                p.path("calculated").asBoolean(false),
                p.path("hasUniqueValue").asBoolean(false),
                p.path("modificationMetadata").path("readOnlyValue").asBoolean(false),
                p.path("archived").asBoolean(false),
                options(p.path("options")));
    }

    private static List<String> options(JsonNode options) {
        List<String> out = new ArrayList<>(options.size());
        options.forEach(o -> out.add(o.path("value").asText()));
        return out;
    }

    /** ISO-8601 or epoch milliseconds; null when absent. */
    static Instant instant(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return Instant.ofEpochMilli(n.asLong());
        }
        return parseInstant(n.asText());
    }

    /** Parses HubSpot's timestamp strings: ISO-8601 (with or without millis/offset) or epoch milliseconds. */
    public static Instant parseInstant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        long fast = IsoTime.utcMillis(t);
        if (fast != Long.MIN_VALUE) {
            return Instant.ofEpochMilli(fast);
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(t).toInstant();
        }
    }

    /**
     * {@link #parseInstant} as epoch milliseconds, without allocating for HubSpot's usual
     * {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z}; throws like parseInstant on unreadable text.
     */
    public static long parseEpochMillis(String s) {
        long fast = IsoTime.utcMillis(s);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        Instant i = parseInstant(s);
        if (i == null) {
            throw new DateTimeParseException("empty timestamp", s == null ? "" : s, 0);
        }
        return i.toEpochMilli();
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
