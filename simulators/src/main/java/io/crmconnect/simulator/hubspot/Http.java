package io.crmconnect.simulator.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.http.QueryString;
import io.crmconnect.simulator.http.RawRequest;
import io.crmconnect.simulator.http.Response;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request/response values used between the HTTP front and the API handlers. */
final class Http {
    private Http() {}

    /** One parsed request. */
    static final class Req {
        final String method;
        final String rawPath;
        /** Path with date-versioned prefixes rewritten to the numbered form. */
        final String path;

        final String rawQuery;
        final Map<String, List<String>> query;
        final Map<String, String> headers; // lower-case names
        final byte[] body;
        Map<String, String> params = Map.of();
        String route;
        Auth.Principal principal;
        private JsonNode json;

        Req(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.rawPath = rawPath;
            this.path = normalizePath(rawPath);
            this.rawQuery = rawQuery;
            this.query = parseQuery(rawQuery);
            this.headers = headers;
            this.body = body == null ? new byte[0] : body;
        }

        /** A request from the socket; repeated headers keep their first value. */
        Req(RawRequest raw) {
            this(raw.method(), raw.rawPath(), raw.rawQuery(), raw.firstHeaderValues(), raw.body());
        }

        String param(String name) {
            return params.get(name);
        }

        String q(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** Comma-separated values of a repeated or CSV query parameter. */
        List<String> qList(String name) {
            List<String> out = new ArrayList<>();
            List<String> v = query.get(name);
            if (v != null) {
                for (String s : v) {
                    for (String x : s.split(",")) {
                        if (!x.isBlank()) {
                            out.add(x.trim());
                        }
                    }
                }
            }
            return out;
        }

        boolean qBool(String name, boolean dflt) {
            String v = q(name);
            return v == null ? dflt : Boolean.parseBoolean(v);
        }

        int qInt(String name, int dflt) {
            String v = q(name);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw ApiException.validation(
                        "Invalid input for query parameter " + name + ": " + v + " is not an integer");
            }
        }

        JsonNode json() {
            if (json == null) {
                if (body.length == 0) {
                    throw ApiException.validation("Invalid input JSON on line 1, column 1: request body is empty");
                }
                try {
                    json = Json.MAPPER.readTree(body);
                } catch (IOException e) {
                    String m = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
                    throw ApiException.validation("Invalid input JSON: " + m);
                }
                if (json == null || !json.isObject()) {
                    throw ApiException.validation("Invalid input JSON: expected a JSON object");
                }
            }
            return json;
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    /** One response (JSON unless the handler sets another content type). */
    static final class Resp extends Response {
        Resp(int status, byte[] body) {
            this(status, body, body.length);
        }

        Resp(int status, byte[] body, int len) {
            super(status, body, len, "application/json;charset=utf-8");
        }

        static Resp json(int status, Object tree) {
            try {
                return new Resp(status, Json.MAPPER.writeValueAsBytes(tree));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Resp noContent() {
            return new Resp(204, new byte[0]);
        }
    }

    /** A random version-4 UUID, as HubSpot's correlation and request ids (cheaper than UUID.randomUUID). */
    static String correlationId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    static String normalizePath(String p) {
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.startsWith("/crm/objects/2026-03/")) {
            return "/crm/v3/objects/" + p.substring("/crm/objects/2026-03/".length());
        }
        if (p.startsWith("/crm/properties/2026-03/")) {
            return "/crm/v3/properties/" + p.substring("/crm/properties/2026-03/".length());
        }
        if (p.startsWith("/crm/associations/2026-03/")) {
            return "/crm/v4/associations/" + p.substring("/crm/associations/2026-03/".length());
        }
        if (p.startsWith("/crm/v3/schemas")) {
            return "/crm-object-schemas/v3/schemas" + p.substring("/crm/v3/schemas".length());
        }
        if (p.startsWith("/crm/associations/v4/")) {
            return "/crm/v4/associations/" + p.substring("/crm/associations/v4/".length());
        }
        return p;
    }

    static Map<String, List<String>> parseQuery(String raw) {
        return QueryString.parse(raw, s -> URLDecoder.decode(s, StandardCharsets.UTF_8));
    }

    /** What a MALFORMED_JSON fault sends: the start of a list page that breaks off inside a string. */
    static byte[] malformedBody(Response resp) {
        String s = new String(resp.bytes(), StandardCharsets.UTF_8);
        return ("{\"results\":[{\"id\":\"1\",\"properties\":{\"email\":\""
                        + s.substring(0, Math.min(20, s.length())).replace("\"", ""))
                .getBytes(StandardCharsets.UTF_8);
    }
}
