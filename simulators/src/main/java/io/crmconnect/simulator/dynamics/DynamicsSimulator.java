package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.simulator.common.BaseSimulator;
import io.crmconnect.simulator.common.Mutations;
import io.crmconnect.simulator.common.SimulatorSettings;
import io.crmconnect.simulator.http.RawRequest;
import io.crmconnect.simulator.http.Response;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A local Dynamics 365 / Dataverse Web API v9.2: a real HTTP server on 127.0.0.1 with an Entra ID-style token
 * endpoint, following Dataverse's documented protocol (see the module README for the sources of each rule).
 *
 * <pre>{@code
 * try (DynamicsSimulator sim = DynamicsSimulator.builder().seed(42).contacts(1000).accounts(100).start()) {
 *     String api = sim.apiUrl();            // http://127.0.0.1:41234/api/data/v9.2
 *     String token = sim.accessToken();     // Authorization: Bearer <token>
 *     // or the client-credentials flow: POST sim.tokenUrl() with sim.clientId(), sim.clientSecret(), sim.scope()
 * }
 * }</pre>
 *
 * <p>Admin API for tests: {@code /_sim/...} (no auth, no limits, no faults); see the module README.
 */
public final class DynamicsSimulator
        extends BaseSimulator<DynamicsClock, DynamicsFault, DynamicsSimulator.LoggedRequest> {
    /** The OAuth client (app registration) every simulator accepts; its application user writes as "# CRM Connect". */
    public static final String DEFAULT_CLIENT_ID = "7f2a1c3e-5b64-4d1a-9c8e-3e1f00d365c0";

    public static final String DEFAULT_CLIENT_SECRET = "sim~client~secret~0000000000000000000";
    public static final String DEFAULT_TENANT_ID = "72f988bf-0000-4000-8000-00000000d365";
    /** The human user that seeded data and the mutator write as (systemuserid). */
    public static final String HUMAN_USER_ID = "0f1b5c12-3d4e-4f60-8a7b-00000000a001";
    /** The Web API version path segment this simulator links with (v9.0 and v9.1 are also served). */
    public static final String API_VERSION = "v9.2";

    /** Configures and starts a simulator. */
    public static final class Builder extends SimulatorSettings<Builder, DynamicsFault> {
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private boolean auth = true;
        private final Map<String, String> clients = new LinkedHashMap<>();
        private Duration tokenLifetime;
        private boolean serviceProtection = true;
        private int maxRequests = 6000;
        private long maxExecutionMillis = 1_200_000;
        private int maxConcurrent = 52;
        private Duration window = Duration.ofSeconds(300);
        private int dopHint = 5;
        private Duration deltaTokenRetention = Duration.ofDays(7);
        private String tenantId = DEFAULT_TENANT_ID;

        private Builder() {
            // a request holds its thread for its whole life (faults included); more threads than the concurrency
            // limit so that the 52-concurrent-requests limit can be reached
            super(64);
            clients.put(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
        }

        public Builder contacts(int n) {
            return rows("contact", n);
        }

        public Builder accounts(int n) {
            return rows("account", n);
        }

        public Builder leads(int n) {
            return rows("lead", n);
        }

        public Builder opportunities(int n) {
            return rows("opportunity", n);
        }

        /** Rows of the custom table crmc_project. */
        public Builder projects(int n) {
            return rows("crmc_project", n);
        }

        /** Generated rows of a table by logical name: contact, account, lead, opportunity, crmc_project. */
        public Builder rows(String logicalName, int n) {
            counts.put(logicalName, n);
            return this;
        }

        /** Bearer-token checks on (default) or off. */
        public Builder auth(boolean on) {
            this.auth = on;
            return this;
        }

        /** Another app registration: its own application user, so its own service-protection budget. */
        public Builder oauthClient(String clientId, String secret) {
            clients.put(clientId, secret);
            return this;
        }

        /** Fixed access-token lifetime (default: Entra's random 60-90 minutes). */
        public Builder tokenLifetime(Duration d) {
            this.tokenLifetime = d;
            return this;
        }

        /** Service protection limits on (default) or off. */
        public Builder serviceProtection(boolean on) {
            this.serviceProtection = on;
            return this;
        }

        /** Limits per user and window (defaults 6,000 requests, 1,200,000 ms execution, 52 concurrent, 300 s). */
        public Builder limits(int requests, long executionMillis, int concurrent, Duration window) {
            this.maxRequests = requests;
            this.maxExecutionMillis = executionMillis;
            this.maxConcurrent = concurrent;
            this.window = window;
            return this;
        }

        /** The x-ms-dop-hint header value (recommended degree of parallelism; default 5). */
        public Builder dopHint(int n) {
            this.dopHint = n;
            return this;
        }

        /** How long delta tokens stay valid (default 7 days, as organization.ExpireChangeTrackingInDays). */
        public Builder deltaTokenRetention(Duration d) {
            this.deltaTokenRetention = d;
            return this;
        }

        public Builder tenantId(String id) {
            this.tenantId = id;
            return this;
        }

        public DynamicsSimulator start() {
            try {
                return new DynamicsSimulator(this);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot start the Dynamics simulator on port " + port + ": " + e.getMessage(), e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One entry of the request log. */
    public record LoggedRequest(
            long seq,
            String time,
            String method,
            String path,
            String query,
            String route,
            String entitySet,
            String userId,
            int status,
            long micros,
            String fault) {}

    private final Builder config;
    private final Schema schema = Schema.standard();
    private final Auth auth;
    private final Throttle throttle;
    private final Metadata metadata;
    private volatile Store store;
    private volatile WebApi api;
    private volatile Batch batch;
    private volatile Mutator mutator;
    private final Map<String, String> appUsers = new LinkedHashMap<>();
    private volatile int dopHint;
    private final String organizationId;
    private final String businessUnitId;

    private DynamicsSimulator(Builder b) throws IOException {
        super(new DynamicsClock(), DynamicsFault.class, b);
        this.config = b;
        this.auth = new Auth(clock, b.tenantId, seed);
        this.throttle = new Throttle(clock);
        this.metadata = new Metadata(schema);
        this.organizationId = UUID.nameUUIDFromBytes(("org:" + seed).getBytes(StandardCharsets.UTF_8))
                .toString();
        this.businessUnitId = UUID.nameUUIDFromBytes(("bu:" + seed).getBytes(StandardCharsets.UTF_8))
                .toString();
        auth.resource(baseUrl);
        auth.enabled = b.auth;
        auth.lifetimeSeconds = b.tokenLifetime == null ? 0 : b.tokenLifetime.toSeconds();
        b.clients.forEach((id, secret) -> {
            String userId = UUID.nameUUIDFromBytes(("appuser:" + id).getBytes(StandardCharsets.UTF_8))
                    .toString();
            appUsers.put(id, userId);
            auth.clients.put(id, new Auth.Client(id, secret, userId));
        });
        applySettings();
        initState();
        serve("dynamics-sim", this::handle, this::malformedBody);
    }

    private void applySettings() {
        throttle.enabled = config.serviceProtection;
        throttle.maxRequests = config.maxRequests;
        throttle.maxExecutionMillis = config.maxExecutionMillis;
        throttle.maxConcurrent = config.maxConcurrent;
        throttle.windowMillis = config.window.toMillis();
        throttle.extraExecutionMillis = 0;
        dopHint = config.dopHint;
    }

    private void initState() {
        Store s = new Store(schema, clock, seed);
        long now = clock.millis();
        long created = now - 600L * 86_400_000L;
        // system rows: users and currencies (read-only tables)
        TableDef users = schema.table("systemuser");
        String[] humans = {HUMAN_USER_ID, "0f1b5c12-3d4e-4f60-8a7b-00000000a002", "0f1b5c12-3d4e-4f60-8a7b-00000000a003"
        };
        String[][] humanNames = {{"Avery", "Admin"}, {"Sam", "Sales"}, {"Morgan", "Marketing"}};
        for (int i = 0; i < humans.length; i++) {
            Map<Attr, Object> v = new LinkedHashMap<>();
            v.put(users.byLogical.get("firstname"), humanNames[i][0]);
            v.put(users.byLogical.get("lastname"), humanNames[i][1]);
            v.put(users.byLogical.get("domainname"), humanNames[i][0].toLowerCase(Locale.ROOT) + "@crmconnect.example");
            v.put(
                    users.byLogical.get("internalemailaddress"),
                    humanNames[i][0].toLowerCase(Locale.ROOT) + "@crmconnect.example");
            s.insert(users, humans[i], v, humans[0], created);
        }
        for (Map.Entry<String, String> e : appUsers.entrySet()) {
            Map<Attr, Object> v = new LinkedHashMap<>();
            v.put(
                    users.byLogical.get("lastname"),
                    "# " + (e.getKey().equals(DEFAULT_CLIENT_ID) ? "CRM Connect" : "App " + e.getKey()));
            v.put(users.byLogical.get("domainname"), e.getKey() + "@crmconnect.example");
            v.put(users.byLogical.get("applicationid"), e.getKey().toLowerCase(Locale.ROOT));
            s.insert(users, e.getValue(), v, humans[0], created);
        }
        TableDef cur = schema.table("transactioncurrency");
        String[][] currencies = {{"US Dollar", "USD", "$", "1.0000000000"}, {"Euro", "EUR", "€", "0.9200000000"}};
        for (int i = 0; i < currencies.length; i++) {
            Map<Attr, Object> v = new LinkedHashMap<>();
            v.put(cur.byLogical.get("currencyname"), currencies[i][0]);
            v.put(cur.byLogical.get("isocurrencycode"), currencies[i][1]);
            v.put(cur.byLogical.get("currencysymbol"), currencies[i][2]);
            v.put(cur.byLogical.get("exchangerate"), new BigDecimal(currencies[i][3]));
            Row row = s.insert(
                    cur,
                    UUID.nameUUIDFromBytes(("currency:" + currencies[i][1]).getBytes(StandardCharsets.UTF_8))
                            .toString(),
                    v,
                    humans[0],
                    created);
            if (i == 0) {
                s.baseCurrencyId = row.id;
            }
        }
        DataGenerator g = new DataGenerator(s, seed, humans);
        g.generate(config.counts, now);
        WebApi w = new WebApi(s, clock);
        w.tokenRetentionMillis = config.deltaTokenRetention.toMillis();
        this.store = s;
        this.api = w;
        this.batch = new Batch(s, this::route);
        this.mutator = new Mutator(s, g, humans[1], seed);
    }

    // ------------------------------------------------------------------ HTTP front

    /** Admin API or Web API; an exception a handler lets out becomes a 500 with Dataverse's error body. */
    private Http.Resp handle(RawRequest raw) {
        long t0 = System.nanoTime();
        Http.Req req = null;
        try {
            req = new Http.Req(raw.method(), raw.rawPath(), raw.rawQuery(), raw.joinedHeaderValues(), raw.body());
            if (req.rawPath.startsWith("/_sim")) {
                return admin(req);
            }
            Http.Resp resp = front(req);
            record(
                    req,
                    resp.status,
                    (System.nanoTime() - t0) / 1000,
                    resp.fault == null ? null : resp.fault.kind.name());
            return resp;
        } catch (RuntimeException e) {
            Http.Resp r = errorResp(
                    new DataverseException(500, DataverseException.UNEXPECTED, "Internal simulator error: " + e), null);
            if (req != null) {
                record(req, 500, (System.nanoTime() - t0) / 1000, null);
            }
            return r;
        }
    }

    /** What a MALFORMED_JSON fault sends: the start of a contacts page that breaks off inside an ETag. */
    private byte[] malformedBody(Response resp) {
        return ("{\"@odata.context\":\"" + baseUrl + "/api/data/v9.2/$metadata#contacts\",\"value\":[{"
                        + "\"@odata.etag\":\"W/\\\"1")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Token endpoint or Web API: route name, auth, service protection, faults, handler. */
    private Http.Resp front(Http.Req req) {
        String p = req.rawPath;
        String tenantPrefix = "/" + auth.tenantId + "/oauth2/";
        if (p.startsWith("/") && p.contains("/oauth2/")) {
            boolean v2 = p.endsWith("/oauth2/v2.0/token");
            boolean v1 = p.endsWith("/oauth2/token");
            req.route = "POST /{tenant}/oauth2/" + (v2 ? "v2.0/token" : "token");
            if (!req.method.equals("POST") || !v1 && !v2) {
                req.route = req.method + " (unmatched)";
                return plain(404, "Not Found");
            }
            DynamicsFault f = pickFault(req);
            if (f != null) {
                Http.Resp fr = applyFault(f, req);
                if (fr != null) {
                    fr.fault = f;
                    return fr;
                }
            }
            String tenant = p.substring(1, p.indexOf("/oauth2/"));
            if (!tenantPrefix.equals("/" + tenant + "/oauth2/")
                    && !tenant.equals("common")
                    && !tenant.equals("organizations")) {
                Http.Resp r = Http.Resp.json(
                        400,
                        Map.of(
                                "error",
                                "invalid_tenant",
                                "error_description",
                                "AADSTS90002: Tenant '" + tenant + "' not found.",
                                "error_codes",
                                List.of(90002)));
                r.contentType = "application/json; charset=utf-8";
                return r;
            }
            Http.Resp r = auth.token(req, v2);
            if (f != null) {
                r.fault = f;
            }
            return r;
        }
        if (!p.startsWith("/api/data/v")) {
            req.route = req.method + " (unmatched)";
            return plain(404, "Not Found");
        }
        int slash = p.indexOf('/', "/api/data/".length());
        String version = slash < 0 ? p.substring("/api/data/".length()) : p.substring("/api/data/".length(), slash);
        if (!version.equals("v9.0") && !version.equals("v9.1") && !version.equals("v9.2")) {
            req.route = req.method + " (unmatched)";
            return plain(404, "Not Found");
        }
        Http.Resp resp;
        Throttle.Decision d = null;
        long started = 0;
        try {
            req.route = routeName(req);
            req.principal =
                    auth.authenticate(req, new Auth.Principal(appUsers.get(DEFAULT_CLIENT_ID), DEFAULT_CLIENT_ID));
            d = throttle.admit(req.principal.userId());
            if (!d.allowed()) {
                resp = throttled(d.code(), d.message(), d.retryAfterMillis(), req.prefer);
            } else {
                started = System.nanoTime();
                DynamicsFault f = pickFault(req);
                Http.Resp fr = f == null ? null : applyFault(f, req);
                if (fr != null) {
                    resp = fr;
                } else {
                    try {
                        resp = route(req);
                    } catch (DataverseException e) {
                        resp = errorResp(e, req.prefer);
                    }
                }
                resp.fault = f;
            }
        } catch (DataverseException e) {
            resp = errorResp(e, req.prefer);
        } catch (RuntimeException e) {
            resp = errorResp(
                    new DataverseException(500, DataverseException.UNEXPECTED, "Internal simulator error: " + e),
                    req.prefer);
        } finally {
            if (d != null && d.allowed()) {
                throttle.finish(req.principal.userId(), started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000);
            }
        }
        resp.headers.put("OData-Version", "4.0");
        resp.headers.put("REQ_ID", UUID.randomUUID().toString());
        resp.headers.put("x-ms-service-request-id", UUID.randomUUID().toString());
        resp.headers.put("x-ms-dop-hint", Integer.toString(dopHint));
        if (throttle.enabled && d != null && d.allowed()) {
            resp.headers.put("x-ms-ratelimit-burst-remaining-xrm-requests", Integer.toString(d.burstRemaining()));
            resp.headers.put(
                    "x-ms-ratelimit-time-remaining-xrm-requests",
                    String.format(Locale.ROOT, "%.2f", d.timeRemainingMillis() / 1000.0));
        }
        return resp;
    }

    private static Http.Resp plain(int status, String text) {
        Http.Resp r = new Http.Resp(status, text.getBytes(StandardCharsets.UTF_8));
        r.contentType = "text/plain; charset=utf-8";
        return r;
    }

    /** The route name ("METHOD /template") used by the request log, route counters and fault matching. */
    private String routeName(Http.Req req) {
        String tail = tail(req.rawPath);
        ODataPath path = ODataPath.parse(tail);
        req.entitySet = schema.set(path.head) != null ? path.head : null;
        String head = path.head;
        String t;
        if (head.isEmpty()) {
            t = "/";
        } else if (head.startsWith("$") || head.equals("WhoAmI") || head.equals("EntityDefinitions")) {
            StringBuilder sb = new StringBuilder("/" + head + (path.key != null ? "({key})" : ""));
            for (String s : path.rest) {
                sb.append('/').append(s.contains("(") ? s.substring(0, s.indexOf('(')) + "({key})" : s);
            }
            t = sb.toString();
        } else {
            StringBuilder sb = new StringBuilder("/{entityset}" + (path.key != null ? "({key})" : ""));
            for (int i = 0; i < path.rest.size(); i++) {
                String s = path.rest.get(i);
                sb.append('/')
                        .append(
                                s.startsWith("$") || s.startsWith("Microsoft.Dynamics.CRM.")
                                        ? s
                                        : i == 0 ? "{property}" : s);
            }
            t = sb.toString();
        }
        return req.method + " " + t;
    }

    private static String tail(String rawPath) {
        int slash = rawPath.indexOf('/', "/api/data/".length());
        return slash < 0 ? "" : rawPath.substring(slash + 1);
    }

    private String apiUrl(Http.Req req) {
        int slash = req.rawPath.indexOf('/', "/api/data/".length());
        return baseUrl + (slash < 0 ? req.rawPath : req.rawPath.substring(0, slash));
    }

    /** Runs one Web API request (from the socket or from inside a $batch) without auth, limits or faults. */
    Http.Resp route(Http.Req req) {
        String apiBase = apiUrl(req);
        ODataPath path = ODataPath.parse(tail(req.rawPath));
        String m = req.method;
        String head = path.head;
        if (head.isEmpty() && path.key == null) {
            return m.equals("GET") ? metadata.serviceDocument(apiBase) : noResource(req, apiBase);
        }
        switch (head) {
            case "$metadata":
                return m.equals("GET") ? metadata.csdl() : noResource(req, apiBase);
            case "$batch":
                return m.equals("POST") ? batch.execute(req, apiBase, baseUrl) : noResource(req, apiBase);
            case "WhoAmI":
            case "WhoAmI()":
                if (!m.equals("GET")) {
                    return noResource(req, apiBase);
                }
                ObjectNode who = Json.obj();
                who.put("@odata.context", apiBase + "/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
                who.put("BusinessUnitId", businessUnitId);
                who.put("UserId", req.principal.userId());
                who.put("OrganizationId", organizationId);
                return Http.Resp.json(200, who);
            case "EntityDefinitions":
                return m.equals("GET") ? metadata.entityDefinitions(req, path, apiBase) : noResource(req, apiBase);
            default:
                break;
        }
        TableDef t = schema.set(head);
        if (t == null) {
            throw DataverseException.segment(head);
        }
        List<String> rest = path.rest;
        if (path.key == null) {
            if (rest.isEmpty()) {
                return switch (m) {
                    case "GET" -> api.list(req, t, apiBase);
                    case "POST" -> api.create(req, t, apiBase);
                    default -> noResource(req, apiBase);
                };
            }
            String op = rest.get(0);
            if (rest.size() == 1 && op.equals("$count")) {
                return m.equals("GET") ? api.count(req, t) : noResource(req, apiBase);
            }
            String action =
                    op.startsWith("Microsoft.Dynamics.CRM.") ? op.substring("Microsoft.Dynamics.CRM.".length()) : op;
            if (rest.size() == 1
                    && (action.equals("CreateMultiple")
                            || action.equals("UpdateMultiple")
                            || action.equals("UpsertMultiple"))) {
                return m.equals("POST") ? api.bulk(req, t, action, apiBase) : noResource(req, apiBase);
            }
            throw DataverseException.segment(op);
        }
        if (rest.isEmpty()) {
            return switch (m) {
                case "GET" -> api.get(req, t, path.key, apiBase);
                case "PATCH" -> api.patch(req, t, path.key, apiBase);
                case "DELETE" -> api.delete(req, t, path.key);
                default -> noResource(req, apiBase);
            };
        }
        String prop = rest.get(0);
        if (rest.size() == 2 && rest.get(1).equals("$ref")) {
            return m.equals("DELETE") || m.equals("PUT") ? api.ref(req, t, path.key, prop) : noResource(req, apiBase);
        }
        if (rest.size() == 1) {
            return switch (m) {
                case "GET" -> api.getProperty(req, t, path.key, prop, apiBase);
                case "PUT" -> api.putProperty(req, t, path.key, prop);
                case "DELETE" -> api.deleteProperty(req, t, path.key, prop);
                default -> noResource(req, apiBase);
            };
        }
        throw DataverseException.segment(rest.get(1));
    }

    private static Http.Resp noResource(Http.Req req, String apiBase) {
        throw new DataverseException(
                404,
                "",
                "No HTTP resource was found that matches the request URI '"
                        + apiBase.substring(0, apiBase.indexOf("/api/data/")) + req.rawPath + "'.");
    }

    /** Dataverse's error body; 401s have none (only WWW-Authenticate). */
    static Http.Resp errorResp(DataverseException e, Prefer prefer) {
        if (e.status == 401) {
            Http.Resp r = Http.Resp.empty(401);
            r.headers.putAll(e.headers);
            return r;
        }
        ObjectNode err = Json.obj();
        err.put("code", e.code);
        err.put("message", e.getMessage());
        if (prefer != null && prefer.annotations.errorDetails) {
            err.put("@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus", "0");
            err.put(
                    "@Microsoft.PowerApps.CDS.HelpLink",
                    "http://go.microsoft.com/fwlink/?LinkID=398563&error=" + "Microsoft.Crm.CrmException%3a"
                            + e.code.replace("0x", "") + "&client=platform");
            err.put("@Microsoft.PowerApps.CDS.InnerError.Message", e.getMessage());
        }
        ObjectNode n = Json.obj();
        n.set("error", err);
        Http.Resp r = Http.Resp.json(e.status, n);
        r.headers.putAll(e.headers);
        return r;
    }

    private Http.Resp throttled(String code, String message, long retryAfterMillis, Prefer prefer) {
        DataverseException e = new DataverseException(429, code, message);
        e.header("Retry-After", Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
        return errorResp(e, prefer);
    }

    private DynamicsFault pickFault(Http.Req req) {
        return faults.pick(f -> f.matches(req.route, req.entitySet));
    }

    /** Faults that replace the response; null lets the request through (latency and body faults). */
    private Http.Resp applyFault(DynamicsFault f, Http.Req req) {
        switch (f.kind) {
            case LATENCY:
                f.sleepLatency();
                return null;
            case STATUS: {
                String msg = switch (f.status) {
                    case 502 -> "Bad Gateway";
                    case 503 -> "The service is temporarily unavailable. Please try again later.";
                    case 504 -> "The request timed out (injected fault).";
                    default -> "An unexpected error occurred (injected fault).";
                };
                DataverseException e = new DataverseException(
                        f.status, f.code != null ? f.code : f.status == 500 ? DataverseException.UNEXPECTED : "", msg);
                if (f.retryAfterSeconds > 0) {
                    e.header("Retry-After", Integer.toString(f.retryAfterSeconds));
                }
                return errorResp(e, req.prefer);
            }
            case THROTTLE_429: {
                throttle.served429.incrementAndGet();
                String code = f.code != null ? f.code : DataverseException.REQUESTS_LIMIT;
                String message = switch (code) {
                    case DataverseException.EXECUTION_TIME_LIMIT ->
                        "Combined execution time of incoming requests "
                                + "exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease "
                                + "number of concurrent requests or reduce the duration of requests and try again later.";
                    case DataverseException.CONCURRENCY_LIMIT ->
                        "Number of concurrent requests exceeded the limit " + "of 52.";
                    default -> "Number of requests exceeded the limit of 6000 over time window of 300 seconds.";
                };
                return throttled(
                        code, message, (f.retryAfterSeconds > 0 ? f.retryAfterSeconds : 5) * 1000L, req.prefer);
            }
            default:
                return null; // body faults act while writing
        }
    }

    private void record(Http.Req req, int status, long micros, String fault) {
        String routeName = req.route == null ? req.method + " (unmatched)" : req.route;
        log.record(
                routeName,
                status,
                seq -> new LoggedRequest(
                        seq,
                        Values.iso(clock.millis()),
                        req.method,
                        req.rawPath,
                        req.rawQuery,
                        routeName,
                        req.entitySet,
                        req.principal == null ? null : req.principal.userId(),
                        status,
                        micros,
                        fault));
    }

    // ------------------------------------------------------------------ admin API

    private Http.Resp admin(Http.Req req) {
        try {
            return adminRoute(req);
        } catch (DataverseException e) {
            return errorResp(e, null);
        } catch (RuntimeException e) {
            return errorResp(new DataverseException(400, DataverseException.INVALID_ARGUMENT, "admin: " + e), null);
        }
    }

    private static JsonNode json(Http.Req req) {
        try {
            return req.body.length == 0 ? Json.obj() : Json.MAPPER.readTree(req.body);
        } catch (IOException e) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "admin: invalid JSON: " + e.getMessage());
        }
    }

    private Http.Resp adminRoute(Http.Req req) {
        String p = req.rawPath;
        String m = req.method;
        AdminAnswer shared = sharedAdmin(
                m,
                p,
                () -> {
                    String limit = Query.first(req.query, "limit");
                    return limit == null ? 1000 : Integer.parseInt(limit);
                },
                () -> json(req),
                message -> DataverseException.badRequest(DataverseException.INVALID_ARGUMENT, message));
        if (shared != null) {
            return shared.status() == 204 ? Http.Resp.empty(204) : Http.Resp.json(shared.status(), shared.body());
        }
        if (p.equals("/_sim/health")) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", "UP");
            h.put("baseUrl", baseUrl);
            h.put("apiUrl", apiUrl());
            h.put("tokenUrl", tokenUrl());
            h.put("startupMillis", startedMillis);
            return Http.Resp.json(200, h);
        }
        if (p.equals("/_sim/counts")) {
            return Http.Resp.json(200, counts());
        }
        if (p.startsWith("/_sim/state/")) {
            return Http.Resp.json(
                    200,
                    Map.of(
                            "table",
                            p.substring("/_sim/state/".length()),
                            "rows",
                            rows(p.substring("/_sim/state/".length()))));
        }
        if (p.equals("/_sim/config") && m.equals("POST")) {
            JsonNode b = json(req);
            if (b.has("serviceProtection")) {
                throttle.enabled = b.get("serviceProtection").asBoolean();
            }
            if (b.has("maxRequests")) {
                throttle.maxRequests = b.get("maxRequests").asInt();
            }
            if (b.has("maxExecutionMillis")) {
                throttle.maxExecutionMillis = b.get("maxExecutionMillis").asLong();
            }
            if (b.has("maxConcurrent")) {
                throttle.maxConcurrent = b.get("maxConcurrent").asInt();
            }
            if (b.has("windowSeconds")) {
                throttle.windowMillis = b.get("windowSeconds").asLong() * 1000;
            }
            if (b.has("extraExecutionMillis")) {
                throttle.extraExecutionMillis = b.get("extraExecutionMillis").asLong();
            }
            if (b.has("dopHint")) {
                dopHint = b.get("dopHint").asInt();
            }
            if (b.has("deltaTokenRetentionMillis")) {
                api.tokenRetentionMillis = b.get("deltaTokenRetentionMillis").asLong();
            }
            if (b.has("tokenLifetimeSeconds")) {
                auth.lifetimeSeconds = b.get("tokenLifetimeSeconds").asLong();
            }
            return Http.Resp.json(200, stats());
        }
        if (p.equals("/_sim/token") && m.equals("POST")) {
            return Http.Resp.json(200, Map.of("access_token", accessToken()));
        }
        return errorResp(new DataverseException(404, "", "Unknown admin endpoint " + m + " " + p), null);
    }

    // ------------------------------------------------------------------ Java API

    /** {@code <baseUrl>/api/data/v9.2}: entity sets go after it. */
    public String apiUrl() {
        return baseUrl + "/api/data/" + API_VERSION;
    }

    /** The Entra ID v2.0 token endpoint of the simulated tenant. */
    public String tokenUrl() {
        return baseUrl + "/" + auth.tenantId + "/oauth2/v2.0/token";
    }

    public String tenantId() {
        return auth.tenantId;
    }

    public String clientId() {
        return DEFAULT_CLIENT_ID;
    }

    public String clientSecret() {
        return DEFAULT_CLIENT_SECRET;
    }

    /** {@code <baseUrl>/.default}, the client-credentials scope. */
    public String scope() {
        return baseUrl + "/.default";
    }

    /** A fresh access token of the default client's application user. */
    public String accessToken() {
        return auth.issue(DEFAULT_CLIENT_ID);
    }

    /** A fresh access token of another registered client. */
    public String accessToken(String clientId) {
        return auth.issue(clientId);
    }

    /** The systemuserid of a client's application user (what {@code _modifiedby_value} shows for its writes). */
    public String applicationUserId(String clientId) {
        return appUsers.get(clientId);
    }

    /** The default client's application user id. */
    public String applicationUserId() {
        return appUsers.get(DEFAULT_CLIENT_ID);
    }

    /** The human user that seeded data and the Java API's writes are attributed to. */
    public String humanUserId() {
        return HUMAN_USER_ID;
    }

    /** Live rows per table (logical name). */
    public Map<String, Integer> counts() {
        store.lock.readLock().lock();
        try {
            return store.counts();
        } finally {
            store.lock.readLock().unlock();
        }
    }

    /** Every live row of a table as Web API JSON (all columns, no annotations), in primary-key order. */
    public List<Map<String, Object>> rows(String logicalName) {
        TableDef t = table(logicalName);
        List<Map<String, Object>> out = new ArrayList<>();
        store.lock.readLock().lock();
        try {
            Query.Selection all = Query.selection(t, null);
            for (Row r : store.table(t).rows.values()) {
                out.add(asMap(t, r, all));
            }
        } finally {
            store.lock.readLock().unlock();
        }
        return out;
    }

    /** One row as Web API JSON (null when it does not exist). */
    public Map<String, Object> row(String logicalName, String id) {
        TableDef t = table(logicalName);
        store.lock.readLock().lock();
        try {
            Row r = store.get(t, id.toLowerCase(Locale.ROOT));
            return r == null ? null : asMap(t, r, Query.selection(t, null));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    /** Ids of the live rows of a table, ascending. */
    public List<String> ids(String logicalName) {
        store.lock.readLock().lock();
        try {
            return new ArrayList<>(store.table(table(logicalName)).rows.keySet());
        } finally {
            store.lock.readLock().unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(TableDef t, Row r, Query.Selection sel) {
        Json.Buf b = new Json.Buf(1024);
        api.writer.write(b, t, r, sel, new Prefer.Annotations(null));
        try {
            return Json.MAPPER.readValue(b.copy(), LinkedHashMap.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TableDef table(String logicalName) {
        TableDef t = schema.table(logicalName);
        if (t == null) {
            throw new IllegalArgumentException(
                    "unknown table " + logicalName + "; tables: " + schema.byLogical.keySet());
        }
        return t;
    }

    /**
     * Creates a row as the human user (as someone editing in the Dynamics UI would), from a Web API JSON body
     * ({@code @odata.bind} allowed). Returns the new id.
     */
    public String create(String logicalName, Map<String, Object> body) {
        Http.Resp r = asHuman("POST", table(logicalName).entitySetName, body);
        String id = r.headers.get("OData-EntityId");
        return id.substring(id.lastIndexOf('(') + 1, id.length() - 1);
    }

    /** Updates a row as the human user (key: a GUID or an alternate key such as {@code emailaddress1='x'}). */
    public void update(String logicalName, String key, Map<String, Object> body) {
        asHuman("PATCH", table(logicalName).entitySetName + "(" + key + ")", body);
    }

    /** Deletes a row as the human user. */
    public void delete(String logicalName, String key) {
        asHuman("DELETE", table(logicalName).entitySetName + "(" + key + ")", null);
    }

    private Http.Resp asHuman(String method, String path, Map<String, Object> body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("if-match", method.equals("PATCH") ? "*" : null);
        h.values().removeIf(v -> v == null);
        Http.Req req = new Http.Req(
                method, "/api/data/" + API_VERSION + "/" + path, null, h, body == null ? null : Json.bytes(body));
        req.principal = new Auth.Principal(HUMAN_USER_ID, null);
        try {
            return route(req);
        } catch (DataverseException e) {
            throw new IllegalArgumentException(e.status + " " + e.code + ": " + e.getMessage(), e);
        }
    }

    /** 429 responses served (service protection and injected storms). */
    public long throttled429Count() {
        return throttle.served429.get();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> mm = new LinkedHashMap<>();
        mm.put("requests", log.total());
        mm.put("served429", throttle.served429.get());
        mm.put("serviceProtection", throttle.enabled);
        mm.put("maxRequests", throttle.maxRequests);
        mm.put("maxExecutionMillis", throttle.maxExecutionMillis);
        mm.put("maxConcurrent", throttle.maxConcurrent);
        mm.put("windowSeconds", throttle.windowMillis / 1000);
        mm.put("extraExecutionMillis", throttle.extraExecutionMillis);
        mm.put("dopHint", dopHint);
        mm.put("deltaTokenRetentionMillis", api.tokenRetentionMillis);
        mm.put("faults", faults.size());
        mm.put("clockOffsetMillis", clock.offsetMillis());
        mm.put("version", store.currentVersion());
        mm.put("mutator", mutator.stats());
        return mm;
    }

    public void setServiceProtection(boolean on) {
        throttle.enabled = on;
    }

    /** Service-protection limits per user: requests and execution milliseconds per window, concurrent requests. */
    public void setLimits(int requests, long executionMillis, int concurrent, Duration window) {
        throttle.maxRequests = requests;
        throttle.maxExecutionMillis = executionMillis;
        throttle.maxConcurrent = concurrent;
        throttle.windowMillis = window.toMillis();
    }

    /** Execution time charged per request on top of the measured time (reach the 20-minute limit quickly). */
    public void setExtraExecutionMillis(long ms) {
        throttle.extraExecutionMillis = ms;
    }

    public void setDopHint(int n) {
        dopHint = n;
    }

    public void setDeltaTokenRetention(Duration d) {
        api.tokenRetentionMillis = d.toMillis();
    }

    /** Regenerates the seeded data; clears logs, counters, runtime faults, limits state, tokens and the clock. */
    @Override
    public synchronized void reset() {
        resetShared();
        throttle.reset();
        applySettings();
        auth.reset();
        initState();
    }

    @Override
    protected Mutations mutations() {
        return mutator;
    }

    @Override
    protected String iso(long millis) {
        return Values.iso(millis);
    }
}
