package io.crmconnect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.common.ConfigDocs;
import io.crmconnect.jdbc.dialect.Timeouts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class JdbcSinkConfigTest {

    private static Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", JdbcSinkConnector.class.getName());
        props.put("topics", "contacts");
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:1/none");
        return props;
    }

    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void layoutSettingsAreParsedAndMalformedOnesNamed() {
        Map<String, String> p = base();
        p.put("header.columns", "hubspot.portal:portal_id");
        p.put("table.indexes", "hubspot_owner_id, fromId+toId");
        p.put("child.tables", "stages:pipeline_id,rows");
        p.put("table.name.format", "hubspot.${topic}");
        JdbcSinkConfig c = new JdbcSinkConfig(p);
        assertThat(c.headerColumns()).containsExactly(Map.entry("hubspot.portal", "portal_id"));
        assertThat(c.tableIndexes()).containsExactly(List.of("hubspot_owner_id"), List.of("fromId", "toId"));
        assertThat(c.childTables()).containsEntry("stages", "pipeline_id").containsEntry("rows", null);
        assertThat(c.tableFor("crm.contacts")).isEqualTo("hubspot.crm_contacts");
        assertThat(c.syncStateTable()).isEqualTo("_crmconnect_sync_state");
        assertThat(c.metadataPrefix()).isEqualTo("_crmconnect_");
        assertThat(c.propertyColumnPrefix()).isEqualTo("property_");
        for (String[] bad : new String[][] {
            {"header.columns", "portal_id"},
            {"table.indexes", "a+"},
            {"child.tables", "stages:"},
            {"table.name.format", "a.b.${topic}"},
            {"table.name.format", ".${topic}"},
            {"insert.mode", "merge"}
        }) {
            Map<String, String> q = base();
            q.put(bad[0], bad[1]);
            assertThatThrownBy(() -> new JdbcSinkConfig(q))
                    .as(bad[0] + "=" + bad[1])
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(bad[0]);
        }
    }

    @Test
    void crossFieldErrorsLandOnEveryKeyInvolvedAndSkipTheLiveCheck() {
        Map<String, String> props = base();
        props.put("pk.mode", "none");
        props.put("insert.mode", "upsert");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("insert.mode")).anyMatch(m -> m.contains("needs a primary key"));
        assertThat(errors.get("pk.mode")).anyMatch(m -> m.contains("needs a primary key"));
        assertThat(errors.get("delete.mode")).anyMatch(m -> m.contains("needs pk.mode=record_key"));
        assertThat(errors).doesNotContainKey("connection.url"); // no live check while the config is wrong
    }

    @Test
    void recordValueNeedsPkFieldsAndScd2NeedsAKey() {
        Map<String, String> props = base();
        props.put("pk.mode", "record_value");
        props.put("delete.mode", "none");
        props.put("history.scd2.enabled", "true");
        props.put("insert.mode", "insert");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("pk.fields")).anyMatch(m -> m.contains("pk.mode=record_value needs pk.fields"));
        assertThat(errors.get("history.scd2.enabled")).anyMatch(m -> m.contains("insert.mode=upsert or update"));
        assertThat(errors.get("insert.mode")).isNotEmpty();
    }

    @Test
    void topicsThatWouldShareATableAreReportedOnTheTableNameFormat() {
        Map<String, String> props = base();
        props.put("topics", "crm.contacts,crm_contacts,deals");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("table.name.format"))
                .anyMatch(m -> m.contains("topics 'crm.contacts' and 'crm_contacts' both map to table 'crm_contacts'"));
        props.put("table.name.format", "all_crm"); // one table for every topic, on purpose
        assertThat(JdbcSinkConfig.crossFieldErrors(props)).isEmpty();
    }

    @Test
    void everyWaitMustFitTheRetryBudgetAndTheBudgetThePollInterval() {
        Map<String, String> props = base();
        props.put("statement.timeout.ms", "58000");
        props.put("lock.timeout.ms", "59000");
        props.put("connection.timeout.ms", "60000");
        props.put("consumer.override.max.poll.interval.ms", "65000");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("statement.timeout.ms"))
                .anyMatch(m -> m.contains("(63000 ms) must be below " + "retry.budget.ms=60000"));
        assertThat(errors.get("connection.timeout.ms")).anyMatch(m -> m.contains("must be below retry.budget.ms"));
        assertThat(errors.get("lock.timeout.ms")).anyMatch(m -> m.contains("must not exceed statement.timeout.ms"));
        assertThat(errors.get("retry.budget.ms")).anyMatch(m -> m.contains("max.poll.interval.ms (65000"));
        assertThat(JdbcSinkConfig.crossFieldErrors(base())).isEmpty(); // the defaults fit
        assertThat(new JdbcSinkConfig(base()).timeouts().socketMs()).isEqualTo(35_000);
        Map<String, String> smallBudget = base();
        smallBudget.put("retry.budget.ms", "6000"); // timeouts left at their defaults follow the budget
        assertThat(JdbcSinkConfig.crossFieldErrors(smallBudget)).isEmpty();
        assertThat(new JdbcSinkConfig(smallBudget).timeouts()).isEqualTo(new Timeouts(3_000, 3_000, 3_000));
        assertThat(new JdbcSinkConfig(smallBudget).timeouts().socketMs()).isEqualTo(4_500);
    }

    @Test
    void unreachableDatabaseIsReportedOnTheUrl() {
        Map<String, String> props = base();
        props.put("connection.timeout.ms", "1000");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("connection.url")).singleElement().asString().startsWith("Cannot connect to");
    }

    @Test
    void perKeyValidatorsNameTheKey() {
        Map<String, String> props = base();
        props.put("connection.url", "jdbc:oracle:thin:@x");
        props.put("insert.mode", "merge");
        Map<String, List<String>> errors = errors(new JdbcSinkConnector().validate(props));
        assertThat(errors.get("connection.url")).anyMatch(m -> m.contains("jdbc:postgresql:"));
        assertThat(errors.get("insert.mode")).anyMatch(m -> m.contains("upsert, insert, update"));
    }

    @Test
    void enumsAreCaseInsensitiveAndTheTaskRefusesBrokenRules() {
        Map<String, String> props = base();
        props.put("insert.mode", "UPSERT");
        props.put("pk.mode", "Record_Key");
        JdbcSinkConfig config = new JdbcSinkConfig(props);
        assertThat(config.insertMode()).isEqualTo(JdbcSinkConfig.InsertMode.UPSERT);
        assertThat(config.pkMode()).isEqualTo(JdbcSinkConfig.PkMode.RECORD_KEY);
        props.put("pk.mode", "kafka");
        assertThatThrownBy(() -> new JdbcSinkConnector().start(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delete.mode, pk.mode");
    }

    @Test
    void everyKeyIsDocumentedGroupedAndValidatorsPrintReadably() {
        for (ConfigDef.ConfigKey key : JdbcSinkConfig.CONFIG_DEF.configKeys().values()) {
            assertThat(key.documentation).as(key.name).isNotBlank();
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.displayName).as(key.name).isNotBlank();
            if (key.validator != null) {
                assertThat(key.validator.toString()).as(key.name).doesNotContain("@");
            }
        }
        assertThat(JdbcSinkConfig.CONFIG_DEF.configKeys().get("connection.password").type)
                .isEqualTo(ConfigDef.Type.PASSWORD);
        String docs = ConfigDocs.markdown("JDBC sink", JdbcSinkConfig.OVERVIEW, JdbcSinkConfig.CONFIG_DEF);
        assertThat(docs).contains("## History", "### `history.scd2.enabled`", "upsert, insert, update");
    }

    @Test
    void mariaDbGrantsAreReadForCreateRights() {
        assertThat(JdbcSinkConnector.grantsAllowCreate(
                        List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"), "crm"))
                .isTrue();
        assertThat(JdbcSinkConnector.grantsAllowCreate(
                        List.of(
                                "GRANT USAGE ON *.* TO `w`@`%`",
                                "GRANT SELECT, INSERT, CREATE, ALTER ON `crm`.* TO `w`@`%`"),
                        "crm"))
                .isTrue();
        assertThat(JdbcSinkConnector.grantsAllowCreate(
                        List.of(
                                "GRANT USAGE ON *.* TO `w`@`%`",
                                "GRANT SELECT, INSERT, CREATE TEMPORARY TABLES ON `crm`.* TO " + "`w`@`%`"),
                        "crm"))
                .isFalse();
        assertThat(JdbcSinkConnector.grantsAllowCreate(List.of("GRANT ALL PRIVILEGES ON `other`.* TO `w`@`%`"), "crm"))
                .isFalse();
    }

    @Test
    void tableNamesComeFromTheFormat() {
        Map<String, String> props = base();
        props.put("table.name.format", "crm_${topic}");
        assertThat(new JdbcSinkConfig(props).tableFor("hubspot.contacts-v1")).isEqualTo("crm_hubspot_contacts_v1");
    }
}
