package io.crmconnect.simulator.warehouse;

import java.util.List;

/**
 * A column of a model table. {@code type} is the warehouse's own type name (Snowflake NUMBER, TIMESTAMP_NTZ, ...;
 * BigQuery INT64, NUMERIC, ...); the model stores Java values and leaves the type to the wire fakes.
 * {@code mode} is BigQuery's NULLABLE / REQUIRED / REPEATED (null elsewhere); {@code fields} are a RECORD's fields.
 */
public record Column(String name, String type, int precision, int scale, String mode, List<Column> fields) {
    public Column {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static Column of(String name, String type) {
        return new Column(name, type, 0, 0, null, null);
    }

    public static Column number(String name, int precision, int scale) {
        return new Column(name, "NUMBER", precision, scale, null, null);
    }

    public static Column repeated(String name, String type) {
        return new Column(name, type, 0, 0, "REPEATED", null);
    }

    public static Column record(String name, List<Column> fields) {
        return new Column(name, "RECORD", 0, 0, "NULLABLE", fields);
    }
}
