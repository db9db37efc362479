package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.connect.data.Schema;

/** String, Memo, EntityName and Uniqueidentifier columns as optional strings. */
final class TextColumn extends ScalarColumn {
    TextColumn(String column) {
        super(column, column, Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Override
    Object convert(JsonNode v) {
        return v.asText();
    }
}
