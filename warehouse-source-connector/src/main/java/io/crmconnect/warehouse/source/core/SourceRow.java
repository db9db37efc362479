package io.crmconnect.warehouse.source.core;

/**
 * One row a {@link ChangeSource} returns, values in column order. For change reads, {@code op} is the change; rows
 * of one key arrive together and the last one decides (a Snowflake update pair is DELETE then INSERT; BigQuery's
 * events are in commit order).
 */
public record SourceRow(Object[] values, Op op) {
    /** What the row says. */
    public enum Op {
        SNAPSHOT,
        UPSERT,
        DELETE
    }
}
