package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * A choice (Picklist, State, Status) as two fields: {@code <column>} with the option value (int32) and
 * {@code <column>_label} with its label, from the row's FormattedValue annotation or else the column's options.
 */
final class ChoiceColumn implements ColumnMapper {
    static final String LABEL_SUFFIX = "_label";
    private final String column;
    private final String annotation;
    private final Map<Integer, String> options;
    private Field value;
    private Field label;

    ChoiceColumn(String column, Map<Integer, String> options) {
        this.column = column;
        this.annotation = column + "@OData.Community.Display.V1.FormattedValue";
        this.options = options;
    }

    @Override
    public String column() {
        return column;
    }

    @Override
    public String select() {
        return column;
    }

    @Override
    public void define(SchemaBuilder b) {
        b.field(column, Schema.OPTIONAL_INT32_SCHEMA);
        b.field(column + LABEL_SUFFIX, Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Override
    public void bind(Schema s) {
        value = s.field(column);
        label = s.field(column + LABEL_SUFFIX);
    }

    @Override
    public void copy(ObjectNode row, Struct out) {
        JsonNode v = row.get(column);
        if (v == null || v.isNull()) {
            return;
        }
        int option = v.isTextual() ? Integer.parseInt(v.asText()) : v.intValue();
        out.put(value, option);
        JsonNode f = row.get(annotation);
        out.put(label, f != null && !f.isNull() ? f.asText() : options.get(option));
    }
}
