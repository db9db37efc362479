package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.Backoff;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed client for the Dataverse Web API (v9.2): table metadata, paged and change-tracking reads, bulk writes
 * ({@code UpsertMultiple}, {@code UpdateMultiple}) and {@code $batch}. Every call goes through one {@link Transport}:
 * the task's {@link ServiceProtectionBudget}, the OAuth token, bounded retries and typed errors.
 *
 * <p>Thread-safe; create one per connector task (the budget is per task) and {@link #close()} it.
 */
public final class DynamicsClient implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicsClient.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Money and decimal values keep every digit (BigDecimal), never a double. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final HttpUrl environment;
    private final HttpUrl apiRoot;
    private final OkHttpClient http;
    private final boolean ownsHttp;
    private final TokenProvider tokens;
    private final Transport transport;

    private DynamicsClient(Builder b) {
        this.environment = HttpUrl.get(b.environmentUrl);
        this.apiRoot = environment
                .newBuilder()
                .addPathSegments("api/data/" + b.apiVersion + "/")
                .build();
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
                : new ClientCredentialsTokenProvider(
                        http,
                        b.tokenUrl,
                        b.clientId,
                        b.clientSecret,
                        b.scope != null ? b.scope : scopeOf(b.environmentUrl));
        ServiceProtectionBudget budget = b.budget != null
                ? b.budget
                : new ServiceProtectionBudget(ServiceProtectionBudget.Limits.DATAVERSE, 1.0);
        this.transport = new Transport(http, tokens, budget, b.backoff);
    }

    /** The default OAuth scope of an environment: {@code https://org.crm.dynamics.com/.default}. */
    public static String scopeOf(String environmentUrl) {
        HttpUrl u = HttpUrl.get(environmentUrl);
        return u.scheme() + "://" + u.host() + (u.port() == HttpUrl.defaultPort(u.scheme()) ? "" : ":" + u.port())
                + "/.default";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configuration of a client. */
    public static final class Builder {
        private String environmentUrl;
        private String apiVersion = "v9.2";
        private String tokenUrl;
        private String clientId;
        private String clientSecret;
        private String scope;
        private TokenProvider tokens;
        private ServiceProtectionBudget budget;
        private OkHttpClient http;
        private Backoff backoff =
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 10, Duration.ofSeconds(60));
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(120);

        /** {@code https://org.crm.dynamics.com} (the environment, without {@code /api/data}). */
        public Builder environmentUrl(String url) {
            this.environmentUrl = Objects.requireNonNull(url);
            return this;
        }

        public Builder apiVersion(String v) {
            this.apiVersion = Objects.requireNonNull(v);
            return this;
        }

        /** OAuth client credentials against {@code tokenUrl}; the scope defaults to the environment's. */
        public Builder clientCredentials(String tokenUrl, String clientId, String clientSecret) {
            this.tokenUrl = Objects.requireNonNull(tokenUrl);
            this.clientId = Objects.requireNonNull(clientId);
            this.clientSecret = Objects.requireNonNull(clientSecret);
            return this;
        }

        public Builder scope(String s) {
            this.scope = s;
            return this;
        }

        public Builder tokenProvider(TokenProvider p) {
            this.tokens = p;
            return this;
        }

        public Builder budget(ServiceProtectionBudget b) {
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

        public Builder httpClient(OkHttpClient c) {
            this.http = c;
            return this;
        }

        public DynamicsClient build() {
            if (environmentUrl == null) {
                throw new IllegalArgumentException("the environment URL is required");
            }
            if (tokens == null && tokenUrl == null) {
                throw new IllegalArgumentException("client credentials or a token provider are required");
            }
            return new DynamicsClient(this);
        }
    }

    public ServiceProtectionBudget budget() {
        return transport.budget();
    }

    /** Keeps these names (a table's columns) readable in error messages; other quoted text stays masked. */
    public void sanitizeKeeping(Collection<String> names) {
        transport.sanitizeKeeping(names);
    }

    public TokenProvider tokens() {
        return tokens;
    }

    // ------------------------------------------------------------------------------------------------ metadata

    /** {@code GET WhoAmI}: the application user's id (also brings the first {@code x-ms-dop-hint}). */
    public String whoAmI() {
        JsonNode n = getJson(url("WhoAmI").build(), "WhoAmI");
        return n.path("UserId").asText(null);
    }

    /**
     * A table's metadata: names, columns with their types, alternate keys; then, where the server answers the typed
     * casts, choice options, date-time behaviours, precisions, lookup targets and navigation properties. Null when
     * no table has this logical name.
     */
    public TableMetadata table(String logicalName) {
        String entity = "EntityDefinitions(LogicalName=" + ODataLiterals.string(logicalName) + ")";
        HttpUrl u = url(entity)
                .addQueryParameter(
                        "$select",
                        "LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,"
                                + "ChangeTrackingEnabled,IsOptimisticConcurrencyEnabled")
                .addQueryParameter(
                        "$expand",
                        "Attributes($select=LogicalName,AttributeType,AttributeTypeName,"
                                + "IsValidForRead,IsValidForCreate,IsValidForUpdate,AttributeOf,IsPrimaryId),"
                                + "Keys($select=LogicalName,KeyAttributes,EntityKeyIndexStatus)")
                .build();
        JsonNode n;
        try {
            n = getJson(u, "metadata of " + logicalName);
        } catch (DynamicsApiException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
        Map<String, Integer> precision = new LinkedHashMap<>();
        Map<String, String> behavior = new LinkedHashMap<>();
        Map<String, String> format = new LinkedHashMap<>();
        Map<String, Map<Integer, String>> options = new LinkedHashMap<>();
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (String cast : List.of(
                "PicklistAttributeMetadata",
                "StateAttributeMetadata",
                "StatusAttributeMetadata",
                "MultiSelectPicklistAttributeMetadata")) {
            for (JsonNode a :
                    cast(entity, cast, "LogicalName", "OptionSet($select=Options),GlobalOptionSet($select=Options)")) {
                Map<Integer, String> opts = new LinkedHashMap<>();
                readOptions(a.path("OptionSet"), opts);
                readOptions(a.path("GlobalOptionSet"), opts);
                options.put(a.path("LogicalName").asText(), opts);
            }
        }
        for (JsonNode a : cast(entity, "DateTimeAttributeMetadata", "LogicalName,DateTimeBehavior,Format", null)) {
            JsonNode b = a.path("DateTimeBehavior");
            String v = b.isObject() ? b.path("Value").asText(null) : b.asText(null);
            if (v != null) {
                behavior.put(a.path("LogicalName").asText(), v);
            }
            format.put(a.path("LogicalName").asText(), a.path("Format").asText(null));
        }
        for (String cast : List.of("MoneyAttributeMetadata", "DecimalAttributeMetadata")) {
            for (JsonNode a : cast(entity, cast, "LogicalName,Precision", null)) {
                if (a.path("Precision").isNumber()) {
                    precision.put(
                            a.path("LogicalName").asText(), a.path("Precision").asInt());
                }
            }
        }
        for (JsonNode a : cast(entity, "LookupAttributeMetadata", "LogicalName,Targets", null)) {
            List<String> t = new ArrayList<>();
            a.path("Targets").forEach(x -> t.add(x.asText()));
            targets.put(a.path("LogicalName").asText(), t);
        }
        List<ColumnMetadata> columns = new ArrayList<>();
        for (JsonNode a : n.path("Attributes")) {
            String name = a.path("LogicalName").asText();
            JsonNode typeName = a.path("AttributeTypeName");
            columns.add(new ColumnMetadata(
                    name,
                    a.path("AttributeType").asText(null),
                    typeName.isObject() ? typeName.path("Value").asText(null) : typeName.asText(null),
                    a.path("IsValidForRead").asBoolean(true),
                    a.path("IsValidForCreate").asBoolean(false),
                    a.path("IsValidForUpdate").asBoolean(false),
                    a.path("AttributeOf").isTextual()
                                    && !a.path("AttributeOf").asText().isEmpty()
                            ? a.path("AttributeOf").asText()
                            : null,
                    a.path("IsPrimaryId").asBoolean(false),
                    behavior.get(name),
                    format.get(name),
                    precision.get(name),
                    options.getOrDefault(name, Map.of()),
                    targets.getOrDefault(name, List.of())));
        }
        List<AlternateKey> keys = new ArrayList<>();
        for (JsonNode k : n.path("Keys")) {
            List<String> cols = new ArrayList<>();
            k.path("KeyAttributes").forEach(x -> cols.add(x.asText()));
            JsonNode st = k.path("EntityKeyIndexStatus");
            keys.add(new AlternateKey(
                    k.path("LogicalName").asText(),
                    cols,
                    st.isObject() ? st.path("Value").asText(null) : st.asText(null)));
        }
        List<LookupRelation> relations = new ArrayList<>();
        for (JsonNode r : optionalGet(
                url(entity + "/ManyToOneRelationships")
                        .addQueryParameter(
                                "$select",
                                "ReferencingAttribute,ReferencedEntity,ReferencedAttribute,ReferencingEntityNavigationPropertyName")
                        .build(),
                "relationships of " + logicalName)) {
            relations.add(new LookupRelation(
                    r.path("ReferencingAttribute").asText(),
                    r.path("ReferencedEntity").asText(),
                    r.path("ReferencingEntityNavigationPropertyName").asText()));
        }
        return new TableMetadata(
                n.path("LogicalName").asText(logicalName),
                n.path("EntitySetName").asText(),
                n.path("PrimaryIdAttribute").asText(),
                n.path("PrimaryNameAttribute").asText(null),
                n.path("ChangeTrackingEnabled").asBoolean(false),
                columns,
                keys,
                relations);
    }

    private static void readOptions(JsonNode optionSet, Map<Integer, String> into) {
        for (JsonNode o : optionSet.path("Options")) {
            JsonNode label = o.path("Label");
            String text = label.path("UserLocalizedLabel").path("Label").asText(null);
            if (text == null && label.path("LocalizedLabels").size() > 0) {
                text = label.path("LocalizedLabels").get(0).path("Label").asText(null);
            }
            into.put(o.path("Value").asInt(), text);
        }
    }

    /** A typed cast of a table's attributes; empty when the server does not answer it (an older server, a fake). */
    private List<JsonNode> cast(String entity, String type, String select, String expand) {
        HttpUrl.Builder u =
                url(entity + "/Attributes/Microsoft.Dynamics.CRM." + type).addQueryParameter("$select", select);
        if (expand != null) {
            u.addQueryParameter("$expand", expand);
        }
        return optionalGet(u.build(), type);
    }

    private List<JsonNode> optionalGet(HttpUrl u, String what) {
        List<JsonNode> out = new ArrayList<>();
        try {
            getJson(u, what).path("value").forEach(out::add);
        } catch (DynamicsApiException e) {
            if (e.status() != 400 && e.status() != 404 && e.status() != 501) {
                throw e;
            }
            LOG.debug("Dataverse did not answer {} ({}): reading on without it", what, e.getMessage());
        }
        return out;
    }

    /**
     * Whether a bulk message ({@code UpsertMultiple}, {@code CreateMultiple}...) is available for a table, from
     * {@code sdkmessagefilters}; empty when the server cannot say (the caller then tries the message).
     */
    public Optional<Boolean> supportsMessage(String message, String logicalName) {
        HttpUrl u = url("sdkmessagefilters")
                .addQueryParameter("$select", "sdkmessagefilterid")
                .addQueryParameter(
                        "$filter",
                        "sdkmessageid/name eq " + ODataLiterals.string(message) + " and primaryobjecttypecode eq "
                                + ODataLiterals.string(logicalName))
                .build();
        try {
            return Optional.of(getJson(u, "sdkmessagefilters").path("value").size() > 0);
        } catch (DynamicsApiException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** The first page of {@code GET <set>?$select&$filter&$orderby} (blank parts left out). */
    public RowPage read(String entitySet, String select, String filter, String orderBy, ReadOptions opts) {
        return readLink(collectionUrl(entitySet, select, filter, orderBy), opts);
    }

    /** The URL of {@code GET <set>?$select&$filter&$orderby} (blank parts left out): a first page's link. */
    public String collectionUrl(String entitySet, String select, String filter, String orderBy) {
        HttpUrl.Builder u = url(entitySet);
        if (select != null && !select.isBlank()) {
            u.addQueryParameter("$select", select);
        }
        if (filter != null && !filter.isBlank()) {
            u.addQueryParameter("$filter", filter);
        }
        if (orderBy != null && !orderBy.isBlank()) {
            u.addQueryParameter("$orderby", orderBy);
        }
        return u.build().toString();
    }

    /**
     * A page at a link the server gave ({@code @odata.nextLink} or {@code @odata.deltaLink}), used unchanged as
     * Dataverse requires, with the same page size as the first page.
     */
    public RowPage readLink(String link, ReadOptions opts) {
        HttpUrl u = HttpUrl.parse(link);
        if (u == null || !u.host().equals(apiRoot.host()) || u.port() != apiRoot.port()) {
            throw new DynamicsApiException(
                    "Refusing to follow a link outside the environment: "
                            + (u == null ? "unreadable link" : u.host() + ":" + u.port()),
                    0,
                    null,
                    null);
        }
        Request.Builder rb = get(u).header("Prefer", opts.prefer());
        return transport.call(rb, "read " + u.encodedPath(), (status, headers, body) -> parsePage(body));
    }

    static RowPage parsePage(byte[] body) throws IOException {
        JsonNode n = MAPPER.readTree(body);
        if (n == null || !n.path("value").isArray()) {
            throw new IOException("collection answer without a value array");
        }
        ArrayNode value = (ArrayNode) n.path("value");
        List<ObjectNode> rows = new ArrayList<>(value.size());
        List<String> deleted = new ArrayList<>();
        for (JsonNode r : value) {
            if (!r.isObject()) {
                continue;
            }
            String ctx = r.path("@odata.context").asText("");
            if (ctx.endsWith("$deletedEntity") || r.has("@removed")) {
                String id = r.path("id").asText(null);
                if (id != null) {
                    deleted.add(id);
                }
            } else {
                rows.add((ObjectNode) r);
            }
        }
        return new RowPage(
                rows,
                deleted,
                n.path("@odata.nextLink").asText(null),
                n.path("@odata.deltaLink").asText(null));
    }

    // ------------------------------------------------------------------------------------------------ writes

    /**
     * {@code POST <set>/Microsoft.Dynamics.CRM.UpsertMultiple}: creates or updates every target (each carries
     * {@code @odata.type}, and {@code @odata.id} or its key columns). One transaction on standard tables: any
     * rejected row fails the whole call.
     */
    public void upsertMultiple(String entitySet, String logicalName, List<ObjectNode> targets) {
        bulk(entitySet, logicalName, "UpsertMultiple", targets);
    }

    private void bulk(String entitySet, String logicalName, String message, List<ObjectNode> targets) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode arr = body.putArray("Targets");
        String type = "Microsoft.Dynamics.CRM." + logicalName;
        for (ObjectNode t : targets) {
            if (!t.has("@odata.type")) {
                ObjectNode copy = MAPPER.createObjectNode().put("@odata.type", type);
                copy.setAll(t);
                arr.add(copy);
            } else {
                arr.add(t);
            }
        }
        HttpUrl u = url(entitySet + "/Microsoft.Dynamics.CRM." + message).build();
        transport.call(
                request(u).post(json(body)),
                message + " " + entitySet + " (" + targets.size() + " rows)",
                (status, headers, bytes) -> null);
    }

    /**
     * {@code POST $batch} with every operation in its own change set and {@code Prefer: odata.continue-on-error}:
     * the answers, in order, one per operation.
     */
    public List<BatchResponse> batch(List<BatchOperation> ops) {
        if (ops.isEmpty()) {
            return List.of();
        }
        BatchCodec.Encoded enc;
        try {
            enc = BatchCodec.encode(ops, this::absolute, MAPPER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Request.Builder rb = request(url("$batch").build())
                .post(RequestBody.create(enc.body(), MediaType.get(enc.contentType())))
                .header("Prefer", "odata.continue-on-error");
        List<BatchResponse> out =
                transport.call(rb, "$batch (" + ops.size() + " operations)", (status, headers, body) -> {
                    List<BatchResponse> r = BatchCodec.decode(headers.get("Content-Type"), body, transport.sanitizer());
                    if (r.size() != ops.size()) {
                        throw new IOException(
                                "$batch answered " + r.size() + " parts for " + ops.size() + " operations");
                    }
                    return r;
                });
        return out;
    }

    /** {@code PATCH <path>} (update, upsert, or with If-Match / If-None-Match: update-only / create-only). */
    public void patch(String path, ObjectNode body, Map<String, String> headers) {
        Request.Builder rb = request(url(path).build()).patch(json(body));
        headers.forEach(rb::header);
        transport.call(rb, "PATCH " + path.substring(0, Math.max(0, path.indexOf('('))), (s, h, b) -> null);
    }

    /** {@code DELETE <path>}; false when the row did not exist. */
    public boolean delete(String path) {
        try {
            transport.call(request(url(path).build()).delete(), "DELETE", (s, h, b) -> null);
            return true;
        } catch (DynamicsApiException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ transport

    HttpUrl.Builder url(String path) {
        HttpUrl.Builder b = apiRoot.newBuilder();
        // keep '$' and the key syntax readable; OkHttp encodes what a path segment must not carry
        for (String seg : path.split("/")) {
            if (!seg.isEmpty()) {
                b.addPathSegment(seg);
            }
        }
        return b;
    }

    /** The absolute URL of a path under the Web API root, as a $batch part or an @odata.bind needs it. */
    public String absolute(String path) {
        return url(path).build().toString();
    }

    private Request.Builder request(HttpUrl u) {
        return new Request.Builder()
                .url(u)
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
    }

    /** GETs say {@code If-None-Match: null} so no cached result is served (Dataverse's advice). */
    private Request.Builder get(HttpUrl u) {
        return request(u).get().header("If-None-Match", "null");
    }

    private JsonNode getJson(HttpUrl u, String what) {
        return transport.call(get(u), what, (status, headers, body) -> {
            JsonNode n = body.length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(body);
            return n == null ? MAPPER.createObjectNode() : n;
        });
    }

    private static RequestBody json(JsonNode body) {
        try {
            return RequestBody.create(MAPPER.writeValueAsBytes(body), JSON);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (ownsHttp) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
