package io.crmconnect.warehouse.source.core;

import java.util.List;

/**
 * A column as read from the warehouse: name, core type, the warehouse's type name, decimal precision/scale,
 * element (ARRAY) or fields (STRUCT).
 */
public record ColumnInfo(
        String name,
        ColumnType type,
        String warehouseType,
        int precision,
        int scale,
        ColumnInfo element,
        List<ColumnInfo> fields) {
    public ColumnInfo {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static ColumnInfo of(String name, ColumnType type, String warehouseType) {
        return new ColumnInfo(name, type, warehouseType, 0, 0, null, null);
    }

    public static ColumnInfo decimal(String name, String warehouseType, int precision, int scale) {
        return new ColumnInfo(name, ColumnType.DECIMAL, warehouseType, precision, scale, null, null);
    }
}
