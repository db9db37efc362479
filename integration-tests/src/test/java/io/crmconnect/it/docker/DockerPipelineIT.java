package io.crmconnect.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.testharness.ConnectCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The docker/ setup as containers, for machines with a Docker engine: Apache Kafka's image as broker and as Connect
 * worker with the BUILT plugin directories copied onto its plugin.path, the HubSpot simulator jar running inside the
 * worker's container (it listens on loopback only, as in docker-compose.yml), PostgreSQL and MariaDB containers; the
 * quickstart example connectors, registered through the worker's REST API with only the database addresses changed
 * to the containers' network names, must bring every seeded contact into both databases.
 *
 * <p>Skipped, with a JUnit assumption saying so, where no Docker engine answers (as on the CI machines). To run it:
 * {@code mvn -B -pl integration-tests -am verify -Dit.test=DockerPipelineIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false} on a machine where {@code docker info} works.
 */
class DockerPipelineIT {
    static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    static final int CONTACTS = 300;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));

    static Network network;
    static KafkaContainer kafka;
    static PostgreSQLContainer postgres;
    static MariaDBContainer mariadb;
    static GenericContainer<?> connect;
    static boolean docker;

    @BeforeAll
    static void start() {
        docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            return; // the test reports itself skipped, with the reason
        }
        network = Network.newNetwork();
        kafka = new KafkaContainer(KAFKA_IMAGE).withNetwork(network).withListener("kafka:19092");
        postgres = new PostgreSQLContainer("postgres:17.6")
                .withNetwork(network)
                .withNetworkAliases("postgres")
                .withDatabaseName("crm");
        mariadb = new MariaDBContainer("mariadb:11.4")
                .withNetwork(network)
                .withNetworkAliases("mariadb")
                .withDatabaseName("crm")
                .withUsername("crm")
                .withPassword("crm")
                .withCommand("--local-infile=1");
        kafka.start();
        postgres.start();
        mariadb.start();
        String worker = String.join(
                "\n",
                "bootstrap.servers=kafka:19092",
                "group.id=crmconnect-docker-it",
                "listeners=http://0.0.0.0:8083",
                "plugin.path=/opt/crmconnect/plugins",
                "plugin.discovery=service_load",
                "key.converter=org.apache.kafka.connect.json.JsonConverter",
                "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "config.storage.topic=it-configs",
                "offset.storage.topic=it-offsets",
                "status.storage.topic=it-status",
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.flush.interval.ms=2000",
                "");
        connect = new GenericContainer<>(KAFKA_IMAGE)
                .withNetwork(network)
                .dependsOn(kafka)
                .withCopyFileToContainer(
                        MountableFile.forHostPath(ConnectCluster.pluginPathFromBuild()), "/opt/crmconnect/plugins")
                .withCopyFileToContainer(
                        MountableFile.forHostPath(REPO.resolve("simulators/target/hubspot-simulator.jar")),
                        "/opt/simulator/hubspot-simulator.jar")
                .withCopyToContainer(Transferable.of(worker), "/etc/crmconnect/connect-distributed.properties")
                .withCommand(
                        "sh",
                        "-c",
                        "java -Xmx256m -jar /opt/simulator/hubspot-simulator.jar --port 8089 "
                                + "--seed 42 --contacts " + CONTACTS
                                + " --token pat-quickstart-token > /tmp/simulator.log 2>&1 & "
                                + "exec /opt/kafka/bin/connect-distributed.sh /etc/crmconnect/connect-distributed.properties")
                .withExposedPorts(8083)
                .waitingFor(Wait.forHttp("/connectors").forPort(8083).withStartupTimeout(Duration.ofMinutes(3)));
        connect.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {connect, mariadb, postgres, kafka, network}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    @Test
    void hubSpotSimulatorToPostgresAndMariaDbThroughContainers() throws Exception {
        assumeTrue(
                docker,
                "No Docker engine on this machine: DockerPipelineIT runs only where `docker info` works "
                        + "(see its javadoc and docker/README.md)");
        register("hubspot-source-connector/src/main/connect-plugin/etc/quickstart-hubspot-source.json", Map.of());
        register(
                "jdbc-sink-connector/src/main/connect-plugin/etc/quickstart-postgres-sink.json",
                Map.of(
                        "127.0.0.1:15432",
                        "postgres:5432",
                        "\"connection.password\": \"postgres\"",
                        "\"connection.password\": \"" + postgres.getPassword() + "\"",
                        "\"connection.user\": \"postgres\"",
                        "\"connection.user\": \"" + postgres.getUsername() + "\""));
        register(
                "jdbc-sink-connector/src/main/connect-plugin/etc/quickstart-mariadb-sink.json",
                Map.of("127.0.0.1:13306", "mariadb:3306"));
        awaitRows(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
        awaitRows(mariadb.getJdbcUrl(), "crm", "crm");
    }

    static void register(String example, Map<String, String> replacements) throws Exception {
        String text = Files.readString(REPO.resolve(example));
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        JsonNode body = JSON.readTree(text);
        ObjectNode config = (ObjectNode) body.path("config");
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + connect.getHost() + ":"
                                        + connect.getMappedPort(8083) + "/connectors/"
                                        + body.path("name").asText() + "/config"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString(config.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
    }

    static void awaitRows(String url, String user, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long rows = -1;
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url, user, password);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM hubspot_contacts")) {
                rs.next();
                rows = rs.getLong(1);
                if (rows == CONTACTS) {
                    return;
                }
            } catch (SQLException e) {
                // the sink has not created the table yet
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(url + ": " + rows + " of " + CONTACTS + " contacts after 3 minutes");
    }
}
