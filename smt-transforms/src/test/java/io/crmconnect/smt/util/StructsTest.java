package io.crmconnect.smt.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class StructsTest {

    @Test
    void structsDirectWritesAreActiveAndReadBack() {
        assertThat(Structs.direct()).isEqualTo(!Boolean.getBoolean("crmconnect.smt.validatingPut"));
    }

    @Test
    void directWritesAreTheValuesThatStructGetEqualsAndValidateSee() {
        Schema schema = SchemaBuilder.struct()
                .field("a", Schema.STRING_SCHEMA)
                .field("b", Schema.OPTIONAL_INT64_SCHEMA)
                .build();
        Struct viaPut = new Struct(schema).put("a", "x").put("b", 5L);
        Struct fresh = new Struct(schema);
        Object[] values = Structs.values(fresh);
        if (!Structs.direct()) {
            assertThat(values)
                    .as("the fallback hands out no array: callers use put")
                    .isNull();
            return;
        }
        assertThat(values).hasSize(2);
        values[0] = "x";
        values[1] = 5L;
        assertThat(fresh.get("a")).isEqualTo("x");
        assertThat(fresh.getInt64("b")).isEqualTo(5L);
        assertThat(fresh).isEqualTo(viaPut).hasSameHashCodeAs(viaPut);
        fresh.validate();
        assertThat(Structs.values(viaPut)).containsExactly("x", 5L);
    }
}
