package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Schema;

/** Integer (Edm.Int32) and BigInt (Edm.Int64) columns. */
final class WholeNumberColumn extends ScalarColumn {
    private final boolean big;

    WholeNumberColumn(String column, boolean big) {
        super(column, column, big ? Schema.OPTIONAL_INT64_SCHEMA : Schema.OPTIONAL_INT32_SCHEMA);
        this.big = big;
    }

    @Override
    Object convert(JsonNode v) {
        if (v.isTextual()) {
            return big ? Long.parseLong(v.asText()) : (Object) Integer.parseInt(v.asText());
        }
        return big ? v.longValue() : (Object) v.intValue();
    }
}
