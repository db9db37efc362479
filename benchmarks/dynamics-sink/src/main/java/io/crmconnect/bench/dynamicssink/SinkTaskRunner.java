package io.crmconnect.bench.dynamicssink;

import io.crmconnect.dynamics.sink.DynamicsSinkTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Runs one Dynamics 365 sink task (the connector's real code) in this JVM (-Xmx256m), handing it records in batches
 * of 500 (Connect's default max.poll.records) as a worker would, with preCommit after each; a RetriableException
 * (the client gave up on throttling or faults) is counted and the batch handed again, as a worker does. The time
 * ends when preCommit commits the last record (put() returns with writes in flight). No record may be
 * dead-lettered. Writes "seconds peakHeapMb retriable" to the result file.
 */
public final class SinkTaskRunner {
    static final Schema USER = SchemaBuilder.struct()
            .name("warehouse.user")
            .field("email", Schema.OPTIONAL_STRING_SCHEMA)
            .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("last_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("job_title", Schema.OPTIONAL_STRING_SCHEMA)
            .field("phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("gender", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final TopicPartition TP = new TopicPartition("warehouse.users", 0);

    private SinkTaskRunner() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("dynamics.url", args[0]);
        config.put("dynamics.tenant.id", args[1]);
        config.put("dynamics.client.id", args[2]);
        config.put("dynamics.client.secret", args[3]);
        config.put("dynamics.token.url", args[4]);
        int rows = Integer.parseInt(args[5]);
        config.put("batch.size", args[6]);
        config.put("batch.max.in.flight", args[7]);
        config.put("dynamics.limit.requests", args[8]);
        config.put("dynamics.limit.execution.ms", args[9]);
        config.put("dynamics.limit.window.ms", args[10]);
        Path results = Path.of(args[11]);
        config.put("topics", TP.topic());
        config.put("table", "contact");
        config.put("alternate.key", "emailaddress1");
        config.put(
                "field.mapping",
                "email:emailaddress1,first_name:firstname,last_name:lastname,job_title:jobtitle,"
                        + "phone:telephone1,gender:gendercode");
        config.put("task.count", "1");

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

        AtomicLong deadLettered = new AtomicLong();
        DynamicsSinkTask task = new DynamicsSinkTask();
        task.initialize(new Context(config, deadLettered));
        task.start(config);
        long t0 = System.nanoTime();
        long retriable = 0;
        long lastReport = t0;
        for (int from = 0; from < rows; from += 500) {
            List<SinkRecord> batch = new ArrayList<>(500);
            for (int i = from; i < Math.min(rows, from + 500); i++) {
                String email = "bench" + i + "@example.org";
                Struct v = new Struct(USER)
                        .put("email", email)
                        .put("first_name", "First" + i)
                        .put("last_name", "Last" + (i % 997))
                        .put("job_title", i % 3 == 0 ? "Analyst" : "Engineer")
                        .put("phone", "+1 212 555 " + String.format(Locale.ROOT, "%04d", i % 10_000))
                        .put("gender", i % 2 == 0 ? "Female" : "Male");
                batch.add(new SinkRecord(TP.topic(), TP.partition(), Schema.STRING_SCHEMA, email, USER, v, i));
            }
            while (true) {
                try {
                    task.put(batch);
                    break;
                } catch (RetriableException e) {
                    retriable++;
                    System.out.println("put() failed (a worker would redeliver): " + e.getMessage());
                }
            }
            task.preCommit(Map.of(TP, new OffsetAndMetadata(from + batch.size())));
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf(
                        Locale.ROOT,
                        "%,d of %,d records after %.0f s%n",
                        from + batch.size(),
                        rows,
                        (lastReport - t0) / 1e9);
            }
        }
        // put() returns with its writes in flight: the run ends when every record's offset may be committed
        while (true) {
            OffsetAndMetadata done =
                    task.preCommit(Map.of(TP, new OffsetAndMetadata(rows))).get(TP);
            if (done != null && done.offset() >= rows) {
                break;
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        task.stop();
        if (deadLettered.get() > 0) {
            throw new IllegalStateException(deadLettered.get() + " records were dead-lettered");
        }
        System.out.printf(
                Locale.ROOT,
                "upserts: %,d contacts in %.1f s = %.0f records/s; peak heap %d MB%n",
                rows,
                seconds,
                rows / seconds,
                peak.get() >> 20);
        Files.writeString(results, String.format(Locale.ROOT, "%.3f %d %d", seconds, peak.get() >> 20, retriable));
        System.exit(0);
    }

    /** What a worker gives a sink task, with a dead-letter reporter that only counts. */
    private static final class Context implements SinkTaskContext {
        private final Map<String, String> config;
        private final AtomicLong deadLettered;

        Context(Map<String, String> config, AtomicLong deadLettered) {
            this.config = config;
            this.deadLettered = deadLettered;
        }

        @Override
        public Map<String, String> configs() {
            return config;
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {}

        @Override
        public void offset(TopicPartition tp, long offset) {}

        @Override
        public void timeout(long timeoutMs) {}

        @Override
        public Set<TopicPartition> assignment() {
            return Set.of(TP);
        }

        @Override
        public void pause(TopicPartition... partitions) {}

        @Override
        public void resume(TopicPartition... partitions) {}

        @Override
        public void requestCommit() {}

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return (record, error) -> {
                deadLettered.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }
    }
}
