package io.crmconnect.simulator.bigquery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.crmconnect.simulator.warehouse.ChangeEvent;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.VersionedTable;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.simulator.warehouse.WarehouseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A BigQuery REST endpoint (v2) on 127.0.0.1 that the official client (com.google.cloud:google-cloud-bigquery)
 * talks to unchanged when pointed at {@link #rootUrl()} with {@code NoCredentials} or with a service-account key
 * whose {@code token_uri} is {@link #tokenUri()}: jobs.query, jobs.insert, jobs.get, getQueryResults and
 * tabledata.list with page tokens, tables.get, an OAuth token endpoint for the JWT-bearer grant, and BigQuery's
 * error bodies. Queries run against a {@link Warehouse} model through the small GoogleSQL subset of
 * {@link BigQuerySql}: time-travel reads ({@code FOR SYSTEM_TIME AS OF}), the {@code CHANGES} and {@code APPENDS}
 * table functions (per-change events with {@code _CHANGE_TYPE} and {@code _CHANGE_TIMESTAMP}, end exclusive),
 * predicates on named parameters, ordering and limits, and {@code CURRENT_TIMESTAMP()} from the model's clock.
 * Tables are named {@code dataset.table} in the model. It verifies the protocol and the client's logic, not
 * BigQuery's SQL engine.
 */
public final class BigQueryFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final Pattern PATH = Pattern.compile("/bigquery/v2/projects/([^/]+)(/.*)?");
    private static final String ANON_DATASET = "_anonymous";

    /** A finished query: its columns, rows and what it scanned. */
    private record Result(String jobId, List<Column> columns, List<Object[]> rows, long bytes, String sql) {}

    private final Warehouse warehouse;
    private final String project;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Map<String, Result> results = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Result> eldest) {
            return size() > 256;
        }
    };
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong rowsServed = new AtomicLong();
    private final AtomicLong pages = new AtomicLong();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int defaultPageRows = 10_000;
    private volatile boolean requireToken;

    public BigQueryFake(Warehouse warehouse, String project) throws IOException {
        this(warehouse, project, 0);
    }

    /** On a fixed loopback port (0: an ephemeral one), e.g. the quickstart's default address. */
    public BigQueryFake(Warehouse warehouse, String project, int port) throws IOException {
        this.warehouse = warehouse;
        this.project = project;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "bigquery-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public String project() {
        return project;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The root URL for {@code BigQueryOptions.setHost} (no trailing slash). */
    public String rootUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Where a service-account key's {@code token_uri} points to get access tokens from this fake. */
    public String tokenUri() {
        return rootUrl() + "/token";
    }

    /** Refuse (401) API calls without an access token this fake issued. */
    public BigQueryFake requireToken(boolean on) {
        requireToken = on;
        return this;
    }

    /** Rows per result page when the client does not ask for fewer (real BigQuery pages by ~10 MB). */
    public BigQueryFake pageRows(int rows) {
        defaultPageRows = rows;
        return this;
    }

    /** The next {@code n} API calls fail with 503 backendError. */
    public void failNext(int n) {
        failNext.set(n);
    }

    public long queries() {
        return queries.get();
    }

    public long rowsServed() {
        return rowsServed.get();
    }

    public int tokensIssued() {
        return tokens.size();
    }

    /** API calls by method name (jobs.query, jobs.insert, jobs.get, jobs.getQueryResults, tabledata.list, ...). */
    public Map<String, Long> calls() {
        Map<String, Long> m = new HashMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- routing ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body = read(ex);
            if (path.equals("/token")) {
                token(ex, body);
                return;
            }
            Matcher m = PATH.matcher(path);
            if (!m.matches()) {
                error(ex, 404, "notFound", "Not found: " + path);
                return;
            }
            if (requireToken && !authorized(ex)) {
                error(ex, 401, "unauthorized", "Request is missing required authentication credential.");
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(ex, 503, "backendError", "Backend error. Job aborted.");
                return;
            }
            String rest = m.group(2) == null ? "" : m.group(2);
            String[] parts = rest.split("/");
            try {
                if (method.equals("POST") && rest.equals("/queries")) {
                    count("jobs.query");
                    jobsQuery(ex, JSON.readTree(body));
                } else if (method.equals("POST") && rest.equals("/jobs")) {
                    count("jobs.insert");
                    jobsInsert(ex, JSON.readTree(body));
                } else if (method.equals("GET") && parts.length == 3 && parts[1].equals("jobs")) {
                    count("jobs.get");
                    jobsGet(ex, parts[2]);
                } else if (method.equals("GET") && parts.length == 3 && parts[1].equals("queries")) {
                    count("jobs.getQueryResults");
                    getQueryResults(ex, parts[2]);
                } else if (method.equals("GET")
                        && parts.length == 6
                        && parts[1].equals("datasets")
                        && parts[3].equals("tables")
                        && parts[5].equals("data")) {
                    count("tabledata.list");
                    tableData(ex, parts[2], parts[4]);
                } else if (method.equals("GET")
                        && parts.length == 5
                        && parts[1].equals("datasets")
                        && parts[3].equals("tables")) {
                    count("tables.get");
                    tablesGet(ex, parts[2], parts[4]);
                } else {
                    error(ex, 404, "notFound", "Not found: " + method + " " + path);
                }
            } catch (WarehouseException e) {
                switch (e.kind()) {
                    case NO_SUCH_TABLE -> error(ex, 404, "notFound", "Not found: " + e.getMessage());
                    default -> error(ex, 400, "invalidQuery", e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            error(ex, 500, "internalError", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void count(String call) {
        calls.computeIfAbsent(call, k -> new AtomicLong()).incrementAndGet();
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        return h != null && h.startsWith("Bearer ") && tokens.containsKey(h.substring(7));
    }

    /** OAuth 2.0 JWT-bearer grant (what a service-account key does): any well-formed assertion gets a token. */
    private void token(HttpExchange ex, byte[] body) throws IOException {
        Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
        String assertion = form.get("assertion");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
                || assertion == null
                || assertion.split("\\.").length != 3) {
            send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT grant\"}");
            return;
        }
        String issuer = JSON.readTree(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]))
                .path("iss")
                .asText();
        String token = "ya29.fake-" + UUID.randomUUID();
        tokens.put(token, issuer);
        send(ex, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    // ---- jobs ---------------------------------------------------------------------------------------------------

    private void jobsQuery(HttpExchange ex, JsonNode req) throws IOException {
        Result r = run(req.path("query").asText(), req.path("queryParameters"), newJobId());
        int max = req.has("maxResults") ? req.get("maxResults").asInt() : defaultPageRows;
        boolean int64 = req.path("formatOptions").path("useInt64Timestamp").asBoolean(false);
        writeResultPage(ex, "bigquery#queryResponse", r, 0, max, int64, true);
    }

    private void jobsInsert(HttpExchange ex, JsonNode req) throws IOException {
        JsonNode q = req.path("configuration").path("query");
        String jobId = req.path("jobReference").path("jobId").asText(newJobId());
        Result r = run(q.path("query").asText(), q.path("queryParameters"), jobId);
        send(ex, 200, job(r).toString());
    }

    private void jobsGet(HttpExchange ex, String jobId) throws IOException {
        Result r = result(jobId);
        if (r == null) {
            error(ex, 404, "notFound", "Not found: Job " + project + ":US." + jobId);
            return;
        }
        send(ex, 200, job(r).toString());
    }

    private com.fasterxml.jackson.databind.node.ObjectNode job(Result r) {
        var n = JSON.createObjectNode();
        n.put("kind", "bigquery#job");
        n.put("id", project + ":US." + r.jobId());
        n.put("selfLink", rootUrl() + "/bigquery/v2/projects/" + project + "/jobs/" + r.jobId());
        var ref = n.putObject("jobReference");
        ref.put("projectId", project).put("jobId", r.jobId()).put("location", "US");
        var q = n.putObject("configuration").put("jobType", "QUERY").putObject("query");
        q.put("query", r.sql()).put("useLegacySql", false);
        q.putObject("destinationTable")
                .put("projectId", project)
                .put("datasetId", ANON_DATASET)
                .put("tableId", "anon" + r.jobId());
        n.putObject("status").put("state", "DONE");
        long now = warehouse.clock().now().toEpochMilli();
        var st = n.putObject("statistics");
        st.put("creationTime", Long.toString(now))
                .put("startTime", Long.toString(now))
                .put("endTime", Long.toString(now))
                .put("totalBytesProcessed", Long.toString(r.bytes()));
        st.putObject("query")
                .put("totalBytesProcessed", Long.toString(r.bytes()))
                .put("totalBytesBilled", Long.toString(Math.max(r.bytes(), 10L << 20)))
                .put("cacheHit", false)
                .put("statementType", "SELECT");
        return n;
    }

    private void getQueryResults(HttpExchange ex, String jobId) throws IOException {
        Result r = result(jobId);
        if (r == null) {
            error(ex, 404, "notFound", "Not found: Job " + project + ":US." + jobId);
            return;
        }
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        writeResultPage(ex, "bigquery#getQueryResultsResponse", r, offset(q), maxResults(q), int64(q), true);
    }

    private void tableData(HttpExchange ex, String dataset, String table) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        Result r;
        if (dataset.equals(ANON_DATASET) && table.startsWith("anon")) {
            r = result(table.substring(4));
            if (r == null) {
                error(ex, 404, "notFound", "Not found: Table " + project + ":" + dataset + "." + table);
                return;
            }
        } else {
            VersionedTable t = warehouse.table(dataset + "." + table);
            List<Object[]> rows = t.snapshot(warehouse.clock().now());
            r = new Result("", t.columns(), rows, 0, "");
        }
        writeResultPage(ex, "bigquery#tableDataList", r, offset(q), maxResults(q), int64(q), false);
    }

    private void tablesGet(HttpExchange ex, String dataset, String table) throws IOException {
        VersionedTable t = warehouse.table(dataset + "." + table);
        var n = JSON.createObjectNode();
        n.put("kind", "bigquery#table");
        n.put("id", project + ":" + dataset + "." + table);
        n.putObject("tableReference")
                .put("projectId", project)
                .put("datasetId", dataset)
                .put("tableId", table);
        n.set("schema", JSON.createObjectNode().set("fields", fields(t.columns())));
        n.put("numRows", Integer.toString(t.liveRows()));
        n.put("creationTime", Long.toString(t.created().toEpochMilli()));
        n.put("lastModifiedTime", Long.toString(warehouse.clock().now().toEpochMilli()));
        n.put("type", "TABLE");
        n.put("location", "US");
        send(ex, 200, n.toString());
    }

    private Result result(String jobId) {
        synchronized (results) {
            return results.get(jobId);
        }
    }

    private static String newJobId() {
        return "job_" + UUID.randomUUID().toString().replace("-", "");
    }

    private int maxResults(Map<String, String> q) {
        return q.containsKey("maxResults") ? Integer.parseInt(q.get("maxResults")) : defaultPageRows;
    }

    private static long offset(Map<String, String> q) {
        if (q.containsKey("pageToken")) {
            return Long.parseLong(q.get("pageToken").substring("p".length()));
        }
        return q.containsKey("startIndex") ? Long.parseLong(q.get("startIndex")) : 0;
    }

    private static boolean int64(Map<String, String> q) {
        return Boolean.parseBoolean(q.get("formatOptions.useInt64Timestamp"));
    }

    // ---- query execution ----------------------------------------------------------------------------------------

    private Result run(String sql, JsonNode params, String jobId) {
        queries.incrementAndGet();
        BigQuerySql.Query q = BigQuerySql.parse(sql);
        Map<String, Object> p = parameters(params);
        Instant now = warehouse.clock().now();
        Result r;
        if (q.source() == BigQuerySql.Source.NOW) {
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {now});
            r = new Result(jobId, List.of(Column.of("now", "TIMESTAMP")), rows, 0, sql);
        } else {
            VersionedTable t = warehouse.table(modelName(q.table()));
            List<Column> cols = new ArrayList<>(t.columns());
            List<Object[]> source;
            if (q.source() == BigQuerySql.Source.TABLE) {
                Instant asOf = q.asOf() == null ? now : (Instant) required(p, q.asOf());
                t.checkTimeTravel(asOf, now);
                source = t.snapshot(asOf);
            } else {
                Instant from = q.from() == null ? t.created() : (Instant) required(p, q.from());
                Instant to = q.to() == null ? now : (Instant) required(p, q.to());
                t.checkTimeTravel(from, now);
                t.checkTimeTravel(to, now);
                cols.add(Column.of("_CHANGE_TYPE", "STRING"));
                cols.add(Column.of("_CHANGE_TIMESTAMP", "TIMESTAMP"));
                source = new ArrayList<>();
                for (ChangeEvent e : t.changeEvents(from, to, q.source() == BigQuerySql.Source.APPENDS)) {
                    Object[] row = Arrays.copyOf(e.row(), e.row().length + 2);
                    row[row.length - 2] = e.type();
                    row[row.length - 1] = e.commitTime();
                    source.add(row);
                }
            }
            Map<String, Integer> idx = new HashMap<>();
            for (int i = 0; i < cols.size(); i++) {
                idx.put(cols.get(i).name().toLowerCase(Locale.ROOT), i);
            }
            var filter = q.filter(idx, p);
            List<Object[]> rows = new ArrayList<>();
            boolean keyOrdered = q.source() == BigQuerySql.Source.TABLE && isKeyOrder(q.orderBy(), t);
            for (Object[] row : source) {
                if (filter.test(row)) {
                    rows.add(row);
                    if (keyOrdered && rows.size() >= q.limit()) {
                        break; // a snapshot is already in key order
                    }
                }
            }
            if (!keyOrdered && !q.orderBy().isEmpty()) {
                rows.sort(comparator(q.orderBy(), idx));
            }
            if (rows.size() > q.limit()) {
                rows = new ArrayList<>(rows.subList(0, (int) q.limit()));
            }
            long bytes = (long) source.size() * cols.size() * 8; // every row of the referenced columns is read
            r = new Result(jobId, cols, rows, bytes, sql);
        }
        synchronized (results) {
            results.put(jobId, r);
        }
        return r;
    }

    private static boolean isKeyOrder(List<BigQuerySql.Order> order, VersionedTable t) {
        if (order.size() != t.keyColumns().size()) {
            return false;
        }
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).desc()
                    || !order.get(i).column().equalsIgnoreCase(t.keyColumns().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static Comparator<Object[]> comparator(List<BigQuerySql.Order> order, Map<String, Integer> idx) {
        Comparator<Object[]> c = (a, b) -> 0;
        for (BigQuerySql.Order o : order) {
            Integer i = idx.get(o.column().toLowerCase(Locale.ROOT));
            if (i == null) {
                throw new WarehouseException(WarehouseException.Kind.SYNTAX, "Unrecognized name: " + o.column());
            }
            Comparator<Object[]> one = (a, b) -> {
                Object x = a[i];
                Object y = b[i];
                if (x == null || y == null) {
                    if (x == y) {
                        return 0;
                    }
                    return (x == null) == o.nullsFirst() ? -1 : 1;
                }
                int cmp = io.crmconnect.simulator.warehouse.Key.compareValues(x, y);
                return o.desc() ? -cmp : cmp;
            };
            c = c.thenComparing(one);
        }
        return c;
    }

    private String modelName(String ref) {
        String[] parts = ref.split("\\.");
        if (parts.length == 3) {
            if (!parts[0].equals(project)) {
                throw new WarehouseException(
                        WarehouseException.Kind.NO_SUCH_TABLE, "Table " + ref + " was not found in location US");
            }
            return parts[1] + "." + parts[2];
        }
        if (parts.length != 2) {
            throw new WarehouseException(
                    WarehouseException.Kind.SYNTAX,
                    "Table name \"" + ref + "\" missing dataset while no default dataset is set in the request.");
        }
        return ref;
    }

    private static Object required(Map<String, Object> p, String name) {
        if (!p.containsKey(name)) {
            throw new WarehouseException(WarehouseException.Kind.SYNTAX, "Query parameter '" + name + "' not found");
        }
        return p.get(name);
    }

    private static Map<String, Object> parameters(JsonNode params) {
        Map<String, Object> out = new HashMap<>();
        for (JsonNode p : params) {
            String type = p.path("parameterType").path("type").asText("STRING");
            JsonNode v = p.path("parameterValue").path("value");
            out.put(p.path("name").asText(), v.isMissingNode() || v.isNull() ? null : parse(type, v.asText()));
        }
        return out;
    }

    private static Object parse(String type, String v) {
        return switch (type) {
            case "INT64", "INTEGER" -> Long.parseLong(v);
            case "NUMERIC", "BIGNUMERIC" -> new BigDecimal(v);
            case "FLOAT64", "FLOAT" -> Double.parseDouble(v);
            case "BOOL", "BOOLEAN" -> Boolean.parseBoolean(v);
            case "TIMESTAMP" -> timestamp(v);
            case "DATE" -> LocalDate.parse(v);
            case "DATETIME" -> LocalDateTime.parse(v.replace(' ', 'T'));
            case "TIME" -> LocalTime.parse(v);
            default -> v;
        };
    }

    /** "2026-12-05 10:00:00.123456+00:00", with T or space, offset or Z or none (UTC). */
    static Instant timestamp(String v) {
        String s = v.trim().replace(' ', 'T');
        if (s.endsWith("UTC")) {
            s = s.substring(0, s.length() - 3).trim() + "Z";
        }
        if (!s.endsWith("Z") && !s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
            s = s + "Z";
        }
        return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    // ---- encoding -----------------------------------------------------------------------------------------------

    private com.fasterxml.jackson.databind.node.ArrayNode fields(List<Column> columns) {
        var arr = JSON.createArrayNode();
        for (Column c : columns) {
            var f = arr.addObject();
            f.put("name", c.name());
            f.put("type", restType(c.type()));
            f.put("mode", c.mode() == null ? "NULLABLE" : c.mode());
            if (c.precision() > 0) {
                f.put("precision", Integer.toString(c.precision()));
                f.put("scale", Integer.toString(c.scale()));
            }
            if (!c.fields().isEmpty()) {
                f.set("fields", fields(c.fields()));
            }
        }
        return arr;
    }

    private static String restType(String type) {
        return switch (type.toUpperCase(Locale.ROOT)) {
            case "INT64" -> "INTEGER";
            case "FLOAT64" -> "FLOAT";
            case "BOOL" -> "BOOLEAN";
            case "STRUCT" -> "RECORD";
            default -> type.toUpperCase(Locale.ROOT);
        };
    }

    private void writeResultPage(
            HttpExchange ex, String kind, Result r, long offset, int max, boolean int64, boolean withSchema)
            throws IOException {
        int size = r.rows().size();
        int from = (int) Math.min(offset, size);
        int to = (int) Math.min(size, from + (long) Math.max(1, max));
        if (max == 0) {
            to = from;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(Math.max(1024, (to - from) * 64));
        try (JsonGenerator g = FACTORY.createGenerator(buf, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("kind", kind);
            if (withSchema) {
                g.writeObjectFieldStart("jobReference");
                g.writeStringField("projectId", project);
                g.writeStringField("jobId", r.jobId());
                g.writeStringField("location", "US");
                g.writeEndObject();
                g.writeFieldName("schema");
                g.writeStartObject();
                g.writeFieldName("fields");
                g.writeTree(fields(r.columns()));
                g.writeEndObject();
                g.writeBooleanField("jobComplete", true);
                g.writeBooleanField("cacheHit", false);
                g.writeStringField("totalBytesProcessed", Long.toString(r.bytes()));
            }
            g.writeStringField("totalRows", Integer.toString(size));
            if (to < size) {
                g.writeStringField("pageToken", "p" + to);
            }
            g.writeArrayFieldStart("rows");
            for (int i = from; i < to; i++) {
                writeRow(g, r.columns(), r.rows().get(i), int64);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        rowsServed.addAndGet(to - from);
        pages.incrementAndGet();
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(200, buf.size());
        try (OutputStream out = ex.getResponseBody()) {
            buf.writeTo(out);
        }
    }

    private static void writeRow(JsonGenerator g, List<Column> cols, Object[] row, boolean int64) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("f");
        for (int i = 0; i < cols.size(); i++) {
            writeCell(g, cols.get(i), row[i], int64);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeCell(JsonGenerator g, Column c, Object v, boolean int64) throws IOException {
        g.writeStartObject();
        g.writeFieldName("v");
        if (v == null) {
            g.writeNull();
        } else if ("REPEATED".equals(c.mode())) {
            Column element = new Column(c.name(), c.type(), c.precision(), c.scale(), "NULLABLE", c.fields());
            g.writeStartArray();
            for (Object e : (List<?>) v) {
                writeCell(g, element, e, int64);
            }
            g.writeEndArray();
        } else if (!c.fields().isEmpty()) {
            List<?> values = v instanceof Object[] a ? List.of(a) : (List<?>) v;
            g.writeStartObject();
            g.writeArrayFieldStart("f");
            for (int i = 0; i < c.fields().size(); i++) {
                writeCell(g, c.fields().get(i), values.get(i), int64);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else {
            g.writeString(scalar(c.type().toUpperCase(Locale.ROOT), v, int64));
        }
        g.writeEndObject();
    }

    private static String scalar(String type, Object v, boolean int64) {
        if (v instanceof Instant t) {
            long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
            if (int64) {
                return Long.toString(micros);
            }
            return new BigDecimal(micros).movePointLeft(6).stripTrailingZeros().toPlainString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof LocalDateTime l) {
            return l.toString();
        }
        return v.toString();
    }

    // ---- HTTP helpers -------------------------------------------------------------------------------------------

    private static byte[] read(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void error(HttpExchange ex, int status, String reason, String message) throws IOException {
        var n = JSON.createObjectNode();
        var e = n.putObject("error");
        e.put("code", status);
        e.put("message", message);
        e.putArray("errors")
                .addObject()
                .put("message", message)
                .put("domain", "global")
                .put("reason", reason);
        e.put(
                "status",
                switch (status) {
                    case 400 -> "INVALID_ARGUMENT";
                    case 401 -> "UNAUTHENTICATED";
                    case 404 -> "NOT_FOUND";
                    case 503 -> "UNAVAILABLE";
                    default -> "INTERNAL";
                });
        send(ex, status, n.toString());
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
