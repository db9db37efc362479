package io.crmconnect.bench.jdbc;

import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End to end: N keyed records (20 value fields: 7 strings, 4 bigints, 4 decimals, 4 timestamps, a sequence number)
 * are produced to a Kafka topic; then each sink copies the topic into a fresh database in upsert mode. 80% of the keys
 * are new, 20% update rows written long before (no in-batch duplicates).
 *
 * <p>Each sink runs in its own Connect worker: a separate JVM ({@code ConnectDistributed}, started fresh for every
 * run, so neither sink inherits the other's JIT warm-up) whose plugin.path holds both plugins, pointed at the broker
 * in this JVM. Our worker runs with {@code -Xmx512m} (option {@code ours.xmx}); Debezium's with the JVM's default heap
 * (a quarter of RAM) unless {@code debezium.xmx} is given. The worker's GC log gives the heap figures: the largest
 * heap occupancy after a collection (live data of worker + tasks + consumers) and the largest before one.
 *
 * <p>Both sinks read the same topic with the same converter. {@code format=payload} (default): the topic holds plain
 * JSON objects and the JsonConverter applies the Connect schema given once in {@code schema.content} (Kafka 3.9+),
 * what a user without a schema registry runs for throughput; {@code format=envelope}: every record carries its schema
 * ({@code {"schema":..,"payload":..}}, ~1.6 KB per record).
 *
 * <p>The clock runs from connector creation until the table holds the final state of every key (the last record of
 * each partition is checked by primary key every 200 ms; then a full count confirms).
 *
 * <p>Usage: benchmarks/run.sh jdbc-sink [records=1000000] [dbs=postgres,mariadb] [debezium=true] [format=payload]
 * [ours.xmx=512m] [debezium.xmx=] [tasks=2] [partitions=2] [batch=10000] [jfr=false]
 */
public final class JdbcSinkBenchmark {
    private static final String TOPIC = "bench";
    private static int PARTITIONS = 2;
    private static int BATCH = 10_000;
    private static final long T0 = 1_700_000_000_000L;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private JdbcSinkBenchmark() {}

    record RunResult(
            String sink,
            String db,
            long records,
            double seconds,
            double rowsPerSecond,
            String xmx,
            long heapAfterGcMb,
            long heapBeforeGcMb,
            long gcCount) {}

    record Options(
            int records,
            List<String> dbs,
            boolean debezium,
            boolean envelope,
            String oursXmx,
            String debeziumXmx,
            int tasks,
            boolean jfr,
            Path root,
            Path pluginPath,
            Path logs) {}

    public static void main(String[] args) throws Exception {
        int status = 1;
        try {
            status = runAll(args);
        } finally {
            // the embedded broker, worker and database shutdown hooks leave non-daemon threads behind
            System.exit(status);
        }
    }

    private static int runAll(String[] args) throws Exception {
        // dependencies ship their own log4j2.yaml, which log4j would prefer to a log4j2.xml
        System.setProperty("log4j2.configurationFile", "jdbc-bench-log4j2.xml");
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                opts.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        Path root = Path.of(System.getProperty("crmconnect.repo.root", ".")).toAbsolutePath();
        Path pluginPath = root.resolve("benchmarks/jdbc-sink/target/plugin-path");
        if (!Files.isDirectory(pluginPath)) {
            throw new IllegalStateException("no plugin.path at " + pluginPath + ": run through benchmarks/run.sh");
        }
        Path logs = root.resolve("benchmarks/jdbc-sink/target/bench-logs");
        Files.createDirectories(logs);
        Options o = new Options(
                Integer.parseInt(opts.getOrDefault("records", "1000000")),
                List.of(opts.getOrDefault("dbs", "postgres,mariadb").split(",")),
                Boolean.parseBoolean(opts.getOrDefault("debezium", "true")),
                opts.getOrDefault("format", "payload").equals("envelope"),
                opts.getOrDefault("ours.xmx", "512m"),
                opts.getOrDefault("debezium.xmx", ""),
                Integer.parseInt(opts.getOrDefault("tasks", "2")),
                Boolean.parseBoolean(opts.getOrDefault("jfr", "false")),
                root,
                pluginPath,
                logs);
        System.setProperty(ConnectCluster.PLUGIN_PATH_PROPERTY, pluginPath.toString());
        PARTITIONS = Integer.parseInt(opts.getOrDefault("partitions", "2"));
        BATCH = Integer.parseInt(opts.getOrDefault("batch", "10000"));

        Map<String, SqlServer> servers = new LinkedHashMap<>();
        for (String db : o.dbs()) {
            servers.put(db, db.equals("postgres") ? PostgresServer.shared() : MariaDbServer.shared());
        }
        List<RunResult> results = new ArrayList<>();
        // The embedded cluster provides the broker; its own in-process worker stays idle (no connector runs on it).
        try (ConnectCluster cluster = ConnectCluster.start("jdbc-bench", Map.of())) {
            cluster.createTopic(TOPIC, PARTITIONS);
            produce(cluster.bootstrapServers(), o.records(), o.envelope());
            // ours first on every database, then Debezium, so a cut-short run still has our figures
            for (Map.Entry<String, SqlServer> e : servers.entrySet()) {
                results.add(run(cluster, o, "crmconnect", e.getKey(), e.getValue()));
            }
            if (o.debezium()) {
                for (Map.Entry<String, SqlServer> e : servers.entrySet()) {
                    try {
                        results.add(run(cluster, o, "debezium", e.getKey(), e.getValue()));
                    } catch (IllegalStateException failed) {
                        System.err.println("debezium-" + e.getKey() + " did not finish: " + failed.getMessage());
                    }
                }
            }
        }

        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + ManagementFactory.getOperatingSystemMXBean().getName() + ", Java " + Runtime.version();
        System.out.println();
        System.out.println("format=" + (o.envelope() ? "envelope (schema in every record)" : "payload + schema.content")
                + ", tasks.max=" + o.tasks() + ", partitions=" + PARTITIONS + ", batch=" + BATCH);
        System.out.println("| database | sink | records | seconds | rows/s | worker -Xmx | max heap after GC (MB) "
                + "| max heap before GC (MB) | GCs |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (RunResult r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %d | %.1f | %.0f | %s | %d | %d | %d |%n",
                    r.db(),
                    r.sink(),
                    r.records(),
                    r.seconds(),
                    r.rowsPerSecond(),
                    r.xmx(),
                    r.heapAfterGcMb(),
                    r.heapBeforeGcMb(),
                    r.gcCount());
        }
        System.out.println("machine: " + machine);
        for (String db : servers.keySet()) {
            RunResult ours = results.stream()
                    .filter(r -> r.db().equals(db) && r.sink().equals("crmconnect"))
                    .findFirst()
                    .orElseThrow();
            RunResult theirs = results.stream()
                    .filter(r -> r.db().equals(db) && r.sink().equals("debezium"))
                    .findFirst()
                    .orElse(null);
            double ceiling = db.equals("postgres") ? 60_700 : 38_200; // build-notes.md, bare COPY/LOAD DATA path
            String ratio = theirs == null
                    ? "n/a"
                    : String.format(Locale.ROOT, "%.2f", ours.rowsPerSecond() / theirs.rowsPerSecond());
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=jdbc-sink-%s value=%.0f unit=rows/s ceiling=%.0f ratio=%s%n",
                    db,
                    ours.rowsPerSecond(),
                    ceiling,
                    ratio);
        }
        System.out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ data

    /** A Struct key {id}: Debezium's record_key mode needs a Struct key; ours takes either. */
    static final String KEY_SCHEMA = "{\"type\":\"struct\",\"name\":\"bench.Key\",\"optional\":false,"
            + "\"fields\":[{\"field\":\"id\",\"type\":\"int64\",\"optional\":false}]}";

    static final String VALUE_SCHEMA;

    static {
        StringBuilder s =
                new StringBuilder("{\"type\":\"struct\",\"name\":\"bench.Contact\",\"optional\":false,\"fields\":[");
        List<String> fields = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            fields.add("{\"field\":\"s" + i + "\",\"type\":\"string\",\"optional\":true}");
        }
        for (int i = 1; i <= 4; i++) {
            fields.add("{\"field\":\"n" + i + "\",\"type\":\"int64\",\"optional\":true}");
        }
        for (int i = 1; i <= 4; i++) {
            fields.add("{\"field\":\"d" + i + "\",\"type\":\"bytes\",\"optional\":true,\"name\":"
                    + "\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"4\","
                    + "\"connect.decimal.precision\":\"18\"}}");
        }
        for (int i = 1; i <= 4; i++) {
            fields.add("{\"field\":\"t" + i + "\",\"type\":\"int64\",\"optional\":true,\"name\":"
                    + "\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}");
        }
        fields.add("{\"field\":\"seq\",\"type\":\"int64\",\"optional\":false}");
        VALUE_SCHEMA = s.append(String.join(",", fields)).append("]}").toString();
    }

    static long keyOf(long i, long records) {
        long distinct = records * 8 / 10;
        return i < distinct ? i : (i - distinct) * 3 % distinct;
    }

    static String payload(long i) {
        StringBuilder p = new StringBuilder(480);
        p.append('{');
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
        for (int f = 1; f <= 7; f++) {
            p.append("\"s")
                    .append(f)
                    .append("\":\"")
                    .append(words[(int) ((i + f) % 7)])
                    .append('-')
                    .append(i * 31 + f)
                    .append("@example.com\",");
        }
        for (int f = 1; f <= 4; f++) {
            p.append("\"n").append(f).append("\":").append(i * f + 17).append(',');
        }
        for (int f = 1; f <= 4; f++) {
            BigDecimal d = BigDecimal.valueOf(i * 1000L + f * 7L, 4);
            p.append("\"d")
                    .append(f)
                    .append("\":\"")
                    .append(Base64.getEncoder().encodeToString(d.unscaledValue().toByteArray()))
                    .append("\",");
        }
        for (int f = 1; f <= 4; f++) {
            p.append("\"t").append(f).append("\":").append(T0 + i * 1000 + f).append(',');
        }
        p.append("\"seq\":").append(i).append('}');
        return p.toString();
    }

    private static void produce(String bootstrap, int records, boolean envelope) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long started = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                long key = keyOf(i, records);
                String k = "{\"id\":" + key + "}";
                String v = payload(i);
                if (envelope) {
                    k = "{\"schema\":" + KEY_SCHEMA + ",\"payload\":" + k + "}";
                    v = "{\"schema\":" + VALUE_SCHEMA + ",\"payload\":" + v + "}";
                }
                byte[] vb = v.getBytes(StandardCharsets.UTF_8);
                bytes += vb.length;
                producer.send(
                        new ProducerRecord<>(TOPIC, (int) (key % PARTITIONS), k.getBytes(StandardCharsets.UTF_8), vb));
            }
            producer.flush();
        }
        System.err.printf(
                Locale.ROOT,
                "produced %d records (%s, %d value bytes on average) in %.1f s%n",
                records,
                envelope ? "envelope" : "payload",
                bytes / Math.max(1, records),
                (System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------ runs

    private static Map<String, String> config(Options o, String sink, String db, SqlServer server, String database) {
        Map<String, String> c = new HashMap<>();
        c.put("topics", TOPIC);
        c.put("tasks.max", String.valueOf(o.tasks()));
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        if (!o.envelope()) {
            c.put("key.converter.schema.content", KEY_SCHEMA);
            c.put("value.converter.schema.content", VALUE_SCHEMA);
        }
        // Same consumer settings for both sinks: one poll can fill a whole 10,000-record batch.
        c.put("consumer.override.max.poll.records", String.valueOf(BATCH));
        c.put("consumer.override.max.partition.fetch.bytes", String.valueOf(8 * 1024 * 1024));
        c.put("consumer.override.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
        c.put("consumer.override.auto.offset.reset", "earliest");
        if (sink.equals("crmconnect")) {
            c.put("connector.class", "io.crmconnect.jdbc.JdbcSinkConnector");
            c.put("connection.url", server.jdbcUrl(database));
            c.put("connection.user", server.user());
            c.put("connection.password", server.password());
            c.put("insert.mode", "upsert");
            c.put("pk.mode", "record_key");
            c.put("pk.fields", "id");
            c.put("batch.size", String.valueOf(BATCH));
        } else {
            // Debezium's documented throughput settings: batch.size matched by max.poll.records, the reduction buffer
            // (de-duplication per key), and on PostgreSQL the UNNEST insert path.
            c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
            String url = server.jdbcUrl(database);
            c.put("connection.url", db.equals("postgres") ? url + "?reWriteBatchedInserts=true" : url);
            c.put("connection.username", server.user());
            c.put("connection.password", server.password());
            c.put("insert.mode", "upsert");
            c.put("primary.key.mode", "record_key");
            c.put("primary.key.fields", "id");
            c.put("schema.evolution", "basic");
            c.put("batch.size", String.valueOf(BATCH));
            c.put("use.reduction.buffer", "true");
            if (db.equals("postgres")) {
                c.put("dialect.postgres.unnest.insert.enabled", "true");
            }
        }
        return c;
    }

    /**
     * The table as our sink creates it. Debezium's tasks race each other creating it (tasks.max=2: "duplicate key ..
     * pg_type_typname_nsp_index" on PostgreSQL, a failed task on MariaDB), so its runs get it pre-created.
     */
    static String benchTable(String db) {
        boolean pg = db.equals("postgres");
        List<String> cols = new ArrayList<>();
        cols.add("id BIGINT NOT NULL");
        for (int i = 1; i <= 7; i++) {
            cols.add("s" + i + (pg ? " TEXT" : " LONGTEXT NULL"));
        }
        for (int i = 1; i <= 4; i++) {
            cols.add("n" + i + " BIGINT");
        }
        for (int i = 1; i <= 4; i++) {
            cols.add("d" + i + " DECIMAL(18,4)");
        }
        for (int i = 1; i <= 4; i++) {
            cols.add("t" + i + (pg ? " TIMESTAMPTZ" : " DATETIME(3)"));
        }
        cols.add("seq BIGINT NOT NULL");
        cols.add("PRIMARY KEY (id)");
        return "CREATE TABLE bench (" + String.join(", ", cols) + ")"
                + (pg ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    }

    private static RunResult run(ConnectCluster cluster, Options o, String sink, String db, SqlServer server)
            throws Exception {
        String database = server.createDatabase("bench_" + sink);
        if (sink.equals("debezium")) {
            server.update(database, benchTable(db));
        }
        String name = sink + "-" + db;
        String xmx = sink.equals("crmconnect") ? o.oursXmx() : o.debeziumXmx();
        Map<String, String> config = config(o, sink, db, server, database);
        long records = o.records();
        long distinct = records * 8L / 10;
        long updates = records - distinct;
        // the last record of each partition: when both are in the table, everything before them is
        long[] lastSeq = new long[PARTITIONS];
        long[] lastKey = new long[PARTITIONS];
        Arrays.fill(lastSeq, -1);
        for (long i = records - 1; i >= 0; i--) {
            int p = (int) (keyOf(i, records) % PARTITIONS);
            if (lastSeq[p] < 0) {
                lastSeq[p] = i;
                lastKey[p] = keyOf(i, records);
            }
            if (Arrays.stream(lastSeq).allMatch(s -> s >= 0)) {
                break;
            }
        }

        try (Worker worker = Worker.start(o, cluster.bootstrapServers(), name, xmx)) {
            long started = System.nanoTime();
            worker.put("/connectors/" + name + "/config", config);
            long lastReport = System.nanoTime();
            double seconds;
            while (true) {
                Thread.sleep(200);
                if (lastRecordsApplied(server, database, lastKey, lastSeq)) {
                    seconds = (System.nanoTime() - started) / 1e9;
                    long[] state = counts(server, database, records - updates);
                    if (state[0] == distinct && state[1] == updates) {
                        break;
                    }
                    throw new IllegalStateException(name + ": last records applied but the table holds " + state[0]
                            + " rows, " + state[1] + " updated (expected " + distinct + ", " + updates + ")");
                }
                if (System.nanoTime() - lastReport > 15_000_000_000L) {
                    lastReport = System.nanoTime();
                    String status = worker.get("/connectors/" + name + "/status");
                    long[] state = counts(server, database, records - updates);
                    System.err.printf(
                            Locale.ROOT,
                            "%s: %d rows, %d updated after %.0f s%n",
                            name,
                            state[0],
                            state[1],
                            (System.nanoTime() - started) / 1e9);
                    if (status.contains("\"FAILED\"")) {
                        throw new IllegalStateException(
                                name + " task failed: " + status.substring(0, Math.min(status.length(), 2000)));
                    }
                }
                if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException(name + " did not finish in 30 minutes");
                }
            }
            worker.delete("/connectors/" + name);
            Thread.sleep(1000);
            worker.stop();
            long[] heap = worker.gcFigures();
            RunResult r = new RunResult(
                    sink,
                    db,
                    records,
                    seconds,
                    records / seconds,
                    xmx.isEmpty() ? "default" : xmx,
                    heap[0],
                    heap[1],
                    heap[2]);
            System.err.printf(
                    Locale.ROOT,
                    "%s: %d records in %.1f s = %.0f rows/s; worker heap (-Xmx %s): max %d MB "
                            + "after GC, max %d MB before GC, %d GCs%n",
                    name,
                    records,
                    seconds,
                    r.rowsPerSecond(),
                    r.xmx(),
                    heap[0],
                    heap[1],
                    heap[2]);
            return r;
        }
    }

    private static boolean lastRecordsApplied(SqlServer server, String database, long[] keys, long[] seqs) {
        try {
            for (int p = 0; p < keys.length; p++) {
                var rows = server.query(database, "SELECT seq FROM bench WHERE id = " + keys[p]);
                if (rows.isEmpty() || ((Number) rows.get(0).get("seq")).longValue() != seqs[p]) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false; // no table yet
        }
    }

    /** {rows in the table, rows carrying an update (seq >= first update)}; zeros while the table does not exist. */
    private static long[] counts(SqlServer server, String database, long firstUpdateSeq) {
        try {
            Map<String, Object> row = server.query(
                            database,
                            "SELECT COUNT(*) AS n, SUM(CASE WHEN seq >= " + firstUpdateSeq
                                    + " THEN 1 ELSE 0 END) AS u FROM bench")
                    .get(0);
            return new long[] {
                ((Number) row.get("n")).longValue(), row.get("u") == null ? 0 : ((Number) row.get("u")).longValue()
            };
        } catch (RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    // ------------------------------------------------------------------ worker process

    /** A distributed Connect worker in its own JVM (this shaded jar holds connect-runtime), fresh for each run. */
    static final class Worker implements AutoCloseable {
        private static final Pattern GC_LINE = Pattern.compile("GC\\(\\d+\\) Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");
        private final Process process;
        private final String rest;
        private final Path gcLog;

        private Worker(Process process, String rest, Path gcLog) {
            this.process = process;
            this.rest = rest;
            this.gcLog = gcLog;
        }

        static Worker start(Options o, String bootstrap, String name, String xmx) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("group.id", "bench-worker-" + name);
            p.put("config.storage.topic", "bench-" + name + "-configs");
            p.put("offset.storage.topic", "bench-" + name + "-offsets");
            p.put("status.storage.topic", "bench-" + name + "-status");
            p.put("config.storage.replication.factor", "1");
            p.put("offset.storage.replication.factor", "1");
            p.put("status.storage.replication.factor", "1");
            p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
            p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
            p.put("plugin.path", o.pluginPath().toString());
            p.put("plugin.discovery", "service_load");
            p.put("listeners", "http://127.0.0.1:" + port);
            p.put("rest.advertised.host.name", "127.0.0.1");
            p.put("offset.flush.interval.ms", "10000");
            p.put("connector.client.config.override.policy", "All");
            Path props = o.logs().resolve(name + "-worker.properties");
            try (var out = Files.newBufferedWriter(props)) {
                p.store(out, "benchmark worker " + name);
            }
            Path gcLog = o.logs().resolve(name + "-gc.log");
            Files.deleteIfExists(gcLog);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (!xmx.isEmpty()) {
                cmd.add("-Xmx" + xmx);
            }
            cmd.add("-XX:+UseG1GC");
            cmd.add("-Xlog:gc:file=" + gcLog);
            cmd.add("-Dlog4j2.configurationFile=jdbc-bench-log4j2.xml");
            cmd.add("-Dbench.log.level=" + System.getProperty("bench.log.level", "INFO"));
            if (o.jfr()) {
                cmd.add("-XX:StartFlightRecording=filename=" + o.logs().resolve(name + ".jfr") + ",settings=profile");
            }
            cmd.add("-cp");
            cmd.add(new File(JdbcSinkBenchmark.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .getPath());
            cmd.add("org.apache.kafka.connect.cli.ConnectDistributed");
            cmd.add(props.toString());
            Process process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(o.logs().resolve(name + "-worker.log").toFile())
                    .start();
            Worker w = new Worker(process, "http://127.0.0.1:" + port, gcLog);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("worker " + name + " exited; see " + o.logs());
                }
                try {
                    // the REST API answers before the worker joined its group; a herder answer means it has
                    if (w.request("GET", "/connectors", null).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("worker " + name + " not ready in 90 s");
                }
                Thread.sleep(250);
            }
            return w;
        }

        HttpResponse<String> request(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(rest + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json");
            b.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        void put(String path, Map<String, String> config) throws IOException, InterruptedException {
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, String> e : config.entrySet()) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
            }
            HttpResponse<String> r = request("PUT", path, json.append('}').toString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("PUT " + path + ": " + r.statusCode() + " " + r.body());
            }
        }

        String get(String path) throws IOException, InterruptedException {
            return request("GET", path, null).body();
        }

        void delete(String path) throws IOException, InterruptedException {
            request("DELETE", path, null);
        }

        private static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.append('"').toString();
        }

        void stop() throws InterruptedException {
            process.destroy(); // SIGTERM: the worker shuts down cleanly and JFR dumps its recording
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        /** {max MB after a GC, max MB before a GC, number of GC pauses} from the worker's GC log. */
        long[] gcFigures() throws IOException {
            long after = 0;
            long before = 0;
            long count = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    before = Math.max(before, Long.parseLong(m.group(1)));
                    after = Math.max(after, Long.parseLong(m.group(2)));
                    count++;
                }
            }
            return new long[] {after, before, count};
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                stop();
            }
        }
    }
}
