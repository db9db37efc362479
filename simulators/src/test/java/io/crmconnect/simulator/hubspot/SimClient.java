package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.common.HttpResult;
import io.crmconnect.simulator.hubspot.contract.OpenApiContract;
import io.crmconnect.simulator.hubspot.contract.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test HTTP client (java.net.http) that checks every request and response it sees against HubSpot's OpenAPI
 * specs; tests assert {@link #violations()} is empty.
 */
final class SimClient {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String token;
    private final boolean checkContract;
    private final List<Violation> violations = new ArrayList<>();

    SimClient(HubSpotSimulator sim) {
        this(sim.baseUrl(), sim.token(), true);
    }

    SimClient(String base, String token, boolean checkContract) {
        this.base = base;
        this.token = token;
        this.checkContract = checkContract;
    }

    SimClient withToken(String t) {
        SimClient c = new SimClient(base, t, checkContract);
        return c;
    }

    HttpResult get(String path) {
        return send("GET", path, null);
    }

    HttpResult post(String path, Object body) {
        return send("POST", path, body);
    }

    HttpResult patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    HttpResult put(String path, Object body) {
        return send("PUT", path, body);
    }

    HttpResult delete(String path) {
        return send("DELETE", path, null);
    }

    /** Raw body (may be invalid JSON). */
    HttpResult send(String method, String path, Object body) {
        String text = body == null ? null : body instanceof String s ? s : write(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (text != null) {
            headers.put("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        b.method(
                method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            HttpResult res = new HttpResult(r.statusCode(), r.headers().map(), r.body());
            if (checkContract && !path.startsWith("/_sim") && !path.startsWith("/oauth")) {
                Map<String, String> respHeaders = new LinkedHashMap<>();
                if (!res.body().isEmpty()) {
                    respHeaders.put("Content-Type", "application/json");
                }
                violations.addAll(OpenApiContract.hubspotStrict()
                        .validateResponse(method, path, res.status(), respHeaders, res.body()));
            }
            return res;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Violation> violations() {
        return violations;
    }

    void clearViolations() {
        violations.clear();
    }
}
