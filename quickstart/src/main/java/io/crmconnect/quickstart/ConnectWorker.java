package io.crmconnect.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A distributed-mode Connect worker in its own JVM with our built plugins on plugin.path, driven through REST. */
final class ConnectWorker implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final ChildJvm process;

    private ConnectWorker(int port, ChildJvm process) {
        this.port = port;
        this.process = process;
    }

    static ConnectWorker start(Path runDir, String bootstrapServers, int port, List<Path> pluginDirectories) {
        Path properties = runDir.resolve("connect/connect-distributed.properties");
        try {
            Files.createDirectories(properties.getParent());
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "bootstrap.servers=" + bootstrapServers,
                            "group.id=crmconnect-quickstart",
                            "listeners=http://127.0.0.1:" + port,
                            "rest.advertised.host.name=127.0.0.1",
                            "rest.advertised.port=" + port,
                            "plugin.path="
                                    + pluginDirectories.stream()
                                            .map(Path::toString)
                                            .collect(Collectors.joining(",")),
                            "plugin.discovery=service_load",
                            "key.converter=org.apache.kafka.connect.json.JsonConverter",
                            "value.converter=org.apache.kafka.connect.json.JsonConverter",
                            "key.converter.schemas.enable=true",
                            "value.converter.schemas.enable=true",
                            "config.storage.topic=quickstart-connect-configs",
                            "offset.storage.topic=quickstart-connect-offsets",
                            "status.storage.topic=quickstart-connect-status",
                            "config.storage.replication.factor=1",
                            "offset.storage.replication.factor=1",
                            "status.storage.replication.factor=1",
                            "offset.flush.interval.ms=5000",
                            "topic.creation.enable=true",
                            // the samples read secrets with ${file:<path>:<key>}, as a production worker should
                            "config.providers=file",
                            "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm process = ChildJvm.start(
                "connect",
                "org.apache.kafka.connect.cli.ConnectDistributed",
                List.of("-Xmx1g", "-Xms256m"),
                List.of(properties.toString()),
                runDir.resolve("logs/connect.log"));
        Ports.awaitListening(port, "Connect worker", Duration.ofSeconds(90), process);
        ConnectWorker worker = new ConnectWorker(port, process);
        worker.awaitReady(Duration.ofSeconds(90));
        return worker;
    }

    String restUrl() {
        return "http://127.0.0.1:" + port;
    }

    ChildJvm process() {
        return process;
    }

    /** The REST API answers before the worker joined its group: wait until listing connectors works. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (get("/connectors").statusCode() == 200) {
                    return;
                }
            } catch (QuickstartException e) {
                // not up yet
            }
            if (!process.isAlive()) {
                throw new QuickstartException("Connect worker exited during start-up; see " + process.log());
            }
            if (System.nanoTime() > deadline) {
                throw new QuickstartException(
                        "Connect worker not ready within " + timeout.toSeconds() + " s; see " + process.log());
            }
            Ports.sleep(300);
        }
    }

    /**
     * Creates or updates a connector from an example file ({"name": ..., "config": {...}}), after literal
     * replacements (e.g. a default address by the one actually used), with {@code overrides} set (null: removed).
     */
    String register(Path exampleFile, Map<String, String> replacements, Map<String, String> overrides) {
        try {
            String text = Files.readString(exampleFile);
            for (var entry : replacements.entrySet()) {
                text = text.replace(entry.getKey(), entry.getValue());
            }
            JsonNode example = JSON.readTree(text);
            String name = example.path("name").asText();
            ObjectNode config = (ObjectNode) example.path("config");
            overrides.forEach((key, value) -> {
                if (value == null) {
                    config.remove(key);
                } else {
                    config.put(key, value);
                }
            });
            HttpResponse<String> response = send("PUT", "/connectors/" + name + "/config", config.toString());
            if (response.statusCode() >= 300) {
                throw new QuickstartException("Connect rejected " + exampleFile.getFileName() + " ("
                        + response.statusCode() + "): " + response.body());
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "RUNNING", "FAILED: first line of the trace", or "UNASSIGNED" while starting. */
    String state(String connector) {
        HttpResponse<String> response = get("/connectors/" + connector + "/status");
        if (response.statusCode() != 200) {
            return "UNKNOWN";
        }
        try {
            JsonNode status = JSON.readTree(response.body());
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    return "FAILED: "
                            + task.path("trace").asText().lines().findFirst().orElse("");
                }
            }
            if (status.path("tasks").isEmpty()) {
                return "STARTING";
            }
            return status.path("connector").path("state").asText();
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new QuickstartException("Connect REST " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuickstartException("interrupted");
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
