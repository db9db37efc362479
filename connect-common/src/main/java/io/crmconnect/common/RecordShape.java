package io.crmconnect.common;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * What a CRM source says about its records in the value schema's parameters, so a sink can lay them out well without
 * knowing the source: which fields are record metadata rather than CRM properties, which text fields hold integer
 * ids, and which field repeats the record key. Parameters travel with the schema through schema-carrying converters
 * (JsonConverter with schemas, Avro, Protobuf); a sink that does not know them ignores them.
 */
public final class RecordShape {
    /** Comma-separated value fields that are record metadata (id, created/updated/archived times), not properties. */
    public static final String METADATA_FIELDS = "crmconnect.metadata.fields";
    /** Comma-separated string fields whose values are 64-bit integers written as text (object ids). */
    public static final String INTEGER_FIELDS = "crmconnect.integer.fields";
    /** The value field that holds the same value as the record key (the object id). */
    public static final String KEY_FIELD = "crmconnect.key.field";

    private RecordShape() {}

    /**
     * Describes a struct schema being built: {@code metadataFields}, the {@code integerFields} among them and the
     * {@code keyField} (null when the key is not a field's value).
     */
    public static SchemaBuilder describe(
            SchemaBuilder b, List<String> metadataFields, List<String> integerFields, String keyField) {
        if (!metadataFields.isEmpty()) {
            b.parameter(METADATA_FIELDS, String.join(",", metadataFields));
        }
        if (!integerFields.isEmpty()) {
            b.parameter(INTEGER_FIELDS, String.join(",", integerFields));
        }
        if (keyField != null) {
            b.parameter(KEY_FIELD, keyField);
        }
        return b;
    }

    /** Describes a struct schema whose fields so far are all record metadata (owners, pipelines, associations). */
    public static SchemaBuilder describeAll(SchemaBuilder b, List<String> integerFields, String keyField) {
        return describe(b, b.fields().stream().map(Field::name).toList(), integerFields, keyField);
    }

    /** The fields a schema lists under {@code parameter}; empty when it says nothing. */
    public static List<String> fields(Schema schema, String parameter) {
        Map<String, String> p = schema == null ? null : schema.parameters();
        String v = p == null ? null : p.get(parameter);
        return v == null || v.isBlank()
                ? List.of()
                : Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    /** The value field that repeats the record key, or null. */
    public static String keyField(Schema schema) {
        Map<String, String> p = schema == null ? null : schema.parameters();
        return p == null ? null : p.get(KEY_FIELD);
    }
}
