package io.crmconnect.bench.jdbc;

import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End to end: N keyed records (20 value fields: 7 strings, 4 bigints, 4 decimals, 4 timestamps, a sequence number)
 * are produced to a Kafka topic; then each sink, loaded by a real Connect worker from its own plugin.path
 * directory, copies the topic into a fresh database in upsert mode. 80% of the keys are new, 20% update rows
 * written long before (no in-batch duplicates). The clock runs from connector creation to the moment the table
 * holds the final state of every key. Heap: JVM-wide peak heap after GC during the run (broker, worker and task
 * share this JVM), minus the baseline before the connector started.
 *
 * <p>Usage: benchmarks/run.sh jdbc-sink [records=1000000] [dbs=postgres,mariadb] [debezium=true]
 */
public final class JdbcSinkBenchmark {
    private static final String TOPIC = "bench";
    private static final int PARTITIONS = 2;
    private static final int TASKS = 2;
    private static final int BATCH = 10_000;
    private static final long T0 = 1_700_000_000_000L;

    private JdbcSinkBenchmark() {
    }

    record RunResult(String sink, String db, long records, double seconds, double rowsPerSecond, long heapDeltaMb,
            long heapPeakMb) {
    }

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
        int records = Integer.parseInt(opts.getOrDefault("records", "1000000"));
        List<String> dbs = List.of(opts.getOrDefault("dbs", "postgres,mariadb").split(","));
        boolean debezium = Boolean.parseBoolean(opts.getOrDefault("debezium", "true"));
        Path root = Path.of(System.getProperty("crmconnect.repo.root", "."));
        Path pluginPath = root.resolve("benchmarks/jdbc-sink/target/plugin-path").toAbsolutePath();
        if (!Files.isDirectory(pluginPath)) {
            throw new IllegalStateException("no plugin.path at " + pluginPath + ": run through benchmarks/run.sh");
        }
        System.setProperty(ConnectCluster.PLUGIN_PATH_PROPERTY, pluginPath.toString());

        Map<String, SqlServer> servers = new LinkedHashMap<>();
        for (String db : dbs) {
            servers.put(db, db.equals("postgres") ? PostgresServer.shared() : MariaDbServer.shared());
        }
        List<RunResult> results = new ArrayList<>();
        try (ConnectCluster cluster = ConnectCluster.start("jdbc-bench", Map.of(
                "offset.flush.interval.ms", "10000",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "key.converter.schemas.enable", "true"))) {
            System.err.println("plugins: " + cluster.pluginDirectories());
            cluster.createTopic(TOPIC, PARTITIONS);
            produce(cluster.bootstrapServers(), records);
            // ours first on every database, then Debezium (slower), so a cut-short run still has our figures
            for (Map.Entry<String, SqlServer> e : servers.entrySet()) {
                results.add(run(cluster, "crmconnect", e.getKey(), e.getValue(), records));
            }
            if (debezium) {
                for (Map.Entry<String, SqlServer> e : servers.entrySet()) {
                    try {
                        results.add(run(cluster, "debezium", e.getKey(), e.getValue(), records));
                    } catch (IllegalStateException failed) {
                        System.err.println("debezium-" + e.getKey() + " did not finish: " + failed.getMessage());
                    }
                }
            }
        }

        String machine = Runtime.getRuntime().availableProcessors() + " cores, "
                + ManagementFactory.getOperatingSystemMXBean().getName() + ", Java " + Runtime.version();
        System.out.println();
        System.out.println("| database | sink | records | seconds | rows/s | heap delta after GC (MB) | peak heap used (MB) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (RunResult r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.0f | %d | %d |%n", r.db(), r.sink(), r.records(),
                    r.seconds(), r.rowsPerSecond(), r.heapDeltaMb(), r.heapPeakMb());
        }
        System.out.println("machine: " + machine);
        for (String db : servers.keySet()) {
            RunResult ours = results.stream().filter(r -> r.db().equals(db) && r.sink().equals("crmconnect"))
                    .findFirst().orElseThrow();
            RunResult theirs = results.stream().filter(r -> r.db().equals(db) && r.sink().equals("debezium"))
                    .findFirst().orElse(null);
            double ceiling = db.equals("postgres") ? 60_700 : 38_200; // build-notes.md, bare COPY/LOAD DATA path
            String ratio = theirs == null ? "n/a" : String.format(Locale.ROOT, "%.2f",
                    ours.rowsPerSecond() / theirs.rowsPerSecond());
            System.out.printf(Locale.ROOT, "RESULT name=jdbc-sink-%s value=%.0f unit=rows/s ceiling=%.0f ratio=%s%n",
                    db, ours.rowsPerSecond(), ceiling, ratio);
        }
        System.out.flush();
        return 0;
    }

    // ------------------------------------------------------------------ data

    /** A Struct key {id}: Debezium's record_key mode needs a Struct key; ours takes either. */
    private static final String KEY_SCHEMA = "{\"type\":\"struct\",\"name\":\"bench.Key\",\"optional\":false,"
            + "\"fields\":[{\"field\":\"id\",\"type\":\"int64\",\"optional\":false}]}";
    private static final String VALUE_SCHEMA;

    static {
        StringBuilder s = new StringBuilder("{\"type\":\"struct\",\"name\":\"bench.Contact\",\"optional\":false,\"fields\":[");
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

    static String value(long i) {
        StringBuilder p = new StringBuilder(900);
        p.append("{\"schema\":").append(VALUE_SCHEMA).append(",\"payload\":{");
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};
        for (int f = 1; f <= 7; f++) {
            p.append("\"s").append(f).append("\":\"").append(words[(int) ((i + f) % 7)]).append('-').append(i * 31 + f)
                    .append("@example.com\",");
        }
        for (int f = 1; f <= 4; f++) {
            p.append("\"n").append(f).append("\":").append(i * f + 17).append(',');
        }
        for (int f = 1; f <= 4; f++) {
            BigDecimal d = BigDecimal.valueOf(i * 1000L + f * 7L, 4);
            p.append("\"d").append(f).append("\":\"").append(java.util.Base64.getEncoder().encodeToString(
                    d.unscaledValue().toByteArray())).append("\",");
        }
        for (int f = 1; f <= 4; f++) {
            p.append("\"t").append(f).append("\":").append(T0 + i * 1000 + f).append(',');
        }
        p.append("\"seq\":").append(i).append("}}");
        return p.toString();
    }

    private static void produce(String bootstrap, int records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records; i++) {
                long key = keyOf(i, records);
                byte[] k = ("{\"schema\":" + KEY_SCHEMA + ",\"payload\":{\"id\":" + key + "}}")
                        .getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(TOPIC, (int) (key % PARTITIONS), k,
                        value(i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        System.err.printf(Locale.ROOT, "produced %d records in %.1f s%n", records,
                (System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------ runs

    private static Map<String, String> config(String sink, String db, SqlServer server, String database) {
        Map<String, String> c = new HashMap<>();
        c.put("topics", TOPIC);
        c.put("tasks.max", String.valueOf(TASKS));
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("key.converter.schemas.enable", "true");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter.schemas.enable", "true");
        c.put("consumer.override.max.poll.records", String.valueOf(BATCH));
        c.put("consumer.override.max.partition.fetch.bytes", String.valueOf(32 * 1024 * 1024));
        c.put("consumer.override.fetch.max.bytes", String.valueOf(64 * 1024 * 1024));
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

    private static RunResult run(ConnectCluster cluster, String sink, String db, SqlServer server, int records)
            throws Exception {
        String database = server.createDatabase("bench_" + sink);
        String name = sink + "-" + db;
        Map<String, String> config = config(sink, db, server, database);
        long distinct = records * 8L / 10;
        long updates = records - distinct;

        HeapSampler heap = new HeapSampler();
        heap.start();
        long started = System.nanoTime();
        cluster.configureConnector(name, config);
        long lastReport = System.nanoTime();
        long[] state = {0, 0};
        while (true) {
            Thread.sleep(500);
            state = progress(server, database, records - updates);
            if (state[0] == distinct && state[1] == updates) {
                break;
            }
            if (System.nanoTime() - lastReport > 15_000_000_000L) {
                lastReport = System.nanoTime();
                System.err.printf(Locale.ROOT, "%s: %d rows, %d updated after %.0f s; %s%n", name, state[0], state[1],
                        (System.nanoTime() - started) / 1e9, cluster.status(name).connector().state());
                String failed = taskTrace(cluster, name);
                if (failed != null) {
                    throw new IllegalStateException(name + " task failed: " + failed);
                }
            }
            if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException(name + " did not finish in 30 minutes: " + state[0] + " rows");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        heap.stop();
        cluster.deleteConnector(name);
        RunResult r = new RunResult(sink, db, records, seconds, records / seconds, heap.deltaMb(), heap.peakMb());
        System.err.printf(Locale.ROOT, "%s: %d records in %.1f s = %.0f rows/s, heap delta %d MB, peak %d MB%n",
                name, records, seconds, r.rowsPerSecond(), r.heapDeltaMb(), r.heapPeakMb());
        Thread.sleep(2000);
        return r;
    }

    private static String taskTrace(ConnectCluster cluster, String name) {
        try {
            for (var t : cluster.status(name).tasks()) {
                if ("FAILED".equals(t.state())) {
                    String trace = t.trace();
                    return trace == null ? "FAILED" : trace.lines().filter(l -> !l.startsWith("\tat "))
                            .reduce((a, b) -> a + " | " + b).orElse("");
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }

    /** {rows in the table, rows carrying an update (seq >= first update)}; zeros while the table does not exist. */
    private static long[] progress(SqlServer server, String database, long firstUpdateSeq) {
        try {
            Map<String, Object> row = server.query(database, "SELECT COUNT(*) AS n, SUM(CASE WHEN seq >= "
                    + firstUpdateSeq + " THEN 1 ELSE 0 END) AS u FROM bench").get(0);
            return new long[] {((Number) row.get("n")).longValue(),
                    row.get("u") == null ? 0 : ((Number) row.get("u")).longValue()};
        } catch (RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Samples heap use: the peak of the old generation after GC (live data) and the peak of heap used. */
    static final class HeapSampler {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private long baselineAfterGc;
        private volatile boolean running;
        private Thread thread;

        void start() throws InterruptedException {
            System.gc();
            Thread.sleep(300);
            baselineAfterGc = afterGc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            running = true;
            thread = new Thread(() -> {
                while (running) {
                    peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                            Math::max);
                    peakAfterGc.accumulateAndGet(afterGc(), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        private static long afterGc() {
            long sum = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    sum += pool.getCollectionUsage().getUsed();
                }
            }
            return sum;
        }

        long deltaMb() {
            return Math.max(0, peakAfterGc.get() - baselineAfterGc) / (1024 * 1024);
        }

        long peakMb() {
            return peakUsed.get() / (1024 * 1024);
        }
    }
}
