package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Schema;

/** Two-option (Boolean) columns. */
final class BooleanColumn extends ScalarColumn {
    BooleanColumn(String column) {
        super(column, column, Schema.OPTIONAL_BOOLEAN_SCHEMA);
    }

    @Override
    Object convert(JsonNode v) {
        return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(v.asText());
    }
}
