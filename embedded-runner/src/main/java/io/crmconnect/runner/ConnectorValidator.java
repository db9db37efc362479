package io.crmconnect.runner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Checks a connector config the way a worker does before it creates the connector: the class is installed and of
 * the right kind, the framework keys (transforms, predicates, errors.*, topics) are valid, and the connector's own
 * validate() reports no error. Failures name every key that is wrong, as the REST API's 400 answer does.
 */
final class ConnectorValidator {
    private final Plugins plugins;

    ConnectorValidator(Plugins plugins) {
        this.plugins = plugins;
    }

    void validate(String role, Map<String, String> config, Class<? extends Connector> kind) {
        String className = config.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG);
        if (className == null || className.isBlank()) {
            throw new PipelineException(ExitCode.CONFIG, "The " + role + " connector config has no connector.class");
        }
        Class<? extends Connector> type;
        try {
            type = plugins.connectorClass(className);
        } catch (ConnectException e) {
            throw new PipelineException(
                    ExitCode.CONFIG,
                    "The " + role + " connector class " + className
                            + " is not installed on the plugin path (installed: " + installed() + ")",
                    e);
        }
        if (!kind.isAssignableFrom(type)) {
            throw new PipelineException(
                    ExitCode.CONFIG,
                    "The " + role + " connector " + className + " is not a "
                            + (kind == SinkConnector.class ? "sink" : "source") + " connector");
        }
        List<String> errors = new ArrayList<>();
        try {
            if (kind == SinkConnector.class) {
                SinkConnectorConfig.validate(config);
                new SinkConnectorConfig(plugins, config);
            } else {
                new SourceConnectorConfig(plugins, config, false);
            }
        } catch (ConfigException e) {
            errors.add(e.getMessage());
        }
        Connector connector = plugins.newConnector(className);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(connector.getClass().getClassLoader());
        try {
            Config result = connector.validate(config);
            for (ConfigValue v : result.configValues()) {
                for (String message : v.errorMessages()) {
                    errors.add(v.name() + ": " + message);
                }
            }
        } catch (RuntimeException e) {
            errors.add("validate() failed: " + e.getMessage());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        if (!errors.isEmpty()) {
            throw new PipelineException(
                    ExitCode.CONFIG,
                    "The " + role + " connector config (" + className
                            + ") is invalid and contains the following " + errors.size() + " error(s):\n  "
                            + String.join("\n  ", errors));
        }
    }

    private String installed() {
        return plugins.connectors().stream()
                .map(d -> d.className())
                .distinct()
                .sorted()
                .collect(Collectors.joining(", "));
    }

    static List<String> list(String value) {
        return value == null
                ? List.of()
                : Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }
}
