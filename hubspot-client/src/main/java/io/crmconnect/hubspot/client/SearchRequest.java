package io.crmconnect.hubspot.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A CRM search body: OR of filter groups, each an AND of filters; one sort; requested properties; page size (≤200)
 * and offset cursor. HubSpot caps every query at 10,000 results (offset + limit); callers split windows instead.
 */
public record SearchRequest(
        List<List<Filter>> filterGroups,
        String sortProperty,
        boolean ascending,
        List<String> properties,
        int limit,
        String after) {

    /** HubSpot answers 400 when paging past this many results of one query. */
    public static final int MAX_RESULTS = 10_000;

    public static final int MAX_PAGE = 200;

    /** One filter; {@code values} only for IN/NOT_IN, {@code highValue} only for BETWEEN. */
    public record Filter(String propertyName, String operator, String value, String highValue, List<String> values) {
        public static Filter of(String property, String operator, String value) {
            return new Filter(property, operator, value, null, null);
        }

        public static Filter between(String property, String low, String high) {
            return new Filter(property, "BETWEEN", low, high, null);
        }
    }

    public static SearchRequest of(
            List<Filter> allOf,
            String sortProperty,
            boolean ascending,
            List<String> properties,
            int limit,
            String after) {
        List<List<Filter>> groups = new ArrayList<>();
        if (!allOf.isEmpty()) {
            groups.add(allOf);
        }
        return new SearchRequest(groups, sortProperty, ascending, properties, limit, after);
    }

    public SearchRequest withAfter(String nextAfter) {
        return new SearchRequest(filterGroups, sortProperty, ascending, properties, limit, nextAfter);
    }
}
