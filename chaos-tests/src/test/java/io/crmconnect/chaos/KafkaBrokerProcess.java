package io.crmconnect.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker+controller in its own JVM. Its ports and data directory are fixed at the first start, so
 * {@link #kill()} then {@link #start()} is a broker crash and recovery on the same address with the same log.
 */
final class KafkaBrokerProcess {
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private JvmProcess process;

    private KafkaBrokerProcess(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    static KafkaBrokerProcess format(Path runDir) {
        Path dir = runDir.resolve("kafka");
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, Ports.free(), Ports.free());
        Path properties = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "process.roles=broker,controller",
                            "node.id=1",
                            "controller.quorum.voters=1@127.0.0.1:" + broker.controllerPort,
                            "listeners=PLAINTEXT://127.0.0.1:" + broker.port + ",CONTROLLER://127.0.0.1:"
                                    + broker.controllerPort,
                            "advertised.listeners=PLAINTEXT://127.0.0.1:" + broker.port,
                            "controller.listener.names=CONTROLLER",
                            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                            "log.dirs=" + dir.resolve("data"),
                            "num.partitions=1",
                            "offsets.topic.replication.factor=1",
                            "offsets.topic.num.partitions=5",
                            "transaction.state.log.replication.factor=1",
                            "transaction.state.log.min.isr=1",
                            "share.coordinator.state.topic.replication.factor=1",
                            "share.coordinator.state.topic.min.isr=1",
                            "min.insync.replicas=1",
                            "group.initial.rebalance.delay.ms=0",
                            "auto.create.topics.enable=false",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JvmProcess.run(
                "kafka-storage format",
                "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                runDir.resolve("logs/kafka-format.log"));
        return broker;
    }

    /** Starts the broker (again) and waits until it accepts connections. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = JvmProcess.start(
                "kafka",
                "kafka.Kafka",
                List.of("-Xmx512m", "-Xms128m"),
                List.of(dir.resolve("server.properties").toString()),
                dir.getParent().resolve("logs/kafka.log"));
        Ports.awaitListening(port, "Kafka broker", Duration.ofSeconds(180), process);
    }

    /** kill -9 of the broker process. */
    synchronized void kill() {
        process.kill();
    }

    synchronized void stop() {
        if (process != null) {
            process.stop();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }
}
