package io.crmconnect.sync.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.sync.engine.SyncState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The Dynamics 365 → HubSpot transform against both simulators, driven as the HubSpot sink drives it when its
 * compare-and-set refuses a write: the same consumed change comes back after the HubSpot contact changed, and is
 * planned again — until {@code sync.replan.max.rounds} refusals, then it fails as TARGET_KEEPS_CHANGING (the
 * dead-letter topic under errors.tolerance=all) instead of going round for as long as the contact keeps changing.
 */
class TwoWaySyncReplanIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MAPPING = """
            objects:
              contact:
                hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
                dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
                            match_key: emailaddress1 }
                fields:
                  email:     { hubspot: email, dynamics: emailaddress1, conflict: "source_of_truth:hubspot" }
                  firstname: { hubspot: firstname, dynamics: firstname }
                  jobtitle:  { hubspot: jobtitle, dynamics: jobtitle, direction: d365_to_hubspot }
            """;

    @Test
    void aChangeWhoseTargetKeepsChangingIsPlannedAgainOnlyUpToTheLimit() throws Exception {
        try (HubSpotSimulator hs = HubSpotSimulator.builder()
                        .seed(7)
                        .contacts(0)
                        .companies(0)
                        .deals(0)
                        .tickets(0)
                        .start();
                DynamicsSimulator d365 = DynamicsSimulator.builder().seed(7).start();
                HubSpotClient api = HubSpotClient.builder()
                        .baseUrl(hs.baseUrl())
                        .accessToken(hs.token())
                        .build();
                TwoWaySync.ToHubSpot<SinkRecord> toHubSpot = new TwoWaySync.ToHubSpot<>()) {
            api.createProperty("contacts", "d365_contactid", "D365 id", "string", "text", "contactinformation");
            api.createProperty(
                    "contacts", "crmconnect_sync_state", "Sync state", "string", "text", "contactinformation");
            Map<String, String> fp = new HashMap<>();
            fp.put("email", SyncState.fingerprint("email", "ada@example.com"));
            fp.put("firstname", SyncState.fingerprint("firstname", "Ada"));
            fp.put("jobtitle", SyncState.fingerprint("jobtitle", null));
            String state = new SyncState(1_000L, 0L, fp).encode();
            ObjectNode input = JSON.createObjectNode();
            input.putObject("properties")
                    .put("email", "ada@example.com")
                    .put("firstname", "Ada")
                    .put("crmconnect_sync_state", state);
            String hsId =
                    api.batchCreate("contacts", List.of(input)).results().get(0).id();
            String dId = d365.create(
                    "contact",
                    Map.of(
                            "emailaddress1",
                            "ada@example.com",
                            "firstname",
                            "Ada",
                            "crmc_hubspotid",
                            hsId,
                            "crmc_syncstate",
                            state));
            api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("d365_contactid", dId))));

            Map<String, String> config = new HashMap<>();
            config.put("sync.mapping", MAPPING);
            config.put("sync.replan.max.rounds", "2");
            config.put("hubspot.base.url", hs.baseUrl());
            config.put("hubspot.access.token", hs.token());
            config.put("dynamics.url", d365.baseUrl());
            config.put("dynamics.tenant.id", d365.tenantId());
            config.put("dynamics.client.id", d365.clientId());
            config.put("dynamics.client.secret", d365.clientSecret());
            config.put("dynamics.token.url", d365.tokenUrl());
            toHubSpot.configure(config);

            // A person sets the job title in Dynamics 365; the change as the Dynamics 365 source captured it.
            d365.update("contact", dId, Map.of("jobtitle", "CTO"));
            Map<String, Object> row = new HashMap<>(d365.row("contact", dId));
            SinkRecord change = new SinkRecord("sync.dynamics.contact", 0, null, dId, null, row, 42L);

            SinkRecord first = toHubSpot.apply(change);
            assertThat(first).isNotNull();
            assertThat(first.key()).isEqualTo(hsId);
            assertThat(first.headers().lastWithName(ExpectedVersion.HEADER)).isNotNull();
            // The contact changes before each write, so the sink refuses it and consumes the change again.
            api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("firstname", "Ada1"))));
            SinkRecord second = toHubSpot.apply(change);
            assertThat(second).as("planned again after the first refusal").isNotNull();
            assertThat(second.headers().lastWithName(ExpectedVersion.HEADER).value())
                    .isNotEqualTo(
                            first.headers().lastWithName(ExpectedVersion.HEADER).value());
            api.batchUpdate("contacts", List.of(hsInput(hsId, Map.of("firstname", "Ada2"))));
            assertThatThrownBy(() -> toHubSpot.apply(change))
                    .isInstanceOf(DataException.class)
                    .hasMessageStartingWith("TwoWaySync: TARGET_KEEPS_CHANGING")
                    .hasMessageNotContaining("ada@example.com");
            // Another change of the same record is planned as usual.
            SinkRecord later = new SinkRecord("sync.dynamics.contact", 0, null, dId, null, row, 43L);
            assertThat(toHubSpot.apply(later)).isNotNull();
        }
    }

    static ObjectNode hsInput(String id, Map<String, String> props) {
        ObjectNode n = JSON.createObjectNode().put("id", id);
        ObjectNode p = n.putObject("properties");
        props.forEach(p::put);
        return n;
    }
}
