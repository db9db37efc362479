package io.crmconnect.bench.warehousesource;

import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableDataList;
import com.google.api.services.bigquery.model.TableRow;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.spi.v2.BigQueryRpc;
import io.crmconnect.simulator.bigquery.BigQueryFake;
import io.crmconnect.simulator.snowflake.SnowflakeFake;
import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Transaction;
import io.crmconnect.simulator.warehouse.Warehouse;
import io.crmconnect.warehouse.source.bigquery.BigQuerySourceTask;
import io.crmconnect.warehouse.source.snowflake.SnowflakeSourceTask;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * N rows x 20 columns (default 1,000,000) through each warehouse source task against its fake in this JVM; every
 * record is serialized by JsonConverter as a worker would before producing (the produce to a broker is not part of
 * the figure). Ceiling: the same rows read bare from the fake through the same official client, with the same calls
 * as the task, in chunks of the same size. Prints one RESULT line per warehouse; the last one (the lower ratio) is the benchmark's.
 */
public final class WarehouseSourceBenchmark {
    static final int CHUNK = 50_000;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Warehouse wh = new Warehouse();
        List<Column> sf = new ArrayList<>();
        List<Column> bq = new ArrayList<>();
        sf.add(Column.number("ID", 18, 0));
        bq.add(Column.of("id", "INT64"));
        for (int c = 1; c < 20; c++) {
            if (c % 4 == 0) {
                sf.add(Column.number("N" + c, 12, 2));
                bq.add(Column.of("n" + c, "NUMERIC"));
            } else if (c % 5 == 0) {
                sf.add(Column.of("T" + c, "TIMESTAMP_LTZ"));
                bq.add(Column.of("t" + c, "TIMESTAMP"));
            } else {
                sf.add(Column.of("S" + c, "TEXT"));
                bq.add(Column.of("s" + c, "STRING"));
            }
        }
        wh.createTable("BENCH", sf, List.of("ID"), Duration.ofDays(1), true);
        wh.createTable("bench.rows", bq, List.of("id"), Duration.ofDays(1), true);
        Instant t = wh.clock().now();
        for (String table : List.of("BENCH", "bench.rows")) {
            Transaction tx = wh.begin();
            for (long i = 1; i <= rows; i++) {
                Object[] r = new Object[20];
                r[0] = i;
                for (int c = 1; c < 20; c++) {
                    r[c] = c % 4 == 0 ? BigDecimal.valueOf(i * 7 + c, 2) : c % 5 == 0 ? t : "value-" + c + "-" + i;
                }
                tx.insert(table, r);
            }
            tx.commit();
        }
        wh.clock().advance(Duration.ofSeconds(5));
        System.out.printf("model: %,d rows x 20 columns in each of 2 tables%n", rows);

        try (SnowflakeFake fake = new SnowflakeFake(wh, "bench").passwordUser("BENCH", "bench")) {
            Map<String, String> p = new HashMap<>();
            p.put("snowflake.url", "http://127.0.0.1:" + fake.port());
            p.put("snowflake.account", "bench");
            p.put("snowflake.user", "bench");
            p.put("snowflake.auth", "password");
            p.put("snowflake.password", "bench");
            p.put("snowflake.disable.platform.detection", "true");
            p.put("snowflake.disable.ocsp.checks", "true");
            p.put("tables", "BENCH:ID");
            p.put("task.tables", "BENCH:ID");
            p.put("snapshot.chunk.rows", Integer.toString(CHUNK));
            p.put("changes.lag.ms", "0");
            double ceiling = snowflakeBare(fake, rows);
            double rate = drive(new SnowflakeSourceTask(), p, rows);
            result("warehouse-source-snowflake", rate, ceiling);
        }
        try (BigQueryFake fake = new BigQueryFake(wh, "bench")) {
            Map<String, String> p = new HashMap<>();
            p.put("bigquery.project", "bench");
            p.put("bigquery.root.url", fake.rootUrl());
            p.put("bigquery.auth", "none");
            p.put("tables", "bench.rows:id");
            p.put("task.tables", "bench.rows:id");
            p.put("snapshot.chunk.rows", Integer.toString(CHUNK));
            p.put("changes.lag.ms", "0");
            double ceiling = bigQueryBare(fake, rows);
            double rate = drive(new BigQuerySourceTask(), p, rows);
            result("warehouse-source-bigquery", rate, ceiling);
        }
    }

    static void result(String name, double rate, double ceiling) {
        System.out.printf(
                "RESULT name=%s value=%.0f unit=rows/s ceiling=%.0f ratio=%.3f%n", name, rate, ceiling, rate / ceiling);
    }

    /** The fake served bare: the same key-chunked snapshot queries through the driver, every cell read. */
    static double snowflakeBare(SnowflakeFake fake, int rows) throws Exception {
        Properties pr = new Properties();
        pr.put("account", "bench");
        pr.put("user", "bench");
        pr.put("password", "bench");
        pr.put("ssl", "off");
        pr.put("disablePlatformDetection", "true");
        pr.put("disableOCSPChecks", "true");
        pr.put("JDBC_QUERY_RESULT_FORMAT", "JSON");
        long start = System.nanoTime();
        long n = 0;
        try (Connection c = DriverManager.getConnection(fake.jdbcUrl(), pr);
                Statement st = c.createStatement()) {
            long after = 0;
            while (true) {
                int got = 0;
                try (ResultSet rs =
                        st.executeQuery("SELECT * FROM BENCH WHERE ID > " + after + " ORDER BY ID LIMIT " + CHUNK)) {
                    while (rs.next()) {
                        for (int i = 1; i <= 20; i++) {
                            rs.getObject(i);
                        }
                        after = rs.getLong(1);
                        got++;
                    }
                }
                n += got;
                if (got < CHUNK) {
                    break;
                }
            }
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("snowflake fake bare: %,d rows at %,.0f rows/s%n", n, rate);
        return rate;
    }

    /**
     * The fake served bare, like for like with the task: the same key-chunked queries as jobs, each result table paged
     * through the client's RPC layer (tabledata.list, the fake's default page) and every cell touched, without decoding
     * them into Connect values or records.
     */
    static double bigQueryBare(BigQueryFake fake, int rows) throws Exception {
        BigQuery bq = BigQueryOptions.newBuilder()
                .setProjectId("bench")
                .setHost(fake.rootUrl())
                .setCredentials(NoCredentials.getInstance())
                .build()
                .getService();
        BigQueryRpc rpc = (BigQueryRpc) bq.getOptions().getRpc();
        long start = System.nanoTime();
        long n = 0;
        long after = 0;
        while (true) {
            Job job = bq.create(JobInfo.of(QueryJobConfiguration.newBuilder(
                            "SELECT * FROM `bench.bench.rows` WHERE id > @k ORDER BY id LIMIT " + CHUNK)
                    .addNamedParameter("k", QueryParameterValue.int64(after))
                    .build()));
            TableId result = ((QueryJobConfiguration) job.getConfiguration()).getDestinationTable();
            int got = 0;
            String token = null;
            do {
                Map<BigQueryRpc.Option, Object> page = new EnumMap<>(BigQueryRpc.Option.class);
                if (token != null) {
                    page.put(BigQueryRpc.Option.PAGE_TOKEN, token);
                }
                TableDataList data = rpc.listTableData("bench", result.getDataset(), result.getTable(), page);
                for (TableRow row : data.getRows() == null ? List.<TableRow>of() : data.getRows()) {
                    List<TableCell> cells = row.getF();
                    for (int i = 0; i < 20; i++) {
                        cells.get(i).getV();
                    }
                    after = Long.parseLong((String) cells.get(0).getV());
                    got++;
                }
                token = data.getPageToken();
            } while (token != null);
            n += got;
            if (got < CHUNK) {
                break;
            }
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("bigquery fake bare: %,d rows at %,.0f rows/s%n", n, rate);
        return rate;
    }

    /** Polls the task until {@code rows} snapshot records came out, each serialized by JsonConverter. */
    static double drive(SourceTask task, Map<String, String> props, int rows) throws Exception {
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null; // the capture metrics are optional outside a worker
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return null;
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                        return Map.of();
                    }
                };
            }
        });
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        Runtime rt = Runtime.getRuntime();
        long start = System.nanoTime();
        task.start(props);
        long n = 0;
        long bytes = 0;
        while (n < rows) {
            List<SourceRecord> batch = task.poll();
            if (batch == null) {
                continue;
            }
            for (SourceRecord r : batch) {
                bytes += keys.fromConnectData(r.topic(), r.keySchema(), r.key()).length;
                bytes += values.fromConnectData(r.topic(), r.valueSchema(), r.value()).length;
                n++;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        task.stop();
        System.out.printf(
                "%s: %,d records (%,d JSON bytes) in %.1f s = %,.0f rows/s; JVM heap used now %d MB%n",
                task.getClass().getSimpleName(), n, bytes, secs, n / secs, (rt.totalMemory() - rt.freeMemory()) >> 20);
        return n / secs;
    }
}
