package io.crmconnect.dynamics.source.columns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * Maps one Dataverse column to field(s) of the record value: declares them, then copies each row's value (and its
 * annotations, for choices and lookups) into a Struct. One implementation per kind of column.
 */
public interface ColumnMapper {
    /** The column's logical name. */
    String column();

    /** The property to {@code $select} ({@code _x_value} for lookups). */
    String select();

    /** Adds this column's field(s) to the value schema being built. */
    void define(SchemaBuilder value);

    /** Resolves the fields of a built schema, before any {@link #copy}. */
    void bind(Schema value);

    /** Copies the row's value into the struct; absent and null values leave the field null. */
    void copy(ObjectNode row, Struct out);
}
