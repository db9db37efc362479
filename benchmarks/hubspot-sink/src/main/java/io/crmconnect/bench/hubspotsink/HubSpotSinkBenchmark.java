package io.crmconnect.bench.hubspotsink;

import io.crmconnect.hubspot.sink.HubSpotSinkTask;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.Tier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The HubSpot sink task (the same class a Connect worker runs) against the HubSpot simulator with professional
 * limits on (190 requests / 10 s, search 5 / s), both in this JVM, records handed to put() in batches of 500 like a
 * worker with the default max.poll.records.
 *
 * <ul>
 *   <li>upsert: 100,000 records upserted by a unique property into an empty portal (target ≥ 1,700 records/s,
 *   ceiling 1,900/s = 19 batch calls/s × 100).</li>
 *   <li>match: first-time three-tier matching (email; first+last name+date of birth; address+city+state+zip) of
 *   10,000 records against 100,000 generated contacts (target ≥ 300 records/s; ceiling 950/s = one batch read plus
 *   one batch write per 100 records at 19 calls/s).</li>
 * </ul>
 * Usage: {@code benchmarks/run.sh hubspot-sink [upsert|match|all]} (default all).
 */
public final class HubSpotSinkBenchmark {
    static final int BATCH = 500;

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        HeapWatcher heap = new HeapWatcher();
        heap.start();
        List<String> results = new ArrayList<>();
        if (what.equals("all") || what.equals("upsert")) {
            results.add(upsert(args.length > 1 ? Integer.parseInt(args[1]) : 100_000, heap));
        }
        if (what.equals("all") || what.equals("match")) {
            results.add(match(heap, args.length > 1 && what.equals("match") ? Integer.parseInt(args[1]) : 100_000));
        }
        heap.stop = true;
        System.out.println();
        results.forEach(System.out::println);
    }

    /** Collects records sent to the "DLQ". */
    static final class Context implements SinkTaskContext {
        final Metrics metrics = new Metrics();
        final PluginMetrics taskMetrics = new PluginMetricsImpl(metrics, Map.of("connector", "bench", "task", "0"));
        final AtomicLong dead = new AtomicLong();
        final Map<String, AtomicLong> reasons = new HashMap<>();

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {}

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(new TopicPartition("bench", 0));
        }

        @Override
        public void pause(TopicPartition... partitions) {}

        @Override
        public void resume(TopicPartition... partitions) {}

        @Override
        public void requestCommit() {}

        @Override
        public PluginMetrics pluginMetrics() {
            return taskMetrics;
        }

        /** The value of one of the task's own gauges (what a worker exposes as an MBean attribute). */
        long gauge(String name) {
            return metrics.metrics().entrySet().stream()
                    .filter(e -> e.getKey().name().equals(name))
                    .mapToLong(e -> ((Number) e.getValue().metricValue()).longValue())
                    .findFirst()
                    .orElse(-1);
        }

        /** The task's counters as it reports them through its plugin metrics. */
        String counters() {
            StringBuilder sb = new StringBuilder();
            for (String name : List.of(
                    "records-created",
                    "records-updated",
                    "records-skipped",
                    "records-archived",
                    "records-dead-lettered",
                    "associations-created")) {
                sb.append(sb.length() == 0 ? "" : ", ").append(name).append('=').append(gauge(name));
            }
            return sb.toString();
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return (record, error) -> {
                dead.incrementAndGet();
                String reason = record.headers().lastWithName("crmconnect.error.reason") == null
                        ? "?"
                        : String.valueOf(record.headers()
                                .lastWithName("crmconnect.error.reason")
                                .value());
                synchronized (reasons) {
                    reasons.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
                }
                Future<Void> f = CompletableFuture.completedFuture(null);
                return f;
            };
        }
    }

    static void createProperty(HubSpotSimulator sim, String object, String name, boolean unique) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/crm/v3/properties/" + object))
                                .header("Authorization", "Bearer " + sim.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"label\":\""
                                        + name + "\",\"type\":\"string\",\"fieldType\":"
                                        + "\"text\",\"groupName\":\"contactinformation\",\"hasUniqueValue\":" + unique
                                        + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("property " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    static Map<String, String> baseConfig(HubSpotSimulator sim) {
        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("hubspot.daily.budget.share", "1.0");
        c.put("object", "contacts");
        return c;
    }

    // ------------------------------------------------------------------------------------------ upsert

    static String upsert(int n, HeapWatcher heap) throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(1)
                .tier(Tier.PROFESSIONAL)
                .rateLimits(true)
                .start()) {
            createProperty(sim, "contacts", "external_id", true);
            Schema s = SchemaBuilder.struct()
                    .field("external_id", Schema.STRING_SCHEMA)
                    .field("email", Schema.STRING_SCHEMA)
                    .field("first_name", Schema.STRING_SCHEMA)
                    .field("last_name", Schema.STRING_SCHEMA)
                    .field("plan", Schema.STRING_SCHEMA)
                    .build();
            Map<String, String> c = baseConfig(sim);
            c.put("unique.property", "external_id");
            c.put(
                    "field.mapping",
                    "external_id:external_id,email:email,first_name:firstname,last_name:lastname," + "plan:jobtitle");
            HubSpotSinkTask task = new HubSpotSinkTask();
            Context ctx = new Context();
            task.initialize(ctx);
            task.start(c);
            heap.reset();
            long t0 = System.nanoTime();
            long lastReport = t0;
            for (int i = 0; i < n; i += BATCH) {
                List<SinkRecord> batch = new ArrayList<>(BATCH);
                for (int j = i; j < Math.min(n, i + BATCH); j++) {
                    batch.add(new SinkRecord(
                            "bench",
                            0,
                            Schema.STRING_SCHEMA,
                            "u" + j,
                            s,
                            new Struct(s)
                                    .put("external_id", "ext-" + j)
                                    .put("email", "user" + j + "@example.com")
                                    .put("first_name", "First" + j)
                                    .put("last_name", "Last" + j)
                                    .put("plan", "plan " + j % 7),
                            j));
                }
                task.put(batch);
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "  upsert: %,d records, %.0f records/s%n",
                            i + BATCH,
                            (i + BATCH) / ((lastReport - t0) / 1e9));
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long[] req = {ctx.gauge("api-calls"), ctx.gauge("api-search-calls"), ctx.gauge("api-429-count")};
            String stats = ctx.counters();
            task.stop();
            long contacts = sim.ids("contacts").size();
            double rate = n / secs;
            System.out.printf(
                    Locale.ROOT,
                    "upsert: %,d records in %.1f s = %.0f records/s; HubSpot now holds %,d "
                            + "contacts; requests %d (search %d), 429s received %d (client-side %d), DLQ %d; peak heap %d MB;"
                            + " %s%n",
                    n,
                    secs,
                    rate,
                    contacts,
                    req[0],
                    req[1],
                    sim.rateLimited429Count(),
                    req[2],
                    ctx.dead.get(),
                    heap.peakMb(),
                    stats);
            if (contacts != n) {
                throw new IllegalStateException("expected " + n + " contacts, found " + contacts);
            }
            return String.format(
                    Locale.ROOT,
                    "RESULT name=hubspot-sink-upsert-unique value=%.0f unit=records/s " + "ceiling=1900 ratio=%.3f",
                    rate,
                    rate / 1900);
        }
    }

    // ------------------------------------------------------------------------------------------ match

    static String match(HeapWatcher heap, int portalSize) throws Exception {
        long g0 = System.nanoTime();
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(42)
                .contacts(portalSize)
                .tier(Tier.PROFESSIONAL)
                .rateLimits(true)
                .start()) {
            System.out.printf(
                    Locale.ROOT,
                    "  portal of %,d contacts generated in %.1f s%n",
                    sim.ids("contacts").size(),
                    (System.nanoTime() - g0) / 1e9);
            createProperty(sim, "contacts", "address2", false);
            List<Map<String, Object>> portal = sim.dump("contacts", false);
            Random rnd = new Random(7);
            Schema s = SchemaBuilder.struct()
                    .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("dob", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("address1", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("city", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("state", Schema.OPTIONAL_STRING_SCHEMA)
                    .field("zip", Schema.OPTIONAL_STRING_SCHEMA)
                    .build();
            int n = 10_000;
            List<SinkRecord> records = new ArrayList<>(n);
            int[] expected = new int[4];
            Collections.shuffle(portal, rnd);
            for (int i = 0; i < n; i++) {
                @SuppressWarnings("unchecked")
                Map<String, String> p = (Map<String, String>) portal.get(i).get("properties");
                Struct v = new Struct(s);
                int kind = i % 20; // 50% email, 20% name+DOB, 15% address, 15% new
                if (kind < 10) {
                    v.put("email", "  " + p.get("email").toUpperCase(Locale.ROOT) + " ")
                            .put("first_name", p.get("firstname"));
                    expected[0]++;
                } else if (kind < 14) {
                    String[] d = p.get("date_of_birth").split("-");
                    v.put("first_name", p.get("firstname").toUpperCase(Locale.ROOT))
                            .put("last_name", " " + p.get("lastname") + " ")
                            .put("dob", d[1] + "/" + d[2] + "/" + d[0]);
                    expected[1]++;
                } else if (kind < 17) {
                    v.put("first_name", "Other")
                            .put("last_name", "Person" + i)
                            .put(
                                    "address1",
                                    p.get("address")
                                            .replaceAll(" St$", " Street")
                                            .replaceAll(" Road$", " Rd"))
                            .put("city", p.get("city").toUpperCase(Locale.ROOT))
                            .put("state", p.get("state"))
                            .put("zip", p.get("zip") + "-" + (1000 + rnd.nextInt(9000)));
                    expected[2]++;
                } else {
                    v.put("email", "new" + i + "@fresh.example")
                            .put("first_name", "New")
                            .put("last_name", "Person" + i)
                            .put("dob", "1999-01-" + String.format("%02d", 1 + i % 28));
                    expected[3]++;
                }
                records.add(new SinkRecord("bench", 0, Schema.STRING_SCHEMA, "r" + i, s, v, i));
            }
            portal = null;
            Map<String, String> c = baseConfig(sim);
            c.put(
                    "field.mapping",
                    "email:email,first_name:firstname,last_name:lastname,dob:date_of_birth,"
                            + "address1:address,city:city,state:state,zip:zip");
            c.put("match.tiers", "email;firstname,lastname,date_of_birth;address,address2?,city,state,zip");
            c.put("properties.fill.if.missing", "firstname,lastname");
            c.put("match.strategy", System.getProperty("match.strategy", "search"));
            HubSpotSinkTask task = new HubSpotSinkTask();
            Context ctx = new Context();
            task.initialize(ctx);
            task.start(c);
            int before = sim.ids("contacts").size();
            heap.reset();
            long t0 = System.nanoTime();
            long lastReport = t0;
            for (int i = 0; i < n; i += BATCH) {
                task.put(records.subList(i, Math.min(n, i + BATCH)));
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf(
                            Locale.ROOT,
                            "  match: %,d records, %.0f records/s; %s%n",
                            i + BATCH,
                            (i + BATCH) / ((lastReport - t0) / 1e9),
                            ctx.counters());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long[] req = {ctx.gauge("api-calls"), ctx.gauge("api-search-calls"), ctx.gauge("api-429-count")};
            String stats = ctx.counters();
            task.stop();
            int created = sim.ids("contacts").size() - before;
            double rate = n / secs;
            System.out.printf(
                    Locale.ROOT,
                    "match: %,d records against %,d contacts in %.1f s = %.0f records/s; "
                            + "generated email/name+dob/address/new = %d/%d/%d/%d; created %d; requests %d (search %d), "
                            + "429s received %d; DLQ %d %s; peak heap %d MB; %s%n",
                    n,
                    before,
                    secs,
                    rate,
                    expected[0],
                    expected[1],
                    expected[2],
                    expected[3],
                    created,
                    req[0],
                    req[1],
                    sim.rateLimited429Count(),
                    ctx.dead.get(),
                    ctx.reasons,
                    heap.peakMb(),
                    stats);
            return String.format(
                    Locale.ROOT,
                    "RESULT name=hubspot-sink-match-3tier value=%.0f unit=records/s " + "ceiling=950 ratio=%.3f",
                    rate,
                    rate / 950);
        }
    }

    /** Samples heap use (all heap pools) every 50 ms; peak since the last reset. */
    static final class HeapWatcher extends Thread {
        volatile boolean stop;
        volatile long peak;

        HeapWatcher() {
            setDaemon(true);
        }

        void reset() {
            System.gc();
            peak = 0;
        }

        long peakMb() {
            return peak / (1024 * 1024);
        }

        @Override
        public void run() {
            while (!stop) {
                long used = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP) {
                        used += p.getUsage().getUsed();
                    }
                }
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
