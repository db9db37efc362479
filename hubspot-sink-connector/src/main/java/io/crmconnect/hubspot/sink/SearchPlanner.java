package io.crmconnect.hubspot.sink;

import io.crmconnect.common.normalize.Normalizers;
import io.crmconnect.hubspot.client.SearchRequest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Packs the candidate searches of a match tier: IN filters over the records' blocking values, as many records per
 * search as HubSpot's 3,000-character body allows (the sink stays under {@value #MAX_SEARCH_BODY}), optionally
 * spread over up to {@value #MAX_SEARCH_GROUPS} filter groups ({@value #MAX_SEARCH_FILTERS} filters) so each group's
 * IN lists stay short. Pure planning: no HTTP, no state.
 */
final class SearchPlanner {
    /** Search bodies must stay under HubSpot's 3,000 characters. */
    static final int MAX_SEARCH_BODY = 2_900;
    /** HubSpot's search limits: filter groups per request, filters per request. */
    static final int MAX_SEARCH_GROUPS = 5;

    static final int MAX_SEARCH_FILTERS = 18;
    /** Records per filter group when a search splits its records over groups. */
    static final int GROUP_RECORDS = 20;

    private final List<String> readProperties;
    private final int maxRecordsPerSearch;

    /**
     * @param readProperties      the properties every search returns (they count against the body size)
     * @param maxRecordsPerSearch most records whose values one search carries
     */
    SearchPlanner(List<String> readProperties, int maxRecordsPerSearch) {
        this.readProperties = readProperties;
        this.maxRecordsPerSearch = maxRecordsPerSearch;
    }

    /** The tier's required components (indexes), the only ones a search can block on. */
    static List<Integer> required(MatchTier tier) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < tier.properties().size(); i++) {
            if (!tier.optional().get(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** The required components HubSpot compares exactly as we normalize them (dates, emails, postal codes). */
    static List<Integer> exact(MatchTier tier) {
        List<Integer> out = new ArrayList<>();
        for (int i : required(tier)) {
            if (MatchKeys.BLOCKING.contains(tier.normalizers().get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * The values an IN filter uses for one record's component: lower-case, as HubSpot compares strings; dates as
     * epoch millis of midnight UTC when the property is a date or datetime.
     *
     * @param propertyType the HubSpot type of the component's property, or null when unknown
     */
    static Set<String> blockingValues(
            String normalizer, String propertyType, Object raw, Normalizers.DateFormats dates) {
        Set<String> out = new LinkedHashSet<>();
        if (raw == null) {
            return out;
        }
        String n;
        try {
            n = MatchKeys.normalize(normalizer, raw, dates);
        } catch (IllegalArgumentException e) {
            n = null;
        }
        if ("date".equals(normalizer) && n != null) {
            if ("date".equals(propertyType) || "datetime".equals(propertyType)) {
                out.add(Long.toString(LocalDate.parse(n).toEpochDay() * 86_400_000L));
            } else {
                out.add(n);
            }
            return out;
        }
        if (n != null) {
            out.add(n.toLowerCase(Locale.ROOT));
        }
        String r = raw.toString().trim().toLowerCase(Locale.ROOT);
        if (!r.isEmpty()) {
            out.add(r);
        }
        return out;
    }

    /**
     * The searches that find every candidate of these records.
     *
     * @param records  per record: component index -> its values (components not blocked on are ignored)
     * @param blocking the components to block on (indexes into the tier's properties)
     * @param extra    a filter added to every group (e.g. created before a time), or null
     * @param grouped  spread each search's records over filter groups, records sorted by their values
     */
    List<SearchRequest> plan(
            MatchTier tier,
            List<Map<Integer, Set<String>>> records,
            List<Integer> blocking,
            SearchRequest.Filter extra,
            boolean grouped) {
        int filtersPerGroup = blocking.size() + (extra == null ? 0 : 1);
        int maxGroups = !grouped ? 1 : Math.max(1, Math.min(MAX_SEARCH_GROUPS, MAX_SEARCH_FILTERS / filtersPerGroup));
        List<Map<Integer, Set<String>>> order = new ArrayList<>(records.size());
        for (Map<Integer, Set<String>> rec : records) {
            Map<Integer, Set<String>> vals = new LinkedHashMap<>();
            for (int b : blocking) {
                vals.put(b, rec.getOrDefault(b, Set.of()));
            }
            order.add(vals);
        }
        if (maxGroups > 1) {
            // similar values next to each other: each group's IN lists stay short
            order.sort(Comparator.comparing(vals -> vals.values().toString()));
        }
        int budget = MAX_SEARCH_BODY - bodyOverhead();
        int perGroupOverhead = groupOverhead(tier, blocking, extra);
        // searches -> groups -> blocking index -> values
        List<List<Map<Integer, Set<String>>>> searches = new ArrayList<>();
        List<Map<Integer, Set<String>>> curSearch = new ArrayList<>();
        Map<Integer, Set<String>> curGroup = null;
        int size = 0;
        int count = 0;
        int groupCount = 0;
        int groupTarget = maxGroups == 1 ? Integer.MAX_VALUE : GROUP_RECORDS;
        for (Map<Integer, Set<String>> vals : order) {
            boolean newGroup = curGroup == null || groupCount >= groupTarget && curSearch.size() < maxGroups;
            int add = newGroup ? perGroupOverhead + charsOf(vals, null) : charsOf(vals, curGroup);
            boolean close = curGroup != null
                    && (size + add > budget
                            || count >= maxRecordsPerSearch
                            || groupCount >= groupTarget && curSearch.size() >= maxGroups);
            if (close) {
                searches.add(curSearch);
                curSearch = new ArrayList<>();
                size = 0;
                count = 0;
                newGroup = true;
                add = perGroupOverhead + charsOf(vals, null);
            }
            if (newGroup) {
                curGroup = new LinkedHashMap<>();
                curSearch.add(curGroup);
                groupCount = 0;
            }
            for (Map.Entry<Integer, Set<String>> e : vals.entrySet()) {
                curGroup.computeIfAbsent(e.getKey(), x -> new LinkedHashSet<>()).addAll(e.getValue());
            }
            size += add;
            count++;
            groupCount++;
        }
        if (!curSearch.isEmpty()) {
            searches.add(curSearch);
        }
        List<SearchRequest> out = new ArrayList<>();
        for (List<Map<Integer, Set<String>>> groups : searches) {
            List<List<SearchRequest.Filter>> filterGroups = new ArrayList<>();
            for (Map<Integer, Set<String>> g : groups) {
                List<SearchRequest.Filter> filters = new ArrayList<>();
                for (int b : blocking) {
                    Set<String> vs = g.get(b);
                    if (vs == null || vs.isEmpty()) {
                        filters = null; // a blocking component no record of this group has: nothing can match
                        break;
                    }
                    filters.add(
                            new SearchRequest.Filter(tier.properties().get(b), "IN", null, null, new ArrayList<>(vs)));
                }
                if (filters != null) {
                    if (extra != null) {
                        filters.add(extra);
                    }
                    filterGroups.add(filters);
                }
            }
            if (!filterGroups.isEmpty()) {
                out.add(new SearchRequest(
                        filterGroups, "hs_object_id", true, readProperties, SearchRequest.MAX_PAGE, null));
            }
        }
        return out;
    }

    /** Characters of a search body besides the filter groups: properties, sort, paging. */
    private int bodyOverhead() {
        int n = 120; // {"filterGroups":[],"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],...
        for (String p : readProperties) {
            n += p.length() + 3;
        }
        return n;
    }

    /** Characters of one filter group's JSON besides the IN values. */
    private static int groupOverhead(MatchTier tier, List<Integer> blocking, SearchRequest.Filter extra) {
        int n = 16; // {"filters":[]},
        for (int b : blocking) {
            n += 50 + tier.properties().get(b).length(); // {"propertyName":"..","operator":"IN","values":[]},
        }
        if (extra != null) {
            n += 60
                    + extra.propertyName().length()
                    + String.valueOf(extra.value()).length();
        }
        return n;
    }

    /** Characters the values of one record add to a group (values already in the group count nothing). */
    private static int charsOf(Map<Integer, Set<String>> vals, Map<Integer, Set<String>> group) {
        int n = 0;
        for (Map.Entry<Integer, Set<String>> e : vals.entrySet()) {
            Set<String> have = group == null ? null : group.get(e.getKey());
            for (String v : e.getValue()) {
                if (have == null || !have.contains(v)) {
                    n += v.length() + 3;
                }
            }
        }
        return n;
    }
}
