package io.crmconnect.simulator.dynamics;

import io.crmconnect.simulator.http.QueryString;
import io.crmconnect.simulator.http.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Request and response values passed between the HTTP front, the batch executor and the handlers. */
final class Http {
    private Http() {}

    /** The Content-Type Dataverse answers JSON with. */
    static final String JSON = "application/json; odata.metadata=minimal; odata.streaming=true; "
            + "IEEE754Compatible=false; charset=utf-8";

    /** One request (from the socket or from inside a $batch). */
    static final class Req {
        final String method;
        final String rawPath;
        final String rawQuery;
        final Map<String, List<String>> query;
        /** Lower-case header names; repeated headers joined with ", ". */
        final Map<String, String> headers;

        final byte[] body;
        Auth.Principal principal;
        String route;
        String entitySet;
        Prefer prefer;
        /** Content-ID references ($1) of the change set this request belongs to. */
        Map<String, String> contentIds;

        Req(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
            this.method = method;
            this.rawPath = rawPath;
            this.rawQuery = rawQuery;
            this.query = parseQuery(rawQuery);
            this.headers = headers;
            this.body = body == null ? new byte[0] : body;
            this.prefer = new Prefer(headers.get("prefer"));
        }

        String header(String lowerName) {
            return headers.get(lowerName);
        }
    }

    /** One response (Dataverse JSON unless the handler sets another content type). */
    static final class Resp extends Response {
        Resp(int status, byte[] body, int len) {
            super(status, body, len, JSON);
        }

        Resp(int status, byte[] body) {
            this(status, body, body.length);
        }

        static Resp json(int status, Object tree) {
            return new Resp(status, Json.bytes(tree));
        }

        static Resp empty(int status) {
            return new Resp(status, new byte[0]);
        }

        Resp header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        String text() {
            return new String(body, 0, len, StandardCharsets.UTF_8);
        }
    }

    static Map<String, List<String>> parseQuery(String raw) {
        return QueryString.parse(raw, Http::decode);
    }

    /** Percent-decoding that keeps '+' (OData URLs use %20 for spaces; '+' is a literal in filters). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DataverseException.query("Bad Request - Error in query syntax.");
        }
    }

    static String encode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~$,".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
