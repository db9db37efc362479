package io.crmconnect.hubspot.client;

import java.util.List;

/** One page of a CRM search: {@code total} matches, {@code after} is the next offset ("100", "200"...) or null. */
public record SearchPage(long total, List<CrmObject> results, String after) {}
