package io.crmconnect.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.MariaDbServer;
import io.crmconnect.testharness.PostgresServer;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness end to end with Kafka's own FileStream connectors, loaded from a plugin directory (not the test
 * classpath) through the REST API: records flow file → topic → file, and land in real PostgreSQL and MariaDB.
 */
class ConnectHarnessIT {
    private static ConnectCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ConnectCluster.start("harness");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void pluginsComeFromThePluginPathNotTheTestClasspath() {
        assertThat(cluster.pluginDirectories()).contains("kafka-connect-file");
        assertThat(cluster.pluginClasses())
                .contains(
                        "org.apache.kafka.connect.file.FileStreamSourceConnector",
                        "org.apache.kafka.connect.file.FileStreamSinkConnector");
        assertThat(ConnectHarnessIT.class
                        .getClassLoader()
                        .getResource("org/apache/kafka/connect/file/FileStreamSourceConnector.class"))
                .as("the FileStream connector must not be on the test classpath")
                .isNull();
    }

    @Test
    void sourceAndSinkConnectorsMoveRecordsThroughKafkaIntoBothDatabases(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.txt");
        Path output = dir.resolve("out.txt");
        Files.write(input, List.of("alpha", "beta", "gamma"));
        cluster.createTopic("harness-lines", 1);

        cluster.configureConnector(
                "file-source",
                Map.of(
                        "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                        "tasks.max", "1",
                        "file", input.toString(),
                        "topic", "harness-lines",
                        "value.converter", "org.apache.kafka.connect.storage.StringConverter"));
        cluster.configureConnector(
                "file-sink",
                Map.of(
                        "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "tasks.max", "1",
                        "file", output.toString(),
                        "topics", "harness-lines",
                        "value.converter", "org.apache.kafka.connect.storage.StringConverter"));
        cluster.awaitRunning("file-source", 1, Duration.ofSeconds(60));
        cluster.awaitRunning("file-sink", 1, Duration.ofSeconds(60));

        List<String> lines = cluster.consume(3, Duration.ofSeconds(60), "harness-lines").stream()
                .map(ConsumerRecord::value)
                .map(v -> new String(v, StandardCharsets.UTF_8))
                .toList();
        assertThat(lines).containsExactly("alpha", "beta", "gamma");
        cluster.awaitCondition(
                "the sink to write 3 lines",
                Duration.ofSeconds(60),
                () -> Files.exists(output) && readLines(output).size() == 3);
        assertThat(readLines(output)).containsExactly("alpha", "beta", "gamma");

        for (SqlServer server : List.of(PostgresServer.shared(), MariaDbServer.shared())) {
            String db = server.createDatabase("harness");
            server.update(db, "CREATE TABLE harness_lines (position INT PRIMARY KEY, line VARCHAR(20) NOT NULL)");
            for (int i = 0; i < lines.size(); i++) {
                server.update(db, "INSERT INTO harness_lines VALUES (?, ?)", i, lines.get(i));
            }
            assertThat(server.query(db, "SELECT line FROM harness_lines ORDER BY position"))
                    .extracting(row -> row.get("line"))
                    .as(server.kind())
                    .containsExactly("alpha", "beta", "gamma");
        }
    }

    @Test
    void restApiReportsConfigErrorsOnTheirKeys() {
        var infos = cluster.validate(
                "org.apache.kafka.connect.file.FileStreamSinkConnector",
                Map.of("name", "bad-sink", "tasks.max", "not-a-number", "topics", "t"));
        assertThat(ConnectCluster.errorsByKey(infos)).containsKey("tasks.max");
    }

    private static List<String> readLines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
