package io.crmconnect.simulator.hubspot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Private-app bearer tokens and an OAuth 2.0 token endpoint with 1,800 s access tokens. */
final class Auth {
    static final long ACCESS_TOKEN_SECONDS = 1800;

    /** Who is calling: an app (rate limits are per app) and its scopes (empty = every scope). */
    record Principal(String appId, boolean oauth, Set<String> scopes, long expiresAtMillis) {}

    private final SimClock clock;
    final Map<String, Principal> tokens = new ConcurrentHashMap<>();
    final Map<String, String> oauthClients = new ConcurrentHashMap<>(); // clientId -> secret
    final Map<String, String> refreshTokens = new ConcurrentHashMap<>(); // refresh -> clientId
    volatile boolean enabled = true;

    Auth(SimClock clock) {
        this.clock = clock;
    }

    /** The OAuth token endpoint (no bearer token, no rate limit). */
    void register(Router r) {
        r.add("POST", "/oauth/v1/token", this::token).unauthenticated = true;
    }

    /** The granular scope a route needs, as HubSpot's specs declare it (null: no scope check). */
    static String scopeFor(Router.Route route, Http.Req req) {
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

    void addPrivateAppToken(String token, Set<String> scopes) {
        tokens.put(
                token,
                new Principal(
                        "private-app-" + Integer.toHexString(token.hashCode()),
                        false,
                        Set.copyOf(scopes),
                        Long.MAX_VALUE));
    }

    /** Resolves the bearer token or throws HubSpot's 401. */
    Principal authenticate(Http.Req req) {
        String h = req.header("authorization");
        if (!enabled) {
            return new Principal("anonymous", false, Set.of(), Long.MAX_VALUE);
        }
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthenticated(
                    "Authentication credentials not found. This API supports OAuth 2.0 authentication "
                            + "and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        String token = h.substring(7).trim();
        Principal p = tokens.get(token);
        if (p == null) {
            throw unauthenticated("The OAuth token used to make this call is invalid or has been revoked.");
        }
        if (p.oauth && clock.millis() >= p.expiresAtMillis) {
            throw unauthenticated("The OAuth token used to make this call expired "
                            + ((clock.millis() - p.expiresAtMillis) / 1000) + " second(s) ago.")
                    .subCategory("EXPIRED_AUTHENTICATION");
        }
        return p;
    }

    private static ApiException unauthenticated(String message) {
        return new ApiException(401, "INVALID_AUTHENTICATION", message);
    }

    /** 403 MISSING_SCOPES when the principal declares scopes and lacks the one needed. */
    void requireScope(Principal p, String scope) {
        if (p == null || p.scopes.isEmpty() || scope == null || p.scopes.contains(scope)) {
            return;
        }
        ApiException e = new ApiException(
                403,
                "MISSING_SCOPES",
                "This app hasn't been granted all required scopes to make this call. Read more about required scopes "
                        + "here: https://developers.hubspot.com/scopes.");
        e.context("requiredGranularScopes", scope);
        e.extra.put("links", Map.of("scopes", "https://developers.hubspot.com/scopes"));
        e.errors.add(Map.of(
                "message",
                "One or more of the following scopes are required.",
                "context",
                Map.of("requiredGranularScopes", List.of(scope))));
        throw e;
    }

    /** POST /oauth/v1/token (form encoded): refresh_token and authorization_code grants. */
    private Http.Resp token(Http.Req req) {
        Map<String, List<String>> form = Http.parseQuery(new String(req.body, StandardCharsets.UTF_8));
        String grant = first(form, "grant_type");
        String clientId = first(form, "client_id");
        String secret = first(form, "client_secret");
        if (clientId == null || secret == null || !secret.equals(oauthClients.get(clientId))) {
            return oauthError("BAD_CLIENT_ID", "missing or unknown client credentials");
        }
        if ("refresh_token".equals(grant)) {
            String rt = first(form, "refresh_token");
            if (rt == null || !clientId.equals(refreshTokens.get(rt))) {
                return oauthError("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
            }
            return issue(clientId, rt);
        }
        if ("authorization_code".equals(grant)) {
            String code = first(form, "code");
            if (code == null || code.isEmpty()) {
                return oauthError("BAD_AUTH_CODE", "missing or unknown auth code");
            }
            String rt = "na1-" + UUID.randomUUID();
            refreshTokens.put(rt, clientId);
            return issue(clientId, rt);
        }
        return oauthError("BAD_GRANT_TYPE", "grant_type must be refresh_token or authorization_code");
    }

    private Http.Resp issue(String clientId, String refreshToken) {
        String access = "CJ" + UUID.randomUUID().toString().replace("-", "");
        tokens.put(
                access,
                new Principal("oauth-" + clientId, true, Set.of(), clock.millis() + ACCESS_TOKEN_SECONDS * 1000));
        var n = Json.obj();
        n.put("token_type", "bearer");
        n.put("access_token", access);
        n.put("refresh_token", refreshToken);
        n.put("expires_in", ACCESS_TOKEN_SECONDS);
        n.put("hub_id", 0);
        return Http.Resp.json(200, n);
    }

    private static Http.Resp oauthError(String status, String message) {
        var n = Json.obj();
        n.put("status", status);
        n.put("message", message);
        n.put("correlationId", UUID.randomUUID().toString());
        return Http.Resp.json(400, n);
    }

    private static String first(Map<String, List<String>> m, String k) {
        List<String> v = m.get(k);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
