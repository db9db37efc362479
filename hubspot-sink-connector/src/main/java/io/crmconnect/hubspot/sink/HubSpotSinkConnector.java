package io.crmconnect.hubspot.sink;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.connector.LiveValidation;
import io.crmconnect.common.connector.TaskConfigs;
import io.crmconnect.hubspot.client.AssociationType;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka to HubSpot (reverse ETL). {@link #validate(Map)} checks the configuration against the live portal with a few
 * bounded calls: token and scopes, the object, the unique property, mapped / matched / guarded properties and
 * association labels, each problem reported on its key.
 */
public class HubSpotSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        new HubSpotSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HubSpotSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return TaskConfigs.copies(props, maxTasks, HubSpotSinkTask.TASK_COUNT);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return HubSpotSinkConfig.CONFIG;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (LiveValidation.hasStaticErrors(result, HubSpotSinkConfig.CONFIG)) {
            return result; // fix the static problems first; live checks need a valid configuration
        }
        Map<String, ConfigValue> byKey = LiveValidation.byKey(result);
        HubSpotSinkConfig cfg;
        try {
            cfg = new HubSpotSinkConfig(connectorConfigs);
        } catch (ConfigException e) {
            LiveValidation.report(e, byKey, HubSpotSinkConfig.OBJECT);
            return result;
        }
        try (HubSpotClient client = new HubSpotClientFactory(cfg.connection()).validationClient()) {
            liveChecks(cfg, client, byKey);
        } catch (HubSpotException e) {
            byKey.get(HubSpotSinkConfig.BASE_URL).addErrorMessage("HubSpot could not be checked: " + e.getMessage());
        } catch (RuntimeException e) {
            byKey.get(HubSpotSinkConfig.BASE_URL).addErrorMessage("HubSpot could not be checked: " + e);
        }
        return result;
    }

    private static void liveChecks(HubSpotSinkConfig cfg, HubSpotClient client, Map<String, ConfigValue> byKey) {
        String credentialKey = cfg.connection().credentialKey();
        ConfigValue token = byKey.get(credentialKey);
        ConfigValue object = byKey.get(HubSpotSinkConfig.OBJECT);
        String objectType;
        try {
            objectType = PropertyCatalog.resolveObjectType(client, cfg.object());
        } catch (HubSpotApiException e) {
            if (e.isAuthentication()) {
                token.addErrorMessage("HubSpot refused the credentials (401): check " + credentialKey);
                return;
            }
            if (e.isMissingScopes()) {
                object.addErrorMessage("The token lacks a scope to read object schemas (crm.schemas.custom.read) "
                        + "needed to find custom object " + cfg.object() + ": " + e.getMessage());
                return;
            }
            throw e;
        }
        if (objectType == null) {
            object.addErrorMessage("No HubSpot object " + cfg.object() + " in this portal (standard name, 0-x / 2-x "
                    + "id, or a custom object's name)");
            return;
        }
        PropertyCatalog catalog;
        try {
            catalog = PropertyCatalog.load(client, objectType);
        } catch (HubSpotApiException e) {
            if (e.isAuthentication()) {
                token.addErrorMessage("HubSpot refused the credentials (401): check " + credentialKey);
            } else if (e.isMissingScopes()) {
                token.addErrorMessage(
                        "The token lacks the scopes to read " + cfg.object() + " properties: " + e.getMessage());
            } else if (e.isNotFound()) {
                object.addErrorMessage("No HubSpot object " + cfg.object());
            } else {
                object.addErrorMessage("Cannot read the properties of " + cfg.object() + ": " + e.getMessage());
            }
            return;
        }
        // object read scope: one bounded read of at most one record
        try {
            client.list(objectType, List.of(), null, null, 1, false);
        } catch (HubSpotApiException e) {
            if (e.isMissingScopes() || e.isAuthentication()) {
                token.addErrorMessage("The token cannot read " + cfg.object() + " records: " + e.getMessage());
                return;
            }
        }
        // object write scope: archiving an empty list changes nothing; HubSpot checks the scope first (403)
        try {
            client.batchArchive(objectType, List.of());
        } catch (HubSpotApiException e) {
            if (e.isMissingScopes() || e.isAuthentication()) {
                token.addErrorMessage("The token cannot write " + cfg.object() + " records (needs the .write scope): "
                        + e.getMessage());
                return;
            }
        }
        String unique = cfg.getString(HubSpotSinkConfig.UNIQUE_PROPERTY).trim();
        if (!unique.isEmpty()) {
            PropertyCatalog.Prop p = catalog.get(unique);
            if (p == null) {
                byKey.get(HubSpotSinkConfig.UNIQUE_PROPERTY)
                        .addErrorMessage("Property " + unique + " does not exist on " + cfg.object());
            } else if (!catalog.isUniqueKey(unique)) {
                byKey.get(HubSpotSinkConfig.UNIQUE_PROPERTY)
                        .addErrorMessage("Property " + unique + " is not unique "
                                + "(hasUniqueValue=false): HubSpot cannot upsert by it. Use a match tier for non-unique "
                                + "properties.");
            }
        }
        for (String prop : cfg.mapping().values()) {
            PropertyCatalog.Prop p = catalog.get(prop);
            if (p == null) {
                byKey.get(HubSpotSinkConfig.FIELD_MAPPING)
                        .addErrorMessage("Property " + prop + " does not exist on " + cfg.object());
            } else if (p.readOnly() && !cfg.getList(HubSpotSinkConfig.PROTECTED).contains(prop)) {
                byKey.get(HubSpotSinkConfig.FIELD_MAPPING)
                        .addErrorMessage(
                                "Property " + prop + " is read-only (" + p.type() + "); HubSpot rejects writes to it");
            } else if (p.type().equals("object_coordinates") || p.type().equals("json")) {
                byKey.get(HubSpotSinkConfig.FIELD_MAPPING)
                        .addErrorMessage("Property " + prop + " has the internal " + "type " + p.type()
                                + " and cannot be written");
            }
        }
        for (List<String> tier : cfg.tiers()) {
            for (String raw : tier) {
                String prop = raw.endsWith("?") ? raw.substring(0, raw.length() - 1) : raw;
                if (catalog.get(prop) == null) {
                    byKey.get(HubSpotSinkConfig.MATCH_TIERS)
                            .addErrorMessage("Match property " + prop + " does not exist on " + cfg.object());
                } else if (!cfg.mapping().isEmpty() && !cfg.mapping().containsValue(prop)) {
                    byKey.get(HubSpotSinkConfig.MATCH_TIERS)
                            .addErrorMessage(
                                    "Match property " + prop + " is not mapped from any record field (field.mapping)");
                }
            }
        }
        checkExist(catalog, cfg.getList(HubSpotSinkConfig.PROTECTED), byKey.get(HubSpotSinkConfig.PROTECTED), cfg);
        checkExist(
                catalog,
                cfg.getList(HubSpotSinkConfig.FILL_IF_MISSING),
                byKey.get(HubSpotSinkConfig.FILL_IF_MISSING),
                cfg);
        checkExist(
                catalog,
                cfg.skipGuards().stream()
                        .flatMap(g -> g.properties().stream())
                        .distinct()
                        .toList(),
                byKey.get(HubSpotSinkConfig.SKIP_IF),
                cfg);
        for (HubSpotSinkConfig.AssociationRule a : cfg.associations()) {
            ConfigValue v = byKey.get(HubSpotSinkConfig.ASSOCIATIONS);
            String toType = PropertyCatalog.resolveObjectType(client, a.toObject());
            if (toType == null) {
                v.addErrorMessage("Association target object " + a.toObject() + " does not exist");
                continue;
            }
            List<AssociationType> labels = client.associationLabels(objectType, toType);
            boolean found = labels.stream()
                    .anyMatch(t ->
                            a.label() == null ? t.label() == null : a.label().equalsIgnoreCase(t.label()));
            if (!found) {
                v.addErrorMessage(
                        "No association " + (a.label() == null ? "default type" : "label \"" + a.label() + "\"")
                                + " from " + cfg.object() + " to " + a.toObject() + "; existing labels: "
                                + labels.stream().map(AssociationType::label).toList());
            }
        }
    }

    private static void checkExist(PropertyCatalog catalog, List<String> props, ConfigValue v, HubSpotSinkConfig cfg) {
        for (String p : props) {
            if (catalog.get(p) == null) {
                v.addErrorMessage("Property " + p + " does not exist on " + cfg.object());
            }
        }
    }
}
