package io.crmconnect.simulator.hubspot;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Matches "METHOD /path/{param}" templates; literal segments win over parameters. */
final class Router {
    /** A route: method + template + handler + flags used by the rate limiter and scopes. */
    static final class Route {
        final String method;
        final String template;
        final String[] segments;
        final Function<Http.Req, Http.Resp> handler;
        final String name;
        /** Search endpoints: the per-account 5/s limit instead of the ten-second window, no rate headers. */
        boolean search;

        boolean tenSecondlyExempt;
        boolean write;
        /** No bearer token, no limits (the OAuth token endpoint). */
        boolean unauthenticated;
        /** The simulator's own /_sim API: no auth, limits, faults or request log. */
        boolean admin;

        Route(String method, String template, Function<Http.Req, Http.Resp> handler) {
            this.method = method;
            this.template = template;
            this.segments = template.substring(1).split("/");
            this.handler = handler;
            this.name = method + " " + template;
        }

        int literalCount() {
            int n = 0;
            for (String s : segments) {
                if (!s.startsWith("{")) {
                    n++;
                }
            }
            return n;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    Route add(String method, String template, Function<Http.Req, Http.Resp> handler) {
        Route r = new Route(method, template, handler);
        // HubSpot's specs ask only the .read scope of the POST reads (search, batch/read): not writes.
        r.write = !method.equals("GET") && !template.endsWith("/search") && !template.endsWith("/batch/read");
        routes.add(r);
        routes.sort((a, b) -> Integer.compare(b.literalCount(), a.literalCount()));
        return r;
    }

    /** Finds the route, filling req.params; null when no template matches the path. */
    Route match(Http.Req req, boolean[] pathKnown) {
        String[] parts = req.path.substring(1).split("/", -1);
        Route best = null;
        for (Route r : routes) {
            if (r.segments.length != parts.length) {
                continue;
            }
            Map<String, String> params = null;
            boolean ok = true;
            for (int i = 0; i < parts.length; i++) {
                String s = r.segments[i];
                if (s.startsWith("{")) {
                    if (parts[i].isEmpty()) {
                        ok = false;
                        break;
                    }
                    if (params == null) {
                        params = new HashMap<>(4);
                    }
                    params.put(s.substring(1, s.length() - 1), URLDecoder.decode(parts[i], StandardCharsets.UTF_8));
                } else if (!s.equals(parts[i])) {
                    ok = false;
                    break;
                }
            }
            if (!ok) {
                continue;
            }
            pathKnown[0] = true;
            if (r.method.equals(req.method)) {
                req.params = params == null ? Map.of() : params;
                best = r;
                break;
            }
        }
        return best;
    }

    List<Route> routes() {
        return routes;
    }
}
