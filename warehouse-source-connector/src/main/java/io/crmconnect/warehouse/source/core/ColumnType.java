package io.crmconnect.warehouse.source.core;

/**
 * Warehouse column types as the core sees them; each dialect maps its own names (Snowflake NUMBER(p,s),
 * TIMESTAMP_NTZ, VARIANT; BigQuery INT64, BIGNUMERIC, RECORD...) onto these. The Java value each row carries is
 * named after the constant.
 */
public enum ColumnType {
    /** Integer that fits a long (NUMBER(p&lt;=18, 0), INT64): Long. */
    INTEGER,
    /** Exact decimal (NUMBER(p, s), NUMERIC, BIGNUMERIC): BigDecimal. */
    DECIMAL,
    /** Double (FLOAT, FLOAT64). */
    DOUBLE,
    STRING,
    BOOLEAN,
    /** LocalDate. */
    DATE,
    /** LocalTime. */
    TIME,
    /** Wall-clock timestamp without zone (TIMESTAMP_NTZ, DATETIME): LocalDateTime, read as UTC. */
    TIMESTAMP_NTZ,
    /** An instant (TIMESTAMP_LTZ, BigQuery TIMESTAMP): Instant. */
    TIMESTAMP,
    /** Instant with its own offset (TIMESTAMP_TZ): OffsetDateTime. */
    TIMESTAMP_TZ,
    /** Semi-structured value (VARIANT, OBJECT, JSON): its JSON text. */
    JSON,
    /** byte[]. */
    BYTES,
    /** A repeated value (BigQuery REPEATED, Snowflake ARRAY as JSON is {@link #JSON}): List. */
    ARRAY,
    /** A nested record (BigQuery RECORD): List of field values in field order. */
    STRUCT
}
