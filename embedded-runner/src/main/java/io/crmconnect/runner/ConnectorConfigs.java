package io.crmconnect.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads a connector's config the way users keep it for the Connect REST API (a JSON request body or a
 * .properties file), adds the pipeline file's inline keys for it, and resolves config-provider references with the
 * providers the pipeline file declares (as a worker resolves them before the connector sees its config).
 */
public final class ConnectorConfigs implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ConfigProvider> providers = new HashMap<>();

    /** Instantiates the providers named in {@code config.providers} (worker syntax). */
    public ConnectorConfigs(Map<String, String> pipelineProps, List<String> providerNames) {
        for (String name : providerNames) {
            String prefix = PipelineConfig.CONFIG_PROVIDERS + "." + name + ".";
            String className = pipelineProps.get(prefix + "class");
            if (className == null) {
                throw new PipelineException(
                        ExitCode.CONFIG, "Config provider '" + name + "' has no " + prefix + "class");
            }
            try {
                ConfigProvider provider = Utils.newInstance(className, ConfigProvider.class);
                Map<String, String> params = new HashMap<>();
                pipelineProps.forEach((k, v) -> {
                    if (k.startsWith(prefix + "param.")) {
                        params.put(k.substring((prefix + "param.").length()), v);
                    }
                });
                provider.configure(params);
                providers.put(name, provider);
            } catch (ClassNotFoundException | RuntimeException e) {
                throw new PipelineException(
                        ExitCode.CONFIG,
                        "Config provider '" + name + "' (" + className + ") cannot be created: " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * The connector config: the file's keys (if a file is named), then the inline keys under {@code prefix}, then
     * config-provider references resolved. The name comes from the file's "name", the inline "name" key, or the
     * given default.
     */
    public Map<String, String> load(
            PipelineConfig pipeline,
            Map<String, String> pipelineProps,
            String fileKey,
            String prefix,
            String defaultName) {
        Map<String, String> config = new LinkedHashMap<>();
        String file = pipelineProps.getOrDefault(fileKey, "");
        if (!file.isBlank()) {
            config.putAll(read(pipeline.resolve(file)));
        }
        pipelineProps.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                config.put(k.substring(prefix.length()), v);
            }
        });
        if (config.isEmpty()) {
            throw new PipelineException(
                    ExitCode.CONFIG,
                    "The pipeline names no " + fileKey + " connector: set '" + fileKey + "' to its config file or add '"
                            + prefix + "connector.class' and its keys");
        }
        config.putIfAbsent("name", defaultName);
        return resolveProviders(config);
    }

    private Map<String, String> resolveProviders(Map<String, String> config) {
        if (providers.isEmpty()) {
            return config;
        }
        Map<String, String> resolved = new LinkedHashMap<>(
                new ConfigTransformer(providers).transform(config).data());
        return resolved;
    }

    /** A connector config file: REST request body JSON, a bare config JSON object, or .properties. */
    static Map<String, String> read(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                Map<String, String> out = new LinkedHashMap<>();
                p.stringPropertyNames().stream()
                        .sorted()
                        .forEach(k -> out.put(k, p.getProperty(k).trim()));
                return out;
            }
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new PipelineException(ExitCode.CONFIG, file + " is not a JSON object");
            }
            JsonNode config = root.has("config") && root.get("config").isObject() ? root.get("config") : root;
            Map<String, String> out = new LinkedHashMap<>();
            if (root.has("config") && root.hasNonNull("name")) {
                out.put("name", root.get("name").asText());
            }
            config.fields()
                    .forEachRemaining(e -> out.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
            return out;
        } catch (IOException e) {
            throw new PipelineException(
                    ExitCode.CONFIG, "Cannot read the connector config " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        providers.values().forEach(p -> Utils.closeQuietly(p, "config provider"));
    }
}
