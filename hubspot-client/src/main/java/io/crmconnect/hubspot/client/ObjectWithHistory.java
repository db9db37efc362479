package io.crmconnect.hubspot.client;

import java.util.List;
import java.util.Map;

/** A record read with {@code propertiesWithHistory}: the record and, per requested property, its history (newest first). */
public record ObjectWithHistory(CrmObject object, Map<String, List<PropertyValue>> history) {}
