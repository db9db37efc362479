package io.crmconnect.hubspot.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HubSpotClientTest {
    @Test
    void errorMessagesNeverCarryEmailAddresses() {
        assertThat(HubSpotClient.maskPersonalData("Contact already exists: jane.doe+x@mail.example.co.uk (id 5)"))
                .isEqualTo("Contact already exists: <email> (id 5)");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(HubSpotClient.retryAfterMillis("2")).isEqualTo(2_000);
        assertThat(HubSpotClient.retryAfterMillis("0.5")).isEqualTo(500);
        assertThat(HubSpotClient.retryAfterMillis(null)).isZero();
        assertThat(HubSpotClient.retryAfterMillis("soon")).isZero();
    }

    @Test
    void timestampsInEveryHubSpotShape() {
        assertThat(HubSpotClient.parseInstant("2024-01-17T19:55:04.281Z"))
                .isEqualTo(Instant.parse("2024-01-17T19:55:04.281Z"));
        assertThat(HubSpotClient.parseInstant("1705521304281")).isEqualTo(Instant.ofEpochMilli(1705521304281L));
        assertThat(HubSpotClient.parseInstant("2024-01-17T20:55:04+01:00"))
                .isEqualTo(Instant.parse("2024-01-17T19:55:04Z"));
    }

    @Test
    void budgetCapacitiesFollowTierAndShares() {
        RateBudget pro = new RateBudget(Tier.PROFESSIONAL, 0.4, 0.5);
        assertThat(pro.burstCapacity()).isEqualTo(94); // 95 minus 1% headroom
        assertThat(pro.searchCapacity()).isEqualTo(2);
        assertThat(pro.dailyCapacity()).isEqualTo(125_000);
        assertThat(new RateBudget(Tier.API_ADD_ON, 1.0, 1.0).burstCapacity()).isEqualTo(248);
        assertThat(new RateBudget(Tier.STARTER, 1.0, 1.0).burstCapacity()).isEqualTo(99);
    }
}
