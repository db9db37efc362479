package io.crmconnect.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;

/** A single-node KRaft broker+controller in its own JVM, formatted fresh in the run directory. */
final class KafkaBroker implements AutoCloseable {
    private final int port;
    private final ChildJvm process;

    private KafkaBroker(int port, ChildJvm process) {
        this.port = port;
        this.process = process;
    }

    static KafkaBroker start(Path runDir, int port, int controllerPort) {
        Path dir = runDir.resolve("kafka");
        Path properties = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "process.roles=broker,controller",
                            "node.id=1",
                            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                            "controller.listener.names=CONTROLLER",
                            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                            "log.dirs=" + dir.resolve("data"),
                            "num.partitions=1",
                            "offsets.topic.replication.factor=1",
                            "transaction.state.log.replication.factor=1",
                            "transaction.state.log.min.isr=1",
                            "share.coordinator.state.topic.replication.factor=1",
                            "share.coordinator.state.topic.min.isr=1",
                            "min.insync.replicas=1",
                            "group.initial.rebalance.delay.ms=0",
                            "auto.create.topics.enable=true",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = runDir.resolve("logs/kafka.log");
        ChildJvm.runToCompletion(
                "kafka-storage format",
                "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                log,
                Duration.ofSeconds(60));
        ChildJvm process = ChildJvm.start(
                "kafka", "kafka.Kafka", List.of("-Xmx512m", "-Xms256m"), List.of(properties.toString()), log);
        Ports.awaitListening(port, "Kafka broker", Duration.ofSeconds(60), process);
        return new KafkaBroker(port, process);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    ChildJvm process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
