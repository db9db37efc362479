package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void rendersGroupsDefaultsValidatorsAndHidesPasswords() {
        ConfigDef def = new ConfigDef()
                .define(
                        "connection.url",
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        ConfigDef.Importance.HIGH,
                        "JDBC URL.",
                        "Connection",
                        1,
                        ConfigDef.Width.LONG,
                        "URL")
                .define(
                        "connection.password",
                        ConfigDef.Type.PASSWORD,
                        "s3cret",
                        ConfigDef.Importance.HIGH,
                        "Password.",
                        "Connection",
                        2,
                        ConfigDef.Width.MEDIUM,
                        "Password")
                .define(
                        "batch.size",
                        ConfigDef.Type.INT,
                        500,
                        ConfigDef.Range.atLeast(1),
                        ConfigDef.Importance.MEDIUM,
                        "Rows per batch.",
                        "Writes",
                        1,
                        ConfigDef.Width.SHORT,
                        "Batch size")
                .defineInternal("task.streams", ConfigDef.Type.LIST, "", ConfigDef.Importance.LOW);

        String md = ConfigDocs.markdown("JDBC sink", "Writes rows.", def);

        assertThat(md)
                .contains(
                        "# JDBC sink",
                        "## Connection",
                        "## Writes",
                        "### `connection.url`",
                        "- Default: required",
                        "- Default: `500`",
                        "- Valid values: [1,...]",
                        "- Default: [hidden]");
        assertThat(md).doesNotContain("s3cret", "task.streams");
        assertThat(md.indexOf("## Connection")).isLessThan(md.indexOf("## Writes"));
    }

    @Test
    void refusesAValidatorWithoutToString() {
        ConfigDef def = new ConfigDef()
                .define("zone", ConfigDef.Type.STRING, "UTC", (name, value) -> {}, ConfigDef.Importance.LOW, "Zone.");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigDocs.markdown("x", null, def))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'zone'");
    }

    @Test
    void pluginVersionFallsBackOutsideAJar() {
        assertThat(PluginVersion.of(ConfigDocsTest.class)).isEqualTo(PluginVersion.UNKNOWN);
    }
}
