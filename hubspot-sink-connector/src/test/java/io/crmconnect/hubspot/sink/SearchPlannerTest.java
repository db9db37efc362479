package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.normalize.Normalizers;
import io.crmconnect.hubspot.client.SearchRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchPlannerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MatchTier NAME_DOB = new MatchTier(
            2,
            List.of("firstname", "lastname", "date_of_birth"),
            List.of("name", "name", "date"),
            List.of(false, false, false),
            false);
    private static final List<String> READ =
            List.of("email", "firstname", "lastname", "date_of_birth", "address", "city", "state", "zip", "patient_id");

    /** The body HubSpotClient.search sends for a request (same fields, same shape). */
    private static String body(SearchRequest r) throws Exception {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode groups = body.putArray("filterGroups");
        for (List<SearchRequest.Filter> g : r.filterGroups()) {
            ArrayNode fs = groups.addObject().putArray("filters");
            for (SearchRequest.Filter f : g) {
                ObjectNode fn =
                        fs.addObject().put("propertyName", f.propertyName()).put("operator", f.operator());
                if (f.value() != null) {
                    fn.put("value", f.value());
                }
                if (f.values() != null) {
                    f.values().forEach(fn.putArray("values")::add);
                }
            }
        }
        body.putArray("sorts").add(r.sortProperty());
        r.properties().forEach(body.putArray("properties")::add);
        body.put("limit", r.limit()).put("after", "0");
        return MAPPER.writeValueAsString(body);
    }

    private static List<Map<Integer, Set<String>>> people(int n, int distinctDates) {
        List<Map<Integer, Set<String>>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<Integer, Set<String>> v = new LinkedHashMap<>();
            v.put(0, SearchPlanner.blockingValues("name", "string", "Zoë-" + i, Normalizers.DateFormats.DEFAULT));
            v.put(
                    1,
                    SearchPlanner.blockingValues(
                            "name", "string", "O'Brien" + (i % 7), Normalizers.DateFormats.DEFAULT));
            v.put(
                    2,
                    SearchPlanner.blockingValues(
                            "date",
                            "date",
                            "1980-01-" + String.format("%02d", 1 + i % distinctDates),
                            Normalizers.DateFormats.DEFAULT));
            out.add(v);
        }
        return out;
    }

    @Test
    void everyBodyStaysUnderHubSpotsLimitAndEveryRecordIsCovered() throws Exception {
        SearchPlanner p = new SearchPlanner(READ, 500);
        List<Map<Integer, Set<String>>> records = people(400, 28);
        for (boolean grouped : new boolean[] {false, true}) {
            List<SearchRequest> plan = p.plan(NAME_DOB, records, List.of(0, 1, 2), null, grouped);
            assertThat(plan).isNotEmpty();
            for (SearchRequest r : plan) {
                assertThat(body(r).length()).as("body of %s", r).isLessThanOrEqualTo(SearchPlanner.MAX_SEARCH_BODY);
                assertThat(r.filterGroups().size()).isBetween(1, grouped ? SearchPlanner.MAX_SEARCH_GROUPS : 1);
                assertThat(r.filterGroups().stream().mapToInt(List::size).sum())
                        .isLessThanOrEqualTo(SearchPlanner.MAX_SEARCH_FILTERS);
                assertThat(r.sortProperty()).isEqualTo("hs_object_id");
                assertThat(r.properties()).isEqualTo(READ);
            }
            // each record's values all appear together in one filter group: its candidates are found
            for (Map<Integer, Set<String>> rec : records) {
                boolean covered = plan.stream()
                        .flatMap(r -> r.filterGroups().stream())
                        .anyMatch(g -> {
                            for (int b = 0; b < 3; b++) {
                                Set<String> in = new HashSet<>(g.get(b).values());
                                if (!in.containsAll(rec.get(b))) {
                                    return false;
                                }
                            }
                            return true;
                        });
                assertThat(covered)
                        .as("record %s covered (grouped=%s)", rec, grouped)
                        .isTrue();
            }
        }
    }

    @Test
    void packsAsManyRecordsAsTheBodyAllowsAndRespectsTheRecordLimit() {
        List<Map<Integer, Set<String>>> records = people(400, 28);
        // dates only: short values, many records per search
        List<SearchRequest> dates = new SearchPlanner(READ, 500).plan(NAME_DOB, records, List.of(2), null, false);
        assertThat(dates).hasSize(1); // 28 distinct dates fit one body
        assertThat(dates.get(0).filterGroups().get(0).get(0).values()).hasSize(28);
        List<SearchRequest> capped = new SearchPlanner(READ, 50).plan(NAME_DOB, records, List.of(2), null, false);
        assertThat(capped).hasSize(8); // 400 records, at most 50 per search
    }

    @Test
    void anExtraFilterIsAddedToEveryGroupAndEmptyComponentsMatchNothing() {
        SearchRequest.Filter before = SearchRequest.Filter.of("createdate", "LT", "1700000000000");
        List<Map<Integer, Set<String>>> records = people(60, 3);
        List<SearchRequest> plan = new SearchPlanner(READ, 500).plan(NAME_DOB, records, List.of(2), before, true);
        assertThat(plan)
                .allSatisfy(r -> assertThat(r.filterGroups())
                        .allSatisfy(g -> assertThat(g).contains(before)));
        Map<Integer, Set<String>> noDate = new LinkedHashMap<>();
        noDate.put(2, Set.of());
        assertThat(new SearchPlanner(READ, 500).plan(NAME_DOB, List.of(noDate), List.of(2), null, false))
                .isEmpty();
    }

    @Test
    void blockingValuesAreHowHubSpotCompares() {
        Normalizers.DateFormats d = Normalizers.DateFormats.DEFAULT;
        assertThat(SearchPlanner.blockingValues("date", "date", "03/02/1985", d))
                .containsExactly("478569600000");
        assertThat(SearchPlanner.blockingValues("date", "string", "1985-03-02", d))
                .containsExactly("1985-03-02");
        assertThat(SearchPlanner.blockingValues("name", "string", "José Núñez", d))
                .containsExactly("jose nunez", "josé núñez");
        assertThat(SearchPlanner.blockingValues("email", "string", null, d)).isEmpty();
        assertThat(SearchPlanner.exact(NAME_DOB)).containsExactly(2);
        assertThat(SearchPlanner.required(new MatchTier(
                        3,
                        List.of("address", "address2", "zip"),
                        List.of("address", "address", "postal_code"),
                        List.of(false, true, false),
                        false)))
                .containsExactly(0, 2);
    }
}
