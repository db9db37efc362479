package io.crmconnect.bench.dynamicssource;

import io.crmconnect.dynamics.source.DynamicsSourceTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs one Dynamics 365 source task (the connector's real code) in this JVM (-Xmx256m), polling as a Connect worker
 * would and serializing every value with the worker's JsonConverter (schemas on), until every contact was sent.
 * Writes "seconds peakHeapMb unhandled429" to the result file. A RetriableException out of poll() (what a worker
 * would retry) is counted as an unhandled 429 when the client gave up on throttling.
 */
public final class SourceTaskRunner {
    private SourceTaskRunner() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("dynamics.url", args[0]);
        config.put("dynamics.tenant.id", args[1]);
        config.put("dynamics.client.id", args[2]);
        config.put("dynamics.client.secret", args[3]);
        config.put("dynamics.token.url", args[4]);
        int rows = Integer.parseInt(args[5]);
        config.put("page.size", args[6]);
        config.put("dynamics.limit.requests", args[7]);
        config.put("dynamics.limit.execution.ms", args[8]);
        config.put("dynamics.limit.window.ms", args[9]);
        Path results = Path.of(args[10]);
        config.put("tables", "contact");
        config.put("task.tables", "contact");
        config.put("task.count", "1");
        config.put("poll.interval.ms", "1000");

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

        DynamicsSourceTask task = new DynamicsSourceTask();
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return config;
            }

            @Override
            public PluginMetrics pluginMetrics() {
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
        json.configure(Map.of("schemas.enable", "true"), false);
        long t0 = System.nanoTime();
        task.start(config);
        Set<String> seen = new HashSet<>(rows * 2);
        long bytes = 0;
        long unhandled = 0;
        long lastReport = System.nanoTime();
        while (seen.size() < rows) {
            List<SourceRecord> rs;
            try {
                rs = task.poll();
            } catch (RetriableException e) {
                unhandled++;
                System.out.println("poll() failed (a worker would retry): " + e.getMessage());
                continue;
            }
            if (rs == null) {
                continue;
            }
            for (SourceRecord r : rs) {
                if (r.value() != null) {
                    seen.add((String) r.key());
                    bytes += json.fromConnectData(r.topic(), r.valueSchema(), r.value()).length;
                }
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf(
                        Locale.ROOT, "%,d of %,d rows after %.0f s%n", seen.size(), rows, (lastReport - t0) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "initial load: %,d contacts in %.1f s = %.0f records/s; %.2f KB per record as "
                        + "JSON with schema; peak heap %d MB%n",
                rows,
                seconds,
                rows / seconds,
                bytes / 1024.0 / rows,
                peak.get() >> 20);
        Files.writeString(results, String.format(Locale.ROOT, "%.3f %d %d", seconds, peak.get() >> 20, unhandled));
        task.stop();
        System.exit(0);
    }
}
