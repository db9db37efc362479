package io.crmconnect.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One KRaft broker and two distributed Connect workers, each its own OS process, shared by every chaos test in the
 * JVM (start-up costs ~20 s on 2 cores). Tests kill and restart its processes; each test leaves every process running
 * again ({@link #healAll()}). Connectors are driven through the REST API of whichever worker is alive.
 */
final class ChaosCluster {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosCluster.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ChaosCluster shared;

    private final Path runDir;
    private final KafkaBrokerProcess broker;
    private final List<ConnectWorkerProcess> workers = new ArrayList<>();
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    private ChaosCluster(Path runDir, KafkaBrokerProcess broker) {
        this.runDir = runDir;
        this.broker = broker;
    }

    /** The JVM-wide cluster, started on first use. */
    static synchronized ChaosCluster shared() {
        if (shared == null) {
            shared = start(2);
        }
        return shared;
    }

    private static ChaosCluster start(int workerCount) {
        long started = System.nanoTime();
        Path runDir;
        try {
            runDir = Path.of(
                            "target",
                            "chaos-run",
                            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                    .toAbsolutePath();
            Files.createDirectories(runDir.resolve("logs"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        KafkaBrokerProcess broker = KafkaBrokerProcess.format(runDir);
        broker.start();
        ChaosCluster cluster = new ChaosCluster(runDir, broker);
        Path pluginPath = ConnectCluster.pluginPathFromBuild();
        for (int i = 1; i <= workerCount; i++) {
            cluster.workers.add(
                    ConnectWorkerProcess.create(runDir, "worker-" + i, broker.bootstrapServers(), pluginPath));
        }
        cluster.workers.forEach(ConnectWorkerProcess::start);
        cluster.workers.forEach(w -> cluster.awaitHealthy(w, Duration.ofSeconds(300)));
        LOG.info(
                "chaos cluster up in {} ms: broker {}, workers {}, logs in {}",
                (System.nanoTime() - started) / 1_000_000,
                broker.bootstrapServers(),
                cluster.workers.stream().map(ConnectWorkerProcess::restUrl).toList(),
                runDir.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "chaos-cluster-stop"));
        return cluster;
    }

    Path logs() {
        return runDir.resolve("logs");
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    List<ConnectWorkerProcess> workers() {
        return workers;
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /** kill -9 of a worker. */
    void kill(ConnectWorkerProcess worker) {
        LOG.info("kill -9 {}", worker.name());
        worker.kill();
    }

    /** Starts a killed worker again and waits until it answers /health (it has joined the group). */
    void restart(ConnectWorkerProcess worker) {
        worker.start();
        awaitHealthy(worker, Duration.ofSeconds(300));
    }

    void killBroker() {
        LOG.info("kill -9 broker");
        broker.kill();
    }

    void startBroker() {
        broker.start();
    }

    /** Every process running again: the state each test leaves behind. */
    void healAll() {
        startBroker();
        for (ConnectWorkerProcess w : workers) {
            if (!w.isAlive()) {
                restart(w);
            }
        }
    }

    /** The worker a connector's task runs on, as its status reports it. */
    Optional<ConnectWorkerProcess> workerOf(String connector, int task) {
        JsonNode status = status(connector);
        if (status == null) {
            return Optional.empty();
        }
        for (JsonNode t : status.path("tasks")) {
            if (t.path("id").asInt() == task && "RUNNING".equals(t.path("state").asText())) {
                String id = t.path("worker_id").asText();
                return workers.stream().filter(w -> w.workerId().equals(id)).findFirst();
            }
        }
        return Optional.empty();
    }

    // ---- REST ---------------------------------------------------------------------------------------------------

    record Response(int status, String body) {}

    /** One call to the first live worker that answers; null if none answered. */
    Response rest(String method, String path, String body) {
        for (ConnectWorkerProcess w : workers) {
            if (!w.isAlive()) {
                continue;
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(w.restUrl() + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .method(
                                        method,
                                        body == null
                                                ? HttpRequest.BodyPublishers.noBody()
                                                : HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Response(r.statusCode(), r.body());
            } catch (IOException e) {
                // this worker is going away or still starting: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    /** A call retried while the workers rebalance (409, 5xx, no answer), until a 2xx; fails after 3 minutes. */
    Response restUntilOk(String method, String path, String body) {
        Response[] last = {null};
        awaitCondition(method + " /" + path, Duration.ofSeconds(180), () -> {
            last[0] = rest(method, path, body);
            return last[0] != null && last[0].status() < 300;
        });
        return last[0];
    }

    void putConnector(String name, Map<String, String> config) {
        try {
            restUntilOk("PUT", "connectors/" + name + "/config", JSON.writeValueAsString(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void deleteConnector(String name) {
        awaitCondition("connector " + name + " deleted", Duration.ofSeconds(180), () -> {
            Response r = rest("DELETE", "connectors/" + name, null);
            return r != null && (r.status() < 300 || r.status() == 404);
        });
    }

    /** The connector's status, or null when it does not exist (yet) or no worker answers. */
    JsonNode status(String name) {
        Response r = rest("GET", "connectors/" + name + "/status", null);
        if (r == null || r.status() != 200) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits until the connector and exactly {@code tasks} tasks are RUNNING on workers that are alive (a task of a
     * killed worker keeps its last RUNNING status until it is reassigned).
     */
    void awaitRunning(String name, int tasks, Duration timeout) {
        String[] last = {"no status"};
        try {
            awaitCondition("connector " + name + " RUNNING with " + tasks + " task(s) on live workers", timeout, () -> {
                JsonNode s = status(name);
                if (s == null) {
                    return false;
                }
                last[0] = s.toString();
                Set<String> live = workers.stream()
                        .filter(ConnectWorkerProcess::isAlive)
                        .map(ConnectWorkerProcess::workerId)
                        .collect(Collectors.toSet());
                if (!"RUNNING".equals(s.path("connector").path("state").asText())
                        || s.path("tasks").size() != tasks) {
                    return false;
                }
                for (JsonNode t : s.path("tasks")) {
                    if (!"RUNNING".equals(t.path("state").asText())
                            || !live.contains(t.path("worker_id").asText())) {
                        return false;
                    }
                }
                return true;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last status: " + last[0], e);
        }
    }

    private void awaitHealthy(ConnectWorkerProcess worker, Duration timeout) {
        awaitCondition(worker.name() + " healthy", timeout, () -> {
            if (!worker.isAlive()) {
                throw new IllegalStateException(worker.name() + " exited; see " + worker.log());
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(worker.restUrl() + "health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- Kafka --------------------------------------------------------------------------------------------------

    synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    120_000));
        }
        return admin;
    }

    void createTopic(String topic, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + topic, e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + topic, e);
        }
    }

    /** Sends every record and waits for all acknowledgements (retrying through a broker outage). */
    void produce(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<?>> acks = new ArrayList<>(records.size());
        records.forEach(r -> acks.add(p.send(r)));
        p.flush();
        for (Future<?> ack : acks) {
            try {
                ack.get();
            } catch (Exception e) {
                throw new IllegalStateException("produce failed: " + e.getMessage(), e);
            }
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Every record of the topics up to their end offsets at the time of the call. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String... topics) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        forEachRecord(out::add, topics);
        return out;
    }

    /**
     * Hands every record of the topics up to their end offsets to {@code action}, one poll at a time, so a full-size
     * topic (100,000 records, each with its schema) is never held in memory at once.
     */
    void forEachRecord(Consumer<ConsumerRecord<byte[], byte[]>> action, String... topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, Duration.ofSeconds(60)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + List.of(topics) + " to its end in 3 min");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(action);
            }
        }
    }

    /** Offsets a consumer group has committed on a topic, summed over partitions (-1 when unreadable). */
    long committed(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic))
                    .mapToLong(e -> e.getValue() == null ? 0 : e.getValue().offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Sum of the end offsets of a topic's partitions. */
    long endOffset(String topic) {
        try {
            List<TopicPartition> tps = admin()
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return admin()
                    .listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .mapToLong(i -> i.offset())
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    // ---- waiting ------------------------------------------------------------------------------------------------

    /** Polls {@code condition} every 500 ms until true; an AssertionError after {@code timeout}. */
    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                if (e.getMessage() != null && e.getMessage().contains("exited")) {
                    throw e;
                }
                lastError = e;
            } catch (RuntimeException e) {
                lastError = e;
            }
            Ports.pause(500);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (lastError == null ? "" : " (last error: " + lastError + ")"));
    }

    private void close() {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        } catch (RuntimeException ignored) {
            // the processes are stopped below either way
        }
        workers.forEach(ConnectWorkerProcess::stop);
        broker.stop();
    }
}
