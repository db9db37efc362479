package io.crmconnect.hubspot.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One CRM record ({@code SimplePublicObject}). Property values are HubSpot's strings, unconverted; properties without a
 * value are absent. {@code associations} maps a to-object type to associated ids (only when requested on list/get).
 */
public record CrmObject(
        String id,
        Map<String, String> properties,
        Instant createdAt,
        Instant updatedAt,
        boolean archived,
        Instant archivedAt,
        Map<String, List<String>> associations) {

    public String property(String name) {
        return properties.get(name);
    }
}
