package io.crmconnect.jdbc;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a row, in order, with the key columns: shared by every record of the same key and value schemas
 * (schema-ful records), or built per record (schemaless maps).
 */
public final class RowLayout {
    private final List<String> keyColumns;
    private final Map<String, ColumnDef> defs;
    private final ColumnDef[] columns;
    private final Map<String, Integer> index;
    private final Map<String, String> fieldColumns;

    RowLayout(List<String> keyColumns, LinkedHashMap<String, ColumnDef> defs, Map<String, String> fieldColumns) {
        this.keyColumns = List.copyOf(keyColumns);
        this.fieldColumns = Map.copyOf(fieldColumns);
        this.defs = Collections.unmodifiableMap(defs);
        this.columns = defs.values().toArray(new ColumnDef[0]);
        this.index = new HashMap<>(columns.length * 2);
        for (int i = 0; i < columns.length; i++) {
            index.put(columns[i].name(), i);
        }
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    public Map<String, ColumnDef> defs() {
        return defs;
    }

    public ColumnDef column(int i) {
        return columns[i];
    }

    public int size() {
        return columns.length;
    }

    /** The column a value field is written to (prefix, record-shape naming and shortening applied), or null. */
    public String columnOfField(String field) {
        return fieldColumns.get(field);
    }

    /** Position of a column, or -1. */
    public int indexOf(String column) {
        Integer i = index.get(column);
        return i == null ? -1 : i;
    }
}
