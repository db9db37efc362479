package io.crmconnect.simulator.snowflake;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.simulator.warehouse.WarehouseException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A Snowflake endpoint on 127.0.0.1 that the official JDBC driver (net.snowflake:snowflake-jdbc) connects to
 * unchanged ({@code jdbc:snowflake://127.0.0.1:PORT}, {@code ssl=off}): login with a password or a key-pair JWT
 * (RS256, checked against the user's registered public key and its SHA-256 fingerprint), query-request with binds,
 * JSON result format, session close, telemetry. Queries run against a {@link Warehouse} model through the small SQL
 * subset of {@link Sql}. It verifies the protocol and the client's logic, not Snowflake's SQL engine.
 */
public final class SnowflakeFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record User(String password, PublicKey publicKey) {}

    private record Session(String user, Map<String, String> params) {}

    private final Warehouse warehouse;
    private final String account;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final QueryExecutor executor;
    private final HttpServer server;
    private final ExecutorService pool;
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong rowsServed = new AtomicLong();
    private final AtomicLong failedLogins = new AtomicLong();
    private final Map<String, AtomicLong> statements = new ConcurrentHashMap<>();
    private volatile int failNextQueries;

    public SnowflakeFake(Warehouse warehouse, String account) throws IOException {
        this(warehouse, account, 0);
    }

    /** On a fixed loopback port (0: an ephemeral one), e.g. the quickstart's default address. */
    public SnowflakeFake(Warehouse warehouse, String account, int port) throws IOException {
        this.warehouse = warehouse;
        this.account = account.toUpperCase(Locale.ROOT);
        this.executor = new QueryExecutor(warehouse);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "snowflake-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public SnowflakeFake passwordUser(String user, String password) {
        users.put(user.toUpperCase(Locale.ROOT), new User(password, null));
        return this;
    }

    public SnowflakeFake keyPairUser(String user, PublicKey publicKey) {
        users.put(user.toUpperCase(Locale.ROOT), new User(null, publicKey));
        return this;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String account() {
        return account;
    }

    /** The JDBC URL (add {@code ssl=off} and the account to the properties). */
    public String jdbcUrl() {
        return "jdbc:snowflake://127.0.0.1:" + port();
    }

    public long failedLogins() {
        return failedLogins.get();
    }

    public long queries() {
        return queries.get();
    }

    public long rowsServed() {
        return rowsServed.get();
    }

    /** Statements served by kind: CURRENT_TIMESTAMP, SNAPSHOT, CHANGES, SELECT, SHOW, ALTER. */
    public Map<String, Long> statementCounts() {
        Map<String, Long> m = new HashMap<>();
        statements.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The next {@code n} queries fail with HTTP 503 (the driver retries them itself). */
    public void failNextQueries(int n) {
        failNextQueries = n;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body = read(ex);
            if (path.startsWith("/session/v1/login-request")) {
                login(ex, body);
            } else if (path.startsWith("/queries/v1/query-request")) {
                query(ex, body);
            } else if (path.startsWith("/session") || path.startsWith("/telemetry")) {
                if (path.equals("/session") && "true".equals(query(ex, "delete"))) {
                    sessions.remove(token(ex));
                }
                send(ex, 200, "{\"data\":null,\"code\":null,\"message\":null,\"success\":true}");
            } else {
                send(ex, 404, "{\"success\":false,\"message\":\"not found\"}");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"success\":false,\"message\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static byte[] read(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static String token(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null) {
            return "";
        }
        int i = h.indexOf("Token=\"");
        return i < 0 ? "" : h.substring(i + 7, h.indexOf('"', i + 7));
    }

    private void login(HttpExchange ex, byte[] body) throws IOException {
        JsonNode data = JSON.readTree(body).path("data");
        String acct = data.path("ACCOUNT_NAME").asText("").toUpperCase(Locale.ROOT);
        String login = data.path("LOGIN_NAME").asText("").toUpperCase(Locale.ROOT);
        User u = users.get(login);
        boolean ok = u != null && acct.equals(account);
        if (ok && "SNOWFLAKE_JWT".equalsIgnoreCase(data.path("AUTHENTICATOR").asText())) {
            ok = u.publicKey() != null && jwtValid(data.path("TOKEN").asText(""), acct, login, u.publicKey());
        } else if (ok) {
            ok = u.password() != null
                    && u.password().equals(data.path("PASSWORD").asText(null));
        }
        if (!ok) {
            failedLogins.incrementAndGet();
            send(
                    ex,
                    200,
                    "{\"data\":{\"nextAction\":null,\"authnMethod\":\"PASSWORD\"},\"code\":\"390100\","
                            + "\"message\":\"Incorrect username or password was specified.\",\"success\":false}");
            return;
        }
        logins.incrementAndGet();
        Map<String, String> params = new HashMap<>();
        params.put("TIMEZONE", "America/Los_Angeles"); // Snowflake's account default
        params.put("AUTOCOMMIT", "true");
        data.path("SESSION_PARAMETERS")
                .fields()
                .forEachRemaining(e -> params.put(
                        e.getKey().toUpperCase(Locale.ROOT), e.getValue().asText()));
        String token = "tok-" + UUID.randomUUID();
        sessions.put(token, new Session(login, params));
        try (OutputStream os = start(ex);
                JsonGenerator g = JSON.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("data");
            g.writeStringField("masterToken", "master-" + token);
            g.writeStringField("token", token);
            g.writeNumberField("validityInSeconds", 3600);
            g.writeNumberField("masterValidityInSeconds", 14400);
            g.writeStringField("displayUserName", login);
            g.writeStringField("serverVersion", "9.0.0");
            g.writeBooleanField("firstLogin", false);
            g.writeNullField("remMeToken");
            g.writeNumberField("remMeValidityInSeconds", 0);
            g.writeNumberField("healthCheckInterval", 45);
            g.writeNumberField("sessionId", Math.abs(token.hashCode()));
            g.writeArrayFieldStart("parameters");
            for (Map.Entry<String, String> p : params.entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", p.getKey());
                if (p.getValue().equalsIgnoreCase("true") || p.getValue().equalsIgnoreCase("false")) {
                    g.writeBooleanField("value", Boolean.parseBoolean(p.getValue()));
                } else if (p.getValue().matches("-?\\d{1,9}")) {
                    g.writeNumberField("value", Integer.parseInt(p.getValue()));
                } else {
                    g.writeStringField("value", p.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("sessionInfo");
            g.writeStringField("databaseName", query(ex, "databaseName"));
            g.writeStringField("schemaName", query(ex, "schemaName"));
            g.writeStringField("warehouseName", query(ex, "warehouse"));
            g.writeStringField("roleName", query(ex, "roleName") == null ? "PUBLIC" : query(ex, "roleName"));
            g.writeEndObject();
            g.writeEndObject();
            g.writeNullField("code");
            g.writeNullField("message");
            g.writeBooleanField("success", true);
            g.writeEndObject();
        }
    }

    /** RS256 over header.payload with the user's key; iss = ACCOUNT.USER.SHA256:fingerprint; not expired. */
    private static boolean jwtValid(String jwt, String acct, String user, PublicKey key) {
        try {
            String[] parts = jwt.split("\\.");
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initVerify(key);
            sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String fp = "SHA256:"
                    + Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
            return claims.path("iss").asText().equalsIgnoreCase(acct + "." + user + "." + fp)
                    && claims.path("sub").asText().equalsIgnoreCase(acct + "." + user)
                    && claims.path("exp").asLong() * 1000 > System.currentTimeMillis();
        } catch (Exception e) {
            return false;
        }
    }

    private void query(HttpExchange ex, byte[] body) throws IOException {
        Session s = sessions.get(token(ex));
        if (s == null) {
            send(
                    ex,
                    200,
                    "{\"data\":null,\"code\":\"390104\",\"message\":\"User must login again to access the "
                            + "service.\",\"success\":false}");
            return;
        }
        if (failNextQueries > 0) {
            failNextQueries--;
            send(ex, 503, "Service Unavailable");
            return;
        }
        queries.incrementAndGet();
        JsonNode req = JSON.readTree(body);
        String sql = req.path("sqlText").asText();
        Map<Integer, String> binds = new HashMap<>();
        req.path("bindings")
                .fields()
                .forEachRemaining(e -> binds.put(
                        Integer.parseInt(e.getKey()),
                        e.getValue().path("value").isNull()
                                ? null
                                : e.getValue().path("value").asText()));
        String queryId = UUID.randomUUID().toString();
        QueryExecutor.Result r;
        try {
            Sql.Select st = Sql.parse(sql);
            statements.computeIfAbsent(kind(st), k -> new AtomicLong()).incrementAndGet();
            r = executor.run(st, binds);
        } catch (WarehouseException e) {
            String code = switch (e.kind()) {
                case TIME_TRAVEL_UNAVAILABLE -> "000707";
                case CHANGE_TRACKING_OFF -> "091200";
                case NO_SUCH_TABLE -> "002003";
                default -> "001003";
            };
            String state = e.kind() == WarehouseException.Kind.NO_SUCH_TABLE
                    ? "42S02"
                    : e.kind() == WarehouseException.Kind.SYNTAX ? "42000" : "02000";
            Map<String, Object> err = new HashMap<>();
            err.put("success", false);
            err.put("code", code);
            err.put("message", e.getMessage());
            err.put("data", Map.of("sqlState", state, "queryId", queryId, "errorCode", code));
            send(ex, 200, JSON.writeValueAsString(err));
            return;
        }
        rowsServed.addAndGet(r.rows().size());
        try (OutputStream os = start(ex);
                JsonGenerator g = JSON.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("data");
            g.writeArrayFieldStart("parameters");
            g.writeEndArray();
            RowsetWriter.rowtype(g, r.columns());
            RowsetWriter.rowset(g, r.columns(), r.rows());
            g.writeNumberField("total", r.rows().size());
            g.writeNumberField("returned", r.rows().size());
            g.writeStringField("queryId", queryId);
            g.writeNullField("databaseProvider");
            g.writeStringField("finalDatabaseName", "");
            g.writeStringField("finalSchemaName", "");
            g.writeStringField("finalWarehouseName", "");
            g.writeStringField("finalRoleName", "PUBLIC");
            g.writeNumberField("numberOfBinds", binds.size());
            g.writeBooleanField("arrayBindSupported", false);
            g.writeNumberField("statementTypeId", 4096);
            g.writeNumberField("version", 1);
            g.writeNumberField("sendResultTime", System.currentTimeMillis());
            g.writeStringField("queryResultFormat", "json");
            g.writeEndObject();
            g.writeNullField("code");
            g.writeNullField("message");
            g.writeBooleanField("success", true);
            g.writeEndObject();
        }
    }

    private static String kind(Sql.Select s) {
        if (s.alterSession) {
            return "ALTER";
        }
        if (s.showTablesLike != null) {
            return "SHOW";
        }
        if (s.table == null) {
            return "CURRENT_TIMESTAMP";
        }
        return s.changesInfo != null ? "CHANGES" : s.at != null ? "SNAPSHOT" : "SELECT";
    }

    private static OutputStream start(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        return new BufferedOutputStream(ex.getResponseBody(), 1 << 16);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
