package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.hubspot.client.CrmObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkipGuardTest {
    private static CrmObject roi(String status, String processedAt) {
        Map<String, String> p = new HashMap<>();
        if (status != null) {
            p.put("processing_status", status);
        }
        if (processedAt != null) {
            p.put("processing_datetime", processedAt);
        }
        return new CrmObject("1", p, null, null, false, null, Map.of());
    }

    @Test
    void conditionsOfOneGuardMustAllHold() {
        // seed 004: skip ROI requests HubSpot staff already processed: status Processed AND a processing time
        SkipGuard g = SkipGuard.parse("skip.if", "processing_status=Processed & processing_datetime=*");
        assertThat(g.matches(roi("processed", "1710028800000"))).isTrue();
        assertThat(g.matches(roi("Processed", null)))
                .as("no processing time: written")
                .isFalse();
        assertThat(g.matches(roi("Processed", "")))
                .as("an empty value is no value")
                .isFalse();
        assertThat(g.matches(roi("Pending", "1710028800000"))).isFalse();
        assertThat(g.matches(roi(null, null))).isFalse();
        assertThat(g.properties()).containsExactly("processing_status", "processing_datetime");
    }

    @Test
    void negatedConditions() {
        SkipGuard notSet = SkipGuard.parse("skip.if", "processing_datetime!=*");
        assertThat(notSet.matches(roi("x", null))).isTrue();
        assertThat(notSet.matches(roi("x", "1"))).isFalse();
        SkipGuard notProcessed = SkipGuard.parse("skip.if", "processing_status!=Processed");
        assertThat(notProcessed.matches(roi("Pending", null))).isTrue();
        assertThat(notProcessed.matches(roi("PROCESSED", null))).isFalse();
    }

    @Test
    void fieldRulesSkipWhenAnyGuardMatches() {
        Map<String, String> m = HubSpotSinkConfigTest.base();
        m.put("skip.if", "processing_status=Processed&processing_datetime=*,processing_status=Locked");
        FieldRules rules = new FieldRules(new HubSpotSinkConfig(m), new PropertyCatalog("contacts", Map.of()));
        assertThat(rules.needCurrentRecord()).isTrue();
        assertThat(rules.readProperties()).containsExactlyInAnyOrder("processing_status", "processing_datetime");
        assertThat(rules.skipped(roi("Processed", "1"))).isTrue();
        assertThat(rules.skipped(roi("Locked", null))).isTrue();
        assertThat(rules.skipped(roi("Processed", null))).isFalse();
        assertThat(rules.skipped(null)).as("nothing in HubSpot yet: created").isFalse();
        assertThat(List.of(rules.apply(Map.of("a", "1"), null))).singleElement().isEqualTo(Map.of("a", "1"));
    }
}
