package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.common.HttpResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Search semantics: operators, sorting, paging, the 10,000-result cap, indexing lag, archived records. */
class SearchIT {
    @RegisterExtension
    static final SimulatorExtension SIM = new SimulatorExtension(b -> b.seed(11)
            .contacts(10_050)
            .companies(20)
            .wideProperties(2)
            .rateLimits(false)
            .propertyHistory(false));
    /** Typed custom properties with generated values (HubSpot's default contact properties have no date). */
    static final String NUM = "wide_prop_001";

    static final String DATE = "wide_prop_002";

    @SimulatorExtension.Inject
    static HubSpotSimulator sim;

    @SimulatorExtension.Inject
    static SimClient c;

    @AfterEach
    void resetIndexLag() {
        sim.setIndexLag(Duration.ZERO);
    }

    static Map<String, Object> filter(String prop, String op, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("propertyName", prop);
        f.put("operator", op);
        if (value instanceof List<?> l) {
            f.put("values", l);
        } else if (value != null) {
            f.put("value", value);
        }
        return f;
    }

    static Map<String, Object> between(String prop, String lo, String hi) {
        Map<String, Object> f = filter(prop, "BETWEEN", lo);
        f.put("highValue", hi);
        return f;
    }

    static Map<String, Object> body(
            List<List<Map<String, Object>>> groups, Object sorts, int limit, String after, List<String> props) {
        List<Map<String, Object>> fgs = new ArrayList<>();
        for (List<Map<String, Object>> g : groups) {
            fgs.add(Map.of("filters", g));
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("filterGroups", fgs);
        b.put("sorts", sorts == null ? List.of() : sorts);
        b.put("limit", limit);
        b.put("after", after == null ? "0" : after);
        b.put("properties", props);
        return b;
    }

    long countWhere(Predicate<Map<String, String>> p) {
        return sim.ids("contacts").stream()
                .map(id -> sim.record("contacts", id))
                .filter(p)
                .count();
    }

    @Test
    void operatorsMatchTheStoredData() {
        String id = sim.ids("contacts").get(17);
        Map<String, String> rec = sim.record("contacts", id);
        JsonNode eq = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(
                                List.of(List.of(
                                        filter("email", "EQ", rec.get("email").toUpperCase(Locale.ROOT)))),
                                null,
                                10,
                                null,
                                List.of("email")))
                .json();
        assertThat(eq.get("total").asInt()).isEqualTo(1);
        assertThat(eq.get("results").get(0).get("id").asText()).isEqualTo(id);

        JsonNode in = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(
                                List.of(List.of(filter("city", "IN", List.of("dublin", "tokyo")))),
                                null,
                                1,
                                null,
                                List.of("city")))
                .json();
        assertThat(in.get("total").asLong())
                .isEqualTo(countWhere(r -> "Dublin".equals(r.get("city")) || "Tokyo".equals(r.get("city"))));

        JsonNode between = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(List.of(List.of(between(NUM, "20000", "40000"))), null, 1, null, List.of()))
                .json();
        assertThat(between.get("total").asLong())
                .isEqualTo(countWhere(r -> r.get(NUM) != null
                        && new BigDecimal(r.get(NUM)).compareTo(new BigDecimal(20_000)) >= 0
                        && new BigDecimal(r.get(NUM)).compareTo(new BigDecimal(40_000)) <= 0));

        JsonNode has = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(List.of(List.of(filter("mobilephone", "HAS_PROPERTY", null))), null, 1, null, List.of()))
                .json();
        JsonNode hasNot = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(
                                List.of(List.of(filter("mobilephone", "NOT_HAS_PROPERTY", null))),
                                null,
                                1,
                                null,
                                List.of()))
                .json();
        assertThat(has.get("total").asLong()).isEqualTo(countWhere(r -> r.get("mobilephone") != null));
        assertThat(has.get("total").asLong() + hasNot.get("total").asLong())
                .isEqualTo(sim.ids("contacts").size());

        String domain = rec.get("email")
                .substring(rec.get("email").indexOf('@') + 1)
                .split("\\.")[0]
                .toLowerCase(Locale.ROOT);
        JsonNode token = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(
                                List.of(List.of(filter("email", "CONTAINS_TOKEN", "*@" + domain + "*"))),
                                null,
                                1,
                                null,
                                List.of()))
                .json();
        assertThat(token.get("total").asLong())
                .isEqualTo(
                        countWhere(r -> r.get("email").toLowerCase(Locale.ROOT).contains("@" + domain)));

        // OR across groups, AND inside a group; enumeration EQ is case-sensitive
        JsonNode or = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(
                                List.of(
                                        List.of(
                                                filter("lifecyclestage", "EQ", "customer"),
                                                filter("city", "EQ", "Berlin")),
                                        List.of(filter("lifecyclestage", "EQ", "lead"))),
                                null,
                                1,
                                null,
                                List.of()))
                .json();
        assertThat(or.get("total").asLong())
                .isEqualTo(countWhere(r -> "customer".equals(r.get("lifecyclestage")) && "Berlin".equals(r.get("city"))
                        || "lead".equals(r.get("lifecyclestage"))));
        JsonNode wrongCase = c.post(
                        "/crm/v3/objects/contacts/search",
                        body(List.of(List.of(filter("lifecyclestage", "EQ", "Lead"))), null, 1, null, List.of()))
                .json();
        assertThat(wrongCase.get("total").asInt()).isZero();
    }

    /** Ids of every result (all pages) of one search. */
    List<String> allIds(List<List<Map<String, Object>>> groups) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            JsonNode r = c.post(
                            "/crm/v3/objects/contacts/search",
                            body(
                                    groups,
                                    List.of(Map.of("propertyName", "hs_object_id", "direction", "ASCENDING")),
                                    200,
                                    after,
                                    List.of()))
                    .json();
            r.get("results").forEach(n -> ids.add(n.get("id").asText()));
            after = r.path("paging").path("next").path("after").asText(null);
        } while (after != null);
        return ids;
    }

    /**
     * EQ/IN searches are answered from per-property hash indexes; the same filters with a second group that only a
     * full scan can evaluate (and that matches nothing) must give the same records, before and after writes.
     */
    @Test
    void hashIndexedFiltersAgreeWithAFullScan() {
        List<String> dated = sim.ids("contacts").stream()
                .filter(id -> sim.record("contacts", id).get(DATE) != null)
                .limit(2)
                .toList();
        String idA = dated.get(0);
        String idB = dated.get(1);
        Map<String, String> a = sim.record("contacts", idA);
        Map<String, String> b = sim.record("contacts", idB);
        long dobMillis = LocalDate.parse(b.get(DATE)).toEpochDay() * 86_400_000L;
        List<List<List<Map<String, Object>>>> queries = List.of(
                List.of(List.of(
                        filter("firstname", "IN", List.of(a.get("firstname").toLowerCase(Locale.ROOT), "nobody")),
                        filter("lastname", "IN", List.of(a.get("lastname").toLowerCase(Locale.ROOT))))),
                List.of(List.of(filter("firstname", "IN", List.of(a.get("firstname"))))), // not lower case: no hit
                List.of(List.of(filter(DATE, "IN", List.of(Long.toString(dobMillis), a.get(DATE))))),
                List.of(List.of(filter(DATE, "EQ", b.get(DATE)))),
                List.of(List.of(filter("email", "EQ", a.get("email").toUpperCase(Locale.ROOT)))),
                List.of(List.of(filter("city", "EQ", "BERLIN"), filter("state", "IN", List.of("berlin")))),
                List.of(List.of(filter("lifecyclestage", "IN", List.of("lead", "customer")))),
                List.of(
                        List.of(filter("zip", "IN", List.of(a.get("zip"), b.get("zip")))),
                        List.of(filter("lastname", "EQ", b.get("lastname")), filter(NUM, "GT", "0"))));
        List<Map<String, Object>> scanOnly = List.of(filter("hs_object_id", "NOT_HAS_PROPERTY", null));
        for (int round = 0; round < 2; round++) {
            for (List<List<Map<String, Object>>> q : queries) {
                List<List<Map<String, Object>>> scan = new ArrayList<>(q);
                scan.add(scanOnly);
                List<String> viaIndex = allIds(q);
                assertThat(viaIndex).as("%s", q).isEqualTo(allIds(scan));
            }
            if (round == 0) {
                assertThat(allIds(queries.get(0))).contains(idA);
                assertThat(allIds(queries.get(1))).isEmpty();
                assertThat(allIds(queries.get(2))).contains(idA, idB);
                // writes move records between index buckets
                c.patch(
                        "/crm/v3/objects/contacts/" + idA,
                        Map.of("properties", Map.of("city", "Berlin", "state", "Berlin", "firstname", "Zebedee")));
                c.delete("/crm/v3/objects/contacts/" + idB);
            }
        }
        assertThat(allIds(queries.get(0))).doesNotContain(idA);
        assertThat(allIds(queries.get(2))).contains(idA).doesNotContain(idB);
        assertThat(allIds(queries.get(5))).contains(idA);
    }

    @Test
    void sortsAndPagesWithIntegerAfter() {
        Map<String, Object> b = body(
                List.of(List.of(filter(NUM, "GT", "80000"))),
                List.of(Map.of("propertyName", NUM, "direction", "DESCENDING")),
                200,
                null,
                List.of(NUM));
        JsonNode first = c.post("/crm/v3/objects/contacts/search", b).json();
        BigDecimal prev = null;
        for (JsonNode r : first.get("results")) {
            BigDecimal v = new BigDecimal(r.get("properties").get(NUM).asText());
            if (prev != null) {
                assertThat(v).isLessThanOrEqualTo(prev);
            }
            prev = v;
        }
        assertThat(first.get("paging").get("next").get("after").asText()).isEqualTo("200");
        assertThat(c.post("/crm/v3/objects/contacts/search", body(List.of(), null, 201, null, List.of()))
                        .status())
                .isEqualTo(400);
        assertThat(c.post(
                                "/crm/v3/objects/contacts/search",
                                body(
                                        List.of(),
                                        List.of(
                                                Map.of("propertyName", "email", "direction", "ASCENDING"),
                                                Map.of("propertyName", "city", "direction", "ASCENDING")),
                                        10,
                                        null,
                                        List.of()))
                        .status())
                .as("one sort only")
                .isEqualTo(400);
    }

    @Test
    void invalidFiltersAreValidationErrors() {
        HttpResult unknown = c.post(
                "/crm/v3/objects/contacts/search",
                body(List.of(List.of(filter("nope", "EQ", "x"))), null, 10, null, List.of()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        List<Map<String, Object>> seven = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seven.add(filter("city", "EQ", "x" + i));
        }
        assertThat(c.post("/crm/v3/objects/contacts/search", body(List.of(seven), null, 10, null, List.of()))
                        .status())
                .as("> 6 filters in a group")
                .isEqualTo(400);
        List<List<Map<String, Object>>> sixGroups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sixGroups.add(List.of(filter("city", "EQ", "x" + i)));
        }
        assertThat(c.post("/crm/v3/objects/contacts/search", body(sixGroups, null, 10, null, List.of()))
                        .status())
                .as("> 5 groups")
                .isEqualTo(400);
        List<List<Map<String, Object>>> nineteen = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            List<Map<String, Object>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fs.add(filter("city", "NEQ", "x" + g + i));
            }
            nineteen.add(fs);
        }
        assertThat(c.post("/crm/v3/objects/contacts/search", body(nineteen, null, 10, null, List.of()))
                        .status())
                .as("> 18 filters in total")
                .isEqualTo(400);
        assertThat(c.post(
                                "/crm/v3/objects/contacts/search",
                                body(List.of(List.of(filter(NUM, "GT", "lots"))), null, 10, null, List.of()))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void bodiesOverThreeThousandCharactersAreA400EvenWhenTheQueryPushesThemOver() {
        // an IN filter whose body is just under HubSpot's 3,000 characters is served
        List<String> emails = new ArrayList<>();
        Map<String, Object> b = body(List.of(List.of(filter("email", "IN", emails))), null, 10, null, List.of("email"));
        int i = 0;
        while (SimClient.write(b).length() + 30 < 3000) {
            emails.add(String.format("someone.%05d@example.com", i++));
        }
        String under = SimClient.write(b);
        assertThat(under.length()).isBetween(2950, 3000);
        assertThat(c.post("/crm/v3/objects/contacts/search", under).status()).isEqualTo(200);
        // one more value: over the limit
        emails.add("someone.99999@example.com");
        String over = SimClient.write(b);
        assertThat(over.length()).isGreaterThan(3000);
        HttpResult tooLong = c.post("/crm/v3/objects/contacts/search", over);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        // the same filters, brought back under the limit, then pushed over it by the free-text query alone
        emails.remove(emails.size() - 1);
        assertThat(c.post("/crm/v3/objects/contacts/search", SimClient.write(b)).status())
                .isEqualTo(200);
        b.put("query", "x".repeat(3000 - under.length() + 20));
        assertThat(SimClient.write(b).length()).isGreaterThan(3000);
        assertThat(c.post("/crm/v3/objects/contacts/search", SimClient.write(b)).status())
                .as("query over the limit")
                .isEqualTo(400);
        // characters, not bytes: 2,900 characters of which many need two UTF-8 bytes are served
        Map<String, Object> wide =
                body(List.of(List.of(filter("email", "EQ", "nobody@example.com"))), null, 10, null, List.of());
        wide.put("query", "é".repeat(2800));
        assertThat(SimClient.write(wide).length()).isLessThan(3000);
        assertThat(c.post("/crm/v3/objects/contacts/search", SimClient.write(wide))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void pagingPastTenThousandResultsIsA400() {
        Map<String, Object> b = body(List.of(), null, 200, "9800", List.of());
        HttpResult last = c.post("/crm/v3/objects/contacts/search", b);
        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().get("total").asInt())
                .isEqualTo(sim.ids("contacts").size())
                .isGreaterThan(10_000);
        assertThat(last.json().get("results")).hasSize(200);
        assertThat(last.json().get("paging").get("next").get("after").asText()).isEqualTo("10000");
        HttpResult beyond = c.post("/crm/v3/objects/contacts/search", body(List.of(), null, 200, "10000", List.of()));
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
        // the documented workaround: sort by hs_object_id and restart with a GT filter
        String lastId = last.json().get("results").get(199).get("id").asText();
        HttpResult restart = c.post(
                "/crm/v3/objects/contacts/search",
                body(
                        List.of(List.of(filter("hs_object_id", "GT", lastId))),
                        List.of(Map.of("propertyName", "hs_object_id", "direction", "ASCENDING")),
                        200,
                        null,
                        List.of()));
        assertThat(restart.json().get("total").asInt())
                .isEqualTo(sim.ids("contacts").size() - 10_000);
    }

    @Test
    void writesBecomeSearchableOnlyAfterTheIndexingLag() {
        sim.setIndexLag(Duration.ofSeconds(30));
        HttpResult created = c.post("/crm/v3/objects/companies", Map.of("properties", Map.of("name", "Lagging Corp")));
        String id = created.json().get("id").asText();
        Map<String, Object> q =
                body(List.of(List.of(filter("name", "EQ", "Lagging Corp"))), null, 10, null, List.of("name"));
        assertThat(c.post("/crm/v3/objects/companies/search", q)
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertThat(c.get("/crm/v3/objects/companies/" + id).status())
                .as("reads are immediate")
                .isEqualTo(200);
        sim.clock().advance(Duration.ofSeconds(31));
        JsonNode found = c.post("/crm/v3/objects/companies/search", q).json();
        assertThat(found.get("total").asInt()).isEqualTo(1);

        // an update is searched by its old values until indexed
        c.patch("/crm/v3/objects/companies/" + id, Map.of("properties", Map.of("name", "Renamed Corp")));
        assertThat(c.post("/crm/v3/objects/companies/search", q)
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(1);
        sim.clock().advance(Duration.ofSeconds(31));
        assertThat(c.post("/crm/v3/objects/companies/search", q)
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
    }

    @Test
    void archivedRecordsNeverAppearInSearch() {
        String id = sim.ids("companies").get(0);
        String name = sim.record("companies", id).get("name");
        Map<String, Object> q =
                body(List.of(List.of(filter("hs_object_id", "EQ", id))), null, 10, null, List.of("name"));
        assertThat(c.post("/crm/v3/objects/companies/search", q)
                        .json()
                        .get("total")
                        .asInt())
                .isEqualTo(1);
        c.delete("/crm/v3/objects/companies/" + id);
        assertThat(c.post("/crm/v3/objects/companies/search", q)
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertThat(name).isNotNull();
    }
}
