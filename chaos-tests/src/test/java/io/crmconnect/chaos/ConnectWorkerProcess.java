package io.crmconnect.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A distributed-mode Connect worker ({@code ConnectDistributed}) in its own JVM with the built plugins on
 * plugin.path. Its REST port is fixed at creation, so a restarted worker comes back at the same address.
 */
final class ConnectWorkerProcess {
    private final String name;
    private final Path properties;
    private final Path log;
    private final int port;
    private JvmProcess process;

    private ConnectWorkerProcess(String name, Path properties, Path log, int port) {
        this.name = name;
        this.properties = properties;
        this.log = log;
        this.port = port;
    }

    static ConnectWorkerProcess create(Path runDir, String name, String bootstrapServers, Path pluginPath) {
        int port = Ports.free();
        Path properties = runDir.resolve(name + ".properties");
        try {
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "bootstrap.servers=" + bootstrapServers,
                            "group.id=chaos-connect",
                            "listeners=http://127.0.0.1:" + port,
                            "rest.advertised.host.name=127.0.0.1",
                            "rest.advertised.port=" + port,
                            "plugin.path=" + pluginPath,
                            "plugin.discovery=service_load",
                            "key.converter=org.apache.kafka.connect.storage.StringConverter",
                            "value.converter=org.apache.kafka.connect.json.JsonConverter",
                            "value.converter.schemas.enable=true",
                            "config.storage.topic=chaos-connect-configs",
                            "offset.storage.topic=chaos-connect-offsets",
                            "status.storage.topic=chaos-connect-status",
                            "config.storage.replication.factor=1",
                            "offset.storage.replication.factor=1",
                            "offset.storage.partitions=5",
                            "status.storage.replication.factor=1",
                            "status.storage.partitions=1",
                            "offset.flush.interval.ms=2000",
                            "topic.creation.enable=true",
                            "connector.client.config.override.policy=All",
                            // a dead worker is noticed in ~10 s and its tasks reassigned 10 s later (defaults: 10 s, 5
                            // min)
                            "session.timeout.ms=10000",
                            "heartbeat.interval.ms=2000",
                            "scheduled.rebalance.max.delay.ms=10000",
                            // a dead sink task's consumer leaves its group in 10 s rather than 45 s
                            "consumer.session.timeout.ms=10000",
                            "consumer.heartbeat.interval.ms=2000",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConnectWorkerProcess(name, properties, runDir.resolve("logs/" + name + ".log"), port);
    }

    /** Starts the worker process (again) without waiting: {@link ChaosCluster} waits until it is healthy. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = JvmProcess.start(
                name,
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of("-Xmx768m", "-Xms128m"),
                List.of(properties.toString()),
                log);
    }

    /** kill -9 of the worker process. */
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

    String name() {
        return name;
    }

    /** The worker id Connect reports in task status ({@code host:port}). */
    String workerId() {
        return "127.0.0.1:" + port;
    }

    String restUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path log() {
        return log;
    }
}
