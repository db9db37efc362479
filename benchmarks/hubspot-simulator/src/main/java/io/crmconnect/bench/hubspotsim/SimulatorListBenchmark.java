package io.crmconnect.bench.hubspotsim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.HubSpotSimulatorBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * How many list requests per second the HubSpot simulator serves: GET /crm/v3/objects/contacts?limit=100 with 20
 * properties per record, rate limits off, client threads in the same JVM (OkHttp, as hubspot-client uses) that
 * tokenize every response body with Jackson and follow the {@code after} cursor. Ends with the RESULT line
 * (ceiling 1,000 req/s, the target).
 *
 * <p>Options: --seconds 10 --warmup 10 --rounds 3 --threads 4 --contacts 5000 --server-threads N. The RESULT is
 * the median round.
 */
public final class SimulatorListBenchmark {
    static final String PROPS = String.join(
            ",",
            "email",
            "firstname",
            "lastname",
            "phone",
            "address",
            "city",
            "state",
            "zip",
            "country",
            "date_of_birth",
            "company",
            "jobtitle",
            "lifecyclestage",
            "hs_lead_status",
            "annualrevenue",
            "hs_email_optout",
            "hubspot_owner_id",
            "createdate",
            "lastmodifieddate",
            "hs_object_id");
    static final double CEILING = 1000;
    static final JsonFactory JSON = new JsonFactory();

    private SimulatorListBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int warmup = 10;
        int threads = 4;
        int contacts = 5000;
        int serverThreads = 0;
        int rounds = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--contacts" -> contacts = Integer.parseInt(args[i + 1]);
                case "--server-threads" -> serverThreads = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HubSpotSimulatorBuilder b = HubSpotSimulator.builder()
                .seed(42)
                .contacts(contacts)
                .rateLimits(false)
                .propertyHistory(false)
                .requestLogSize(1000);
        if (serverThreads > 0) {
            b.threads(serverThreads);
        }
        try (HubSpotSimulator sim = b.start()) {
            System.out.printf(
                    Locale.ROOT,
                    "simulator %s started in %d ms with %d contacts; %d client threads; "
                            + "%d cores; load average %.1f%n",
                    sim.baseUrl(),
                    sim.startupMillis(),
                    contacts,
                    threads,
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Dispatcher d = new Dispatcher();
            d.setMaxRequestsPerHost(threads * 2);
            OkHttpClient http = new OkHttpClient.Builder()
                    .dispatcher(d)
                    .connectionPool(new ConnectionPool(threads * 2, 5, TimeUnit.MINUTES))
                    .readTimeout(30, TimeUnit.SECONDS)
                    .build();
            checkShape(sim, http);
            run(sim, http, threads, warmup);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<Double> results = new ArrayList<>();
            long errorsTotal = 0;
            for (int round = 1; round <= rounds; round++) {
                long cpu0 = os.getProcessCpuTime();
                Map<String, Long> threads0 = cpuByThreadGroup();
                long[] r = run(sim, http, threads, seconds);
                long cpuNanos = os.getProcessCpuTime() - cpu0;
                Map<String, Long> threads1 = cpuByThreadGroup();
                long serverNanos = threads1.getOrDefault("server", 0L) - threads0.getOrDefault("server", 0L);
                long clientNanos = r[4] + threads1.getOrDefault("client", 0L) - threads0.getOrDefault("client", 0L);
                double rps = r[0] / (double) seconds;
                long n = Math.max(1, r[0]);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: %d list requests in %d s (%d records, %.1f MB of JSON): "
                                + "%.0f req/s, errors=%d; CPU per request: simulator %.2f ms, client %.2f ms, process %.2f ms;"
                                + " load average %.1f%n",
                        round,
                        r[0],
                        seconds,
                        r[1],
                        r[2] / 1e6,
                        rps,
                        r[3],
                        serverNanos / 1e6 / n,
                        clientNanos / 1e6 / n,
                        cpuNanos / 1e6 / n,
                        os.getSystemLoadAverage());
                results.add(rps);
                errorsTotal += r[3];
            }
            List<Double> sorted = new ArrayList<>(results);
            Collections.sort(sorted);
            double median = sorted.get(sorted.size() / 2);
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            if (errorsTotal > 0) {
                throw new IllegalStateException(errorsTotal + " requests failed");
            }
            System.out.printf(
                    Locale.ROOT, "median of %d rounds (best %.0f req/s)%n", rounds, sorted.get(sorted.size() - 1));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT name=hubspot-simulator-list value=%.0f unit=req/s ceiling=%.0f " + "ratio=%.2f%n",
                    median,
                    CEILING,
                    median / CEILING);
        }
    }

    /** CPU nanoseconds of live threads: simulator HTTP threads ("server") and benchmark client threads. */
    static Map<String, Long> cpuByThreadGroup() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            String n = ti.getThreadName();
            String group = n.startsWith("hubspot-sim-") || n.startsWith("HTTP-Dispatcher")
                    ? "server"
                    : n.startsWith("OkHttp") ? "client" : null; // bench-client threads report their own CPU
            long cpu = mx.getThreadCpuTime(ti.getThreadId());
            if (group != null && cpu > 0) {
                out.merge(group, cpu, Long::sum);
            }
        }
        return out;
    }

    /** Every record of a page carries exactly the 20 requested properties. */
    static void checkShape(HubSpotSimulator sim, OkHttpClient http) throws IOException {
        try (Response r = http.newCall(request(sim, null)).execute()) {
            JsonNode page = new ObjectMapper().readTree(r.body().byteStream());
            if (page.get("results").size() != 100) {
                throw new IllegalStateException("expected 100 records per page, got "
                        + page.get("results").size());
            }
            for (JsonNode rec : page.get("results")) {
                if (rec.get("properties").size() != 20) {
                    throw new IllegalStateException("expected 20 properties, got " + rec.get("properties"));
                }
            }
        }
    }

    static Request request(HubSpotSimulator sim, String after) {
        return new Request.Builder()
                .url(sim.baseUrl() + "/crm/v3/objects/contacts?limit=100&properties=" + PROPS
                        + (after == null ? "" : "&after=" + after))
                .header("Authorization", "Bearer " + sim.token())
                .build();
    }

    /** Tokenizes the whole page; returns {records, after-cursor or null}. */
    static Object[] parse(InputStream in) throws IOException {
        int records = 0;
        String after = null;
        try (JsonParser p = JSON.createParser(in)) {
            int depth = 0;
            String field = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (depth == 2 && t == JsonToken.START_OBJECT && "results".equals(field)) {
                            records++;
                        }
                        depth++;
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (depth == 1) {
                            field = p.currentName();
                        } else if (depth == 3 && "after".equals(p.currentName())) {
                            p.nextToken();
                            after = p.getText();
                        }
                    }
                    default -> {
                        // values are tokenized (and skipped) like a client that reads them
                    }
                }
            }
        }
        return new Object[] {records, after};
    }

    /** Returns {requests, records, bytes, errors, client thread CPU ns}. */
    static long[] run(HubSpotSimulator sim, OkHttpClient http, int threads, int seconds) throws InterruptedException {
        AtomicLong requests = new AtomicLong();
        AtomicLong records = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong clientCpu = new AtomicLong();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(
                    () -> {
                        String after = null;
                        long cpuStart = mx.getCurrentThreadCpuTime();
                        try {
                            while (System.nanoTime() < end) {
                                try (Response r =
                                        http.newCall(request(sim, after)).execute()) {
                                    if (r.code() != 200) {
                                        errors.incrementAndGet();
                                        continue;
                                    }
                                    long len = r.body().contentLength();
                                    Object[] res = parse(r.body().byteStream());
                                    records.addAndGet((Integer) res[0]);
                                    bytes.addAndGet(len);
                                    requests.incrementAndGet();
                                    after = (String) res[1];
                                }
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            e.printStackTrace();
                        } finally {
                            clientCpu.addAndGet(mx.getCurrentThreadCpuTime() - cpuStart);
                            done.countDown();
                        }
                    },
                    "bench-client-" + t);
            ts.add(th);
            th.start();
        }
        done.await();
        return new long[] {requests.get(), records.get(), bytes.get(), errors.get(), clientCpu.get()};
    }
}
