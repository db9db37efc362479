package io.crmconnect.simulator.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmconnect.simulator.common.FaultRule;
import io.crmconnect.simulator.common.WireFault;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A simulator's HTTP plumbing: the JDK's {@code HttpServer} on 127.0.0.1 with a fixed worker pool, each request read
 * into a {@link RawRequest}, each {@link Response} written back, including the {@link WireFault}s (connection reset,
 * truncated, malformed and slow bodies). Knows nothing of any vendor's API.
 */
public final class SimHttpServer implements AutoCloseable {
    static {
        // JDK HttpServer: disable Nagle so small responses on kept-alive connections are not delayed.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private ExecutorService executor;

    /** Binds the port (0 = ephemeral) without serving yet, so the base URL is known before the data is built. */
    public SimHttpServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Serves every request with {@code handler} on {@code threads} daemon threads named {@code threadPrefix-n}.
     * {@code malformedBody} gives the invalid JSON a MALFORMED_JSON fault answers instead of a response. A
     * RuntimeException out of the handler closes the connection without a response.
     */
    public void start(
            int threads,
            String threadPrefix,
            Function<RawRequest, ? extends Response> handler,
            Function<Response, byte[]> malformedBody) {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", ex -> exchange(ex, handler, malformedBody));
        server.start();
    }

    private static void exchange(
            HttpExchange ex, Function<RawRequest, ? extends Response> handler, Function<Response, byte[]> malformed) {
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders()
                    .forEach((k, v) -> headers.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                            .addAll(v));
            RawRequest req = new RawRequest(
                    ex.getRequestMethod().toUpperCase(Locale.ROOT),
                    ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(),
                    headers,
                    body);
            write(ex, handler.apply(req), malformed);
        } catch (IOException e) {
            // client went away, or an injected connection fault: the connection is closed below
        } finally {
            ex.close();
        }
    }

    private static void write(HttpExchange ex, Response resp, Function<Response, byte[]> malformed) throws IOException {
        Headers h = ex.getResponseHeaders();
        if (resp.len > 0) {
            h.set("Content-Type", resp.contentType);
        }
        resp.headers.forEach(h::set);
        FaultRule<?, ?> fault = resp.fault;
        WireFault wire = fault == null ? null : fault.wire();
        if (wire == WireFault.MALFORMED_JSON) {
            byte[] bad = malformed.apply(resp);
            ex.sendResponseHeaders(200, bad.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bad);
            }
            return;
        }
        if (wire == WireFault.CONNECTION_RESET) {
            ex.sendResponseHeaders(200, 1_000_000);
            ex.getResponseBody().flush();
            throw new IOException("injected connection reset"); // close without the promised bytes
        }
        int len = resp.len;
        if (resp.status == 204 || resp.status == 304 || len == 0) {
            ex.sendResponseHeaders(resp.status, -1);
            return;
        }
        ex.sendResponseHeaders(resp.status, len);
        OutputStream out = ex.getResponseBody();
        if (wire == WireFault.TRUNCATED_BODY) {
            out.write(resp.body, 0, len / 2);
            out.flush();
            throw new IOException("injected truncated body");
        }
        if (wire == WireFault.SLOW_BODY) {
            int chunks = 10;
            long total = fault.latencyMaxMillis > 0 ? fault.latencyMaxMillis : 1000;
            long pause = Math.max(10, total / chunks);
            int step = Math.max(1, len / chunks);
            for (int i = 0; i < len; i += step) {
                out.write(resp.body, i, Math.min(step, len - i));
                out.flush();
                FaultRule.sleep(pause);
            }
            out.close();
            return;
        }
        out.write(resp.body, 0, len);
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
