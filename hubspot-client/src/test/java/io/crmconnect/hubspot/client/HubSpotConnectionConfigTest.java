package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HubSpotConnectionConfigTest {
    static final ConfigDef DEF = HubSpotConnectionConfig.define(new ConfigDef());

    static HubSpotConnectionConfig parse(Map<String, String> props) {
        return new HubSpotConnectionConfig(new AbstractConfig(DEF, props));
    }

    static Map<String, String> token() {
        Map<String, String> m = new HashMap<>();
        m.put("hubspot.access.token", "pat-secret-1");
        return m;
    }

    @Test
    void defaultsAndEveryKeyInTheConnectionGroup() {
        HubSpotConnectionConfig c = parse(token());
        assertThat(c.baseUrl()).isEqualTo("https://api.hubapi.com");
        assertThat(c.tier()).isEqualTo(Tier.STARTER);
        assertThat(c.dailyShare()).isEqualTo(0.5);
        assertThat(c.burstShare()).isEqualTo(1.0);
        assertThat(c.retryBudget()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.credentialKey()).isEqualTo("hubspot.access.token");
        assertThat(DEF.configKeys().values())
                .allSatisfy(k -> assertThat(k.group).isEqualTo("HubSpot connection"));
        assertThat(DEF.configKeys().get("hubspot.access.token").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(DEF.configKeys().get("hubspot.oauth.client.secret").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(DEF.configKeys().get("hubspot.oauth.refresh.token").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void tierIsAnEnumInTheJdbcSinkStyle() {
        Map<String, String> m = token();
        m.put("hubspot.tier", "API_Add_On");
        assertThat(parse(m).tier()).isEqualTo(Tier.API_ADD_ON);
        m.put("hubspot.tier", "gold");
        assertThatThrownBy(() -> parse(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubspot.tier")
                .hasMessageContaining("[starter, professional, enterprise, api_add_on]");
    }

    @Test
    void credentialsAreATokenOrTheWholeOAuthTriple() {
        Map<String, String> oauth = new HashMap<>();
        oauth.put("hubspot.oauth.client.id", "app-1");
        oauth.put("hubspot.oauth.client.secret", "client-secret-1");
        assertThatThrownBy(() -> parse(oauth))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubspot.access.token")
                .hasMessageNotContaining("client-secret-1");
        oauth.put("hubspot.oauth.refresh.token", "refresh-secret-1");
        HubSpotConnectionConfig c = parse(oauth);
        assertThat(c.usesAccessToken()).isFalse();
        assertThat(c.credentialKey()).isEqualTo("hubspot.oauth.refresh.token");
        assertThat(c.toString()).contains("app-1").doesNotContain("client-secret-1", "refresh-secret-1");
        assertThat(parse(token()).toString()).doesNotContain("pat-secret-1");
        assertThatThrownBy(() -> parse(new HashMap<>())).hasMessageContaining("hubspot.access.token");
    }

    @Test
    void baseUrlMustBeAnAbsoluteHttpUrl() {
        Map<String, String> m = token();
        m.put("hubspot.base.url", "api.hubapi.com");
        assertThatThrownBy(() -> parse(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubspot.base.url")
                .hasMessageContaining("http(s)");
        m.put("hubspot.base.url", "http://127.0.0.1:8089");
        assertThat(parse(m).baseUrl()).isEqualTo("http://127.0.0.1:8089");
    }

    @Test
    void factoryBudgetsSplitTheConnectorsSharesAcrossTasks() {
        Map<String, String> m = token();
        m.put("hubspot.tier", "professional");
        m.put("hubspot.daily.budget.share", "0.4");
        m.put("hubspot.burst.budget.share", "0.5");
        HubSpotClientFactory f = new HubSpotClientFactory(parse(m));
        try (HubSpotClient task = f.taskClient(2);
                HubSpotClient connector = f.connectorClient();
                HubSpotClient validation = f.validationClient()) {
            // 190 x 0.5 = 95 per connector, 47 per task, minus RateBudget's 1% (at least one) headroom
            assertThat(task.budget().burstCapacity()).isEqualTo(46);
            assertThat(task.budget().dailyCapacity()).isEqualTo(125_000);
            assertThat(connector.budget().burstCapacity()).isEqualTo(94);
            assertThat(connector.budget().dailyCapacity()).isEqualTo(250_000);
            // validate() is not held back by the daily share
            assertThat(validation.budget().dailyCapacity()).isEqualTo(625_000);
        }
        assertThat(HubSpotClientFactory.retries(Duration.ofSeconds(7), 50, Duration.ofSeconds(10))
                        .budget())
                .isEqualTo(Duration.ofSeconds(7));
    }
}
