package io.crmconnect.bench.dynamicssim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * How many rows per second the Dynamics simulator serves to a paging reader: GET /api/data/v9.2/contacts with a
 * 30-column $select and {@code Prefer: odata.maxpagesize=5000}, following {@code @odata.nextLink} to the end of the
 * table and starting over. Client threads in the same JVM (OkHttp) tokenize every body with Jackson. Service
 * protection stays on (a reader this fast stays inside the default limits). Ends with the RESULT line (ceiling
 * 20,000 rows/s, the target); the RESULT is the median round.
 *
 * <p>The simulator keeps each row's JSON for the last selection it was read with (rows are re-serialized after
 * every change). Two phases: "fresh" scans rotate the 30 columns (each scan a selection no concurrent scan uses),
 * so every row is serialized again (what a connector's initial load sees; this is the RESULT); "repeated" scans
 * re-read the same selection.
 *
 * <p>Options: --seconds 10 --warmup 10 --rounds 3 --threads 2 --contacts 50000.
 */
public final class SimulatorReadBenchmark {
    static final String SELECT = String.join(
            ",",
            "firstname",
            "lastname",
            "fullname",
            "emailaddress1",
            "emailaddress2",
            "telephone1",
            "mobilephone",
            "jobtitle",
            "birthdate",
            "address1_line1",
            "address1_city",
            "address1_stateorprovince",
            "address1_postalcode",
            "address1_country",
            "gendercode",
            "preferredcontactmethodcode",
            "donotemail",
            "creditlimit",
            "numberofchildren",
            "description",
            "_parentcustomerid_value",
            "crmc_hubspotid",
            "crmc_interests",
            "crmc_score",
            "statecode",
            "statuscode",
            "createdon",
            "modifiedon",
            "versionnumber",
            "_modifiedby_value");
    static final double CEILING = 20_000;

    /** The same 30 columns rotated by n: another selection, so the rows are serialized afresh. */
    static String rotated(int n) {
        List<String> cols = new ArrayList<>(List.of(SELECT.split(",")));
        Collections.rotate(cols, n % cols.size());
        return String.join(",", cols);
    }

    static final JsonFactory JSON = new JsonFactory();

    private SimulatorReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int warmup = 10;
        int threads = 2;
        int contacts = 50_000;
        int rounds = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--contacts" -> contacts = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        try (DynamicsSimulator sim = DynamicsSimulator.builder()
                .seed(42)
                .contacts(contacts)
                .accounts(contacts / 10)
                .tokenLifetime(Duration.ofHours(24))
                .requestLogSize(1000)
                .start()) {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            System.out.printf(
                    Locale.ROOT,
                    "simulator %s started in %d ms with %d contacts; %d client threads; %d "
                            + "cores; load average %.1f%n",
                    sim.apiUrl(),
                    (System.nanoTime() - t0) / 1_000_000,
                    contacts,
                    threads,
                    Runtime.getRuntime().availableProcessors(),
                    os.getSystemLoadAverage());
            String token = sim.accessToken();
            OkHttpClient http = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(threads * 2, 5, TimeUnit.MINUTES))
                    .readTimeout(60, TimeUnit.SECONDS)
                    .build();
            checkShape(sim, http, token);
            long c0 = os.getProcessCpuTime();
            long w0 = System.nanoTime();
            long[] first = scanOnce(sim, http, token);
            System.out.printf(
                    Locale.ROOT,
                    "first full scan (rows serialized for the first time): %d rows in %d "
                            + "pages, %.0f rows/s, process CPU %.1f ms per 1,000 rows%n",
                    first[0],
                    first[1],
                    first[0] / ((System.nanoTime() - w0) / 1e9),
                    (os.getProcessCpuTime() - c0) / 1e6 / Math.max(1, first[0]) * 1000);
            run(sim, http, token, threads, warmup, true);
            List<Double> fresh = phase("fresh", sim, http, token, threads, seconds, rounds, true, os);
            List<Double> repeated = phase("repeated", sim, http, token, threads, seconds, rounds, false, os);
            http.connectionPool().evictAll();
            if (sim.throttled429Count() > 0) {
                throw new IllegalStateException(sim.throttled429Count() + " 429s");
            }
            double median = fresh.get(fresh.size() / 2);
            System.out.printf(
                    Locale.ROOT,
                    "fresh: median of %d rounds %.0f rows/s (best %.0f); repeated: median %.0f "
                            + "rows/s (best %.0f)%n",
                    rounds,
                    median,
                    fresh.get(fresh.size() - 1),
                    repeated.get(repeated.size() / 2),
                    repeated.get(repeated.size() - 1));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=dynamics-simulator-read value=%.0f unit=rows/s ceiling=%.0f " + "ratio=%.2f%n",
                    median,
                    CEILING,
                    median / CEILING);
        }
    }

    /** Rounds of one phase; returns the sorted rows/s figures. */
    static List<Double> phase(
            String name,
            DynamicsSimulator sim,
            OkHttpClient http,
            String token,
            int threads,
            int seconds,
            int rounds,
            boolean fresh,
            com.sun.management.OperatingSystemMXBean os)
            throws InterruptedException {
        List<Double> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long cpu0 = os.getProcessCpuTime();
            Map<String, Long> th0 = cpuByThreadGroup();
            long[] r = run(sim, http, token, threads, seconds, fresh);
            long cpu = os.getProcessCpuTime() - cpu0;
            Map<String, Long> th1 = cpuByThreadGroup();
            long server = th1.getOrDefault("server", 0L) - th0.getOrDefault("server", 0L);
            double rows = r[0] / (double) seconds;
            double k = Math.max(1, r[0]) / 1000.0;
            System.out.printf(
                    Locale.ROOT,
                    "%s round %d: %d rows (%d pages, %.0f MB of JSON) in %d s: %.0f rows/s, "
                            + "errors=%d; CPU per 1,000 rows: simulator %.1f ms, client %.1f ms, process %.1f ms; load average "
                            + "%.1f%n",
                    name,
                    round,
                    r[0],
                    r[1],
                    r[2] / 1e6,
                    seconds,
                    rows,
                    r[3],
                    server / 1e6 / k,
                    r[4] / 1e6 / k,
                    cpu / 1e6 / k,
                    os.getSystemLoadAverage());
            if (r[3] > 0) {
                throw new IllegalStateException(r[3] + " requests failed");
            }
            results.add(rows);
        }
        Collections.sort(results);
        return results;
    }

    /** CPU nanoseconds of the simulator's HTTP threads ("server"). */
    static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            String n = ti.getThreadName();
            long cpu = mx.getThreadCpuTime(ti.getThreadId());
            if ((n.startsWith("dynamics-sim-") || n.startsWith("HTTP-Dispatcher")) && cpu > 0) {
                out.merge("server", cpu, Long::sum);
            }
        }
        return out;
    }

    static Request request(String url, String token) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("OData-MaxVersion", "4.0")
                .header("OData-Version", "4.0")
                .header("Prefer", "odata.maxpagesize=5000")
                .build();
    }

    /** The first page has 5,000 rows of exactly the 30 selected columns (+ etag, primary key, currency). */
    static void checkShape(DynamicsSimulator sim, OkHttpClient http, String token) throws IOException {
        try (Response r = http.newCall(request(sim.apiUrl() + "/contacts?$select=" + SELECT, token))
                .execute()) {
            com.fasterxml.jackson.databind.JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(r.body().byteStream());
            if (page.get("value").size() != Math.min(5000, sim.counts().get("contact"))) {
                throw new IllegalStateException(
                        "expected 5,000 rows per page, got " + page.get("value").size());
            }
            int width = page.get("value").get(0).size();
            if (width != 33) { // + @odata.etag, contactid and _transactioncurrencyid_value (money selected)
                throw new IllegalStateException("expected 30 columns + 3, got " + width);
            }
        }
    }

    /** Tokenizes a page; returns {rows, nextLink or null}. */
    static Object[] parse(InputStream in) throws IOException {
        long rows = 0;
        String next = null;
        try (JsonParser p = JSON.createParser(in)) {
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (depth == 2 && t == JsonToken.START_OBJECT) {
                            rows++;
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth == 1 && "@odata.nextLink".equals(p.currentName())) {
                            p.nextToken();
                            next = p.getText();
                        }
                    }
                    default -> {
                        // values are tokenized like a client that reads them
                    }
                }
            }
        }
        return new Object[] {rows, next};
    }

    /** One pass over the whole table: {rows, pages}. */
    static long[] scanOnce(DynamicsSimulator sim, OkHttpClient http, String token) throws IOException {
        String url = sim.apiUrl() + "/contacts?$select=" + SELECT;
        long rows = 0;
        long pages = 0;
        while (url != null) {
            try (Response r = http.newCall(request(url, token)).execute()) {
                if (r.code() != 200) {
                    throw new IllegalStateException(
                            "HTTP " + r.code() + ": " + r.body().string());
                }
                Object[] x = parse(r.body().byteStream());
                rows += (Long) x[0];
                url = (String) x[1];
                pages++;
            }
        }
        return new long[] {rows, pages};
    }

    /** Each thread scans the table over and over; returns {rows, pages, bytes, errors, client CPU ns}. */
    static long[] run(DynamicsSimulator sim, OkHttpClient http, String token, int threads, int seconds, boolean fresh)
            throws InterruptedException {
        AtomicLong rows = new AtomicLong();
        AtomicLong pages = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong clientCpu = new AtomicLong();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int self = t;
            Thread th = new Thread(
                    () -> {
                        long cpu0 = mx.getCurrentThreadCpuTime();
                        int scan = 0;
                        String first = sim.apiUrl() + "/contacts?$select=" + (fresh ? rotated(self) : SELECT);
                        String url = first;
                        while (System.nanoTime() < end) {
                            try (Response r = http.newCall(request(url, token)).execute()) {
                                if (r.code() != 200) {
                                    errors.incrementAndGet();
                                    url = first;
                                    continue;
                                }
                                long len = r.body().contentLength();
                                Object[] x = parse(r.body().byteStream());
                                rows.addAndGet((Long) x[0]);
                                pages.incrementAndGet();
                                bytes.addAndGet(len);
                                if (x[1] == null) {
                                    // a new scan; "fresh" scans rotate the columns (a selection no other scan uses at
                                    // the
                                    // same time) so no row is served from the cache
                                    scan++;
                                    first = sim.apiUrl() + "/contacts?$select="
                                            + (fresh ? rotated(scan * threads + self) : SELECT);
                                    url = first;
                                } else {
                                    url = (String) x[1];
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                                url = first;
                            }
                        }
                        clientCpu.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    },
                    "bench-client-" + t);
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        return new long[] {rows.get(), pages.get(), bytes.get(), errors.get(), clientCpu.get()};
    }
}
