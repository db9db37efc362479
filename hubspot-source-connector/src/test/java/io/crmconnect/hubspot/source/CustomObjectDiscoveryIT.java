package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.ObjectSchema;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** Custom object discovery against the HubSpot simulator over HTTP: start-up failures, scopes, periodic refresh. */
class CustomObjectDiscoveryIT {
    static final String SCHEMAS = "GET /crm-object-schemas/v3/schemas";

    static CustomObjectDiscovery discovery(HubSpotSimulator sim, String token, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", token);
        c.put("hubspot.retry.budget.ms", "1500");
        c.put("custom.objects.refresh.interval.ms", "1000");
        c.putAll(extra);
        HubSpotSourceConfig config = new HubSpotSourceConfig(c);
        return new CustomObjectDiscovery(
                config, new HubSpotClientFactory(config.connection()).connectorClient(), "test");
    }

    @Test
    void transientFaultsAreRetriedAndAPersistentOutageFailsWithAnActionableFirstLine() throws Exception {
        try (HubSpotSimulator sim =
                HubSpotSimulator.builder().seed(41).contacts(5).start()) {
            createSchema(sim, "machines");
            sim.addFault(Fault.status(SCHEMAS, 503, 1.0).times(2));
            try (CustomObjectDiscovery d = discovery(sim, sim.token(), Map.of())) {
                assertThat(d.discover()).extracting(ObjectSchema::name).containsExactly("machines");
            }
            assertThat(sim.faults().get(0).firedCount()).isEqualTo(2);

            sim.clearFaults();
            sim.addFault(Fault.status(SCHEMAS, 503, 1.0));
            long t0 = System.nanoTime();
            try (CustomObjectDiscovery d = discovery(sim, sim.token(), Map.of())) {
                assertThatThrownBy(d::discover)
                        .isInstanceOf(ConnectException.class)
                        .satisfies(e -> assertThat(
                                        e.getMessage().lines().findFirst().orElseThrow())
                                .startsWith("HubSpot custom objects cannot be discovered")
                                .contains("hubspot.retry.budget.ms", "objects.exclude=custom", "restart"));
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
                    .as("bounded by the retry budget")
                    .isLessThan(10_000);
        }
    }

    @Test
    void aMissingSchemaScopeWarnsWhenCustomObjectsAreImplicitAndFailsWhenTheyAreNamed() throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                .seed(42)
                .contacts(5)
                .privateAppToken("pat-no-schemas", "crm.objects.contacts.read")
                .start()) {
            createSchema(sim, "machines");
            try (CustomObjectDiscovery d = discovery(sim, "pat-no-schemas", Map.of())) {
                assertThat(d.discover()).isEmpty();
            }
            try (CustomObjectDiscovery d =
                    discovery(sim, "pat-no-schemas", Map.of("objects.include", "contacts,machines"))) {
                assertThatThrownBy(d::discover)
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining("HTTP 403")
                        .hasMessageContaining("crm.schemas.custom.read");
            }
        }
    }

    @Test
    void theRefreshReportsNewObjectsAndKeepsTheListWhenHubSpotFails() throws Exception {
        try (HubSpotSimulator sim =
                        HubSpotSimulator.builder().seed(43).contacts(5).start();
                CustomObjectDiscovery d = discovery(sim, sim.token(), Map.of())) {
            assertThat(d.discover()).isEmpty();
            LinkedBlockingQueue<List<ObjectSchema>> changes = new LinkedBlockingQueue<>();
            d.startRefreshing(changes::add);
            createSchema(sim, "pumps");
            List<ObjectSchema> first = changes.poll(20, TimeUnit.SECONDS);
            assertThat(first)
                    .as("the new object within a few refresh intervals")
                    .isNotNull()
                    .extracting(ObjectSchema::name)
                    .containsExactly("pumps");

            // HubSpot fails for several refreshes: nothing is reported, the list is kept
            sim.addFault(Fault.status(SCHEMAS, 503, 1.0));
            Thread.sleep(3_500);
            assertThat(changes).isEmpty();
            sim.clearFaults();
            createSchema(sim, "valves");
            List<ObjectSchema> second = changes.poll(20, TimeUnit.SECONDS);
            assertThat(second).isNotNull().extracting(ObjectSchema::name).containsExactlyInAnyOrder("pumps", "valves");
        }
    }

    static void createSchema(HubSpotSimulator sim, String name) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"labels\":{\"singular\":\"" + name + "\",\"plural\":\"" + name
                + "\"},\"primaryDisplayProperty\":\"" + name + "_name\",\"requiredProperties\":[\"" + name
                + "_name\"],\"properties\":[{\"name\":\"" + name + "_name\",\"label\":\"Name\",\"type\":\"string\","
                + "\"fieldType\":\"text\"}]}";
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/crm-object-schemas/v3/schemas"))
                                .header("Authorization", "Bearer " + sim.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }
}
