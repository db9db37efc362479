package io.crmconnect.sync.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.PropertyValue;
import io.crmconnect.sync.engine.RecordView;
import io.crmconnect.sync.engine.SyncState;
import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import io.crmconnect.sync.mapping.SyncMapping;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** The same contact read from each source's records and each side's API gives the same canonical values. */
class RecordViewsTest {
    static final ObjectMapping M = SyncMapping.parse("""
            objects:
              contact:
                hubspot:  { object: contacts, link: d365_contactid, state: crmconnect_sync_state, match_key: email }
                dynamics: { object: contact, id: contactid, link: crmc_hubspotid, state: crmc_syncstate,
                            match_key: emailaddress1, integration_user: app }
                fields:
                  email:  { hubspot: email, dynamics: emailaddress1 }
                  score:  { hubspot: score, dynamics: crmc_score }
                  method: { hubspot: crm_contact_method, dynamics: preferredcontactmethodcode,
                            values: { any: Any, email: Email, phone: Phone } }
            """).object("contact");
    static final String STATE = new SyncState(5, 4, Map.of("email", "12345678")).encode();
    static final Map<String, String> EXPECTED = Map.of("email", "ada@example.com", "score", "12.5", "method", "phone");

    @Test
    void dynamicsSourceRecordReadsChoicesByLabel() {
        Schema s = SchemaBuilder.struct()
                .field("contactid", Schema.STRING_SCHEMA)
                .field("emailaddress1", Schema.OPTIONAL_STRING_SCHEMA)
                .field("crmc_score", Decimal.builder(2).optional().build())
                .field("preferredcontactmethodcode", Schema.OPTIONAL_INT32_SCHEMA)
                .field("preferredcontactmethodcode_label", Schema.OPTIONAL_STRING_SCHEMA)
                .field("crmc_hubspotid", Schema.OPTIONAL_STRING_SCHEMA)
                .field("crmc_syncstate", Schema.OPTIONAL_STRING_SCHEMA)
                .field("modifiedon", Timestamp.builder().optional().build())
                .field("modifiedby", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct v = new Struct(s)
                .put("contactid", "d1")
                .put("emailaddress1", " Ada@Example.com ")
                .put("crmc_score", new BigDecimal("12.50"))
                .put("preferredcontactmethodcode", 3)
                .put("preferredcontactmethodcode_label", "Phone")
                .put("crmc_hubspotid", "101")
                .put("crmc_syncstate", STATE)
                .put("modifiedon", new Date(1_000L))
                .put("modifiedby", "app");
        RecordView r = new RecordViews(M).fromRecord(Side.DYNAMICS, "d1", v);
        assertThat(r.values()).isEqualTo(EXPECTED);
        assertThat(r.linkedId()).isEqualTo("101");
        assertThat(r.state().encode()).isEqualTo(STATE);
        assertThat(r.modifiedAt()).isEqualTo(1_000L);
        assertThat(r.modifiedBy()).isEqualTo("app");
    }

    @Test
    void dataverseRowReadsChoicesByFormattedValue() throws Exception {
        ObjectNode row = (ObjectNode) new ObjectMapper().readTree("""
                {"contactid":"d1","emailaddress1":"ada@example.com","crmc_score":12.50,
                 "preferredcontactmethodcode":3,
                 "preferredcontactmethodcode@OData.Community.Display.V1.FormattedValue":"Phone",
                 "crmc_hubspotid":"101","crmc_syncstate":"%s","modifiedon":"1970-01-01T00:00:01Z",
                 "_modifiedby_value":"app"}""".formatted(STATE));
        RecordView r = new RecordViews(M).fromDynamics(row);
        assertThat(r.values()).isEqualTo(EXPECTED);
        assertThat(r.modifiedAt()).isEqualTo(1_000L);
        assertThat(r.modifiedBy()).isEqualTo("app");
        assertThat(r.state().encode()).isEqualTo(STATE);
    }

    @Test
    void hubspotRecordAndApiObjectAgree() {
        Map<String, Object> value = new HashMap<>(Map.of(
                "email",
                "ada@example.com",
                "score",
                12.5,
                "crm_contact_method",
                "phone",
                "d365_contactid",
                "d1",
                "crmconnect_sync_state",
                STATE,
                "updatedAt",
                new Date(2_000L)));
        RecordView fromRecord = new RecordViews(M).fromRecord(Side.HUBSPOT, "101", value);
        CrmObject o = new CrmObject(
                "101",
                Map.of(
                        "email",
                        "ada@example.com",
                        "score",
                        "12.5",
                        "crm_contact_method",
                        "PHONE",
                        "d365_contactid",
                        "d1",
                        "crmconnect_sync_state",
                        STATE),
                Instant.ofEpochMilli(1_000L),
                Instant.ofEpochMilli(2_000L),
                false,
                null,
                Map.of());
        RecordView fromApi = new RecordViews(M)
                .fromHubSpot(
                        o,
                        Map.of(
                                "score",
                                List.of(new PropertyValue(
                                        "12.5", Instant.ofEpochMilli(1_500L), "API", null, null, null))));
        assertThat(fromRecord.values()).isEqualTo(EXPECTED);
        assertThat(fromApi.values()).isEqualTo(EXPECTED);
        assertThat(fromRecord.modifiedAt()).isEqualTo(fromApi.modifiedAt()).isEqualTo(2_000L);
        assertThat(fromApi.fieldModifiedAt()).containsEntry("score", 1_500L);
        assertThat(fromRecord.linkedId()).isEqualTo(fromApi.linkedId()).isEqualTo("d1");
    }

    @Test
    void aValueTheMapDoesNotTranslateFailsTheRecordWithoutTheValue() {
        Map<String, Object> value = Map.of("email", "ada@example.com", "crm_contact_method", "pigeon-post-ada");
        assertThatThrownBy(() -> new RecordViews(M).fromRecord(Side.HUBSPOT, "101", value))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("TwoWaySync: UNMAPPED_VALUE field 'method'")
                .hasMessageNotContaining("pigeon")
                .hasMessageNotContaining("ada");
    }
}
