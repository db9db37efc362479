package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** validate() against the live simulator: every problem on its own key. */
class HubSpotSinkValidateIT {
    static HubSpotSimulator sim;

    @BeforeAll
    static void start() {
        sim = HubSpotSimulator.builder()
                .seed(3)
                .privateAppToken("pat-read-only", "crm.objects.contacts.read", "crm.schemas.contacts.read")
                .start();
        SimAdmin.property(sim, "contacts", "patient_id", "string", "text", true);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    Map<String, String> good() {
        Map<String, String> c = new HashMap<>();
        c.put("topics", "t");
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("object", "contacts");
        c.put("unique.property", "patient_id");
        c.put("field.mapping", "pid:patient_id,mail:email,fn:firstname");
        c.put("match.tiers", "email;firstname");
        c.put("associations", "company_id>companies.hs_object_id");
        return c;
    }

    static Map<String, List<String>> errors(Config c) {
        Map<String, List<String>> out = new HashMap<>();
        for (ConfigValue v : c.configValues()) {
            if (!v.errorMessages().isEmpty()) {
                out.put(v.name(), v.errorMessages());
            }
        }
        return out;
    }

    @Test
    void aGoodConfigurationHasNoErrors() {
        assertThat(errors(new HubSpotSinkConnector().validate(good()))).isEmpty();
    }

    @Test
    void eachProblemIsReportedOnItsKey() {
        Map<String, String> c = good();
        c.put("unique.property", "firstname");
        c.put("field.mapping", "pid:patient_id,x:no_such_property,c:createdate");
        c.put("match.tiers", "email;nope");
        c.put("associations", "company_id>companies.hs_object_id/NoSuchLabel");
        c.put("skip.if", "missing_guard=1");
        Map<String, List<String>> e = errors(new HubSpotSinkConnector().validate(c));
        assertThat(e.get("unique.property")).singleElement().asString().contains("not unique");
        assertThat(e.get("field.mapping"))
                .anySatisfy(m -> assertThat(m).contains("no_such_property"))
                .anySatisfy(m -> assertThat(m).contains("createdate").contains("read-only"));
        assertThat(e.get("match.tiers")).anySatisfy(m -> assertThat(m).contains("nope"));
        assertThat(e.get("associations")).singleElement().asString().contains("NoSuchLabel");
        assertThat(e.get("skip.if")).singleElement().asString().contains("missing_guard");
        assertThat(e).doesNotContainKeys("hubspot.access.token", "object");
    }

    @Test
    void tokenAndObjectProblems() {
        Map<String, String> bad = good();
        bad.put("hubspot.access.token", "pat-wrong");
        assertThat(errors(new HubSpotSinkConnector().validate(bad))).containsOnlyKeys("hubspot.access.token");
        Map<String, String> noObject = good();
        noObject.put("object", "no_such_object");
        assertThat(errors(new HubSpotSinkConnector().validate(noObject))).containsOnlyKeys("object");
        Map<String, String> readOnly = good();
        readOnly.put("hubspot.access.token", "pat-read-only");
        assertThat(errors(new HubSpotSinkConnector().validate(readOnly)).get("hubspot.access.token"))
                .singleElement()
                .asString()
                .contains("scope");
    }
}
