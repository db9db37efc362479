package io.crmconnect.hubspot.client;

import java.time.Instant;

/**
 * One historical value of a property ({@code ValueWithTimestamp} in {@code propertiesWithHistory}): the value (empty
 * string when the property was cleared), when it was set, and by what ({@code sourceType} such as {@code CRM_UI},
 * {@code API}, {@code IMPORT}; {@code sourceId}; {@code sourceLabel}; {@code updatedByUserId}, null when absent).
 */
public record PropertyValue(
        String value,
        Instant timestamp,
        String sourceType,
        String sourceId,
        String sourceLabel,
        Long updatedByUserId) {}
