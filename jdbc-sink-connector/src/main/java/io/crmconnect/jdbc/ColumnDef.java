package io.crmconnect.jdbc;

/**
 * A column the sink wants: name (exact case), logical kind, decimal scale/precision (-1 when unknown), whether it is
 * part of the primary key and whether it should be indexed (updated-at column).
 */
public record ColumnDef(String name, ColumnKind kind, int precision, int scale, boolean key) {
    public static ColumnDef of(String name, ColumnKind kind) {
        return new ColumnDef(name, kind, -1, -1, false);
    }

    public ColumnDef asKey() {
        return new ColumnDef(name, kind, precision, scale, true);
    }
}
