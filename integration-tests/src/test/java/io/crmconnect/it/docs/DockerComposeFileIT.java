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
    private static final Path DOCKER = Path.of(System.getProperty("crmconnect.repo.root")).resolve("docker");

    @Test
    void imagesArePinnedAndDocumented() throws Exception {
        String readme = Files.readString(DOCKER.resolve("README.md"));
        for (JsonNode service : services()) {
            String image = service.path("image").asText();
            assertThat(image).as("image of every service").isNotBlank();
            assertThat(image).as(image + " is pinned to a tag").matches("[^:]+:[^:]+").doesNotEndWith(":latest");
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

    private static JsonNode compose() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(DOCKER.resolve("docker-compose.yml").toFile());
    }

    private static List<JsonNode> services() throws Exception {
        List<JsonNode> services = new ArrayList<>();
        compose().path("services").forEach(services::add);
        assertThat(services).isNotEmpty();
        return services;
    }
}
