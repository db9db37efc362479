package io.crmconnect.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Collects the columns of a row in order, each with the step that reads its value, and builds the {@link RowPlan}.
 * The first column of a name wins: a key column hides a value field of the same name.
 */
final class LayoutBuilder {
    private final LinkedHashMap<String, ColumnDef> defs = new LinkedHashMap<>();
    private final LinkedHashMap<String, ColumnStep> steps = new LinkedHashMap<>();
    private final List<String> keyColumns = new ArrayList<>();

    /** Adds a primary-key column. */
    void key(ColumnDef def, ColumnStep step) {
        defs.put(def.name(), def.asKey());
        steps.put(def.name(), step);
        keyColumns.add(def.name());
    }

    /** Adds a column unless one of the same name is already there. */
    void column(ColumnDef def, ColumnStep step) {
        if (!defs.containsKey(def.name())) {
            defs.put(def.name(), def);
            steps.put(def.name(), step);
        }
    }

    /** Makes a column already added part of the primary key, rejecting records where it is null; false if absent. */
    boolean promoteToKey(String column, String nullReason) {
        ColumnDef def = defs.get(column);
        if (def == null) {
            return false;
        }
        defs.put(column, def.asKey());
        steps.put(column, steps.get(column).required(nullReason));
        keyColumns.add(column);
        return true;
    }

    boolean hasKey() {
        return !keyColumns.isEmpty();
    }

    RowPlan build() {
        return new RowPlan(new RowLayout(keyColumns, defs), steps.values().toArray(new ColumnStep[0]), null);
    }
}
