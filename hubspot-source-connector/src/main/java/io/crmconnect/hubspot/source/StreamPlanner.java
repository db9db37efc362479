package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.ObjectSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The streams a configuration selects, given the custom object schemas the portal has. */
final class StreamPlanner {
    private StreamPlanner() {}

    /** Whether the selection can include a custom object (then the schemas must be read). */
    static boolean wantsCustomObjects(HubSpotSourceConfig config) {
        List<String> include = config.getList(HubSpotSourceConfig.OBJECTS_INCLUDE);
        for (String inc : include) {
            if (!HubSpotSourceConfig.STANDARD_OBJECTS.contains(inc)
                    && !inc.equals("owners")
                    && !inc.equals("pipelines")) {
                return true;
            }
        }
        return include.isEmpty() && config.selected("custom", null);
    }

    /** Standard objects, then custom objects, owners, pipelines and the association pairs between selected objects. */
    static List<StreamId> plan(HubSpotSourceConfig config, List<ObjectSchema> custom) {
        List<StreamId> out = new ArrayList<>();
        Set<String> objects = new LinkedHashSet<>();
        for (String o : HubSpotSourceConfig.STANDARD_OBJECTS) {
            if (config.selected(o, null)) {
                out.add(new StreamId.CrmType(o, o));
                objects.add(o);
            }
        }
        boolean allCustom = config.selected("custom", null)
                && config.getList(HubSpotSourceConfig.OBJECTS_INCLUDE).contains("custom");
        for (ObjectSchema s : custom) {
            if (!s.archived() && (allCustom || config.selected(s.name(), s.objectTypeId()))) {
                out.add(new StreamId.CrmType(s.objectTypeId(), s.name()));
                objects.add(s.name());
            }
        }
        if (config.selected("owners", null)) {
            out.add(StreamId.OWNERS);
        }
        if (config.selected("pipelines", null)) {
            out.add(StreamId.PIPELINES);
        }
        for (String[] pair : config.associationPairs()) {
            if (objects.contains(pair[0]) && objects.contains(pair[1])) {
                out.add(new StreamId.AssociationPair(pair[0], pair[1]));
            }
        }
        return out;
    }
}
