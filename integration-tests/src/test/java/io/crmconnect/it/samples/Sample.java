package io.crmconnect.it.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One connector config as shipped: a Connect REST API body ({"name": .., "config": {..}}) or a Connect standalone
 * .properties file. {@code id} is "&lt;module&gt;/&lt;file&gt;", e.g. "jdbc-sink-connector/jdbc-sink-postgres.json".
 */
record Sample(String id, Path file, String name, Map<String, String> config) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Sample load(String id, Path file) {
        try {
            String text = Files.readString(file);
            Map<String, String> config = new TreeMap<>();
            String name;
            if (file.toString().endsWith(".json")) {
                JsonNode root = JSON.readTree(text);
                name = root.path("name").asText();
                root.path("config")
                        .fields()
                        .forEachRemaining(
                                e -> config.put(e.getKey(), e.getValue().asText()));
            } else {
                Properties properties = new Properties();
                properties.load(new StringReader(text));
                properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
                name = config.remove("name");
            }
            if (name == null || name.isBlank()) {
                throw new IllegalStateException(id + " has no connector name");
            }
            return new Sample(id, file, name, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String get(String key) {
        return config.get(key);
    }

    /** The config with {@code changes} applied on top; every other key stays exactly as shipped. */
    Map<String, String> with(Map<String, String> changes) {
        Map<String, String> out = new LinkedHashMap<>(config);
        out.putAll(changes);
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
