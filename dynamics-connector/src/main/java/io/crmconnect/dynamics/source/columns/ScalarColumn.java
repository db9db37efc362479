package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * A column with one field whose value is converted from the JSON value by a subclass: text, boolean, whole and
 * floating numbers, decimals, dates and times.
 */
abstract class ScalarColumn implements ColumnMapper {
    private final String column;
    private final String json;
    private final Schema schema;
    private Field field;

    ScalarColumn(String column, String json, Schema schema) {
        this.column = column;
        this.json = json;
        this.schema = schema;
    }

    @Override
    public String column() {
        return column;
    }

    @Override
    public String select() {
        return json;
    }

    @Override
    public void define(SchemaBuilder value) {
        value.field(column, schema);
    }

    @Override
    public void bind(Schema value) {
        field = value.field(column);
    }

    @Override
    public void copy(ObjectNode row, Struct out) {
        JsonNode v = row.get(json);
        if (v != null && !v.isNull()) {
            out.put(field, convert(v));
        }
    }

    abstract Object convert(JsonNode v);
}
