package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.SimulatorSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configures and starts a {@link HubSpotSimulator}: {@code HubSpotSimulator.builder().seed(42).contacts(1000).start()}.
 */
public final class HubSpotSimulatorBuilder extends SimulatorSettings<HubSpotSimulatorBuilder, Fault> {
    final Map<String, Integer> counts = new LinkedHashMap<>();
    int owners = 10;
    int wideProperties;
    boolean rateLimits = true;
    Tier tier = Tier.PROFESSIONAL;
    LimiterMode limiterMode = LimiterMode.SLIDING;
    Duration indexLag = Duration.ZERO;
    boolean auth = true;
    final Map<String, Set<String>> tokens = new LinkedHashMap<>();
    final List<String[]> oauthClients = new ArrayList<>();
    boolean validateRequests;
    boolean validateResponses;
    String retryAfter = "alternate";
    boolean propertyHistory = true;
    long portalId = 12_345_678L;

    HubSpotSimulatorBuilder() {
        // a request holds its thread for its whole life (latency and slow-body faults included): keep enough for
        // several connector tasks in parallel; idle threads cost nothing
        super(16);
        tokens.put(HubSpotSimulator.DEFAULT_TOKEN, Set.of());
    }

    public HubSpotSimulatorBuilder contacts(int n) {
        return records("contacts", n);
    }

    public HubSpotSimulatorBuilder companies(int n) {
        return records("companies", n);
    }

    public HubSpotSimulatorBuilder deals(int n) {
        return records("deals", n);
    }

    public HubSpotSimulatorBuilder tickets(int n) {
        return records("tickets", n);
    }

    /** Generated records of any built-in type: contacts, companies, deals, tickets, products, line_items, calls,
     *  emails, meetings, notes, tasks. */
    public HubSpotSimulatorBuilder records(String objectType, int n) {
        counts.put(objectType, n);
        return this;
    }

    public HubSpotSimulatorBuilder owners(int n) {
        this.owners = n;
        return this;
    }

    /** Adds N custom properties of every type to contacts and companies ("wide" objects), ~70% populated. */
    public HubSpotSimulatorBuilder wideProperties(int n) {
        this.wideProperties = n;
        return this;
    }

    /** Rate limits on (default) or off. */
    public HubSpotSimulatorBuilder rateLimits(boolean on) {
        this.rateLimits = on;
        return this;
    }

    public HubSpotSimulatorBuilder tier(Tier tier) {
        this.tier = tier;
        return this;
    }

    /** Rolling windows (default, HubSpot's documented policy) or clock-aligned fixed windows. */
    public HubSpotSimulatorBuilder limiter(LimiterMode mode) {
        this.limiterMode = mode;
        return this;
    }

    /** Delay before a write becomes visible to search (default 0). */
    public HubSpotSimulatorBuilder indexLag(Duration lag) {
        this.indexLag = lag;
        return this;
    }

    /** Bearer-token checks on (default) or off. */
    public HubSpotSimulatorBuilder auth(boolean on) {
        this.auth = on;
        return this;
    }

    /** Another accepted private-app token; with scopes, calls needing other scopes get 403 MISSING_SCOPES. */
    public HubSpotSimulatorBuilder privateAppToken(String token, String... scopes) {
        tokens.put(token, Set.of(scopes));
        return this;
    }

    /** An OAuth app: POST /oauth/v1/token accepts these client credentials and this refresh token. */
    public HubSpotSimulatorBuilder oauthClient(String clientId, String clientSecret, String refreshToken) {
        oauthClients.add(new String[] {clientId, clientSecret, refreshToken});
        return this;
    }

    /** Check every incoming request against the OpenAPI specs and record violations (default off). */
    public HubSpotSimulatorBuilder validateRequests(boolean on) {
        this.validateRequests = on;
        return this;
    }

    /** Check every outgoing response against the OpenAPI specs and record violations (default off). */
    public HubSpotSimulatorBuilder validateResponses(boolean on) {
        this.validateResponses = on;
        return this;
    }

    /** Retry-After on 429s: "always", "never" or "alternate" (default: every other 429 has none). */
    public HubSpotSimulatorBuilder retryAfter(String mode) {
        this.retryAfter = mode;
        return this;
    }

    /** Keep per-property value history for propertiesWithHistory (default on). */
    public HubSpotSimulatorBuilder propertyHistory(boolean on) {
        this.propertyHistory = on;
        return this;
    }

    public HubSpotSimulatorBuilder portalId(long id) {
        this.portalId = id;
        return this;
    }

    public HubSpotSimulator start() {
        try {
            return new HubSpotSimulator(this);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start the HubSpot simulator on port " + port + ": " + e.getMessage(), e);
        }
    }
}
