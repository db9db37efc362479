package io.crmconnect.simulator.dynamics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code POST $batch}: a multipart/mixed body of requests and change sets. Requests run in order; a change set is
 * atomic (rolled back as a whole, answered with the failing response only) and may refer to earlier Content-IDs as
 * {@code $n}. Without {@code Prefer: odata.continue-on-error} the first failure ends the batch (outer 400); with it
 * every request runs and the outer status is 200. At most 1,000 requests.
 */
final class Batch {
    static final int MAX_REQUESTS = 1000;

    /** One parsed part: a request, or a change set of requests. */
    private record Part(Http.Req req, String contentId, List<Part> changeSet) {}

    private final Store store;
    private final Function<Http.Req, Http.Resp> executor;

    Batch(Store store, Function<Http.Req, Http.Resp> executor) {
        this.store = store;
        this.executor = executor;
    }

    Http.Resp execute(Http.Req outer, String api, String orgUrl) {
        String ct = outer.header("content-type");
        String boundary = boundary(ct);
        if (boundary == null) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "The content type '" + ct + "' of the $batch request is not multipart/mixed with a boundary.");
        }
        List<Part> parts =
                parseParts(outer, new String(outer.body, StandardCharsets.UTF_8), boundary, api, orgUrl, false);
        int n = 0;
        for (Part p : parts) {
            n += p.changeSet == null ? 1 : p.changeSet.size();
        }
        if (n > MAX_REQUESTS) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "The batch contains " + n + " requests; the maximum is " + MAX_REQUESTS + ".");
        }
        boolean continueOnError = outer.prefer.continueOnError;
        String rb = "batchresponse_" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        boolean failed = false;
        for (Part p : parts) {
            if (p.changeSet == null) {
                Http.Resp r = run(outer, p.req, null);
                writePart(out, rb, p.contentId, r);
                if (r.status >= 400) {
                    failed = true;
                    if (!continueOnError) {
                        break;
                    }
                }
                continue;
            }
            String cb = "changesetresponse_" + UUID.randomUUID();
            List<Object[]> results = new ArrayList<>();
            Http.Resp failure = null;
            String failureId = null;
            Map<String, String> ids = new HashMap<>();
            store.lock.writeLock().lock();
            store.begin();
            try {
                for (Part c : p.changeSet) {
                    c.req.contentIds = ids;
                    Http.Resp r = run(outer, resolveContentId(c.req, ids, api), ids);
                    if (r.status >= 400) {
                        failure = r;
                        failureId = c.contentId;
                        break;
                    }
                    if (c.contentId != null && r.headers.containsKey("OData-EntityId")) {
                        String entityId = r.headers.get("OData-EntityId");
                        ids.put(c.contentId, entityId.substring(entityId.indexOf(api) + api.length() + 1));
                    }
                    results.add(new Object[] {c.contentId, r});
                }
                if (failure != null) {
                    store.rollback();
                } else {
                    store.commit();
                }
            } catch (RuntimeException e) {
                store.rollback();
                throw e;
            } finally {
                store.lock.writeLock().unlock();
            }
            if (failure != null) {
                failed = true;
                writePart(out, rb, failureId, failure);
                if (!continueOnError) {
                    break;
                }
                continue;
            }
            ascii(out, "--" + rb + "\r\nContent-Type: multipart/mixed; boundary=" + cb + "\r\n\r\n");
            for (Object[] x : results) {
                writePart(out, cb, (String) x[0], (Http.Resp) x[1]);
            }
            ascii(out, "--" + cb + "--\r\n");
        }
        ascii(out, "--" + rb + "--\r\n");
        Http.Resp r = new Http.Resp(failed && !continueOnError ? 400 : 200, out.toByteArray());
        r.contentType = "multipart/mixed; boundary=" + rb;
        if (continueOnError) {
            r.header("Preference-Applied", "odata.continue-on-error");
        }
        return r;
    }

    private Http.Resp run(Http.Req outer, Http.Req inner, Map<String, String> ids) {
        inner.principal = outer.principal;
        inner.contentIds = ids;
        try {
            return executor.apply(inner);
        } catch (DataverseException e) {
            return DynamicsSimulator.errorResp(e, inner.prefer);
        }
    }

    /** A URL of "$1" or "$1/..." inside a change set addresses the entity created by Content-ID 1. */
    private static Http.Req resolveContentId(Http.Req r, Map<String, String> ids, String api) {
        if (!r.rawPath.startsWith("$")) {
            return r;
        }
        int slash = r.rawPath.indexOf('/');
        String id = slash < 0 ? r.rawPath.substring(1) : r.rawPath.substring(1, slash);
        String target = ids.get(id);
        if (target == null) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "Content-ID Reference: '$" + id + "' does not exist in the batch context.");
        }
        String path = pathOf(api) + "/" + target + (slash < 0 ? "" : r.rawPath.substring(slash));
        Http.Req n = new Http.Req(r.method, path, r.rawQuery, r.headers, r.body);
        n.contentIds = ids;
        return n;
    }

    private static String pathOf(String api) {
        int p = api.indexOf("/api/data/");
        return api.substring(p);
    }

    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
            return null;
        }
        for (String p : contentType.split(";")) {
            String s = p.trim();
            if (s.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = s.substring("boundary=".length()).trim();
                return b.startsWith("\"") && b.endsWith("\"") ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    private List<Part> parseParts(
            Http.Req outer, String body, String boundary, String api, String orgUrl, boolean inChangeSet) {
        List<Part> out = new ArrayList<>();
        String delim = "--" + boundary;
        String[] lines = body.split("\r?\n", -1);
        List<List<String>> chunks = new ArrayList<>();
        List<String> cur = null;
        boolean closed = false;
        for (String line : lines) {
            if (line.equals(delim) || line.equals(delim + "--")) {
                if (cur != null) {
                    chunks.add(cur);
                }
                if (line.equals(delim + "--")) {
                    closed = true;
                    cur = null;
                    break;
                }
                cur = new ArrayList<>();
            } else if (cur != null) {
                cur.add(line);
            }
        }
        if (!closed) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT,
                    "The $batch body does not end " + "with the closing boundary '" + delim + "--'.");
        }
        for (List<String> chunk : chunks) {
            int i = 0;
            Map<String, String> headers = new LinkedHashMap<>();
            while (i < chunk.size() && !chunk.get(i).isEmpty()) {
                String h = chunk.get(i++);
                int c = h.indexOf(':');
                if (c > 0) {
                    headers.put(
                            h.substring(0, c).trim().toLowerCase(Locale.ROOT),
                            h.substring(c + 1).trim());
                }
            }
            i++;
            String partType = headers.getOrDefault("content-type", "");
            String rest = String.join("\r\n", chunk.subList(Math.min(i, chunk.size()), chunk.size()));
            if (partType.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
                if (inChangeSet) {
                    throw DataverseException.badRequest(
                            DataverseException.INVALID_ARGUMENT, "Change sets cannot be " + "nested.");
                }
                List<Part> cs = parseParts(outer, rest, boundary(partType), api, orgUrl, true);
                out.add(new Part(null, null, cs));
                continue;
            }
            if (!partType.toLowerCase(Locale.ROOT).startsWith("application/http")) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT,
                        "A $batch part must have " + "Content-Type application/http, not '" + partType + "'.");
            }
            Http.Req req = parseRequest(outer, chunk.subList(Math.min(i, chunk.size()), chunk.size()), api, orgUrl);
            if (inChangeSet && req.method.equals("GET")) {
                throw DataverseException.badRequest(
                        DataverseException.INVALID_ARGUMENT, "GET requests are not " + "allowed inside a change set.");
            }
            out.add(new Part(req, headers.get("content-id"), null));
        }
        return out;
    }

    private static Http.Req parseRequest(Http.Req outer, List<String> lines, String api, String orgUrl) {
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i >= lines.size()) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "A $batch part has no request " + "line.");
        }
        String line = lines.get(i++).trim();
        int sp = line.indexOf(' ');
        int version = line.lastIndexOf(" HTTP/");
        if (sp < 0) {
            throw DataverseException.badRequest(
                    DataverseException.INVALID_ARGUMENT, "Invalid request line in $batch: " + line);
        }
        String method = line.substring(0, sp).toUpperCase(Locale.ROOT);
        String url = (version > sp ? line.substring(sp + 1, version) : line.substring(sp + 1))
                .trim()
                .replace(" ", "%20");
        Map<String, String> headers = new LinkedHashMap<>();
        while (i < lines.size() && !lines.get(i).isEmpty()) {
            String h = lines.get(i++);
            int c = h.indexOf(':');
            if (c > 0) {
                headers.merge(
                        h.substring(0, c).trim().toLowerCase(Locale.ROOT),
                        h.substring(c + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        i++;
        StringBuilder body = new StringBuilder();
        for (int j = i; j < lines.size(); j++) {
            body.append(lines.get(j)).append(j + 1 < lines.size() ? "\r\n" : "");
        }
        String b = body.toString().strip();
        if (url.startsWith(orgUrl)) {
            url = url.substring(orgUrl.length());
        } else if (url.startsWith("http://") || url.startsWith("https://")) {
            int p = url.indexOf("/api/data/");
            url = p < 0 ? url : url.substring(p);
        }
        if (!url.startsWith("/") && !url.startsWith("$")) {
            url = pathOf(api) + "/" + url;
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? null : url.substring(q + 1);
        if (!headers.containsKey("prefer") && outer.header("prefer") != null) {
            headers.put("prefer", outer.header("prefer"));
        }
        return new Http.Req(method, path, query, headers, b.isEmpty() ? null : b.getBytes(StandardCharsets.UTF_8));
    }

    private static void writePart(ByteArrayOutputStream out, String boundary, String contentId, Http.Resp r) {
        StringBuilder sb = new StringBuilder();
        sb.append("--")
                .append(boundary)
                .append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: " + "binary\r\n");
        if (contentId != null) {
            sb.append("Content-ID: ").append(contentId).append("\r\n");
        }
        sb.append("\r\nHTTP/1.1 ")
                .append(r.status)
                .append(' ')
                .append(reason(r.status))
                .append("\r\n");
        if (r.len > 0) {
            sb.append("Content-Type: ")
                    .append(r.contentType.replace(
                            "; odata.streaming=true; IEEE754Compatible=false;" + " charset=utf-8", ""))
                    .append("\r\n");
        }
        sb.append("OData-Version: 4.0\r\n");
        r.headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Preference-Applied")) {
                sb.append(k).append(": ").append(v).append("\r\n");
            }
        });
        if (r.headers.containsKey("OData-EntityId")) {
            sb.append("Location: ").append(r.headers.get("OData-EntityId")).append("\r\n");
        }
        sb.append("\r\n");
        ascii(out, sb.toString());
        if (r.len > 0) {
            out.write(r.body, 0, r.len);
            ascii(out, "\r\n");
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 412 -> "Precondition Failed";
            case 413 -> "Payload Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
