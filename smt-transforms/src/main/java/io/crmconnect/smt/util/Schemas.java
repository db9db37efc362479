package io.crmconnect.smt.util;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/** Small schema helpers shared by the transforms. */
public final class Schemas {
    private Schemas() {}

    /** A builder for a struct carrying over name, version, doc and parameters of {@code source}. */
    public static SchemaBuilder structLike(Schema source) {
        SchemaBuilder builder = SchemaBuilder.struct();
        if (source != null) {
            builder.name(source.name()).version(source.version()).doc(source.doc());
            if (source.parameters() != null && !source.parameters().isEmpty()) {
                builder.parameters(source.parameters());
            }
            if (source.isOptional()) {
                builder.optional();
            }
        }
        return builder;
    }

    /** The same schema, but optional (returned unchanged when it already is). Defaults are dropped. */
    public static Schema optional(Schema schema) {
        if (schema.isOptional()) {
            return schema;
        }
        SchemaBuilder builder;
        switch (schema.type()) {
            case STRUCT -> {
                builder = SchemaBuilder.struct();
                for (Field f : schema.fields()) {
                    builder.field(f.name(), f.schema());
                }
            }
            case ARRAY -> builder = SchemaBuilder.array(schema.valueSchema());
            case MAP -> builder = SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
            default -> builder = SchemaBuilder.type(schema.type());
        }
        builder.name(schema.name()).version(schema.version()).doc(schema.doc());
        if (schema.parameters() != null && !schema.parameters().isEmpty()) {
            builder.parameters(schema.parameters());
        }
        return builder.optional().build();
    }
}
