package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.dynamics.sink.DynamicsSinkConfig.Lookup;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DynamicsSinkConfigTest {
    private static Map<String, String> base() {
        Map<String, String> c = new HashMap<>();
        c.put("dynamics.url", "https://contoso.crm.dynamics.com");
        c.put("dynamics.tenant.id", "t");
        c.put("dynamics.client.id", "c");
        c.put("dynamics.client.secret", "s");
        c.put("table", "contact");
        return c;
    }

    @Test
    void lookupForms() {
        assertThat(Lookup.parse("company_number>parentcustomerid_account.accountnumber"))
                .isEqualTo(new Lookup("company_number", "parentcustomerid_account", null, "accountnumber"));
        assertThat(Lookup.parse("acct>crmc_AccountId:account.crmc_code"))
                .isEqualTo(new Lookup("acct", "crmc_AccountId", "account", "crmc_code"));
        assertThat(Lookup.parse("owner>ownerid").byId()).isTrue();
        assertThatThrownBy(() -> Lookup.parse("nofield")).isInstanceOf(ConfigException.class);
    }

    @Test
    void anIdentityIsRequiredAndModesAreCaseInsensitive() {
        assertThatThrownBy(() -> new DynamicsSinkConfig(base())).hasMessageContaining("alternate.key");
        Map<String, String> c = base();
        c.put("alternate.key", "emailaddress1");
        c.put("write.mode", "Create_Only");
        assertThat(new DynamicsSinkConfig(c).writeMode()).isEqualTo(DynamicsSinkConfig.WriteMode.CREATE_ONLY);
        c.put("write.mode", "merge");
        assertThatThrownBy(() -> new DynamicsSinkConfig(c)).hasMessageContaining("write.mode");
    }
}
