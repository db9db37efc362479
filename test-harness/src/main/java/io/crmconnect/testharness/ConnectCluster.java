package io.crmconnect.testharness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.AbstractStatus;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft) and a real distributed Connect worker in the test JVM. The worker's plugin.path is the
 * directory named by the system property {@value #PLUGIN_PATH_PROPERTY}: the BUILT plugin archives, unpacked by the
 * integration-tests build, so tests exercise exactly what users install. Discovery is {@code service_load}, so a
 * plugin class missing from META-INF/services is not found — as on a user's worker configured that way.
 *
 * <p>Start one per test class (start-up costs ~10 s) and close it in {@code @AfterAll}.
 */
public final class ConnectCluster implements AutoCloseable {
    public static final String PLUGIN_PATH_PROPERTY = "crmconnect.plugin.path";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectCluster.class);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final EmbeddedConnectCluster connect;
    private final Path pluginPath;
    private KafkaProducer<byte[], byte[]> producer;

    private ConnectCluster(EmbeddedConnectCluster connect, Path pluginPath) {
        this.connect = connect;
        this.pluginPath = pluginPath;
    }

    public static ConnectCluster start(String name) {
        return start(name, Map.of());
    }

    /** Starts a cluster; {@code workerOverrides} are added to (and win over) the harness's worker properties. */
    public static ConnectCluster start(String name, Map<String, String> workerOverrides) {
        Path pluginPath = pluginPathFromBuild();
        Map<String, String> workerProps = new HashMap<>(); // must be mutable: the builder adds to it
        workerProps.put("plugin.path", pluginPath.toString());
        workerProps.put("plugin.discovery", "service_load");
        workerProps.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        workerProps.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        workerProps.put("value.converter.schemas.enable", "true");
        // Sink offsets are committed sooner, so restart tests do not wait a minute for a commit.
        workerProps.put("offset.flush.interval.ms", "2000");
        workerProps.put("scheduled.rebalance.max.delay.ms", "5000");
        workerProps.putAll(workerOverrides);

        Properties brokerProps = new Properties();
        brokerProps.put("auto.create.topics.enable", "true");
        brokerProps.put("group.initial.rebalance.delay.ms", "0");
        // one broker: transactions (exactly-once source workers, KIP-618) need a replication factor it can meet
        brokerProps.put("transaction.state.log.replication.factor", "1");
        brokerProps.put("transaction.state.log.min.isr", "1");

        EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(workerProps)
                .brokerProps(brokerProps)
                .maskExitProcedures(true)
                .build();
        long started = System.nanoTime();
        connect.start();
        ConnectCluster cluster = new ConnectCluster(connect, pluginPath);
        cluster.awaitCondition("a healthy Connect worker", Duration.ofSeconds(60), connect::anyWorkersHealthy);
        LOG.info(
                "Connect cluster '{}' up in {} ms; plugin.path={}",
                name,
                (System.nanoTime() - started) / 1_000_000,
                pluginPath);
        return cluster;
    }

    /** The plugin.path the build prepared, checked to exist and to hold at least one plugin. */
    public static Path pluginPathFromBuild() {
        String configured = System.getProperty(PLUGIN_PATH_PROPERTY);
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("System property " + PLUGIN_PATH_PROPERTY + " is not set: run integration "
                    + "tests through Maven (mvn verify), which unpacks the built plugin archives first");
        }
        Path path = Path.of(configured).toAbsolutePath();
        File[] plugins = path.toFile().listFiles(File::isDirectory);
        if (plugins == null || plugins.length == 0) {
            throw new IllegalStateException("plugin.path " + path + " holds no plugin directories");
        }
        return path;
    }

    public EmbeddedConnectCluster raw() {
        return connect;
    }

    public Path pluginPath() {
        return pluginPath;
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /** Base URL of the worker's REST API, ending in '/'. */
    public String restUrl() {
        return connect.endpointForResource("");
    }

    // ---- topics, produce, consume -------------------------------------------------------------------------------

    /** Creates a topic and waits until every partition has a leader, so a produce right after cannot race it. */
    public void createTopic(String topic, int partitions) {
        connect.kafka().createTopic(topic, partitions);
        awaitLeaders(topic, partitions);
    }

    private void awaitLeaders(String topic, int partitions) {
        awaitCondition(
                "leaders for " + partitions + " partition(s) of " + topic,
                Duration.ofSeconds(30),
                () -> connect.kafka()
                        .describeTopics(topic)
                        .get(topic)
                        .map(d -> d.partitions().size() == partitions
                                && d.partitions().stream()
                                        .allMatch(p -> p.leader() != null
                                                && !p.leader().isEmpty()))
                        .orElse(false));
    }

    public void produce(String topic, String key, String value) {
        produce(List.of(new ProducerRecord<>(topic, bytes(key), bytes(value))));
    }

    /** Sends every record and waits until all are acknowledged. */
    public void produce(List<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> p = producer();
        List<Future<?>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<byte[], byte[]> record : records) {
            acks.add(p.send(record));
        }
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
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            // Not idempotent: Kafka 4.3's idempotent producer can wedge on OUT_OF_ORDER_SEQUENCE_NUMBER when its first
            // batch meets a partition whose leader is still being set up (seen on a loaded CI machine). One request
            // in flight keeps retries in order, which is all the tests need.
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            props.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
            producer = connect.kafka().createProducer(props);
        }
        return producer;
    }

    /** Consumes at least {@code n} records from the start of the topics, failing after {@code timeout}. */
    public List<ConsumerRecord<byte[], byte[]>> consume(int n, Duration timeout, String... topics) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        connect.kafka().consume(n, timeout.toMillis(), topics).forEach(out::add);
        return out;
    }

    /** Consumes everything up to the topics' current end offsets. */
    public List<ConsumerRecord<byte[], byte[]>> consumeAll(Duration timeout, String... topics) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try {
            connect.kafka().consumeAll(timeout.toMillis(), topics).forEach(out::add);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + Arrays.toString(topics) + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads at least {@code n} dead letters with their headers decoded. */
    public List<DeadLetter> readDeadLetters(String topic, int n, Duration timeout) {
        return consume(n, timeout, topic).stream()
                .map(ConnectCluster::toDeadLetter)
                .toList();
    }

    private static DeadLetter toDeadLetter(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(
                    header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetter(record, headers);
    }

    // ---- connectors ---------------------------------------------------------------------------------------------

    public void configureConnector(String name, Map<String, String> config) {
        connect.configureConnector(name, config);
    }

    public void deleteConnector(String name) {
        connect.deleteConnector(name);
    }

    /** Deletes those of these connectors that exist (for @AfterEach clean-up of tests that create only some). */
    public void deleteConnectorsIfPresent(String... names) {
        for (String name : names) {
            try {
                connect.deleteConnector(name);
            } catch (RuntimeException e) {
                // not created by this test
            }
        }
    }

    public ConnectorStateInfo status(String name) {
        return connect.connectorStatus(name);
    }

    /** Waits until the connector and exactly {@code tasks} tasks report RUNNING through the REST API. */
    public void awaitRunning(String name, int tasks, Duration timeout) {
        awaitCondition("connector " + name + " RUNNING with " + tasks + " task(s)", timeout, () -> {
            ConnectorStateInfo info = statusOrNull(name);
            return info != null
                    && AbstractStatus.State.RUNNING
                            .name()
                            .equals(info.connector().state())
                    && info.tasks().size() == tasks
                    && info.tasks().stream()
                            .allMatch(t -> AbstractStatus.State.RUNNING.name().equals(t.state()));
        });
    }

    /** Waits until some task of the connector is FAILED and returns its trace (first line = what Kafka UI shows). */
    public String awaitTaskFailed(String name, Duration timeout) {
        String[] trace = new String[1];
        awaitCondition("a FAILED task of " + name, timeout, () -> {
            ConnectorStateInfo info = statusOrNull(name);
            if (info == null) {
                return false;
            }
            return info.tasks().stream()
                    .filter(t -> AbstractStatus.State.FAILED.name().equals(t.state()))
                    .peek(t -> trace[0] = t.trace())
                    .findFirst()
                    .isPresent();
        });
        return trace[0];
    }

    private ConnectorStateInfo statusOrNull(String name) {
        try {
            return connect.connectorStatus(name);
        } catch (RuntimeException e) {
            return null; // not created yet or the worker has not joined the group yet
        }
    }

    /** Runs PUT /connector-plugins/{class}/config/validate. */
    public ConfigInfos validate(String connectorClass, Map<String, String> config) {
        Map<String, String> withClass = new HashMap<>(config);
        withClass.put("connector.class", connectorClass);
        String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        return connect.validateConnectorConfig(simpleName, withClass);
    }

    /** Validation errors by config key, only for keys that have errors. */
    public static Map<String, List<String>> errorsByKey(ConfigInfos infos) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (info.configValue() != null && !info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        return errors;
    }

    /** Plugin class names the worker found (connectors, transforms, predicates, converters). */
    public List<String> pluginClasses() {
        RestResponse response = rest("GET", "connector-plugins?connectorsOnly=false", null);
        try {
            List<String> classes = new ArrayList<>();
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body())
                    .forEach(node -> classes.add(node.get("class").asText()));
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected body from GET /connector-plugins: " + response.body(), e);
        }
    }

    /** A status code and body from the worker's REST API. */
    public record RestResponse(int status, String body) {}

    /** Calls the worker's REST API, e.g. {@code rest("PUT", "connectors/x/stop", null)}; JSON body or null. */
    public RestResponse rest(String method, String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new RestResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public void awaitCondition(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.debug("while waiting for {}: {}", what, e.toString());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        connect.stop();
    }

    static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Lists the plugin directories under the plugin.path (for diagnostics). */
    public List<String> pluginDirectories() {
        try (Stream<Path> dirs = Files.list(pluginPath)) {
            return dirs.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
