package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.Backoff;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the real HubSpot simulator over HTTP, with OpenAPI request validation on. */
class HubSpotClientIT {
    static HubSpotSimulator sim;

    @BeforeAll
    static void start() {
        sim = HubSpotSimulator.builder()
                .contacts(450)
                .companies(120)
                .deals(60)
                .wideProperties(300)
                .tier(io.crmconnect.simulator.hubspot.Tier.PROFESSIONAL)
                .validateRequests(true)
                .privateAppToken("pat-contacts-only", "crm.objects.contacts.read")
                .oauthClient("client-1", "secret-1", "refresh-1")
                .start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.clearFaults();
        sim.clearContractViolations();
    }

    static HubSpotClient client() {
        return client(new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), 10, Duration.ofSeconds(20)));
    }

    static HubSpotClient client(Backoff b) {
        return HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0))
                .backoff(b)
                .build();
    }

    static List<String> allProperties(HubSpotClient c, String type) {
        return c.properties(type).stream().map(PropertyDefinition::name).toList();
    }

    @Test
    void listPagesThroughEveryRecordWithEveryPropertyEvenWhenTheUrlWouldBeTooLong() {
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .maxUrlChars(2_500)
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0))
                .build()) {
            List<String> props = allProperties(c, "contacts");
            assertThat(props.size()).isGreaterThan(300);
            assertThat(c.propertyChunks("contacts", props)).isEqualTo(2);
            List<CrmObject> all = new ArrayList<>();
            String after = null;
            do {
                Page<CrmObject> p = c.list("contacts", props, null, after, 100, false);
                all.addAll(p.results());
                after = p.after();
            } while (after != null);
            assertThat(all).extracting(CrmObject::id).containsExactlyElementsOf(sim.ids("contacts"));
            for (CrmObject o : all.subList(0, 50)) {
                Map<String, String> expected = sim.record("contacts", o.id());
                assertThat(o.properties()).isEqualTo(expected);
            }
        }
        assertThat(sim.contractViolations()).isEmpty();
    }

    @Test
    void searchFiltersSortsAndReportsTheTenThousandCapAsAPermanentError() {
        try (HubSpotClient c = client()) {
            SearchPage p = c.search(
                    "contacts",
                    SearchRequest.of(
                            List.of(SearchRequest.Filter.of("hs_object_id", "GT", "0")),
                            "hs_object_id",
                            true,
                            List.of("email"),
                            200,
                            null));
            assertThat(p.total()).isEqualTo(sim.ids("contacts").size());
            assertThat(p.results()).hasSize(200);
            assertThat(p.after()).isEqualTo("200");
            List<Long> ids =
                    p.results().stream().map(o -> Long.parseLong(o.id())).toList();
            assertThat(ids).isSorted();
            assertThatThrownBy(
                            () -> c.search("contacts", SearchRequest.of(List.of(), null, true, List.of(), 10, "10000")))
                    .isInstanceOfSatisfying(HubSpotApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.category()).isEqualTo("VALIDATION_ERROR");
                        assertThat(e.correlationId()).isNotBlank();
                    });
        }
        assertThat(sim.contractViolations()).isEmpty();
    }

    @Test
    void batchWritesReadsAndArchives() {
        try (HubSpotClient c = client()) {
            List<ObjectNode> inputs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ObjectNode in = HubSpotClient.MAPPER.createObjectNode();
                in.putObject("properties")
                        .put("email", "batch" + i + "@example.com")
                        .put("firstname", "B" + i);
                inputs.add(in);
            }
            BatchResult created = c.batchCreate("contacts", inputs);
            assertThat(created.results()).hasSize(3);
            List<String> ids = created.results().stream().map(CrmObject::id).toList();
            ObjectNode upd = HubSpotClient.MAPPER.createObjectNode().put("id", ids.get(0));
            upd.putObject("properties").put("firstname", "Changed");
            assertThat(c.batchUpdate("contacts", List.of(upd)).results()).hasSize(1);
            BatchResult read = c.batchRead("contacts", ids, List.of("firstname", "email"), null, false);
            assertThat(read.results()).extracting(o -> o.property("firstname")).contains("Changed", "B1", "B2");
            ObjectNode ups = HubSpotClient.MAPPER
                    .createObjectNode()
                    .put("id", "batch1@example.com")
                    .put("idProperty", "email");
            ups.putObject("properties").put("firstname", "Upserted");
            assertThat(c.batchUpsert("contacts", List.of(ups)).results())
                    .extracting(o -> o.id())
                    .containsExactly(ids.get(1));
            c.batchArchive("contacts", ids);
            assertThat(c.batchRead("contacts", ids, List.of("email"), null, false)
                            .results())
                    .isEmpty();
            Page<CrmObject> archived = c.list("contacts", List.of("email"), null, null, 100, true);
            assertThat(archived.results()).extracting(CrmObject::id).containsAll(ids);
            assertThat(archived.results()).allSatisfy(o -> {
                assertThat(o.archived()).isTrue();
                assertThat(o.archivedAt()).isNotNull();
            });
        }
        assertThat(sim.contractViolations()).isEmpty();
    }

    @Test
    void metadataPropertiesSchemasPipelinesOwnersAndLabelledAssociations() {
        try (HubSpotClient c = client()) {
            List<PropertyDefinition> props = c.properties("deals");
            assertThat(props)
                    .extracting(PropertyDefinition::name)
                    .contains("amount", "dealstage", "hs_lastmodifieddate");
            assertThat(props)
                    .filteredOn(p -> p.name().equals("amount"))
                    .extracting(PropertyDefinition::type)
                    .containsExactly("number");
            assertThat(c.schemas()).isNotNull();
            List<Pipeline> pipelines = c.pipelines("deals");
            assertThat(pipelines).isNotEmpty();
            assertThat(pipelines.get(0).stages()).isNotEmpty();
            Page<Owner> owners = c.owners(null, 100, false);
            assertThat(owners.results()).isNotEmpty();

            String contact = sim.ids("contacts").get(5);
            String company = sim.ids("companies").get(7);
            int typeId = c.createAssociationLabel("contacts", "companies", "Billing contact", "billing_contact");
            c.createAssociations(
                    "contacts",
                    "companies",
                    List.of(new HubSpotClient.AssociationInput(
                            contact, company, List.of(new AssociationType("USER_DEFINED", typeId, null)))));
            List<Associations> as = c.associations("contacts", "companies", List.of(contact));
            assertThat(as).hasSize(1);
            Associations.Associated link = as.get(0).to().stream()
                    .filter(t -> t.toObjectId().equals(company))
                    .findFirst()
                    .orElseThrow();
            assertThat(link.types()).extracting(AssociationType::label).contains("Billing contact");
            assertThat(sim.associations("contacts", contact, "companies").get(Long.parseLong(company)))
                    .contains(typeId);
        }
        assertThat(sim.contractViolations()).isEmpty();
    }

    @Test
    void transientFaultsAreRetriedUntilTheCallSucceeds() {
        sim.addFault(Fault.status("GET /crm/v3/objects/{objectType}", 502, 1.0).times(2));
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.CONNECTION_RESET, 1.0)
                .times(1));
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.TRUNCATED_BODY, 1.0)
                .times(1));
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.MALFORMED_JSON, 1.0)
                .times(1));
        sim.addFault(Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.RATE_LIMIT_429, 1.0)
                .times(2));
        try (HubSpotClient c = client()) {
            Page<CrmObject> p = c.list("companies", List.of("name"), null, null, 100, false);
            assertThat(p.results()).hasSize(100);
            assertThat(c.budget().throttled()).isEqualTo(2);
            assertThat(c.budget().calls()).isEqualTo(8);
        }
    }

    @Test
    void persistentServerErrorsBecomeRetriableAfterTheBudget() {
        sim.addFault(Fault.status("GET /crm/v3/objects/{objectType}", 503, 1.0));
        try (HubSpotClient c =
                client(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50), 4, Duration.ofSeconds(5)))) {
            assertThatThrownBy(() -> c.list("companies", List.of(), null, null, 10, false))
                    .isInstanceOfSatisfying(HubSpotRetriableException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("4 attempts");
                    });
            assertThat(c.budget().calls()).isEqualTo(4);
        }
    }

    @Test
    void authErrorsAreTypedAndNeverShowTheToken() {
        String bad = "pat-na1-wrong-token-123";
        try (HubSpotClient c =
                HubSpotClient.builder().baseUrl(sim.baseUrl()).accessToken(bad).build()) {
            assertThatThrownBy(() -> c.list("contacts", List.of(), null, null, 1, false))
                    .isInstanceOfSatisfying(HubSpotApiException.class, e -> {
                        assertThat(e.isAuthentication()).isTrue();
                        assertThat(e.category()).isEqualTo("INVALID_AUTHENTICATION");
                        assertThat(e.getMessage()).doesNotContain(bad);
                    });
        }
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken("pat-contacts-only")
                .build()) {
            assertThat(c.list("contacts", List.of(), null, null, 1, false).results())
                    .hasSize(1);
            assertThatThrownBy(() -> c.list("companies", List.of(), null, null, 1, false))
                    .isInstanceOfSatisfying(HubSpotApiException.class, e -> {
                        assertThat(e.isMissingScopes()).isTrue();
                        assertThat(e.category()).isEqualTo("MISSING_SCOPES");
                    });
        }
    }

    @Test
    void oauthRefreshTokenFlowObtainsAndUsesAnAccessToken() {
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .oauth("client-1", "secret-1", "refresh-1")
                .build()) {
            assertThat(c.list("deals", List.of("dealname"), null, null, 5, false)
                            .results())
                    .hasSize(5);
        }
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .oauth("client-1", "secret-1", "wrong-refresh")
                .build()) {
            assertThatThrownBy(() -> c.list("deals", List.of(), null, null, 5, false))
                    .isInstanceOf(HubSpotApiException.class)
                    .hasMessageNotContaining("wrong-refresh");
        }
    }

    @Test
    void theRateBudgetKeepsABurstUnderTheTierLimitWithoutA429() {
        // starter pacing (100/10 s) against a professional server: 110 calls need a second window
        sim.setRateLimits(true);
        long before = sim.rateLimited429Count();
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(30, 1_000_000, 1.0, 1.0))
                .build()) {
            long t0 = System.nanoTime();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 35; i++) {
                seen.addAll(c.list("deals", List.of(), null, null, 1, false).results().stream()
                        .map(CrmObject::id)
                        .toList());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(c.budget().burstCapacity()).isEqualTo(29);
            assertThat(ms).as("35 calls at 29 per 10 s need a second window").isGreaterThanOrEqualTo(9_000);
            assertThat(seen).hasSize(1);
        }
        assertThat(sim.rateLimited429Count()).isEqualTo(before);
    }

    @Test
    void theDailyShareStopsCallsWithARetriableError() {
        try (HubSpotClient c = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(190, 10, 0.5, 1.0))
                .build()) {
            for (int i = 0; i < 5; i++) {
                c.list("deals", List.of(), null, null, 1, false);
            }
            assertThatThrownBy(() -> c.list("deals", List.of(), null, null, 1, false))
                    .isInstanceOfSatisfying(
                            HubSpotRetriableException.class,
                            e -> assertThat(e.retryAfterMillis()).isPositive());
        }
    }
}
