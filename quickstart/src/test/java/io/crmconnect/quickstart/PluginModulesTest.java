package io.crmconnect.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The worker gets every plugin module of the repository ({@link Scenario#pluginModules()}); quickstart/pom.xml must
 * declare each one's archive, or `quickstart/run.sh` (mvn -pl quickstart -am) would not build it first.
 */
class PluginModulesTest {
    private static final Path REPO = Path.of(System.getProperty(
            "crmconnect.repo.root", Path.of("..").toAbsolutePath().normalize().toString()));

    @Test
    void everyPluginModuleIsLoadedAndBuiltByTheQuickstart() throws Exception {
        Options options = new Options();
        options.repo = REPO;
        List<String> modules =
                Scenario.of(options, REPO.resolve("quickstart/target/run")).pluginModules();
        assertThat(modules)
                .contains(
                        "hubspot-source-connector", "hubspot-sink-connector", "jdbc-sink-connector", "smt-transforms");
        String pom = Files.readString(REPO.resolve("quickstart/pom.xml"));
        for (String module : modules) {
            assertThat(Pattern.compile("<artifactId>" + Pattern.quote(module) + "</artifactId>\\s*<version>[^<]+"
                                    + "</version>\\s*<type>zip</type>")
                            .matcher(pom)
                            .find())
                    .as(module + " is a plugin: declare its zip (classifier plugin) in quickstart/pom.xml")
                    .isTrue();
        }
    }
}
