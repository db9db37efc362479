package io.crmconnect.hubspot.client;

import java.util.List;

/** A custom object schema: {@code objectTypeId} (2-XXXX) is what the objects API accepts in paths. */
public record ObjectSchema(
        String id,
        String objectTypeId,
        String name,
        String fullyQualifiedName,
        String singularLabel,
        String pluralLabel,
        boolean archived,
        List<PropertyDefinition> properties) {}
