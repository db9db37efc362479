package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * A lookup (Lookup, Customer, Owner; read as {@code _<column>_value}) as {@code <column>} (the related row's id) and
 * {@code <column>_entity} (its table's logical name, from the lookuplogicalname annotation, or the only target):
 * polymorphic lookups such as a contact's parent customer or a row's owner need both to find the row.
 */
final class LookupColumn implements ColumnMapper {
    static final String ENTITY_SUFFIX = "_entity";
    private final String column;
    private final String json;
    private final String annotation;
    private final String onlyTarget;
    private Field id;
    private Field entity;

    LookupColumn(String column, List<String> targets) {
        this.column = column;
        this.json = "_" + column + "_value";
        this.annotation = json + "@Microsoft.Dynamics.CRM.lookuplogicalname";
        this.onlyTarget = targets.size() == 1 ? targets.get(0) : null;
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
    public void define(SchemaBuilder b) {
        b.field(column, Schema.OPTIONAL_STRING_SCHEMA);
        b.field(column + ENTITY_SUFFIX, Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Override
    public void bind(Schema s) {
        id = s.field(column);
        entity = s.field(column + ENTITY_SUFFIX);
    }

    @Override
    public void copy(ObjectNode row, Struct out) {
        JsonNode v = row.get(json);
        if (v == null || v.isNull()) {
            return;
        }
        out.put(id, v.asText());
        JsonNode t = row.get(annotation);
        out.put(entity, t != null && !t.isNull() ? t.asText() : onlyTarget);
    }
}
