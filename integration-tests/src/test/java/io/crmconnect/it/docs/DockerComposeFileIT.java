package io.crmconnect.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the compose file is checked offline: CI runs {@code docker-compose config -q}, and
 * this test checks what that cannot — every image is pinned and documented, every mounted file exists after the build,
 * and the Connect worker's plugin.path names exactly the mounted plugin directories.
 */
class DockerComposeFileIT {
    private static final Path DOCKER =
            Path.of(System.getProperty("crmconnect.repo.root")).resolve("docker");

    @Test
    void imagesArePinnedAndDocumented() throws Exception {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        for (JsonNode service : services()) {
            String image = service.path("image").asText();
            assertThat(image).as("image of every service").isNotBlank();
            assertThat(image)
                    .as(image + " is pinned to a tag")
                    .matches("[^:]+:[^:]+")
                    .doesNotEndWith(":latest");
            assertThat(readme).as(image + " is listed in docker/README.md").contains("`" + image + "`");
        }
    }

    @Test
    void everyMountedFileOrDirectoryExistsAfterTheBuild() throws Exception {
        List<String> missing = new ArrayList<>();
        int mounts = 0;
        for (JsonNode service : services()) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    mounts++;
                    if (!Files.exists(DOCKER.resolve(source).normalize())) {
                        missing.add(source);
                    }
                }
            }
        }
        assertThat(mounts).isGreaterThan(5);
        assertThat(missing).as("bind-mount sources relative to docker/").isEmpty();
    }

    @Test
    void workerPluginPathIsExactlyTheMountedPluginDirectories() throws Exception {
        JsonNode connect = compose().path("services").path("connect");
        List<String> mountedPlugins = new ArrayList<>();
        for (JsonNode volume : connect.path("volumes")) {
            String target = volume.asText().split(":")[1];
            if (target.startsWith("/opt/crmconnect/plugins/")) {
                mountedPlugins.add(target);
            }
        }
        Properties worker = new Properties();
        worker.load(new StringReader(Files.readString(DOCKER.resolve("connect-distributed.properties"))));
        assertThat(Arrays.asList(worker.getProperty("plugin.path").split(",")))
                .containsExactlyInAnyOrderElementsOf(mountedPlugins);
        assertThat(worker.getProperty("plugin.discovery")).isEqualTo("service_load");
    }

    @Test
    void aComposeNetworkNotTheHostsEveryPluginMountedEveryQuickstartSinkRegistered() throws Exception {
        Path repo = DOCKER.getParent();
        for (JsonNode service : services()) {
            assertThat(service.path("network_mode").asText())
                    .as("no host networking (Docker Desktop differs)")
                    .isNotEqualTo("host");
        }
        List<String> mounts = new ArrayList<>();
        compose()
                .path("services")
                .path("connect")
                .path("volumes")
                .forEach(v -> mounts.add(v.asText().split(":")[0]));
        try (var modules = Files.list(repo)) {
            for (Path module : modules.filter(m -> Files.exists(m.resolve("src/main/connect-plugin/manifest.json")))
                    .toList()) {
                assertThat(mounts)
                        .as("connect mounts the plugin " + module.getFileName())
                        .contains("../" + module.getFileName() + "/target/plugin-path");
            }
        }
        List<String> registered = new ArrayList<>();
        compose()
                .path("services")
                .path("register-connectors")
                .path("volumes")
                .forEach(v -> registered.add(v.asText().split(":")[0]));
        assertThat(registered)
                .contains(
                        "../hubspot-source-connector/src/main/connect-plugin/etc/quickstart-hubspot-source.json",
                        "../jdbc-sink-connector/src/main/connect-plugin/etc/quickstart-postgres-sink.json",
                        "../jdbc-sink-connector/src/main/connect-plugin/etc/quickstart-mariadb-sink.json");
        // the database addresses of those files become service names; the published ports are the files' ports
        String addressMap = compose()
                .path("services")
                .path("register-connectors")
                .path("environment")
                .path("ADDRESS_MAP")
                .asText();
        assertThat(addressMap).contains("127.0.0.1:15432=postgres:5432", "127.0.0.1:13306=mariadb:3306");
        assertThat(compose().path("services").path("postgres").path("ports").toString())
                .contains("15432:5432");
        assertThat(compose().path("services").path("mariadb").path("ports").toString())
                .contains("13306:3306");
    }

    private static JsonNode compose() throws Exception {
        return new ObjectMapper(new YAMLFactory())
                .readTree(DOCKER.resolve("docker-compose.yml").toFile());
    }

    private static List<JsonNode> services() throws Exception {
        List<JsonNode> services = new ArrayList<>();
        compose().path("services").forEach(services::add);
        assertThat(services).isNotEmpty();
        return services;
    }
}
