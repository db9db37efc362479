package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EnumValidatorTest {
    enum Mode {
        RECORD_KEY,
        NONE
    }

    @Test
    void acceptsLowerCaseNamesInAnyCaseAndParsesThem() {
        EnumValidator v = new EnumValidator(Mode.class);
        v.ensureValid("pk.mode", "record_key");
        v.ensureValid("pk.mode", " Record_Key ");
        assertThat(EnumValidator.parse(Mode.class, " None")).isEqualTo(Mode.NONE);
        assertThat(EnumValidator.configName(Mode.RECORD_KEY)).isEqualTo("record_key");
        assertThat(v.validValues("pk.mode", Map.of())).containsExactly("record_key", "none");
        assertThat(v).hasToString("record_key, none (case-insensitive)");
    }

    @Test
    void namesTheKeyAndTheValidValuesOnAnUnknownValue() {
        EnumValidator v = new EnumValidator(Mode.class);
        assertThatThrownBy(() -> v.ensureValid("pk.mode", "record-key"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pk.mode")
                .hasMessageContaining("[record_key, none]");
        assertThatThrownBy(() -> v.ensureValid("pk.mode", null)).isInstanceOf(ConfigException.class);
    }
}
