package io.crmconnect.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.common.ConfigDocs;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference in docs/reference/ is generated from the ConfigDef of every plugin class in the BUILT
 * archives. This test fails when the committed copy is stale; regenerate it with
 * {@code mvn -B verify -pl integration-tests -am -Dit.test=ConfigReferenceIT -Dcrmconnect.docs.update=true}.
 */
class ConfigReferenceIT {
    private static final Path REPO = Path.of(System.getProperty("crmconnect.repo.root"));
    private static final Path REFERENCE = REPO.resolve("docs/reference");
    private static final List<String> SERVICE_FILES = List.of(
            "org.apache.kafka.connect.sink.SinkConnector",
            "org.apache.kafka.connect.source.SourceConnector",
            "org.apache.kafka.connect.transforms.Transformation",
            "org.apache.kafka.connect.transforms.predicates.Predicate");

    @Test
    void committedReferenceMatchesTheBuiltPlugins() throws Exception {
        Map<String, String> expected = render();
        if (Boolean.getBoolean("crmconnect.docs.update")) {
            write(expected);
        }
        Map<String, String> committed = new TreeMap<>();
        if (Files.isDirectory(REFERENCE)) {
            try (Stream<Path> files = Files.walk(REFERENCE)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                    committed.put(REFERENCE.relativize(file).toString(), Files.readString(file));
                }
            }
        }
        assertThat(committed)
                .as("docs/reference is stale: regenerate with mvn -B verify -pl integration-tests -am "
                        + "-Dit.test=ConfigReferenceIT -Dcrmconnect.docs.update=true")
                .isEqualTo(expected);
    }

    /** Relative path → Markdown for every plugin of ours on the plugin.path, plus an index. */
    private static Map<String, String> render() throws Exception {
        Map<String, String> pages = new TreeMap<>();
        StringBuilder index = new StringBuilder("# Configuration reference\n\n"
                + "Generated from each plugin's ConfigDef by `ConfigReferenceIT`; do not edit by hand.\n\n");
        Path pluginPath = ConnectCluster.pluginPathFromBuild();
        List<Path> plugins;
        try (Stream<Path> dirs = Files.list(pluginPath)) {
            plugins = dirs.filter(d -> d.getFileName().toString().startsWith("crmconnect-"))
                    .sorted()
                    .toList();
        }
        for (Path plugin : plugins) {
            String artifactId = plugin.getFileName()
                    .toString()
                    .replaceFirst("^crmconnect-", "")
                    .replaceFirst("-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?$", "");
            index.append("## ").append(artifactId).append("\n\n");
            for (Map.Entry<String, Class<?>> entry :
                    pluginClasses(plugin, artifactId).entrySet()) {
                Class<?> type = entry.getValue();
                String title = entry.getKey();
                String page = artifactId + "/" + title + ".md";
                pages.put(
                        page,
                        ConfigDocs.markdown(
                                title + " (`" + type.getName().replace('$', '.') + "`)",
                                overview(type),
                                configOf(type)));
                index.append("- [").append(title).append("](").append(page).append(")\n");
            }
            index.append('\n');
        }
        pages.put("README.md", index.toString());
        return pages;
    }

    /** Display name → class; nested Key/Value variants of a transform share one page named after the outer class. */
    private static Map<String, Class<?>> pluginClasses(Path plugin, String artifactId) throws Exception {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.walk(plugin)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ConfigReferenceIT.class.getClassLoader());
        Map<String, Class<?>> classes = new TreeMap<>();
        for (String service : SERVICE_FILES) {
            Enumeration<URL> files = loader.findResources("META-INF/services/" + service);
            while (files.hasMoreElements()) {
                URL url = files.nextElement();
                if (!url.toString().contains("/" + artifactId + "-")) {
                    continue; // a bundled dependency's service file, not ours
                }
                try (InputStream in = url.openStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .map(String::strip)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .toList()) {
                        Class<?> type = Class.forName(line, false, loader);
                        Class<?> named = type.getEnclosingClass() != null ? type.getEnclosingClass() : type;
                        classes.putIfAbsent(named.getSimpleName(), type);
                    }
                }
            }
        }
        return classes;
    }

    private static ConfigDef configOf(Class<?> type) throws Exception {
        Object plugin = type.getDeclaredConstructor().newInstance();
        if (plugin instanceof Connector connector) {
            return connector.config();
        }
        if (plugin instanceof Transformation<?> transformation) {
            return transformation.config();
        }
        if (plugin instanceof Predicate<?> predicate) {
            return predicate.config();
        }
        throw new IllegalStateException(type + " is not a connector, transformation or predicate");
    }

    /** A transform's OVERVIEW_DOC (Kafka's convention), if it has one. */
    private static String overview(Class<?> type) {
        for (Class<?> c = type;
                c != null;
                c = c.getEnclosingClass() != null ? c.getEnclosingClass() : c.getSuperclass()) {
            try {
                Field field = c.getField("OVERVIEW_DOC");
                return (String) field.get(null);
            } catch (NoSuchFieldException | IllegalAccessException e) {
                // look further out
            }
            if (c == Object.class) {
                break;
            }
        }
        return null;
    }

    private static void write(Map<String, String> pages) throws IOException {
        if (Files.isDirectory(REFERENCE)) {
            try (Stream<Path> files = Files.walk(REFERENCE)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
                    Files.delete(file);
                }
            }
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = REFERENCE.resolve(page.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, page.getValue());
        }
    }
}
