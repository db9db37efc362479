package io.crmconnect.hubspot.source;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.common.connector.TaskConfigs;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotException;
import io.crmconnect.hubspot.client.ObjectSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HubSpot CRM → Kafka. Streams (objects, owners, pipelines, association pairs) are spread over {@code tasks.max}
 * tasks; each task gets an equal share of the connector's rate budget. Custom objects are discovered at start and
 * re-read periodically ({@link CustomObjectDiscovery}); when they change, Connect reconfigures the tasks.
 */
public class HubSpotSourceConnector extends SourceConnector {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSourceConnector.class);
    private Map<String, String> props;
    /** Replaced when the custom objects change (from the discovery thread). */
    private volatile List<StreamId> streams;

    private CustomObjectDiscovery discovery;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public ConfigDef config() {
        return HubSpotSourceConfig.CONFIG;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HubSpotSourceTask.class;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = new HashMap<>(props);
        HubSpotSourceConfig config = new HubSpotSourceConfig(props);
        List<ObjectSchema> custom = List.of();
        if (StreamPlanner.wantsCustomObjects(config)) {
            discovery = new CustomObjectDiscovery(
                    config,
                    new HubSpotClientFactory(config.connection()).connectorClient(),
                    props.getOrDefault("name", "hubspot-source"));
            try {
                custom = discovery.discover();
            } catch (RuntimeException e) {
                discovery.close();
                discovery = null;
                throw e;
            }
        }
        streams = StreamPlanner.plan(config, custom);
        LOG.info("HubSpot source: {} streams {}", streams.size(), streams);
        if (discovery != null) {
            discovery.startRefreshing(fresh -> {
                List<StreamId> planned = StreamPlanner.plan(config, fresh);
                if (!planned.equals(streams)) {
                    LOG.info("HubSpot source: {} streams {}; reconfiguring the tasks", planned.size(), planned);
                    streams = planned;
                    context.requestTaskReconfiguration();
                }
            });
        }
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> encoded = streams.stream().map(StreamId::encode).toList();
        return TaskConfigs.roundRobin(
                props, encoded, maxTasks, HubSpotSourceConfig.TASK_STREAMS, HubSpotSourceConfig.TASK_COUNT);
    }

    @Override
    public void stop() {
        if (discovery != null) {
            discovery.close();
            discovery = null;
        }
    }

    /**
     * Static checks, then bounded live checks (at most one call per selected object, short retry budget): the token
     * (on {@code hubspot.access.token}), missing scopes and unknown objects (on {@code objects.include}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, HubSpotSourceConfig.CONFIG)) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byName = LiveValidation.byKey(result);
        HubSpotSourceConfig config;
        try {
            config = new HubSpotSourceConfig(connectorConfigs);
        } catch (ConfigException e) {
            LiveValidation.report(e, byName, HubSpotSourceConfig.ACCESS_TOKEN);
            return result;
        }
        for (String h : config.getList(HubSpotSourceConfig.PROPERTY_HISTORY)) {
            String object = h.trim().substring(0, h.trim().indexOf('.'));
            if (HubSpotSourceConfig.STANDARD_OBJECTS.contains(object) && !config.selected(object, null)) {
                byName.get(HubSpotSourceConfig.PROPERTY_HISTORY)
                        .addErrorMessage("'" + h.trim() + "' names " + object
                                + ", which objects.include / objects.exclude do not select");
            }
        }
        String authKey = config.connection().credentialKey();
        try (HubSpotClient c = new HubSpotClientFactory(config.connection()).validationClient()) {
            List<String> toCheck = new ArrayList<>();
            List<String> include = config.getList(HubSpotSourceConfig.OBJECTS_INCLUDE);
            Set<String> customNames = new LinkedHashSet<>();
            for (String inc : include) {
                if (!HubSpotSourceConfig.STANDARD_OBJECTS.contains(inc)
                        && !HubSpotSourceConfig.META_OBJECTS.contains(inc)) {
                    customNames.add(inc);
                }
            }
            for (String o : HubSpotSourceConfig.STANDARD_OBJECTS) {
                if (config.selected(o, null)) {
                    toCheck.add(o);
                }
            }
            // the token first: one call; a 401 makes every other check pointless
            try {
                c.list(toCheck.isEmpty() ? "contacts" : toCheck.get(0), List.of(), null, null, 1, false);
            } catch (HubSpotApiException e) {
                if (e.isAuthentication()) {
                    byName.get(authKey)
                            .addErrorMessage("HubSpot rejected the credentials (HTTP 401 " + e.category()
                                    + "); check the token or OAuth settings");
                    return result;
                }
            }
            ConfigValue objectsKey = byName.get(HubSpotSourceConfig.OBJECTS_INCLUDE);
            for (String o : toCheck) {
                checkObject(c, o, o, objectsKey, include.contains(o));
            }
            if (!customNames.isEmpty()) {
                Map<String, String> known = new HashMap<>();
                try {
                    for (ObjectSchema s : c.schemas()) {
                        known.put(s.name(), s.objectTypeId());
                        known.put(s.objectTypeId(), s.objectTypeId());
                        if (s.fullyQualifiedName() != null) {
                            known.put(s.fullyQualifiedName(), s.objectTypeId());
                        }
                    }
                } catch (HubSpotApiException e) {
                    objectsKey.addErrorMessage(
                            "Custom objects " + customNames + " cannot be checked: " + e.getMessage());
                }
                for (String name : customNames) {
                    if (!known.containsKey(name)) {
                        objectsKey.addErrorMessage("Unknown object '" + name + "': not a standard object and no "
                                + "custom object schema has this name or objectTypeId");
                    } else {
                        checkObject(c, known.get(name), name, objectsKey, true);
                    }
                }
            }
        } catch (HubSpotException e) {
            byName.get(HubSpotSourceConfig.BASE_URL).addErrorMessage("HubSpot could not be reached: " + e.getMessage());
        }
        return result;
    }

    private static void checkObject(HubSpotClient c, String type, String name, ConfigValue key, boolean explicit) {
        try {
            c.list(type, List.of(), null, null, 1, false);
        } catch (HubSpotApiException e) {
            if (e.isMissingScopes()) {
                key.addErrorMessage("The app lacks a scope needed to read '" + name + "' (HTTP 403 MISSING_SCOPES): "
                        + "grant it, or exclude the object with objects.exclude");
            } else if (explicit || !e.isNotFound()) {
                key.addErrorMessage("Object '" + name + "' cannot be read: " + e.getMessage());
            }
        }
    }

    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        // offsets are produced with the records they describe; with EOS they commit atomically with them
        return ExactlyOnceSupport.SUPPORTED;
    }

    /** KIP-875: only well-formed offsets of our own streams are accepted (null = reset a partition). */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            Object stream = e.getKey() == null ? null : e.getKey().get("stream");
            if (!(stream instanceof String) || e.getKey().size() != 1) {
                throw new ConnectException("Unknown source partition " + e.getKey()
                        + ": expected {\"stream\": \"<object>\"}, {\"stream\": \"<object>#deletes\"} or "
                        + "{\"stream\": \"<object>#ids\"}");
            }
            Map<String, ?> off = e.getValue();
            if (off == null) {
                continue;
            }
            OffsetCodec.validate((String) stream, off);
        }
        return true;
    }
}
