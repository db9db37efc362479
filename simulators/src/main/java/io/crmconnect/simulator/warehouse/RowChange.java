package io.crmconnect.simulator.warehouse;

/**
 * One row of a net-delta change set between two table versions, as Snowflake's CHANGES clause and streams report
 * it: {@code action} INSERT or DELETE, {@code isUpdate} true for both halves of an update (old row deleted, new
 * row inserted).
 */
public record RowChange(Object[] row, String action, boolean isUpdate) {}
