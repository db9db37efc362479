package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Schema;

/** Floating point (Edm.Double) columns. */
final class FloatColumn extends ScalarColumn {
    FloatColumn(String column) {
        super(column, column, Schema.OPTIONAL_FLOAT64_SCHEMA);
    }

    @Override
    Object convert(JsonNode v) {
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
    }
}
