package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Microsoft Entra ID client-credentials token endpoint ({@code POST /{tenant}/oauth2/v2.0/token} with
 * {@code scope={org}/.default}, and the v1 {@code /oauth2/token} with {@code resource={org}}) and bearer-token
 * checks for the Web API. Each OAuth client is an application user (a systemuser row); tokens expire.
 */
final class Auth {
    /** An authenticated caller: the application user's systemuserid and its app registration. */
    record Principal(String userId, String clientId) {}

    record Client(String clientId, String secret, String userId) {}

    private record Issued(Principal principal, long expiresAt) {}

    final DynamicsClock clock;
    final String tenantId;
    volatile boolean enabled = true;
    /** Fixed token lifetime in seconds, or <= 0 for Entra's random 60-90 minutes. */
    volatile long lifetimeSeconds;

    final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final SplittableRandom random;
    private String resource;

    Auth(DynamicsClock clock, String tenantId, long seed) {
        this.clock = clock;
        this.tenantId = tenantId;
        this.random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    }

    void resource(String orgUrl) {
        this.resource = orgUrl;
    }

    /** Issues a token directly (Java API for tests). */
    String issue(String clientId) {
        Client c = clients.get(clientId);
        if (c == null) {
            throw new IllegalArgumentException("unknown client " + clientId);
        }
        return mint(c, lifetime());
    }

    private long lifetime() {
        long l = lifetimeSeconds;
        if (l > 0) {
            return l;
        }
        synchronized (random) {
            return 3600 + random.nextInt(1800);
        }
    }

    private String mint(Client c, long seconds) {
        long now = clock.millis() / 1000;
        ObjectNode h = Json.obj();
        h.put("typ", "JWT");
        h.put("alg", "RS256");
        h.put("kid", "crmconnect-simulator");
        ObjectNode p = Json.obj();
        p.put("aud", resource);
        p.put("iss", "https://sts.windows.net/" + tenantId + "/");
        p.put("iat", now);
        p.put("nbf", now);
        p.put("exp", now + seconds);
        p.put("appid", c.clientId());
        p.put("oid", c.userId());
        p.put("sub", c.userId());
        p.put("tid", tenantId);
        p.put("jti", UUID.randomUUID().toString());
        p.put("ver", "1.0");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String body = b64.encodeToString(Json.bytes(h)) + "." + b64.encodeToString(Json.bytes(p));
        String token = body + "." + b64.encodeToString(sha256(body));
        tokens.put(token, new Issued(new Principal(c.userId(), c.clientId()), (now + seconds) * 1000));
        return token;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The token endpoint: form-encoded client credentials in, Entra's JSON (or its error JSON) out. */
    Http.Resp token(Http.Req req, boolean v2) {
        Map<String, List<String>> form = Http.parseQuery(new String(req.body, StandardCharsets.UTF_8));
        String grant = first(form, "grant_type");
        String clientId = first(form, "client_id");
        String secret = first(form, "client_secret");
        if (grant == null) {
            return error(
                    400,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: " + "'grant_type'.");
        }
        if (!grant.equals("client_credentials")) {
            return error(
                    400,
                    "unsupported_grant_type",
                    70003,
                    "The app requested an unsupported grant type '" + grant + "'.");
        }
        if (clientId == null) {
            return error(
                    400,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: " + "'client_id'.");
        }
        Client c = clients.get(clientId);
        if (c == null) {
            return error(
                    400,
                    "unauthorized_client",
                    700016,
                    "Application with identifier '" + clientId
                            + "' was not found in the directory '" + tenantId
                            + "'. This can happen if the application has "
                            + "not been installed by the administrator of the tenant or consented to by any user in the "
                            + "tenant. You may have sent your authentication request to the wrong tenant.");
        }
        if (secret == null) {
            return error(
                    401,
                    "invalid_client",
                    7000218,
                    "The request body must contain the following parameter: "
                            + "'client_assertion' or 'client_secret'.");
        }
        if (!secret.equals(c.secret())) {
            return error(
                    401,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being "
                            + "sent in the request is the client secret value, not the client secret ID, for a secret added "
                            + "to app '" + clientId + "'.");
        }
        if (v2) {
            String scope = first(form, "scope");
            if (scope == null) {
                return error(
                        400,
                        "invalid_request",
                        900144,
                        "The request body must contain the following parameter: " + "'scope'.");
            }
            String s = scope.trim();
            if (!s.equals(resource + "/.default") && !s.equals(resource + "//.default")) {
                return error(
                        400,
                        "invalid_scope",
                        1002012,
                        "The provided value for scope " + scope + " is not valid. "
                                + "Client credential flows must have a scope value with /.default suffixed to the resource "
                                + "identifier (application ID URI).");
            }
        } else {
            String res = first(form, "resource");
            if (res == null || !res.replaceAll("/+$", "").equals(resource)) {
                return error(
                        400,
                        "invalid_resource",
                        500011,
                        "The resource principal named " + res + " was not found " + "in the tenant named " + tenantId
                                + ".");
            }
        }
        long seconds = lifetime();
        String token = mint(c, seconds);
        ObjectNode n = Json.obj();
        n.put("token_type", "Bearer");
        n.put("expires_in", seconds);
        n.put("ext_expires_in", seconds);
        if (!v2) {
            long now = clock.millis() / 1000;
            n.put("expires_on", Long.toString(now + seconds));
            n.put("not_before", Long.toString(now));
            n.put("resource", resource);
        }
        n.put("access_token", token);
        Http.Resp r = Http.Resp.json(200, n);
        r.contentType = "application/json; charset=utf-8";
        r.header("Cache-Control", "no-store, no-cache");
        return r;
    }

    private Http.Resp error(int status, String error, int code, String description) {
        String trace = UUID.randomUUID().toString();
        String corr = UUID.randomUUID().toString();
        String ts = Values.iso(clock.millis());
        ObjectNode n = Json.obj();
        n.put("error", error);
        n.put(
                "error_description",
                "AADSTS" + code + ": " + description + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr
                        + "\r\nTimestamp: " + ts);
        n.putArray("error_codes").add(code);
        n.put("timestamp", ts);
        n.put("trace_id", trace);
        n.put("correlation_id", corr);
        n.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        Http.Resp r = Http.Resp.json(status, n);
        r.contentType = "application/json; charset=utf-8";
        return r;
    }

    private static String first(Map<String, List<String>> m, String k) {
        List<String> v = m.get(k);
        return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }

    /** The caller of a Web API request, or a 401 (empty body and WWW-Authenticate, as Dataverse answers). */
    Principal authenticate(Http.Req req, Principal anonymous) {
        if (!enabled) {
            return anonymous;
        }
        String h = req.header("authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("invalid_request");
        }
        Issued i = tokens.get(h.substring(7).trim());
        if (i == null) {
            throw unauthorized("invalid_token");
        }
        if (clock.millis() >= i.expiresAt()) {
            throw unauthorized("invalid_token").header("x-ms-diagnostics", "2000001;reason=\"The token is expired.\"");
        }
        return i.principal();
    }

    private DataverseException unauthorized(String error) {
        DataverseException e = new DataverseException(401, "", "");
        e.header(
                "WWW-Authenticate",
                "Bearer error=" + error + ", authorization_uri=" + resource + "/" + tenantId
                        + "/oauth2/authorize, resource_id=" + resource + "/");
        return e;
    }

    void reset() {
        tokens.clear();
    }
}
