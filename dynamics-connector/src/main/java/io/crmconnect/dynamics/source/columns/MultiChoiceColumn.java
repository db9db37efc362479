package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * A multi-select choice ({@code "1,2,3"} in the Web API) as {@code <column>} (array of int32 values) and
 * {@code <column>_label} (array of labels, from the column's options, else the FormattedValue split on ";").
 */
final class MultiChoiceColumn implements ColumnMapper {
    private static final Schema VALUES =
            SchemaBuilder.array(Schema.INT32_SCHEMA).optional().build();
    private static final Schema LABELS =
            SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    private final String column;
    private final String annotation;
    private final Map<Integer, String> options;
    private Field values;
    private Field labels;

    MultiChoiceColumn(String column, Map<Integer, String> options) {
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
        b.field(column, VALUES);
        b.field(column + ChoiceColumn.LABEL_SUFFIX, LABELS);
    }

    @Override
    public void bind(Schema s) {
        values = s.field(column);
        labels = s.field(column + ChoiceColumn.LABEL_SUFFIX);
    }

    @Override
    public void copy(ObjectNode row, Struct out) {
        JsonNode v = row.get(column);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            return;
        }
        List<Integer> vs = new ArrayList<>();
        for (String p : v.asText().split(",")) {
            if (!p.isBlank()) {
                vs.add(Integer.parseInt(p.trim()));
            }
        }
        out.put(values, vs);
        List<String> ls = new ArrayList<>(vs.size());
        boolean known = true;
        for (Integer i : vs) {
            String l = options.get(i);
            known &= l != null;
            ls.add(l);
        }
        JsonNode f = row.get(annotation);
        if (!known && f != null && !f.isNull()) {
            ls.clear();
            for (String l : f.asText().split(";")) {
                ls.add(l.trim());
            }
        }
        out.put(labels, ls);
    }
}
