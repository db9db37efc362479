package io.crmconnect.jdbc;

/** The logical type of a column, independent of the database; dialects turn it into SQL types. */
public enum ColumnKind {
    BOOLEAN,
    INT8,
    INT16,
    INT32,
    INT64,
    FLOAT32,
    FLOAT64,
    DECIMAL,
    STRING,
    BYTES,
    DATE,
    TIME,
    TIMESTAMP,
    JSON,
    /** A column that exists in the database with a type we do not map (values are written as text). */
    OTHER;

    public boolean isInteger() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64;
    }

    public boolean isNumeric() {
        return isInteger() || this == FLOAT32 || this == FLOAT64 || this == DECIMAL;
    }
}
