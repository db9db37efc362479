package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.hubspot.client.HubSpotConnectionConfig;
import io.crmconnect.hubspot.client.Tier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HubSpotSinkConfigTest {
    static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("hubspot.access.token", "pat-x");
        m.put("object", "contacts");
        return m;
    }

    @Test
    void parsesTiersMappingGuardsAndAssociations() {
        Map<String, String> m = base();
        m.put("match.tiers", "email; firstname,lastname,date_of_birth ;address,address2?,city");
        m.put("field.mapping", "a:email,b.c:firstname");
        m.put("skip.if", "processing_status=Processed&processing_datetime=*,archived_flag!=*");
        m.put("associations", "patient_email>contacts.email/Patient,company_id>companies.hs_object_id");
        m.put("write.mode", "UPDATE_ONLY");
        m.put("delete.mode", "archive");
        m.put("null.handling", "Clear");
        m.put("match.strategy", "index");
        HubSpotSinkConfig c = new HubSpotSinkConfig(m);
        assertThat(c.tiers())
                .containsExactly(
                        List.of("email"),
                        List.of("firstname", "lastname", "date_of_birth"),
                        List.of("address", "address2?", "city"));
        assertThat(c.mapping()).containsEntry("a", "email").containsEntry("b.c", "firstname");
        assertThat(c.skipGuards())
                .extracting(SkipGuard::toString)
                .containsExactly("processing_status=Processed&processing_datetime=*", "archived_flag!=*");
        assertThat(c.associations())
                .containsExactly(
                        new HubSpotSinkConfig.AssociationRule("patient_email", "contacts", "email", "Patient"),
                        new HubSpotSinkConfig.AssociationRule("company_id", "companies", "hs_object_id", null));
        assertThat(c.writeMode()).isEqualTo(HubSpotSinkConfig.WriteMode.UPDATE_ONLY);
        assertThat(c.deleteMode()).isEqualTo(HubSpotSinkConfig.DeleteMode.ARCHIVE);
        assertThat(c.nullHandling()).isEqualTo(HubSpotSinkConfig.NullHandling.CLEAR);
        assertThat(c.matchStrategy()).isEqualTo(HubSpotSinkConfig.MatchStrategy.INDEX);
        assertThat(c.toString()).doesNotContain("pat-x");
    }

    @Test
    void rejectsMalformedValuesOnTheirKey() {
        Map<String, String> m = base();
        m.put("field.mapping", "nocolon");
        assertThatThrownBy(() -> new HubSpotSinkConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field.mapping");
        Map<String, String> z = base();
        z.put("timezone", "Mars/Olympus");
        assertThatThrownBy(() -> new HubSpotSinkConfig(z)).hasMessageContaining("timezone");
        Map<String, String> a = base();
        a.put("associations", "field-without-target");
        assertThatThrownBy(() -> new HubSpotSinkConfig(a)).hasMessageContaining("associations");
        Map<String, String> b = base();
        b.put("batch.size", "101");
        assertThatThrownBy(() -> new HubSpotSinkConfig(b)).hasMessageContaining("batch.size");
        Map<String, String> w = base();
        w.put("write.mode", "update-or-whatever");
        assertThatThrownBy(() -> new HubSpotSinkConfig(w))
                .hasMessageContaining("write.mode")
                .hasMessageContaining("upsert, update_only, create_only");
        Map<String, String> g = base();
        g.put("skip.if", "processing_status=Processed&=x");
        assertThatThrownBy(() -> new HubSpotSinkConfig(g)).hasMessageContaining("skip.if");
    }

    @Test
    void connectionKeysAreTheSharedOnesOAuthIncluded() {
        Map<String, String> m = base();
        m.remove("hubspot.access.token");
        assertThatThrownBy(() -> new HubSpotSinkConfig(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubspot.access.token");
        m.put("hubspot.oauth.client.id", "app-1");
        m.put("hubspot.oauth.client.secret", "client-secret-1");
        m.put("hubspot.oauth.refresh.token", "refresh-1");
        m.put("hubspot.tier", "Professional");
        HubSpotSinkConfig c = new HubSpotSinkConfig(m);
        assertThat(c.connection().credentialKey()).isEqualTo("hubspot.oauth.refresh.token");
        assertThat(c.connection().tier()).isEqualTo(Tier.PROFESSIONAL);
        assertThat(HubSpotSinkConfig.CONFIG.configKeys().get("hubspot.burst.budget.share").group)
                .isEqualTo(HubSpotConnectionConfig.GROUP);
    }
}
