package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        assertThat(new HubSpotSourceConfig(props("")).historyProperties("contacts", selected)).isEmpty();
    }

    @Test
    void malformedHistoryEntriesAreReportedOnTheirKey() {
        assertThatThrownBy(() -> new HubSpotSourceConfig(props("contacts")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("property.history");
        for (String bad : List.of("contacts", ".email", "contacts.", "*.*")) {
            List<ConfigValue> values = HubSpotSourceConfig.CONFIG.validate(props(bad));
            ConfigValue v = values.stream().filter(x -> x.name().equals("property.history")).findFirst()
                    .orElseThrow();
            assertThat(v.errorMessages()).as(bad).singleElement().asString().contains("object.property");
        }
    }
}
