package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.common.ErrorSanitizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes and reads the {@code multipart/mixed} bodies of {@code $batch} (OData 4.0 batch format as Dataverse
 * documents it): every operation in its own change set (Content-ID 1), CRLF line ends; answers come back in order,
 * one top-level part per change set — a nested change-set response when it succeeded, a single HTTP response when it
 * failed.
 */
final class BatchCodec {
    private static final String CRLF = "\r\n";

    private BatchCodec() {}

    /** An encoded request body and the Content-Type carrying its boundary. */
    record Encoded(byte[] body, String contentType) {}

    static Encoded encode(List<BatchOperation> ops, Function<String, String> absoluteUrl, ObjectMapper mapper)
            throws IOException {
        String batch = "batch_" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * ops.size() + 64);
        for (BatchOperation op : ops) {
            String changeset = "changeset_" + UUID.randomUUID();
            write(out, "--" + batch + CRLF);
            write(out, "Content-Type: multipart/mixed; boundary=" + changeset + CRLF + CRLF);
            write(out, "--" + changeset + CRLF);
            write(out, "Content-Type: application/http" + CRLF);
            write(out, "Content-Transfer-Encoding: binary" + CRLF);
            write(out, "Content-ID: 1" + CRLF + CRLF);
            write(out, op.method() + " " + absoluteUrl.apply(op.path()) + " HTTP/1.1" + CRLF);
            for (Map.Entry<String, String> h : op.headers().entrySet()) {
                write(out, h.getKey() + ": " + h.getValue() + CRLF);
            }
            if (op.body() != null) {
                write(out, "Content-Type: application/json" + CRLF + CRLF);
                out.write(mapper.writeValueAsBytes(op.body()));
                write(out, CRLF);
            } else {
                write(out, CRLF);
            }
            write(out, "--" + changeset + "--" + CRLF);
        }
        write(out, "--" + batch + "--" + CRLF);
        return new Encoded(out.toByteArray(), "multipart/mixed; boundary=" + batch);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The answers of a batch in order, one per top-level part. */
    static List<BatchResponse> decode(String contentType, byte[] body, ErrorSanitizer sanitizer) throws IOException {
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw new IOException("$batch answer without a multipart boundary: " + contentType);
        }
        List<BatchResponse> out = new ArrayList<>();
        for (Part part : parts(new String(body, StandardCharsets.UTF_8), boundary)) {
            String type = part.header("content-type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/mixed")) {
                List<Part> inner = parts(part.content, boundary(type));
                BatchResponse worst = null;
                for (Part p : inner) {
                    BatchResponse r = httpResponse(p.content, sanitizer);
                    if (worst == null || (!r.ok() && worst.ok())) {
                        worst = r;
                    }
                }
                out.add(worst == null ? new BatchResponse(204, null, null) : worst);
            } else {
                out.add(httpResponse(part.content, sanitizer));
            }
        }
        return out;
    }

    private record Part(Map<String, String> headers, String content) {
        String header(String name) {
            return headers.get(name);
        }
    }

    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = t.substring("boundary=".length()).trim();
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    private static List<Part> parts(String text, String boundary) throws IOException {
        if (boundary == null) {
            throw new IOException("nested multipart without a boundary");
        }
        String delim = "--" + boundary;
        List<Part> out = new ArrayList<>();
        int pos = text.indexOf(delim);
        if (pos < 0) {
            throw new IOException("$batch answer without its boundary " + boundary);
        }
        while (true) {
            int start = pos + delim.length();
            if (text.startsWith("--", start)) {
                return out; // closing delimiter
            }
            int next = text.indexOf(delim, start);
            if (next < 0) {
                throw new IOException("$batch answer cut before its closing boundary");
            }
            String raw = trimLineEnd(text.substring(skipLineEnd(text, start), next));
            out.add(parsePart(raw));
            pos = next;
        }
    }

    private static int skipLineEnd(String text, int i) {
        if (text.startsWith("\r\n", i)) {
            return i + 2;
        }
        return text.startsWith("\n", i) ? i + 1 : i;
    }

    private static String trimLineEnd(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** Headers up to the first blank line, then the content. */
    private static Part parsePart(String raw) {
        Map<String, String> headers = new LinkedHashMap<>();
        int i = 0;
        while (i < raw.length()) {
            int eol = raw.indexOf('\n', i);
            String line = (eol < 0 ? raw.substring(i) : raw.substring(i, eol)).replace("\r", "");
            i = eol < 0 ? raw.length() : eol + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new Part(headers, raw.substring(Math.min(i, raw.length())));
    }

    /** {@code HTTP/1.1 412 Precondition Failed}, headers, blank line, JSON body. */
    private static BatchResponse httpResponse(String content, ErrorSanitizer sanitizer) throws IOException {
        String c = content.stripLeading();
        if (!c.startsWith("HTTP/")) {
            throw new IOException("$batch part is not an HTTP response");
        }
        int sp = c.indexOf(' ');
        int status;
        try {
            status = Integer.parseInt(c.substring(sp + 1, sp + 4));
        } catch (RuntimeException e) {
            throw new IOException("$batch part with an unreadable status line", e);
        }
        Part rest = parsePart(c.substring(c.indexOf('\n') + 1));
        if (status >= 200 && status < 300) {
            return new BatchResponse(status, null, null);
        }
        DataverseErrors.Error err =
                DataverseErrors.parse(rest.content.strip().getBytes(StandardCharsets.UTF_8), sanitizer);
        return new BatchResponse(status, err.code(), err.message());
    }
}
