package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.common.RecordShape;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.PropertyDefinition;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class SchemaMapperTest {
    static PropertyDefinition p(String name, String type, String fieldType) {
        return new PropertyDefinition(name, name, type, fieldType, "g", false, false, false, false, false);
    }

    static final List<PropertyDefinition> DEFS = List.of(
            p("amount", "number", "number"),
            p("closedate", "date", "date"),
            p("hs_lastmodifieddate", "datetime", "date"),
            p("is_vip", "bool", "booleancheckbox"),
            p("stage", "enumeration", "select"),
            p("tags", "enumeration", "checkbox"),
            p("name", "string", "text"));

    static CrmObject obj(Map<String, String> props) {
        return new CrmObject(
                "101",
                props,
                Instant.parse("2024-01-02T03:04:05.006Z"),
                Instant.parse("2024-02-03T04:05:06.007Z"),
                false,
                null,
                Map.of());
    }

    @Test
    void typesFollowThePropertyDefinitions() {
        SchemaMapper m = new SchemaMapper("deals", true, 4, true);
        m.update(DEFS);
        Schema s = m.schema();
        assertThat(s.field("amount").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(s.field("closedate").schema().name()).isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
        assertThat(s.field("hs_lastmodifieddate").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(s.field("is_vip").schema().type()).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(s.field("stage").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(s.field("tags").schema().type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(s.field("id").schema().isOptional()).isFalse();
        assertThat(s.field("amount").schema().isOptional()).isTrue();

        Struct v = m.toStruct(obj(Map.of(
                "amount",
                "1234.5",
                "closedate",
                "2024-03-15",
                "hs_lastmodifieddate",
                "2024-02-03T04:05:06.007Z",
                "is_vip",
                "true",
                "stage",
                "closedwon",
                "tags",
                "A;B;C",
                "name",
                "Acme")));
        v.validate();
        assertThat(v.get("amount")).isEqualTo(new BigDecimal("1234.5000"));
        assertThat(v.get("closedate")).isEqualTo(Date.from(Instant.parse("2024-03-15T00:00:00Z")));
        assertThat(v.get("hs_lastmodifieddate")).isEqualTo(Date.from(Instant.parse("2024-02-03T04:05:06.007Z")));
        assertThat(v.get("is_vip")).isEqualTo(true);
        assertThat(v.get("tags")).isEqualTo(List.of("A", "B", "C"));
        assertThat(v.get("createdAt")).isEqualTo(Date.from(Instant.parse("2024-01-02T03:04:05.006Z")));
        assertThat(v.get("archived")).isEqualTo(false);
        assertThat(v.get("id")).isEqualTo("101");
    }

    @Test
    void theSchemaTellsSinksWhichFieldsAreMetadataAndThatTheIdIsAnInteger() {
        SchemaMapper m = new SchemaMapper("deals", true, 4, true);
        m.update(DEFS);
        assertThat(RecordShape.fields(m.schema(), RecordShape.METADATA_FIELDS))
                .containsExactly("id", "createdAt", "updatedAt", "archived", "archivedAt");
        assertThat(RecordShape.fields(m.schema(), RecordShape.INTEGER_FIELDS)).containsExactly("id");
        assertThat(RecordShape.keyField(m.schema())).isEqualTo("id");
        assertThat(RecordShape.fields(SnapshotStream.AssociationPair.SCHEMA, RecordShape.METADATA_FIELDS))
                .contains("fromId", "toId", "labels");
        assertThat(RecordShape.fields(SnapshotStream.Owners.SCHEMA, RecordShape.INTEGER_FIELDS))
                .containsExactly("id");
    }

    @Test
    void doubleAndJoinedStringModesAndEpochMillisValues() {
        SchemaMapper m = new SchemaMapper("deals", false, 0, false);
        m.update(DEFS);
        Struct v = m.toStruct(obj(Map.of(
                "amount", "0.1", "tags", "A;B", "closedate", "1710460800000", "hs_lastmodifieddate", "1706933106007")));
        assertThat(v.get("amount")).isEqualTo(0.1d);
        assertThat(v.get("tags")).isEqualTo("A;B");
        assertThat(v.get("closedate")).isEqualTo(Date.from(Instant.parse("2024-03-15T00:00:00Z")));
        assertThat(v.get("hs_lastmodifieddate")).isEqualTo(new Date(1706933106007L));
    }

    @Test
    void unparseableValuesBecomeNullAndAreCounted() {
        SchemaMapper m = new SchemaMapper("deals", true, 2, true);
        m.update(DEFS);
        Struct v = m.toStruct(obj(Map.of("amount", "12 EUR", "is_vip", "maybe", "name", "ok")));
        assertThat(v.get("amount")).isNull();
        assertThat(v.get("is_vip")).isNull();
        assertThat(v.get("name")).isEqualTo("ok");
        assertThat(m.conversionErrors()).isEqualTo(2);
    }

    @Test
    void newPropertiesAppendOptionalFieldsAndNothingIsEverRemoved() {
        SchemaMapper m = new SchemaMapper("contacts", true, 2, true);
        assertThat(m.update(DEFS)).isTrue();
        Schema v1 = m.schema();
        assertThat(m.update(DEFS)).isFalse();
        assertThat(m.update(List.of(p("name", "string", "text"), p("favourite_colour", "string", "text"))))
                .isTrue();
        Schema v2 = m.schema();
        assertThat(v2.version()).isEqualTo(v1.version() + 1);
        assertThat(v2.field("favourite_colour").schema().isOptional()).isTrue();
        assertThat(v2.field("amount")).isNotNull(); // not in the latest list, still there
        for (org.apache.kafka.connect.data.Field f : v1.fields()) {
            assertThat(v2.field(f.name()).schema()).isEqualTo(f.schema());
        }
        assertThat(m.propertyNames()).endsWith("favourite_colour");
    }
}
