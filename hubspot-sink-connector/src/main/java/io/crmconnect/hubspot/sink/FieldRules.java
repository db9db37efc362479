package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.CrmObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what is written of a record given the current HubSpot record: protected and read-only properties are
 * never sent, fill-if-missing properties only when HubSpot's value is empty, nulls skipped or cleared, and skip
 * guards (AND of conditions within a guard, OR across guards) skip the record altogether.
 */
final class FieldRules {
    private final PropertyCatalog catalog;
    private final Set<String> protectedProps;
    private final Set<String> fillIfMissing;
    private final List<SkipGuard> guards;
    private final boolean clearNulls;

    FieldRules(HubSpotSinkConfig config, PropertyCatalog catalog) {
        this.catalog = catalog;
        this.protectedProps = new HashSet<>(config.getList(HubSpotSinkConfig.PROTECTED));
        this.fillIfMissing = new HashSet<>(config.getList(HubSpotSinkConfig.FILL_IF_MISSING));
        this.guards = config.skipGuards();
        this.clearNulls = config.nullHandling() == HubSpotSinkConfig.NullHandling.CLEAR;
    }

    /** Whether the rules need the current HubSpot record (guards, fill-if-missing). */
    boolean needCurrentRecord() {
        return !guards.isEmpty() || !fillIfMissing.isEmpty();
    }

    /** HubSpot properties the rules read from the current record. */
    Set<String> readProperties() {
        Set<String> out = new HashSet<>(fillIfMissing);
        guards.forEach(g -> out.addAll(g.properties()));
        return out;
    }

    /** Whether a guard matches the current HubSpot record, so the incoming record is skipped. */
    boolean skipped(CrmObject current) {
        if (current == null) {
            return false;
        }
        for (SkipGuard g : guards) {
            if (g.matches(current)) {
                return true;
            }
        }
        return false;
    }

    /** The properties to send given the current HubSpot record (null on create). */
    Map<String, String> apply(Map<String, String> props, CrmObject current) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            String prop = e.getKey();
            String v = e.getValue();
            if (protectedProps.contains(prop)) {
                continue;
            }
            PropertyCatalog.Prop def = catalog.get(prop);
            if (def != null && def.readOnly()) {
                continue;
            }
            if (fillIfMissing.contains(prop) && current != null) {
                String have = current.property(prop);
                if (have != null && !have.isEmpty()) {
                    continue;
                }
            }
            if (v == null) {
                if (clearNulls && current != null) {
                    out.put(prop, "");
                }
                continue;
            }
            out.put(prop, v);
        }
        return out;
    }
}
