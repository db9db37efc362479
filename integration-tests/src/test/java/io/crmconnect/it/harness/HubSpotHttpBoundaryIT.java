package io.crmconnect.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only {@code hubspot-client} talks HTTP to HubSpot: there the rate budget, retries, token refresh and typed errors
 * apply to every call. The HubSpot plugins' main code may neither use an HTTP client API nor depend on OkHttp
 * directly (a call around the client would bypass the budget, as the sink's property catalog once did).
 */
class HubSpotHttpBoundaryIT {
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static final Pattern HTTP_API =
            Pattern.compile("\\bokhttp3\\.|\\bjava\\.net\\.http\\b|\\bHttpURLConnection\\b|\\.openConnection\\(");

    @Test
    void hubSpotPluginsReachHubSpotOnlyThroughTheClient() throws IOException {
        List<Path> plugins;
        try (Stream<Path> dirs = Files.list(REPO)) {
            plugins = dirs.filter(d -> d.getFileName().toString().startsWith("hubspot-")
                            && !d.getFileName().toString().equals("hubspot-client")
                            && Files.isDirectory(d))
                    .sorted()
                    .toList();
        }
        assertThat(plugins)
                .extracting(p -> p.getFileName().toString())
                .contains("hubspot-source-connector", "hubspot-sink-connector");
        List<String> offenders = new ArrayList<>();
        for (Path plugin : plugins) {
            Path main = plugin.resolve("src/main/java");
            if (Files.isDirectory(main)) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f :
                            files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        List<String> lines = Files.readAllLines(f);
                        for (int i = 0; i < lines.size(); i++) {
                            if (HTTP_API.matcher(lines.get(i)).find()) {
                                offenders.add(REPO.relativize(f) + ":" + (i + 1) + ": "
                                        + lines.get(i).strip());
                            }
                        }
                    }
                }
            }
            Path pom = plugin.resolve("pom.xml");
            if (Files.exists(pom) && Files.readString(pom).contains("<artifactId>okhttp</artifactId>")) {
                offenders.add(REPO.relativize(pom) + ": declares OkHttp");
            }
        }
        assertThat(offenders)
                .as("HTTP to HubSpot outside hubspot-client: use HubSpotClient (HubSpotClientFactory)")
                .isEmpty();
    }
}
