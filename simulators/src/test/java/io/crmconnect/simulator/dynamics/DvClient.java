package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.common.HttpResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test HTTP client (java.net.http) speaking to the simulator as a Web API client does: the documented request
 * headers on every call, a bearer token from the client-credentials flow, JSON bodies.
 */
final class DvClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The error code of a Dataverse error body. */
    static String code(HttpResult r) {
        return r.json().path("error").path("code").asText(null);
    }

    /** The error message of a Dataverse error body. */
    static String message(HttpResult r) {
        return r.json().path("error").path("message").asText(null);
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String api;
    final String base;
    String token;

    DvClient(DynamicsSimulator sim) {
        this.api = sim.apiUrl();
        this.base = sim.baseUrl();
        this.token = tokenFor(sim.tokenUrl(), sim.clientId(), sim.clientSecret(), sim.scope());
    }

    /** The client-credentials flow against the simulator's token endpoint. */
    String tokenFor(String tokenUrl, String clientId, String secret, String scope) {
        HttpResult r = form(
                tokenUrl,
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        clientId,
                        "client_secret",
                        secret,
                        "scope",
                        scope));
        if (r.status() != 200) {
            throw new AssertionError("token: " + r.status() + " " + r.body());
        }
        return r.json().get("access_token").asText();
    }

    HttpResult form(String url, Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(enc(k))
                .append('=')
                .append(enc(v)));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(sb.toString()))
                .build();
        return send(req);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A path relative to the Web API root, with the query already encoded where needed (spaces as %20). */
    HttpResult get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResult post(String path, Object body, String... headers) {
        return send("POST", path, body, headers);
    }

    HttpResult patch(String path, Object body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    HttpResult put(String path, Object body, String... headers) {
        return send("PUT", path, body, headers);
    }

    HttpResult delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    HttpResult send(String method, String path, Object body, String... headers) {
        String url = path.startsWith("http") ? path : api + "/" + path.replace(" ", "%20");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        String payload;
        try {
            payload = body == null ? null : body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        if (payload != null) {
            boolean hasType = false;
            for (int i = 0; i + 1 < headers.length; i += 2) {
                hasType |= headers[i].equalsIgnoreCase("Content-Type");
            }
            if (!hasType) {
                b.header("Content-Type", "application/json");
            }
        }
        b.method(
                method,
                payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        return send(b.build());
    }

    private HttpResult send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
