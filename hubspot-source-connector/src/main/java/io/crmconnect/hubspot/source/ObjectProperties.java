package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.PropertyDefinition;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An object's selected property definitions, re-read every {@code properties.refresh.interval.ms}: a property added in
 * HubSpot extends the value schema ({@link SchemaMapper}) without a restart.
 */
final class ObjectProperties {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectProperties.class);
    /** A failed refresh is tried again this much later (the known definitions serve meanwhile). */
    private static final long RETRY_REFRESH_MS = 10_000;

    private final HubSpotSourceConfig config;
    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final SchemaMapper mapper;
    private final boolean history;
    private final long refreshInterval;
    private boolean mergedIds;
    private List<String> historyProperties = List.of();
    private long nextRefresh;

    ObjectProperties(HubSpotSourceConfig config, HubSpotClient client, String objectType, String name) {
        this.config = config;
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.mapper = new SchemaMapper(
                name,
                config.numberMapping() == HubSpotSourceConfig.NumberMapping.DECIMAL,
                config.getInt(HubSpotSourceConfig.DECIMAL_SCALE),
                config.multiCheckboxMapping() == HubSpotSourceConfig.MultiCheckboxMapping.ARRAY);
        this.history = !config.getList(HubSpotSourceConfig.PROPERTY_HISTORY).isEmpty();
        this.refreshInterval = config.getLong(HubSpotSourceConfig.PROPERTIES_REFRESH_MS);
    }

    /** Reads the definitions when due (first call, then every refresh interval). */
    void refresh(long now) {
        if (mapper.schema() != null && now < nextRefresh) {
            return;
        }
        List<PropertyDefinition> found;
        try {
            found = client.properties(objectType);
        } catch (HubSpotRetriableException e) {
            if (mapper.schema() == null) {
                throw e; // nothing to read records with yet
            }
            // the known definitions serve until a later refresh succeeds
            LOG.debug("HubSpot {}: property refresh deferred: {}", name, e.getMessage());
            nextRefresh = now + Math.max(e.retryAfterMillis(), RETRY_REFRESH_MS);
            return;
        }
        List<PropertyDefinition> defs = new ArrayList<>();
        for (PropertyDefinition d : found) {
            if (!config.propertyExcluded(name, d.name())) {
                defs.add(d);
            }
            if ("hs_merged_object_ids".equals(d.name())) {
                mergedIds = true;
            }
        }
        int before = mapper.version();
        if (mapper.update(defs) && before > 0) {
            LOG.info(
                    "HubSpot {}: new properties found, schema version {} ({} properties)",
                    name,
                    mapper.version(),
                    mapper.propertyNames().size());
        }
        if (history) {
            historyProperties = config.historyProperties(name, mapper.propertyNames());
        }
        nextRefresh = now + refreshInterval;
    }

    SchemaMapper mapper() {
        return mapper;
    }

    /** The selected properties, in schema order. */
    List<String> names() {
        return mapper.propertyNames();
    }

    /** Whether the object has {@code hs_merged_object_ids} (merges can be seen). */
    boolean hasMergedIds() {
        return mergedIds;
    }

    /** The properties whose history is read (empty = none). */
    List<String> historyProperties() {
        return historyProperties;
    }
}
