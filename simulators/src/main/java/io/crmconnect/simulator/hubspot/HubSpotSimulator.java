package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.BaseSimulator;
import io.crmconnect.simulator.common.Mutations;
import io.crmconnect.simulator.hubspot.contract.Violation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
 * <p>One class per HubSpot API serves the routes ({@link ObjectsApi}, {@link SearchApi}, {@link AssociationsApi},
 * {@link AssociationLabelsApi}, {@link PipelinesApi}, {@link OwnersApi}, {@link SchemasApi}, {@link PropertiesApi});
 * {@link ApiGateway} applies auth, limits and faults in front of them; {@link AdminApi} serves {@code /_sim/...}
 * (no auth, no limits, no faults; see the module README). This class starts them and is the Java API for tests.
 */
public final class HubSpotSimulator extends BaseSimulator<SimClock, Fault, LoggedRequest> {
    /** The private-app token every simulator accepts unless auth is disabled. */
    public static final String DEFAULT_TOKEN = "pat-na1-00000000-0000-4000-8000-000000000000";
    /** Longest request URI (path + query) served; longer ones get 414. */
    public static final int MAX_URI_LENGTH = ApiGateway.MAX_URI_LENGTH;

    public static HubSpotSimulatorBuilder builder() {
        return new HubSpotSimulatorBuilder();
    }

    private final HubSpotSimulatorBuilder config;
    private final Auth auth;
    private final RateLimiter limiter;
    private final RateLimitResponses limitResponses;
    private final ApiGateway gateway;
    private Store store;
    private Mutator mutator;
    private final String startupBreakdown;

    HubSpotSimulator(HubSpotSimulatorBuilder b) throws IOException {
        super(new SimClock(), Fault.class, b);
        long t0 = constructedNanos;
        this.config = b;
        this.auth = new Auth(clock);
        this.limiter = new RateLimiter(clock, b.rateLimits, b.tier, b.limiterMode);
        this.limitResponses = new RateLimitResponses(b.retryAfter);
        this.gateway = new ApiGateway(auth, limiter, limitResponses, new Faults(faults), log, clock);
        gateway.validateRequests = b.validateRequests;
        gateway.validateResponses = b.validateResponses;
        auth.enabled = b.auth;
        b.tokens.forEach(auth::addPrivateAppToken);
        for (String[] c : b.oauthClients) {
            auth.oauthClients.put(c[0], c[1]);
            auth.refreshTokens.put(c[2], c[0]);
        }
        long t1 = System.nanoTime();
        initState();
        long t2 = System.nanoTime();
        serve("hubspot-sim", raw -> gateway.handle(new Http.Req(raw)), Http::malformedBody);
        startupBreakdown = "bind " + (t1 - t0) / 1_000_000 + " ms, data " + (t2 - t1) / 1_000_000 + " ms, rest "
                + (System.nanoTime() - t2) / 1_000_000 + " ms";
    }

    /** Where start-up time went (bind, data generation, rest). */
    public String startupBreakdown() {
        return startupBreakdown;
    }

    /** Generates the seeded portal and serves it through a fresh router (at start and on reset). */
    private void initState() {
        Store s = new Store(clock, config.portalId);
        s.indexLagMillis = config.indexLag.toMillis();
        long now = clock.millis();
        for (ObjectType t : Catalog.builtins(now - 500L * 86_400_000L)) {
            s.registerType(t);
        }
        s.defineDefaultAssociations();
        s.defineDefaultPipelines(now);
        Records records = new Records(s);
        records.trackHistory = config.propertyHistory;
        DataGenerator g = new DataGenerator(s, records, seed);
        long lag = s.indexLagMillis;
        s.indexLagMillis = 0; // generated data is searchable at once
        g.generate(config.counts, config.owners, config.wideProperties);
        s.indexLagMillis = lag;
        RecordJson json = new RecordJson(s, baseUrl);
        PropertiesApi properties = new PropertiesApi(s);
        Router r = new Router();
        new ObjectsApi(s, records, json, baseUrl).register(r);
        new SearchApi(s, json).register(r);
        properties.register(r);
        new AssociationsApi(s).register(r);
        new AssociationLabelsApi(s).register(r);
        new PipelinesApi(s).register(r);
        new OwnersApi(s).register(r);
        new SchemasApi(s, properties).register(r);
        auth.register(r);
        new AdminApi(this).register(r);
        this.store = s;
        this.mutator = new Mutator(s, records, g);
        gateway.use(r, s);
    }

    // ------------------------------------------------------------------ Java API

    /** A valid private-app bearer token. */
    public String token() {
        return DEFAULT_TOKEN;
    }

    public long portalId() {
        return store.portalId;
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
            m.put("properties", new TreeMap<>(r.props));
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
        return new LinkedHashMap<>(store.associations.get(
                store.type(fromType).objectTypeId, Long.parseLong(id), store.type(toType).objectTypeId));
    }

    /** 429 responses served (rate limits and injected 429 storms). */
    public long rateLimited429Count() {
        return limiter.served429.get();
    }

    @Override
    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", log.total());
        m.put("served429", limiter.served429.get());
        m.put("served429Search", limiter.served429Search.get());
        m.put("served429Daily", limiter.served429Daily.get());
        m.put("dailyUsed", limiter.dailyUsed());
        m.put("rateLimits", limiter.enabled);
        m.put("tier", limiter.tier.name());
        m.put("limiter", limiter.mode.name());
        m.put("indexLagMillis", store.indexLagMillis);
        m.put("validateRequests", gateway.validateRequests);
        m.put("validateResponses", gateway.validateResponses);
        m.put("contractViolations", gateway.violations().size());
        m.put("faults", faults.size());
        m.put("clockOffsetMillis", clock.offsetMillis());
        m.put("mutator", mutator.stats());
        return m;
    }

    public void setRateLimits(boolean on) {
        limiter.enabled = on;
    }

    public void setTier(Tier t) {
        limiter.tier = t;
    }

    /** Rolling (HubSpot's policy) or clock-aligned fixed windows for the ten-second and search limits. */
    public void setLimiterMode(LimiterMode mode) {
        limiter.mode = mode;
    }

    public void setIndexLag(Duration lag) {
        store.indexLagMillis = lag.toMillis();
    }

    /** Pretend the account already used this many API calls today (to reach the daily limit quickly). */
    public void setDailyUsed(long calls) {
        limiter.setDailyUsed(calls);
    }

    public void setValidateRequests(boolean on) {
        gateway.validateRequests = on;
    }

    public void setValidateResponses(boolean on) {
        gateway.validateResponses = on;
    }

    /** Retry-After on 429s: "always", "never" or "alternate" (every other 429 has none). */
    public void setRetryAfter(String mode) {
        limitResponses.retryAfter = mode;
    }

    /** Another accepted private-app token; with scopes, calls needing other scopes get 403 MISSING_SCOPES. */
    public void addPrivateAppToken(String token, Set<String> scopes) {
        auth.addPrivateAppToken(token, scopes);
    }

    /** Contract violations recorded while request/response validation was on. */
    public List<Violation> contractViolations() {
        return List.copyOf(gateway.violations());
    }

    public void clearContractViolations() {
        gateway.violations().clear();
    }

    /** Regenerates the seeded data and clears logs, counters, faults, limits, violations and the clock offset. */
    @Override
    public synchronized void reset() {
        resetShared();
        limiter.reset();
        gateway.violations().clear();
        initState();
    }

    @Override
    protected Mutations mutations() {
        return mutator;
    }

    @Override
    protected String iso(long millis) {
        return Json.iso(millis);
    }

    Store store() {
        return store;
    }

    /** One of the admin endpoints both simulators share, with HubSpot's request parsing and error body. */
    AdminAnswer sharedAdmin(String method, String template, Http.Req req) {
        return sharedAdmin(method, template, () -> req.qInt("limit", 1000), req::json, ApiException::validation);
    }
}
