package io.crmconnect.dynamics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The typed client against the Dataverse simulator over HTTP: metadata, reads, change tracking, writes, errors. */
class DynamicsClientIT {
    private static DynamicsSimulator sim;
    private static DynamicsClient client;

    @BeforeAll
    static void start() {
        sim = DynamicsSimulator.builder().seed(7).contacts(1_200).accounts(30).start();
        client = client(sim.clientSecret());
    }

    static DynamicsClient client(String secret) {
        return DynamicsClient.builder()
                .environmentUrl(sim.baseUrl())
                .clientCredentials(sim.tokenUrl(), sim.clientId(), secret)
                .scope(sim.scope())
                .build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void metadataHasTypesKeysOptionsAndBehaviours() {
        TableMetadata md = client.table("contact");
        assertThat(md.entitySetName()).isEqualTo("contacts");
        assertThat(md.primaryIdAttribute()).isEqualTo("contactid");
        assertThat(md.keyWithColumns(List.of("emailaddress1"))).isNotNull();
        assertThat(md.keyWithColumns(List.of("emailaddress1", "firstname"))).isNotNull();
        assertThat(md.column("birthdate").kind()).isEqualTo(ColumnMetadata.Kind.DATE_ONLY);
        assertThat(md.column("creditlimit").kind()).isEqualTo(ColumnMetadata.Kind.MONEY);
        assertThat(md.column("gendercode").options()).isNotEmpty();
        assertThat(md.column("crmc_interests").kind()).isEqualTo(ColumnMetadata.Kind.MULTI_CHOICE);
        assertThat(md.column("parentcustomerid").kind()).isEqualTo(ColumnMetadata.Kind.LOOKUP);
        assertThat(md.column("parentcustomerid").targets()).contains("account", "contact");
        assertThat(client.table("no_such_table")).isNull();
        assertThat(client.whoAmI()).isEqualTo(sim.applicationUserId());
    }

    @Test
    void pagesFollowNextLinksAndChangeTrackingReportsUpdatesAndDeletes() {
        ReadOptions opts = new ReadOptions(500, true, true);
        RowPage page = client.read("contacts", "contactid,firstname,modifiedon,versionnumber", null, null, opts);
        Set<String> ids = new HashSet<>();
        String delta = null;
        int pages = 0;
        while (true) {
            pages++;
            page.rows().forEach(r -> ids.add(r.path("contactid").asText()));
            if (page.deltaLink() != null) {
                delta = page.deltaLink();
                break;
            }
            assertThat(page.nextLink()).isNotNull();
            page = client.readLink(page.nextLink(), opts);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(ids).hasSize(sim.counts().get("contact"));
        List<String> all = sim.ids("contact");
        sim.update("contact", all.get(0), Map.of("firstname", "Changed"));
        sim.delete("contact", all.get(1));
        RowPage changes = client.readLink(delta, opts);
        assertThat(changes.rows()).extracting(r -> r.path("contactid").asText()).containsExactly(all.get(0));
        assertThat(changes.deletedIds()).containsExactly(all.get(1));
        assertThat(changes.deltaLink()).isNotNull();
    }

    @Test
    void upsertMultipleByAlternateKeyAndBatchIsolatesTheBadRow() {
        List<ObjectNode> targets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode t = JsonNodeFactory.instance.objectNode();
            t.put("@odata.id", "contacts(emailaddress1='bulk" + i + "@example.com')");
            t.put("emailaddress1", "bulk" + i + "@example.com");
            t.put("lastname", "Bulk " + i);
            targets.add(t);
        }
        client.upsertMultiple("contacts", "contact", targets);
        RowPage r = client.read(
                "contacts",
                "contactid,lastname",
                "emailaddress1 eq 'bulk1@example.com'",
                null,
                new ReadOptions(10, false, false));
        assertThat(r.rows()).hasSize(1);
        assertThat(r.rows().get(0).path("lastname").asText()).isEqualTo("Bulk 1");

        ObjectNode good = JsonNodeFactory.instance.objectNode().put("lastname", "Good");
        ObjectNode bad = JsonNodeFactory.instance.objectNode().put("numberofchildren", "not a number");
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("emailaddress1", "batch-ok@example.com");
        List<BatchResponse> answers = client.batch(List.of(
                BatchOperation.patch(ODataLiterals.keySegment("contacts", key), good, Map.of()),
                BatchOperation.patch("contacts(emailaddress1='batch-bad@example.com')", bad, Map.of()),
                BatchOperation.patch(
                        "contacts(emailaddress1='bulk2@example.com')", good, Map.of("If-None-Match", "*"))));
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).ok()).isTrue();
        assertThat(answers.get(1).status()).isEqualTo(400);
        assertThat(answers.get(1).code()).startsWith("0x");
        assertThat(answers.get(2).status()).isEqualTo(412);
    }

    @Test
    void badSecretIsAPermanentAuthenticationErrorWithoutTheSecret() {
        try (DynamicsClient bad = client("wrong-secret")) {
            assertThatThrownBy(bad::whoAmI)
                    .isInstanceOf(DynamicsApiException.class)
                    .satisfies(e -> assertThat(((DynamicsApiException) e).isAuthentication())
                            .isTrue())
                    .hasMessageNotContaining("wrong-secret");
        }
    }

    @Test
    void expiredDeltaTokenIsRecognised() {
        ReadOptions opts = new ReadOptions(5_000, true, false);
        RowPage page = client.read("accounts", "accountid", null, null, opts);
        assertThat(page.deltaLink()).isNotNull();
        sim.setDeltaTokenRetention(Duration.ofMillis(1));
        try {
            sim.advanceClock(Duration.ofSeconds(1));
            assertThatThrownBy(() -> client.readLink(page.deltaLink(), opts))
                    .isInstanceOfSatisfying(
                            DynamicsApiException.class,
                            e -> assertThat(e.isExpiredVersionStamp()).isTrue());
        } finally {
            sim.setDeltaTokenRetention(Duration.ofDays(7));
        }
    }
}
