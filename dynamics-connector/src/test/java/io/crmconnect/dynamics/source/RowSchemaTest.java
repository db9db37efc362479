package io.crmconnect.dynamics.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.RecordShape;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.TableMetadata;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class RowSchemaTest {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static ColumnMetadata col(
            String name,
            String type,
            String typeName,
            String behaviour,
            Integer precision,
            Map<Integer, String> options,
            List<String> targets) {
        return new ColumnMetadata(
                name, type, typeName, true, false, false, null, false, behaviour, null, precision, options, targets);
    }

    private static TableMetadata table(List<ColumnMetadata> cols) {
        return new TableMetadata("contact", "contacts", "contactid", "fullname", true, cols, List.of(), List.of());
    }

    private static List<ColumnMetadata> columns() {
        List<ColumnMetadata> c = new ArrayList<>();
        c.add(col("contactid", "Uniqueidentifier", null, null, null, Map.of(), List.of()));
        c.add(col("gendercode", "Picklist", null, null, null, Map.of(1, "Male", 2, "Female"), List.of()));
        c.add(col(
                "crmc_interests", "Virtual", "MultiSelectPicklistType", null, null, Map.of(1, "A", 2, "B"), List.of()));
        c.add(col("parentcustomerid", "Customer", null, null, null, Map.of(), List.of("account", "contact")));
        c.add(col("creditlimit", "Money", null, null, 2, Map.of(), List.of()));
        c.add(col("crmc_score", "Decimal", null, null, 3, Map.of(), List.of()));
        c.add(col("birthdate", "DateTime", null, "DateOnly", null, Map.of(), List.of()));
        c.add(col("modifiedon", "DateTime", null, "UserLocal", null, Map.of(), List.of()));
        c.add(col("versionnumber", "BigInt", null, null, null, Map.of(), List.of()));
        c.add(col("fullname_shadow", "String", null, null, null, Map.of(), List.of()));
        c.add(col("entityimage", "Image", null, null, null, Map.of(), List.of()));
        return c;
    }

    @Test
    void typedFieldsFromWebApiJson() throws Exception {
        RowSchema s = new RowSchema("contact", (t, c) -> c.equals("fullname_shadow"));
        s.update(table(columns()));
        assertThat(s.select())
                .isEqualTo("contactid,gendercode,crmc_interests,_parentcustomerid_value,creditlimit,"
                        + "crmc_score,birthdate,modifiedon,versionnumber");
        ObjectNode row = (ObjectNode) JSON.readTree("{\"contactid\":\"c1\",\"gendercode\":2,"
                + "\"gendercode@OData.Community.Display.V1.FormattedValue\":\"Female\",\"crmc_interests\":\"2,1\","
                + "\"_parentcustomerid_value\":\"a1\","
                + "\"_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname\":\"account\","
                + "\"creditlimit\":12345678901234.5678,\"crmc_score\":1.5,\"birthdate\":\"1985-03-02\","
                + "\"modifiedon\":\"2026-12-05T08:00:01Z\",\"versionnumber\":991}");
        Struct v = s.toStruct(row);
        assertThat(v.get("gendercode")).isEqualTo(2);
        assertThat(v.get("gendercode_label")).isEqualTo("Female");
        assertThat(v.get("crmc_interests")).isEqualTo(List.of(2, 1));
        assertThat(v.get("crmc_interests_label")).isEqualTo(List.of("B", "A"));
        assertThat(v.get("parentcustomerid")).isEqualTo("a1");
        assertThat(v.get("parentcustomerid_entity")).isEqualTo("account");
        assertThat(v.get("creditlimit")).isEqualTo(new BigDecimal("12345678901234.5678"));
        assertThat(v.get("crmc_score")).isEqualTo(new BigDecimal("1.500"));
        assertThat(v.get("birthdate")).isEqualTo(new Date(5539L * 86_400_000L));
        assertThat(v.get("modifiedon")).isEqualTo(new Date(1_796_457_601_000L));
        assertThat(v.get("versionnumber")).isEqualTo(991L);
        assertThat(v.schema().field("fullname_shadow")).isNull();
        assertThat(v.schema().field("entityimage")).isNull();
        // the row id repeats the key; no metadata fields, so sinks keep the columns' logical names
        assertThat(RecordShape.keyField(v.schema())).isEqualTo("contactid");
        assertThat(RecordShape.fields(v.schema(), RecordShape.METADATA_FIELDS)).isEmpty();
        assertThat(RecordShape.fields(v.schema(), RecordShape.INTEGER_FIELDS)).isEmpty();
    }

    @Test
    void theSchemaOnlyGrows() {
        RowSchema s = new RowSchema("contact", (t, c) -> false);
        List<ColumnMetadata> cols = columns();
        s.update(table(cols.subList(0, 3)));
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.update(table(cols.subList(0, 3)))).isFalse();
        assertThat(s.update(table(List.of(cols.get(0), cols.get(4))))).isTrue();
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.columns()).containsExactly("contactid", "gendercode", "crmc_interests", "creditlimit");
    }
}
