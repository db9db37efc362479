package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmconnect.simulator.hubspot.contract.OpenApiContract;
import io.crmconnect.simulator.hubspot.contract.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local HubSpot CRM API: a real HTTP server on 127.0.0.1 that follows HubSpot's published OpenAPI contracts.
 *
 * <pre>{@code
 * try (HubSpotSimulator sim = HubSpotSimulator.builder().seed(42).contacts(1000).start()) {
 *     String base = sim.baseUrl();      // e.g. http://127.0.0.1:41234
 *     String token = sim.token();       // Authorization: Bearer <token>
 *     ...
 * }
 * }</pre>
 *
 * <p>Admin API for tests: {@code /_sim/...} (no auth, no limits, no faults); see the module README.
 */
public final class HubSpotSimulator implements AutoCloseable {
    /** The private-app token every simulator accepts unless auth is disabled. */
    public static final String DEFAULT_TOKEN = "pat-na1-00000000-0000-4000-8000-000000000000";
    /** Longest request URI (path + query) served; longer ones get 414. */
    public static final int MAX_URI_LENGTH = 16_000;

    static {
        // JDK HttpServer: disable Nagle so small responses on kept-alive connections are not delayed.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Configures and starts a simulator. */
    public static final class Builder {
        private int port;
        private long seed = 42;
        private final Map<String, Integer> counts = new LinkedHashMap<>();
        private int owners = 10;
        private int wideProperties;
        private boolean rateLimits = true;
        private Tier tier = Tier.PROFESSIONAL;
        private Duration indexLag = Duration.ZERO;
        private boolean auth = true;
        private final Map<String, Set<String>> tokens = new LinkedHashMap<>();
        private final List<String[]> oauthClients = new ArrayList<>();
        private boolean validateRequests;
        private boolean validateResponses;
        private final List<Fault> faults = new ArrayList<>();
        // a request holds its thread for its whole life (latency and slow-body faults included): keep enough for
        // several connector tasks in parallel; idle threads cost nothing
        private int threads = 16;
        private String retryAfter = "alternate";
        private int requestLogSize = 10_000;
        private boolean propertyHistory = true;
        private long portalId = 12_345_678L;
        private double mutatorOpsPerSecond;

        private Builder() {
            tokens.put(DEFAULT_TOKEN, Set.of());
        }

        /** TCP port on 127.0.0.1; 0 (default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Seed of the data generator, fault draws and the mutator (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder contacts(int n) {
            return records("contacts", n);
        }

        public Builder companies(int n) {
            return records("companies", n);
        }

        public Builder deals(int n) {
            return records("deals", n);
        }

        public Builder tickets(int n) {
            return records("tickets", n);
        }

        /** Generated records of any built-in type: contacts, companies, deals, tickets, products, line_items, calls,
         *  emails, meetings, notes, tasks. */
        public Builder records(String objectType, int n) {
            counts.put(objectType, n);
            return this;
        }

        public Builder owners(int n) {
            this.owners = n;
            return this;
        }

        /** Adds N custom properties of every type to contacts and companies ("wide" objects), ~70% populated. */
        public Builder wideProperties(int n) {
            this.wideProperties = n;
            return this;
        }

        /** Rate limits on (default) or off. */
        public Builder rateLimits(boolean on) {
            this.rateLimits = on;
            return this;
        }

        public Builder tier(Tier tier) {
            this.tier = tier;
            return this;
        }

        /** Delay before a write becomes visible to search (default 0). */
        public Builder indexLag(Duration lag) {
            this.indexLag = lag;
            return this;
        }

        /** Bearer-token checks on (default) or off. */
        public Builder auth(boolean on) {
            this.auth = on;
            return this;
        }

        /** Another accepted private-app token; with scopes, calls needing other scopes get 403 MISSING_SCOPES. */
        public Builder privateAppToken(String token, String... scopes) {
            tokens.put(token, Set.of(scopes));
            return this;
        }

        /** An OAuth app: POST /oauth/v1/token accepts these client credentials and this refresh token. */
        public Builder oauthClient(String clientId, String clientSecret, String refreshToken) {
            oauthClients.add(new String[] {clientId, clientSecret, refreshToken});
            return this;
        }

        /** Check every incoming request against the OpenAPI specs and record violations (default off). */
        public Builder validateRequests(boolean on) {
            this.validateRequests = on;
            return this;
        }

        /** Check every outgoing response against the OpenAPI specs and record violations (default off). */
        public Builder validateResponses(boolean on) {
            this.validateResponses = on;
            return this;
        }

        public Builder fault(Fault f) {
            faults.add(f);
            return this;
        }

        /** Worker threads of the HTTP server. */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** Retry-After on 429s: "always", "never" or "alternate" (default: every other 429 has none). */
        public Builder retryAfter(String mode) {
            this.retryAfter = mode;
            return this;
        }

        public Builder requestLogSize(int n) {
            this.requestLogSize = n;
            return this;
        }

        /** Keep per-property value history for propertiesWithHistory (default on). */
        public Builder propertyHistory(boolean on) {
            this.propertyHistory = on;
            return this;
        }

        public Builder portalId(long id) {
            this.portalId = id;
            return this;
        }

        /** Start the mutator right away at this many operations per second. */
        public Builder mutator(double opsPerSecond) {
            this.mutatorOpsPerSecond = opsPerSecond;
            return this;
        }

        public HubSpotSimulator start() {
            try {
                return new HubSpotSimulator(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the HubSpot simulator on port " + port + ": "
                        + e.getMessage(), e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One entry of the request log. */
    public record LoggedRequest(long seq, String time, String method, String path, String query, String route,
            String objectType, int status, long micros, String fault) { }

    private final Builder config;
    private final SimClock clock = new SimClock();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final Router router = new Router();
    private Store store;
    private Objects objects;
    private Search search;
    private Properties properties;
    private Meta meta;
    private DataGenerator generator;
    private Mutator mutator;
    private final Auth auth;
    private final RateLimiter limiter;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final SplittableRandom faultRandom;
    private final ConcurrentLinkedDeque<LoggedRequest> log = new ConcurrentLinkedDeque<>();
    private final AtomicInteger logSize = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final Map<String, Map<Integer, LongAdder>> routeCounters = new ConcurrentHashMap<>();
    private final AtomicLong rateLimit429Alternate = new AtomicLong();
    private final List<Violation> violations = new CopyOnWriteArrayList<>();
    private volatile boolean validateRequests;
    private volatile boolean validateResponses;
    private volatile String retryAfter;
    private final long startedMillis;

    private HubSpotSimulator(Builder b) throws IOException {
        long t0 = System.nanoTime();
        this.config = b;
        this.auth = new Auth(clock);
        this.limiter = new RateLimiter(clock, b.rateLimits, b.tier);
        this.faultRandom = new SplittableRandom(b.seed ^ 0x5DEECE66DL);
        this.validateRequests = b.validateRequests;
        this.validateResponses = b.validateResponses;
        this.retryAfter = b.retryAfter;
        faults.addAll(b.faults);
        auth.enabled = b.auth;
        b.tokens.forEach(auth::addPrivateAppToken);
        for (String[] c : b.oauthClients) {
            auth.oauthClients.put(c[0], c[1]);
            auth.refreshTokens.put(c[2], c[0]);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 256);
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        long t1 = System.nanoTime();
        initState();
        long t2 = System.nanoTime();
        registerRoutes();
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "hubspot-sim-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        if (b.mutatorOpsPerSecond > 0) {
            mutator.start(b.mutatorOpsPerSecond);
        }
        startedMillis = (System.nanoTime() - t0) / 1_000_000;
        startupBreakdown = "bind " + (t1 - t0) / 1_000_000 + " ms, data " + (t2 - t1) / 1_000_000 + " ms, rest "
                + (System.nanoTime() - t2) / 1_000_000 + " ms";
    }

    private final String startupBreakdown;

    /** Where start-up time went (bind, data generation, rest). */
    public String startupBreakdown() {
        return startupBreakdown;
    }

    private void initState() {
        Store s = new Store(clock, config.portalId);
        s.indexLagMillis = config.indexLag.toMillis();
        long now = clock.millis();
        for (ObjectType t : Catalog.builtins(now - 500L * 86_400_000L)) {
            s.registerType(t);
        }
        s.defineDefaultAssociations();
        s.defineDefaultPipelines(now);
        Objects o = new Objects(s, baseUrl);
        o.trackHistory = config.propertyHistory;
        DataGenerator g = new DataGenerator(s, o, config.seed);
        long lag = s.indexLagMillis;
        s.indexLagMillis = 0; // generated data is searchable at once
        g.generate(config.counts, config.owners, config.wideProperties);
        s.indexLagMillis = lag;
        this.store = s;
        this.objects = o;
        this.search = new Search(s, o);
        this.properties = new Properties(s);
        this.meta = new Meta(s, o, properties);
        this.generator = g;
        this.mutator = new Mutator(s, o, g);
    }

    // ------------------------------------------------------------------ routes

    private void registerRoutes() {
        Router r = router;
        String obj = "/crm/v3/objects/{objectType}";
        r.add("GET", obj, req -> objects.list(req));
        r.add("POST", obj, req -> objects.create(req));
        r.add("GET", obj + "/{objectId}", req -> objects.get(req));
        r.add("PATCH", obj + "/{objectId}", req -> objects.update(req));
        r.add("DELETE", obj + "/{objectId}", req -> objects.archive(req));
        r.add("POST", obj + "/batch/read", req -> objects.batchRead(req));
        r.add("POST", obj + "/batch/create", req -> objects.batchCreate(req));
        r.add("POST", obj + "/batch/update", req -> objects.batchUpdate(req));
        r.add("POST", obj + "/batch/upsert", req -> objects.batchUpsert(req));
        r.add("POST", obj + "/batch/archive", req -> objects.batchArchive(req));
        r.add("POST", obj + "/search", req -> search.search(req)).search = true;
        r.add("POST", obj + "/merge", req -> objects.merge(req));
        r.add("POST", "/crm/v3/objects/contacts/gdpr-delete", req -> objects.gdprDelete(req));

        String pr = "/crm/v3/properties/{objectType}";
        r.add("GET", pr, req -> properties.list(req));
        r.add("POST", pr, req -> properties.create(req));
        r.add("GET", pr + "/{propertyName}", req -> properties.get(req));
        r.add("PATCH", pr + "/{propertyName}", req -> properties.update(req));
        r.add("DELETE", pr + "/{propertyName}", req -> properties.archive(req));
        r.add("POST", pr + "/batch/read", req -> properties.batchRead(req));
        r.add("POST", pr + "/batch/create", req -> properties.batchCreate(req));
        r.add("POST", pr + "/batch/archive", req -> properties.batchArchive(req));
        r.add("GET", pr + "/groups", req -> properties.groups(req));
        r.add("POST", pr + "/groups", req -> properties.createGroup(req));
        r.add("GET", pr + "/groups/{groupName}", req -> properties.group(req));
        r.add("PATCH", pr + "/groups/{groupName}", req -> properties.updateGroup(req));
        r.add("DELETE", pr + "/groups/{groupName}", req -> properties.archiveGroup(req));

        String as = "/crm/v4/associations/{fromObjectType}/{toObjectType}";
        r.add("POST", as + "/batch/read", req -> meta.batchRead(req)).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/create", req -> meta.batchCreate(req)).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/associate/default", req -> meta.batchAssociateDefault(req)).tenSecondlyExempt =
                true;
        r.add("POST", as + "/batch/archive", req -> meta.batchArchive(req, false)).tenSecondlyExempt = true;
        r.add("POST", as + "/batch/labels/archive", req -> meta.batchArchive(req, true)).tenSecondlyExempt = true;
        r.add("GET", as + "/labels", req -> meta.labels(req)).tenSecondlyExempt = true;
        r.add("POST", as + "/labels", req -> meta.createLabel(req)).tenSecondlyExempt = true;
        r.add("PUT", as + "/labels", req -> meta.updateLabel(req)).tenSecondlyExempt = true;
        r.add("DELETE", as + "/labels/{associationTypeId}", req -> meta.deleteLabel(req)).tenSecondlyExempt = true;
        String ao = "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}";
        r.add("GET", ao, req -> meta.listForRecord(req));
        r.add("PUT", ao + "/{toObjectId}", req -> meta.putLabelled(req));
        r.add("DELETE", ao + "/{toObjectId}", req -> meta.deleteForRecord(req));
        r.add("PUT", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
                req -> meta.putDefault(req));

        String pl = "/crm/v3/pipelines/{objectType}";
        r.add("GET", pl, req -> meta.pipelines(req));
        r.add("POST", pl, req -> meta.createPipeline(req));
        r.add("GET", pl + "/{pipelineId}", req -> meta.getPipeline(req));
        r.add("PATCH", pl + "/{pipelineId}", req -> meta.patchPipeline(req));
        r.add("DELETE", pl + "/{pipelineId}", req -> meta.deletePipeline(req));
        r.add("GET", pl + "/{pipelineId}/stages", req -> meta.stages(req));
        r.add("POST", pl + "/{pipelineId}/stages", req -> meta.createStage(req));
        r.add("GET", pl + "/{pipelineId}/stages/{stageId}", req -> meta.getStage(req));
        r.add("PATCH", pl + "/{pipelineId}/stages/{stageId}", req -> meta.patchStage(req));
        r.add("DELETE", pl + "/{pipelineId}/stages/{stageId}", req -> meta.deleteStage(req));

        r.add("GET", "/crm/v3/owners", req -> meta.owners(req));
        r.add("GET", "/crm/v3/owners/{ownerId}", req -> meta.owner(req));

        String sc = "/crm-object-schemas/v3/schemas";
        r.add("GET", sc, req -> meta.schemas(req));
        r.add("POST", sc, req -> meta.createSchema(req));
        r.add("POST", sc + "/batch/read", req -> meta.batchReadSchemas(req));
        r.add("GET", sc + "/{objectType}", req -> meta.schema(req));
        r.add("PATCH", sc + "/{objectType}", req -> meta.patchSchema(req));
        r.add("DELETE", sc + "/{objectType}", req -> meta.deleteSchema(req));
        r.add("POST", sc + "/{objectType}/associations", req -> meta.createSchemaAssociation(req));

        r.add("POST", "/oauth/v1/token", req -> auth.token(req));
    }

    private static String scopeFor(Router.Route route, Http.Req req) {
        String type = req.param("objectType");
        if (route.template.startsWith("/crm/v3/objects/")) {
            String t = type == null ? "contacts" : type.toLowerCase(Locale.ROOT);
            if (t.startsWith("2-") || t.startsWith("p")) {
                t = "custom";
            }
            return "crm.objects." + t + (route.write ? ".write" : ".read");
        }
        if (route.template.startsWith("/crm/v3/properties/") || route.template.startsWith("/crm-object-schemas/")) {
            String t = type == null ? "custom" : type.toLowerCase(Locale.ROOT);
            return "crm.schemas." + t + (route.write ? ".write" : ".read");
        }
        if (route.template.startsWith("/crm/v3/owners")) {
            return "crm.objects.owners.read";
        }
        return null;
    }

    // ------------------------------------------------------------------ HTTP front

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        Http.Req req = null;
        Http.Resp resp = null;
        Router.Route route = null;
        boolean recorded = false;
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" :
                    v.get(0)));
            req = new Http.Req(ex.getRequestMethod().toUpperCase(Locale.ROOT), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), headers, body);
            if (req.path.startsWith("/_sim")) {
                write(ex, admin(req), null);
                return;
            }
            boolean[] known = new boolean[1];
            route = router.match(req, known);
            int uriLength = req.rawPath.length() + (req.rawQuery == null ? 0 : req.rawQuery.length() + 1);
            if (uriLength > MAX_URI_LENGTH) {
                // HubSpot answers 414 around 16k characters (long property lists must be chunked)
                resp = errorResp(new ApiException(414, "VALIDATION_ERROR", "URI Too Long: " + uriLength
                        + " characters, the limit is " + MAX_URI_LENGTH));
            } else if (route == null) {
                resp = errorResp(known[0] ? new ApiException(405, "VALIDATION_ERROR", "Method " + req.method
                        + " is not allowed on " + req.rawPath) : new ApiException(404, "OBJECT_NOT_FOUND",
                        "No API route matches " + req.method + " " + req.rawPath));
            } else {
                req.route = route.name;
                resp = dispatch(route, req);
            }
            if (validateRequests) {
                violations.addAll(OpenApiContract.hubspot().validateRequest(req.method, pathAndQuery(req),
                        req.headers, new String(req.body, StandardCharsets.UTF_8)));
            }
            if (validateResponses) {
                violations.addAll(OpenApiContract.hubspot().validateResponse(req.method, pathAndQuery(req),
                        resp.status, Map.of("Content-Type", "application/json"),
                        new String(resp.body, 0, resp.len, StandardCharsets.UTF_8)));
            }
            String fault = resp.fault == null ? null : resp.fault.kind.name();
            // record before writing: a client that saw the response also sees it in the log
            record(req, route, resp.status, (System.nanoTime() - t0) / 1000, fault);
            recorded = true;
            write(ex, resp, fault);
        } catch (IOException e) {
            // client went away, or an injected connection fault: the connection is closed below
        } catch (RuntimeException e) {
            resp = errorResp(new ApiException(500, "INTERNAL_ERROR", "Internal simulator error: " + e));
            if (req != null && !recorded && !req.path.startsWith("/_sim")) {
                record(req, route, 500, (System.nanoTime() - t0) / 1000, null);
                recorded = true;
            }
            try {
                write(ex, resp, null);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be out; the connection is closed below
            }
        } finally {
            ex.close();
        }
    }

    private static String pathAndQuery(Http.Req req) {
        return req.rawPath + (req.rawQuery == null ? "" : "?" + req.rawQuery);
    }

    private Http.Resp dispatch(Router.Route route, Http.Req req) {
        RateLimiter.Decision d = null;
        try {
            boolean tokenEndpoint = route.template.startsWith("/oauth/");
            if (!tokenEndpoint) {
                req.principal = auth.authenticate(req);
                auth.requireScope(req.principal, scopeFor(route, req));
                d = route.search ? limiter.search() : limiter.general(req.principal, route.tenSecondlyExempt);
                if (!d.allowed()) {
                    return rateLimited(d, route.search);
                }
            }
            Fault f = pickFault(route, req);
            Http.Resp resp;
            if (f != null) {
                resp = applyFaultBefore(f, route, d);
                if (resp != null) {
                    resp.fault = f;
                    return resp;
                }
            }
            resp = route.handler.apply(req);
            if (f != null) {
                resp.fault = f;
            }
            if (d != null && !route.search) {
                rateHeaders(resp, d, req.principal);
            }
            return resp;
        } catch (ApiException e) {
            Http.Resp r = errorResp(e);
            if (d != null && d.allowed() && !route.search) {
                rateHeaders(r, d, req.principal);
            }
            return r;
        } catch (RuntimeException e) {
            return errorResp(new ApiException(500, "INTERNAL_ERROR", "Internal error: " + e));
        }
    }

    private void rateHeaders(Http.Resp resp, RateLimiter.Decision d, Auth.Principal p) {
        if (!limiter.enabled) {
            return;
        }
        if (p == null || !p.oauth()) {
            resp.headers.put("X-HubSpot-RateLimit-Daily", Long.toString(d.daily()));
            resp.headers.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(d.dailyRemaining()));
        }
        resp.headers.put("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
        resp.headers.put("X-HubSpot-RateLimit-Max", Integer.toString(d.max()));
        resp.headers.put("X-HubSpot-RateLimit-Remaining", Integer.toString(d.remaining()));
        resp.headers.put("X-HubSpot-RateLimit-Secondly", Integer.toString(Math.max(1, d.max() / 10)));
        resp.headers.put("X-HubSpot-RateLimit-Secondly-Remaining",
                Integer.toString(Math.max(0, d.remaining() / 10)));
    }

    private Http.Resp rateLimited(RateLimiter.Decision d, boolean searchRoute) {
        String message = searchRoute ? "You have reached your secondly limit."
                : "DAILY".equals(d.policy()) ? "You have reached your daily limit."
                : "You have reached your ten_secondly_rolling limit.";
        return rateLimitBody(message, d.policy(), d.retryAfterMillis());
    }

    private Http.Resp rateLimitBody(String message, String policy, long retryAfterMillis) {
        ObjectNode n = Json.obj();
        n.put("status", "error");
        n.put("message", message);
        n.put("errorType", "RATE_LIMIT");
        n.put("correlationId", correlationId());
        n.put("category", "RATE_LIMITS");
        n.put("policyName", policy);
        n.put("requestId", correlationId());
        Http.Resp r = Http.Resp.json(429, n);
        boolean send = switch (retryAfter) {
            case "always" -> true;
            case "never" -> false;
            default -> rateLimit429Alternate.getAndIncrement() % 2 == 0;
        };
        if (send) {
            r.headers.put("Retry-After", Long.toString(Math.max(1, (retryAfterMillis + 999) / 1000)));
        }
        return r;
    }

    private Fault pickFault(Router.Route route, Http.Req req) {
        if (faults.isEmpty()) {
            return null;
        }
        String type = req.param("objectType") != null ? req.param("objectType") : req.param("fromObjectType");
        ObjectType t = type == null ? null : store.typeOrNull(type);
        for (Fault f : faults) {
            if (f.matches(route.name, t == null ? type : t.name) || t != null && f.matches(route.name, t.objectTypeId)) {
                double draw;
                synchronized (faultRandom) {
                    draw = faultRandom.nextDouble();
                }
                if (draw < f.probability && f.tryFire()) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Faults that replace the response; null lets the request through (latency or body faults). */
    private Http.Resp applyFaultBefore(Fault f, Router.Route route, RateLimiter.Decision d) {
        switch (f.kind) {
            case LATENCY:
                sleep(f.drawLatencyMillis(ThreadLocalRandom.current().nextDouble()));
                return null;
            case STATUS: {
                String cat = f.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR";
                String msg = switch (f.status) {
                    case 502 -> "Bad Gateway";
                    case 503 -> "Service Unavailable";
                    case 504 -> "Gateway Timeout";
                    case 524 -> "A timeout occurred";
                    case 477 -> "Migration in progress";
                    default -> "Internal error (injected fault)";
                };
                Http.Resp r = errorResp(new ApiException(f.status, cat, msg));
                if (f.status == 477) {
                    r.headers.put("Retry-After", "5");
                }
                return r;
            }
            case RATE_LIMIT_429:
                limiter.served429.incrementAndGet();
                return route.search ? rateLimitBody("You have reached your secondly limit.", "SECONDLY", 1000)
                        : rateLimitBody("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING",
                        10_000);
            case LOCKED_423:
                return errorResp(new ApiException(423, "LOCKED", "The resource is locked: too many concurrent "
                        + "writes to this object. Retry after 2 seconds."));
            default:
                return null; // CONNECTION_RESET, TRUNCATED_BODY, MALFORMED_JSON, SLOW_BODY act while writing
        }
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String correlationId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL)
                | 0x8000000000000000L).toString();
    }

    Http.Resp errorResp(ApiException e) {
        ObjectNode n = Json.obj();
        n.put("status", "error");
        n.put("message", e.getMessage());
        n.put("correlationId", correlationId());
        n.put("category", e.category);
        if (e.subCategory != null) {
            n.put("subCategory", e.subCategory);
        }
        if (!e.errors.isEmpty()) {
            n.set("errors", Json.MAPPER.valueToTree(e.errors));
        }
        if (!e.context.isEmpty()) {
            n.set("context", Json.MAPPER.valueToTree(e.context));
        }
        e.extra.forEach((k, v) -> n.set(k, Json.MAPPER.valueToTree(v)));
        Http.Resp r = Http.Resp.json(e.status, n);
        r.headers.putAll(e.headers);
        return r;
    }

    private void write(HttpExchange ex, Http.Resp resp, String fault) throws IOException {
        var h = ex.getResponseHeaders();
        if (resp.len > 0) {
            h.set("Content-Type", resp.contentType);
        }
        h.set("X-HubSpot-Correlation-Id", correlationId());
        resp.headers.forEach(h::set);
        byte[] body = fault == null ? resp.body : resp.bytes();
        int len = fault == null ? resp.len : body.length;
        if ("MALFORMED_JSON".equals(fault)) {
            String s = new String(body, StandardCharsets.UTF_8);
            body = ("{\"results\":[{\"id\":\"1\",\"properties\":{\"email\":\"" + s.substring(0,
                    Math.min(20, s.length())).replace("\"", "")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        if ("CONNECTION_RESET".equals(fault)) {
            ex.sendResponseHeaders(200, 1_000_000);
            ex.getResponseBody().flush();
            throw new IOException("injected connection reset"); // close without the promised bytes
        }
        if (resp.status == 204 || len == 0) {
            ex.sendResponseHeaders(resp.status, -1);
            return;
        }
        ex.sendResponseHeaders(resp.status, len);
        OutputStream out = ex.getResponseBody();
        if ("TRUNCATED_BODY".equals(fault)) {
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new IOException("injected truncated body");
        }
        if ("SLOW_BODY".equals(fault)) {
            int chunks = 10;
            long total = resp.fault.latencyMaxMillis > 0 ? resp.fault.latencyMaxMillis : 1000;
            long pause = Math.max(10, total / chunks);
            int step = Math.max(1, body.length / chunks);
            for (int i = 0; i < body.length; i += step) {
                out.write(body, i, Math.min(step, body.length - i));
                out.flush();
                sleep(pause);
            }
            out.close();
            return;
        }
        out.write(body, 0, len);
        out.close();
    }

    private void record(Http.Req req, Router.Route route, int status, long micros, String fault) {
        String routeName = route == null ? req.method + " (unmatched)" : route.name;
        routeCounters.computeIfAbsent(routeName, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, k -> new LongAdder()).increment();
        String type = req.param("objectType");
        log.addLast(new LoggedRequest(seq.incrementAndGet(), Json.iso(clock.millis()), req.method, req.rawPath,
                req.rawQuery, routeName, type, status, micros, fault));
        if (logSize.incrementAndGet() > config.requestLogSize) {
            log.pollFirst();
            logSize.decrementAndGet();
        }
    }

    // ------------------------------------------------------------------ admin API

    private Http.Resp admin(Http.Req req) {
        try {
            return adminRoute(req);
        } catch (ApiException e) {
            return errorResp(e);
        } catch (RuntimeException e) {
            return errorResp(new ApiException(400, "VALIDATION_ERROR", "admin: " + e));
        }
    }

    private Http.Resp adminRoute(Http.Req req) {
        String p = req.path;
        String m = req.method;
        if (p.equals("/_sim/health")) {
            ObjectNode n = Json.obj();
            n.put("status", "UP");
            n.put("baseUrl", baseUrl);
            n.put("startupMillis", startedMillis);
            return Http.Resp.json(200, n);
        }
        if (p.equals("/_sim/counts")) {
            return Http.Resp.json(200, counts());
        }
        if (p.startsWith("/_sim/state/")) {
            ObjectType t = store.type(p.substring("/_sim/state/".length()));
            boolean archived = req.qBool("archived", false);
            return Http.Resp.json(200, Map.of("objectType", t.name, "results", dump(t, archived)));
        }
        if (p.equals("/_sim/associations")) {
            ObjectType f = store.type(req.q("from"));
            ObjectType t = store.type(req.q("to"));
            long id = Long.parseLong(req.q("id"));
            return Http.Resp.json(200, store.associations.get(f.objectTypeId, id, t.objectTypeId));
        }
        if (p.equals("/_sim/requests")) {
            if (m.equals("DELETE")) {
                clearRequestLog();
                return Http.Resp.noContent();
            }
            int limit = req.qInt("limit", 1000);
            List<LoggedRequest> all = requestLog();
            return Http.Resp.json(200, Map.of("results", all.subList(Math.max(0, all.size() - limit), all.size())));
        }
        if (p.equals("/_sim/routes")) {
            return Http.Resp.json(200, routeCounters());
        }
        if (p.equals("/_sim/stats")) {
            return Http.Resp.json(200, stats());
        }
        if (p.equals("/_sim/reset") && m.equals("POST")) {
            reset();
            return Http.Resp.noContent();
        }
        if (p.equals("/_sim/faults")) {
            if (m.equals("POST")) {
                JsonNode b = req.json();
                try {
                    Fault f = Json.MAPPER.treeToValue(b, Fault.class);
                    addFault(f);
                    return Http.Resp.json(201, f);
                } catch (IOException e) {
                    throw ApiException.validation("Invalid fault: " + e.getMessage());
                }
            }
            if (m.equals("DELETE")) {
                clearFaults();
                return Http.Resp.noContent();
            }
            return Http.Resp.json(200, Map.of("results", faults));
        }
        if (p.equals("/_sim/clock")) {
            if (m.equals("POST")) {
                advanceClock(Duration.ofMillis(req.json().path("advanceMillis").asLong(0)));
            }
            return Http.Resp.json(200, Map.of("now", Json.iso(clock.millis()), "offsetMillis", clock.offsetMillis()));
        }
        if (p.equals("/_sim/config") && m.equals("POST")) {
            JsonNode b = req.json();
            if (b.has("rateLimits")) {
                setRateLimits(b.get("rateLimits").asBoolean());
            }
            if (b.has("tier")) {
                setTier(Tier.valueOf(b.get("tier").asText().toUpperCase(Locale.ROOT)));
            }
            if (b.has("indexLagMillis")) {
                setIndexLag(Duration.ofMillis(b.get("indexLagMillis").asLong()));
            }
            if (b.has("validateRequests")) {
                validateRequests = b.get("validateRequests").asBoolean();
            }
            if (b.has("validateResponses")) {
                validateResponses = b.get("validateResponses").asBoolean();
            }
            if (b.has("retryAfter")) {
                retryAfter = b.get("retryAfter").asText();
            }
            if (b.has("dailyUsed")) {
                limiter.setDailyUsed(b.get("dailyUsed").asLong());
            }
            return Http.Resp.json(200, stats());
        }
        if (p.equals("/_sim/mutator/start") && m.equals("POST")) {
            startMutator(req.json().path("opsPerSecond").asDouble(10));
            return Http.Resp.json(200, mutator.stats());
        }
        if (p.equals("/_sim/mutator/stop") && m.equals("POST")) {
            stopMutator();
            return Http.Resp.json(200, mutator.stats());
        }
        if (p.equals("/_sim/mutator")) {
            return Http.Resp.json(200, mutator.stats());
        }
        if (p.equals("/_sim/contract/violations")) {
            if (m.equals("DELETE")) {
                violations.clear();
                return Http.Resp.noContent();
            }
            return Http.Resp.json(200, Map.of("count", violations.size(), "results", violations));
        }
        if (p.equals("/_sim/tokens") && m.equals("POST")) {
            JsonNode b = req.json();
            List<String> scopes = new ArrayList<>();
            b.path("scopes").forEach(s -> scopes.add(s.asText()));
            auth.addPrivateAppToken(b.path("token").asText(), new HashSet<>(scopes));
            return Http.Resp.noContent();
        }
        return errorResp(new ApiException(404, "OBJECT_NOT_FOUND", "Unknown admin endpoint " + m + " " + p));
    }

    // ------------------------------------------------------------------ Java API

    /** e.g. {@code http://127.0.0.1:41234}; HubSpot paths go after it. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A valid private-app bearer token. */
    public String token() {
        return DEFAULT_TOKEN;
    }

    public long portalId() {
        return store.portalId;
    }

    public SimClock clock() {
        return clock;
    }

    public void advanceClock(Duration d) {
        clock.advance(d);
    }

    /** Milliseconds the constructor took (server + generated data). */
    public long startupMillis() {
        return startedMillis;
    }

    /** Per object type: live, archived, mergedAway, searchIndexed, pendingIndexEntries; plus associations. */
    public Map<String, Object> counts() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ObjectType t : store.types) {
            out.put(t.name, store.table(t).counts());
        }
        out.put("associations", store.associations.count());
        out.put("owners", store.owners.size());
        return out;
    }

    /** Live (or recycle-bin) records of a type as {id, properties, createdAt, updatedAt, archived[, archivedAt]}. */
    public List<Map<String, Object>> dump(String objectType, boolean archived) {
        return dump(store.type(objectType), archived);
    }

    private List<Map<String, Object>> dump(ObjectType t, boolean archived) {
        ObjectTable tab = store.table(t);
        if (archived) {
            tab.purgeArchived(clock.millis());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Rec r : (archived ? tab.archived : tab.live).values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", Long.toString(r.id));
            m.put("properties", new java.util.TreeMap<>(r.props));
            m.put("createdAt", Json.iso(r.createdAt));
            m.put("updatedAt", Json.iso(r.updatedAt));
            m.put("archived", r.archived);
            if (r.archived) {
                m.put("archivedAt", Json.iso(r.archivedAt));
            }
            out.add(m);
        }
        return out;
    }

    /** One record's properties (null when not live). */
    public Map<String, String> record(String objectType, String id) {
        Rec r = store.table(store.type(objectType)).live.get(Long.parseLong(id));
        return r == null ? null : Collections.unmodifiableMap(r.props);
    }

    /** Ids of the live records of a type, ascending. */
    public List<String> ids(String objectType) {
        List<String> out = new ArrayList<>();
        for (Long id : store.table(store.type(objectType)).live.keySet()) {
            out.add(Long.toString(id));
        }
        return out;
    }

    /** Associated record ids (to type) of one record, with their association type ids. */
    public Map<Long, Set<Integer>> associations(String fromType, String id, String toType) {
        return new LinkedHashMap<>(store.associations.get(store.type(fromType).objectTypeId, Long.parseLong(id),
                store.type(toType).objectTypeId));
    }

    public List<LoggedRequest> requestLog() {
        return new ArrayList<>(log);
    }

    public void clearRequestLog() {
        log.clear();
        logSize.set(0);
        routeCounters.clear();
    }

    /** Route name ("METHOD /template") -> status -> count. */
    public Map<String, Map<Integer, Long>> routeCounters() {
        Map<String, Map<Integer, Long>> out = new java.util.TreeMap<>();
        routeCounters.forEach((k, v) -> {
            Map<Integer, Long> m = new java.util.TreeMap<>();
            v.forEach((s, c) -> m.put(s, c.sum()));
            out.put(k, m);
        });
        return out;
    }

    /** Total calls to a route name, any status. */
    public long routeCount(String routeName) {
        Map<Integer, LongAdder> m = routeCounters.get(routeName);
        return m == null ? 0 : m.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** 429 responses served (rate limits and injected 429 storms). */
    public long rateLimited429Count() {
        return limiter.served429.get();
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", seq.get());
        m.put("served429", limiter.served429.get());
        m.put("served429Search", limiter.served429Search.get());
        m.put("served429Daily", limiter.served429Daily.get());
        m.put("dailyUsed", limiter.dailyUsed());
        m.put("rateLimits", limiter.enabled);
        m.put("tier", limiter.tier.name());
        m.put("indexLagMillis", store.indexLagMillis);
        m.put("validateRequests", validateRequests);
        m.put("validateResponses", validateResponses);
        m.put("contractViolations", violations.size());
        m.put("faults", faults.size());
        m.put("clockOffsetMillis", clock.offsetMillis());
        m.put("mutator", mutator.stats());
        return m;
    }

    public void addFault(Fault f) {
        faults.add(f);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    public void setRateLimits(boolean on) {
        limiter.enabled = on;
    }

    public void setTier(Tier t) {
        limiter.tier = t;
    }

    public void setIndexLag(Duration lag) {
        store.indexLagMillis = lag.toMillis();
    }

    /** Pretend the account already used this many API calls today (to reach the daily limit quickly). */
    public void setDailyUsed(long calls) {
        limiter.setDailyUsed(calls);
    }

    public void setValidateRequests(boolean on) {
        validateRequests = on;
    }

    public void setValidateResponses(boolean on) {
        validateResponses = on;
    }

    /** Contract violations recorded while request/response validation was on. */
    public List<Violation> contractViolations() {
        return List.copyOf(violations);
    }

    public void clearContractViolations() {
        violations.clear();
    }

    public void startMutator(double opsPerSecond) {
        mutator.start(opsPerSecond);
    }

    public void stopMutator() {
        mutator.stop();
    }

    /** Applies n mutator operations right now (sharing one timestamp), without the background thread. */
    public void mutateNow(int n) {
        mutator.applyBurst(n);
    }

    public Map<String, Object> mutatorStats() {
        return mutator.stats();
    }

    /** Regenerates the seeded data and clears logs, counters, faults, limits, violations and the clock offset. */
    public synchronized void reset() {
        mutator.stop();
        clock.reset();
        faults.clear();
        faults.addAll(config.faults);
        limiter.reset();
        violations.clear();
        clearRequestLog();
        initState();
    }

    @Override
    public void close() {
        mutator.stop();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Router router() {
        return router;
    }
}
