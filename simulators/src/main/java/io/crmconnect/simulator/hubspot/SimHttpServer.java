package io.crmconnect.simulator.hubspot;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP plumbing: the JDK's {@code HttpServer} on 127.0.0.1 with a fixed worker pool, each request read into an
 * {@link Http.Req}, each {@link Http.Resp} written back, including the faults that act on the wire (connection
 * reset, truncated, malformed and slow bodies). Knows nothing of HubSpot's API.
 */
final class SimHttpServer implements AutoCloseable {
    static {
        // JDK HttpServer: disable Nagle so small responses on kept-alive connections are not delayed.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private ExecutorService executor;

    /** Binds the port (0 = ephemeral) without serving yet, so the base URL is known before the data is built. */
    SimHttpServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Serves every request with {@code handler} on {@code threads} daemon threads named {@code threadPrefix-n}. */
    void start(int threads, String threadPrefix, Function<Http.Req, Http.Resp> handler) {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", ex -> exchange(ex, handler));
        server.start();
    }

    private static void exchange(HttpExchange ex, Function<Http.Req, Http.Resp> handler) {
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            Http.Req req = new Http.Req(
                    ex.getRequestMethod().toUpperCase(Locale.ROOT),
                    ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(),
                    headers,
                    body);
            write(ex, handler.apply(req));
        } catch (IOException e) {
            // client went away, or an injected connection fault: the connection is closed below
        } finally {
            ex.close();
        }
    }

    private static void write(HttpExchange ex, Http.Resp resp) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (resp.len > 0) {
            h.set("Content-Type", resp.contentType);
        }
        resp.headers.forEach(h::set);
        Fault.Kind fault = resp.fault == null ? null : resp.fault.kind;
        byte[] body = fault == null ? resp.body : resp.bytes();
        int len = fault == null ? resp.len : body.length;
        if (fault == Fault.Kind.MALFORMED_JSON) {
            String s = new String(body, StandardCharsets.UTF_8);
            body = ("{\"results\":[{\"id\":\"1\",\"properties\":{\"email\":\""
                            + s.substring(0, Math.min(20, s.length())).replace("\"", ""))
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return;
        }
        if (fault == Fault.Kind.CONNECTION_RESET) {
            ex.sendResponseHeaders(200, 1_000_000);
            ex.getResponseBody().flush();
            throw new IOException("injected connection reset"); // close without the promised bytes
        }
        if (resp.status == 204 || len == 0) {
            ex.sendResponseHeaders(resp.status, -1);
            return;
        }
        ex.sendResponseHeaders(resp.status, len);
        OutputStream out = ex.getResponseBody();
        if (fault == Fault.Kind.TRUNCATED_BODY) {
            out.write(body, 0, body.length / 2);
            out.flush();
            throw new IOException("injected truncated body");
        }
        if (fault == Fault.Kind.SLOW_BODY) {
            int chunks = 10;
            long total = resp.fault.latencyMaxMillis > 0 ? resp.fault.latencyMaxMillis : 1000;
            long pause = Math.max(10, total / chunks);
            int step = Math.max(1, body.length / chunks);
            for (int i = 0; i < body.length; i += step) {
                out.write(body, i, Math.min(step, body.length - i));
                out.flush();
                Faults.sleep(pause);
            }
            out.close();
            return;
        }
        out.write(body, 0, len);
        out.close();
    }

    @Override
    public void close() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
