package io.crmconnect.bench.hubspotsource;

import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.PropertyDefinition;
import io.crmconnect.hubspot.client.RateBudget;
import io.crmconnect.hubspot.client.Tier;
import io.crmconnect.hubspot.source.HubSpotSourceTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs one HubSpot source task (the connector's real code) in this JVM (-Xmx256m), polling as a Connect worker
 * would and serializing every value with the worker's JsonConverter. Phase 1: the initial load until every contact
 * was sent. Phase 2: change → record latency while the simulator mutates data at a steady rate.
 */
public final class TaskRunner {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        int contacts = Integer.parseInt(args[1]);
        int latencySeconds = Integer.parseInt(args[2]);
        double mutations = Double.parseDouble(args[3]);
        String token = "pat-na1-00000000-0000-4000-8000-000000000000";
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();

        int chunks;
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(base)
                .accessToken(token)
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0))
                .build()) {
            List<String> props = c.properties("contacts").stream()
                    .map(PropertyDefinition::name)
                    .toList();
            chunks = c.propertyChunks("contacts", props);
            System.out.printf("contacts have %d properties: %d request(s) per page of 100%n", props.size(), chunks);
        }
        Map<String, String> config = new HashMap<>();
        config.put("hubspot.base.url", base);
        config.put("hubspot.access.token", token);
        config.put("hubspot.tier", "professional");
        config.put("hubspot.daily.budget.share", "1.0");
        config.put("objects.include", "contacts");
        config.put("associations", "");
        config.put("number.mapping", "decimal");
        config.put("poll.interval.ms", "1000");
        config.put("search.index.lag.overlap.ms", "10000");
        config.put("deletes.interval.ms", "60000");
        config.put("task.streams", "object:contacts:contacts");
        config.put("task.count", "1");

        HubSpotSourceTask task = new HubSpotSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return config;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null; // no metrics registry outside a worker
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return null;
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> ps) {
                        return Collections.emptyMap();
                    }
                };
            }
        });
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", System.getProperty("bench.json.schemas", "false")), false);
        long t0 = System.nanoTime();
        task.start(config);
        Set<Long> seen = new HashSet<>(contacts * 2);
        long bytes = 0;
        long pollNanos = 0;
        long convertNanos = 0;
        while (seen.size() < contacts) {
            long p0 = System.nanoTime();
            List<SourceRecord> rs = task.poll();
            long p1 = System.nanoTime();
            pollNanos += p1 - p0;
            if (rs == null) {
                continue;
            }
            for (SourceRecord r : rs) {
                if (r.value() != null) {
                    seen.add(Long.parseLong((String) r.key()));
                    bytes += json.fromConnectData(r.topic(), r.valueSchema(), r.value()).length;
                }
            }
            convertNanos += System.nanoTime() - p1;
        }
        System.out.printf(
                "time in poll(): %d ms, in the converter: %d ms%n", pollNanos / 1_000_000, convertNanos / 1_000_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double rate = contacts / seconds;
        double ceiling = 1900.0 / chunks;
        long loadPeak = peak.get();
        System.out.printf(
                "initial load: %,d contacts in %.1f s = %.0f records/s (ceiling %.0f for %d chunk(s)); "
                        + "%.1f KB per record as JSON; peak heap %d MB%n",
                contacts, seconds, rate, ceiling, chunks, bytes / 1024.0 / contacts, loadPeak >> 20);

        // phase 2: change -> record latency
        HttpClient http = HttpClient.newHttpClient();
        post(http, base + "/_sim/mutator/start", "{\"opsPerSecond\":" + mutations + "}");
        List<Long> latencies = new ArrayList<>();
        long end = System.currentTimeMillis() + latencySeconds * 1000L;
        while (System.currentTimeMillis() < end) {
            List<SourceRecord> rs = task.poll();
            if (rs == null) {
                continue;
            }
            long now = System.currentTimeMillis();
            for (SourceRecord r : rs) {
                if (r.value() instanceof Struct s && "upsert".equals(header(r))) {
                    Date lm = (Date) s.get("lastmodifieddate");
                    if (lm != null) {
                        latencies.add(now - lm.getTime());
                    }
                    json.fromConnectData(r.topic(), r.valueSchema(), r.value());
                }
            }
        }
        post(http, base + "/_sim/mutator/stop", "{}");
        task.stop();
        Collections.sort(latencies);
        long p50 = latencies.isEmpty() ? -1 : latencies.get(latencies.size() / 2);
        long p95 = latencies.isEmpty()
                ? -1
                : latencies.get((int) Math.min(latencies.size() - 1, Math.round(latencies.size() * 0.95)));
        System.out.printf(
                "change -> record latency over %d s at %.0f mutations/s: %d changes, p50 %d ms, p95 %d ms "
                        + "(poll.interval.ms=1000, search index lag 0)%n",
                latencySeconds, mutations, latencies.size(), p50, p95);
        String results = String.format(
                "RESULT name=hubspot-source-initial-load value=%.0f unit=records/s "
                        + "ceiling=%.0f ratio=%.3f chunks=%d http429=${429} peak_heap_mb=%d heap_limit_mb=256%n"
                        + "RESULT name=hubspot-source-change-latency value=%d unit=ms_p95 ceiling=1000 ratio=%.3f "
                        + "p50_ms=%d changes=%d%n",
                rate,
                ceiling,
                rate / ceiling,
                chunks,
                loadPeak >> 20,
                p95,
                p95 <= 0 ? 0 : 1000.0 / p95,
                p50,
                latencies.size());
        Files.writeString(
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "hubspot-source-bench." + URI.create(base).getPort() + ".txt"),
                results);
        System.exit(0);
    }

    private static String header(SourceRecord r) {
        var h = r.headers().lastWithName("hubspot.change");
        return h == null ? null : String.valueOf(h.value());
    }

    private static void post(HttpClient http, String url, String body) throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
