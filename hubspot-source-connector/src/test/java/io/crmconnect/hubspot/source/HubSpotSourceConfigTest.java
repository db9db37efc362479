package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.hubspot.client.HubSpotConnectionConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class HubSpotSourceConfigTest {
    static Map<String, String> props(String history) {
        Map<String, String> p = new HashMap<>();
        p.put("hubspot.access.token", "pat-test");
        p.put("property.history", history);
        return p;
    }

    @Test
    void historyPropertiesFollowTheEntries() {
        HubSpotSourceConfig c = new HubSpotSourceConfig(props("contacts.email, deals.*, *.hs_lead_status"));
        List<String> selected = List.of("email", "firstname", "hs_lead_status");
        assertThat(c.historyProperties("contacts", selected)).containsExactly("email", "hs_lead_status");
        assertThat(c.historyProperties("deals", selected)).containsExactlyElementsOf(selected);
        assertThat(c.historyProperties("companies", selected)).containsExactly("hs_lead_status");
        assertThat(new HubSpotSourceConfig(props("")).historyProperties("contacts", selected))
                .isEmpty();
    }

    @Test
    void malformedHistoryEntriesAreReportedOnTheirKey() {
        assertThatThrownBy(() -> new HubSpotSourceConfig(props("contacts")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("property.history");
        for (String bad : List.of("contacts", ".email", "contacts.", "*.*")) {
            List<ConfigValue> values = HubSpotSourceConfig.CONFIG.validate(props(bad));
            ConfigValue v = values.stream()
                    .filter(x -> x.name().equals("property.history"))
                    .findFirst()
                    .orElseThrow();
            assertThat(v.errorMessages()).as(bad).singleElement().asString().contains("object.property");
        }
    }

    @Test
    void modesAreEnumsInTheJdbcSinkStyleAndTheConnectionKeysAreTheSharedOnes() {
        Map<String, String> p = props("");
        p.put("number.mapping", "Double");
        p.put("multicheckbox.mapping", "STRING");
        HubSpotSourceConfig c = new HubSpotSourceConfig(p);
        assertThat(c.numberMapping()).isEqualTo(HubSpotSourceConfig.NumberMapping.DOUBLE);
        assertThat(c.multiCheckboxMapping()).isEqualTo(HubSpotSourceConfig.MultiCheckboxMapping.STRING);
        p.put("number.mapping", "float");
        assertThatThrownBy(() -> new HubSpotSourceConfig(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("number.mapping")
                .hasMessageContaining("[decimal, double]");
        assertThat(HubSpotSourceConfig.CONFIG.configKeys().get("number.mapping").recommender)
                .isNotNull();

        ConfigDef shared = HubSpotConnectionConfig.define(new ConfigDef());
        for (ConfigDef.ConfigKey k : shared.configKeys().values()) {
            ConfigDef.ConfigKey mine = HubSpotSourceConfig.CONFIG.configKeys().get(k.name);
            assertThat(mine).as(k.name).isNotNull();
            assertThat(mine.documentation).isEqualTo(k.documentation);
            assertThat(mine.defaultValue).isEqualTo(k.defaultValue);
            assertThat(mine.group).isEqualTo(HubSpotConnectionConfig.GROUP);
        }
    }

    @Test
    void streamIdsRoundTripThroughTheTaskConfigForm() {
        for (StreamId id : List.of(
                new StreamId.CrmType("0-1", "contacts"),
                new StreamId.CrmType("2-123", "machines"),
                StreamId.OWNERS,
                StreamId.PIPELINES,
                new StreamId.AssociationPair("deals", "contacts"))) {
            assertThat(StreamId.parse(id.encode())).isEqualTo(id);
        }
        // the form task configs written by earlier versions carry
        assertThat(StreamId.parse("object:contacts:contacts")).isEqualTo(new StreamId.CrmType("contacts", "contacts"));
        assertThat(StreamId.parse("assoc:contacts:companies"))
                .isEqualTo(new StreamId.AssociationPair("contacts", "companies"));
        for (String bad : List.of("object:contacts", "assoc::companies", "owner", "object:a:b:c")) {
            assertThatThrownBy(() -> StreamId.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }
}
