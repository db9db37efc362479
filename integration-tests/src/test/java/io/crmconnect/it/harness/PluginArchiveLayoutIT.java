package io.crmconnect.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Opens every built Confluent Hub archive and checks what a user's worker needs: the documented layout, no jars the
 * worker already provides, and META-INF/services files that name exactly the plugin classes shipped (so
 * plugin.discovery=service_load finds all of them and nothing stale).
 */
class PluginArchiveLayoutIT {
    private static final Path ARCHIVES = Path.of(System.getProperty("crmconnect.plugin.archives"));
    private static final Path PLUGIN_PATH = Path.of(System.getProperty("crmconnect.plugin.path"));
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static final String VERSION = "0.1.0-SNAPSHOT";

    /** Plugin interfaces that service_load discovery looks up. */
    private static final List<String> PLUGIN_INTERFACES = List.of(
            "org.apache.kafka.connect.sink.SinkConnector",
            "org.apache.kafka.connect.source.SourceConnector",
            "org.apache.kafka.connect.transforms.Transformation",
            "org.apache.kafka.connect.transforms.predicates.Predicate",
            "org.apache.kafka.connect.storage.Converter",
            "org.apache.kafka.connect.storage.HeaderConverter",
            "org.apache.kafka.connect.rest.ConnectRestExtension",
            "org.apache.kafka.common.config.provider.ConfigProvider",
            "org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy");

    /** Jar name prefixes of what a Kafka 4.3 worker ships; bundling them breaks classloader isolation. */
    private static final List<String> WORKER_PROVIDED = List.of(
            "kafka-clients-",
            "connect-api-",
            "connect-runtime-",
            "connect-json-",
            "connect-transforms-",
            "slf4j-api-",
            "jackson-core-",
            "jackson-databind-",
            "jackson-annotations-",
            "log4j-");

    @Test
    void everyPluginModuleInTheRepositoryHasABuiltArchiveUnderTest() throws IOException {
        Set<String> pluginModules = new TreeSet<>();
        try (Stream<Path> modules = Files.list(REPO)) {
            modules.filter(m -> Files.exists(m.resolve("src/main/connect-plugin/manifest.json")))
                    .forEach(m -> pluginModules.add("crmconnect-" + m.getFileName() + "-" + VERSION + ".zip"));
        }
        assertThat(archiveNames())
                .as("integration-tests/pom.xml must depend on the plugin archive of every plugin module")
                .containsExactlyInAnyOrderElementsOf(pluginModules);
    }

    /**
     * A plugin class (one named in a META-INF/services file of any jar of any plugin) is in exactly one plugin of the
     * plugin.path the archives unpack to: a worker that finds one class in two plugins has two plugins of one name and
     * picks one of them.
     */
    @Test
    void noPluginClassShipsInTwoArchives() throws IOException {
        Map<String, Set<String>> pluginClassesByPlugin = new TreeMap<>();
        Map<String, Set<String>> classesByPlugin = new TreeMap<>();
        try (Stream<Path> plugins = Files.list(PLUGIN_PATH)) {
            for (Path plugin : plugins.filter(Files::isDirectory).toList()) {
                Set<String> pluginClasses = new TreeSet<>();
                Set<String> classes = new TreeSet<>();
                scanPlugin(plugin, pluginClasses, classes);
                pluginClassesByPlugin.put(plugin.getFileName().toString(), pluginClasses);
                classesByPlugin.put(plugin.getFileName().toString(), classes);
            }
        }
        assertThat(pluginClassesByPlugin.keySet())
                .as("every archive is unpacked on the plugin.path")
                .containsAll(
                        archiveNames().stream().map(n -> n.replace(".zip", "")).toList());

        Map<String, Set<String>> pluginsByPluginClass = new TreeMap<>();
        pluginClassesByPlugin.values().stream().flatMap(Set::stream).distinct().forEach(pluginClass -> {
            String entry = pluginClass.replace('.', '/') + ".class";
            classesByPlugin.forEach((plugin, classes) -> {
                if (classes.contains(entry)) {
                    pluginsByPluginClass
                            .computeIfAbsent(pluginClass, c -> new TreeSet<>())
                            .add(plugin);
                }
            });
        });
        pluginsByPluginClass.values().removeIf(plugins -> plugins.size() < 2);
        assertThat(pluginsByPluginClass)
                .as("plugin classes shipped in more than one plugin (bundle a library jar, "
                        + "not another plugin's jar)")
                .isEmpty();
        assertThat(pluginClassesByPlugin)
                .as("plugin classes found in every plugin")
                .allSatisfy((plugin, classes) -> assertThat(classes).as(plugin).isNotEmpty());
    }

    /** Collects the plugin classes named by service files and every class entry of every jar under a plugin. */
    private static void scanPlugin(Path plugin, Set<String> pluginClasses, Set<String> classes) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.walk(plugin)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                    .toList();
        }
        for (Path file : jars) {
            try (JarFile jar = new JarFile(file.toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    String name = entry.getName();
                    if (name.endsWith(".class")) {
                        classes.add(name);
                    } else if (name.startsWith("META-INF/services/")
                            && PLUGIN_INTERFACES.contains(name.substring("META-INF/services/".length()))) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                                    .lines()
                                    .map(String::strip)
                                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                    .forEach(pluginClasses::add);
                        }
                    }
                }
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> eachArchive() throws IOException {
        return archiveNames().stream()
                .map(name -> DynamicTest.dynamicTest(name, () -> checkArchive(ARCHIVES.resolve(name))));
    }

    private static List<String> archiveNames() throws IOException {
        if (!Files.isDirectory(ARCHIVES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ARCHIVES)) {
            // copy-dependencies names them <artifactId>-<version>-plugin.zip; rename to the Hub naming for clarity
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith("-plugin.zip"))
                    .map(n -> "crmconnect-" + n.replace("-" + VERSION + "-plugin.zip", "") + "-" + VERSION + ".zip")
                    .sorted()
                    .toList();
        }
    }

    private static void checkArchive(Path hubName) throws Exception {
        String base = hubName.getFileName().toString().replace(".zip", "");
        String artifactId = base.substring("crmconnect-".length(), base.length() - VERSION.length() - 1);
        Path file = ARCHIVES.resolve(artifactId + "-" + VERSION + "-plugin.zip");
        Path builtUnderHubName = REPO.resolve(artifactId).resolve("target").resolve(base + ".zip");
        assertThat(builtUnderHubName)
                .as("the module build leaves the archive under its Hub name")
                .exists();

        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> entries = zip.stream().map(ZipEntry::getName).toList();
            assertThat(entries)
                    .as("everything sits under one directory named like the archive")
                    .allMatch(e -> e.startsWith(base + "/"));
            assertThat(entries)
                    .contains(
                            base + "/manifest.json",
                            base + "/doc/README.md",
                            base + "/doc/LICENSE",
                            base + "/doc/licenses/THIRD-PARTY.txt");
            assertThat(entries)
                    .as("sample configs in etc/")
                    .anyMatch(e -> e.startsWith(base + "/etc/") && !e.endsWith("/"));

            JsonNode manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry(base + "/manifest.json")));
            assertThat(manifest.path("name").asText()).isEqualTo(artifactId);
            assertThat(manifest.path("version").asText()).isEqualTo(VERSION);
            assertThat(manifest.path("owner").path("username").asText()).isEqualTo("crmconnect");
            assertThat(manifest.path("component_types").isArray()).isTrue();
            assertThat(manifest.path("title").asText()).isNotBlank();
            assertThat(manifest.path("description").asText()).isNotBlank();
            assertThat(manifest.path("license").isArray()).isTrue();

            List<String> jars = entries.stream()
                    .filter(e -> e.startsWith(base + "/lib/") && e.endsWith(".jar"))
                    .map(e -> e.substring((base + "/lib/").length()))
                    .toList();
            assertThat(jars).contains(artifactId + "-" + VERSION + ".jar");
            assertThat(jars)
                    .as("no jars the Connect worker provides")
                    .noneMatch(j -> WORKER_PROVIDED.stream().anyMatch(j::startsWith));

            Path pluginDir =
                    REPO.resolve(artifactId).resolve("target/plugin-path").resolve(artifactId);
            try (Stream<Path> dirJars = Files.list(pluginDir)) {
                assertThat(dirJars.map(p -> p.getFileName().toString()).toList())
                        .as("the plugin.path directory holds the same jars as the archive's lib/")
                        .containsExactlyInAnyOrderElementsOf(jars);
            }

            checkServiceFiles(zip, base, jars);
        }
    }

    /** Service files of the plugin's own jar must list exactly its concrete public plugin classes. */
    private static void checkServiceFiles(ZipFile zip, String base, List<String> jars) throws Exception {
        Path unpacked = Files.createTempDirectory("plugin-lib-");
        List<URL> urls = new ArrayList<>();
        for (String jar : jars) {
            Path target = unpacked.resolve(jar);
            try (InputStream in = zip.getInputStream(zip.getEntry(base + "/lib/" + jar))) {
                Files.copy(in, target);
            }
            urls.add(target.toUri().toURL());
        }
        String pluginJar = jars.stream()
                .filter(j -> j.startsWith(
                        base.substring("crmconnect-".length(), base.length() - VERSION.length() - 1) + "-"))
                .findFirst()
                .orElseThrow();
        Map<String, Set<String>> declared = new TreeMap<>();
        Map<String, Set<String>> found = new TreeMap<>();
        try (URLClassLoader loader =
                        new URLClassLoader(urls.toArray(URL[]::new), PluginArchiveLayoutIT.class.getClassLoader());
                JarFile jar = new JarFile(unpacked.resolve(pluginJar).toFile())) {
            for (String iface : PLUGIN_INTERFACES) {
                Set<String> names = new TreeSet<>();
                JarEntry serviceFile = jar.getJarEntry("META-INF/services/" + iface);
                if (serviceFile != null) {
                    try (InputStream s = jar.getInputStream(serviceFile)) {
                        new String(s.readAllBytes(), StandardCharsets.UTF_8)
                                .lines()
                                .map(String::strip)
                                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                                .forEach(names::add);
                    }
                }
                declared.put(iface, names);
                found.put(iface, new TreeSet<>());
            }
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.contains("module-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name.replace('/', '.').replace(".class", ""), false, loader);
                if (type.isInterface()
                        || Modifier.isAbstract(type.getModifiers())
                        || !Modifier.isPublic(type.getModifiers())) {
                    continue;
                }
                for (String iface : PLUGIN_INTERFACES) {
                    Class<?> pluginType = Class.forName(iface, false, loader);
                    if (pluginType.isAssignableFrom(type)) {
                        found.get(iface).add(type.getName());
                    }
                }
            }
        }
        assertThat(declared).as("META-INF/services of " + pluginJar).isEqualTo(found);
        assertThat(found.values().stream().mapToInt(Set::size).sum())
                .as("plugin classes in " + pluginJar)
                .isPositive();
    }
}
