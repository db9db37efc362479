package io.crmconnect.jdbc;

import io.crmconnect.jdbc.RecordMapper.BadRecordException;
import io.crmconnect.jdbc.dialect.Identifiers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the columns of a row in order, each with the step that reads its value and what it was made from, and
 * builds the {@link RowPlan}. A key column hides a later column of exactly the same name (the value field that
 * repeats the key); any other two columns that the database would take for one name (case-insensitive MariaDB
 * names, shortened long names) reject the record, so no value is silently dropped.
 */
final class LayoutBuilder {
    private final Identifiers identifiers;
    private final LinkedHashMap<String, ColumnDef> defs = new LinkedHashMap<>();
    private final LinkedHashMap<String, ColumnStep> steps = new LinkedHashMap<>();
    private final Map<String, String> origins = new HashMap<>();
    private final Map<String, String> bySameName = new HashMap<>();
    private final List<String> keyColumns = new ArrayList<>();
    private final Map<String, String> fieldColumns = new HashMap<>();

    LayoutBuilder(Identifiers identifiers) {
        this.identifiers = identifiers;
    }

    /** Adds a primary-key column; {@code origin} names what it comes from (e.g. "key field 'id'"). */
    void key(ColumnDef def, ColumnStep step, String origin) {
        if (add(def.asKey(), step, origin)) {
            keyColumns.add(def.name());
        }
    }

    /** Adds a column; {@code origin} names what it comes from (e.g. "metadata column kafka_offset"). */
    void column(ColumnDef def, ColumnStep step, String origin) {
        add(def, step, origin);
    }

    /** Adds the column of a value field. */
    void valueColumn(String field, ColumnDef def, ColumnStep step) {
        add(def, step, "field '" + field + "'");
        fieldColumns.putIfAbsent(field, def.name());
    }

    /** The column a value field landed in, or null. */
    String columnOfField(String field) {
        return fieldColumns.get(field);
    }

    private boolean add(ColumnDef def, ColumnStep step, String origin) {
        String same = identifiers.sameNameKey(def.name());
        String existing = bySameName.get(same);
        if (existing != null) {
            ColumnDef have = defs.get(existing);
            if (existing.equals(def.name()) && have != null && have.key()) {
                return false; // the key column already carries it
            }
            throw new BadRecordException(
                    origins.get(existing) + " and " + origin + " both map to column '"
                            + def.name() + "'"
                            + (existing.equals(def.name())
                                    ? ""
                                    : identifiers.caseSensitive()
                                            ? " (as '" + existing + "')"
                                            : " (as '" + existing + "'; column names are case-insensitive here)"),
                    def.name(),
                    existing);
        }
        bySameName.put(same, def.name());
        defs.put(def.name(), def);
        steps.put(def.name(), step);
        origins.put(def.name(), origin);
        return true;
    }

    /** Reserves the name of a column the database fills itself (e.g. the sync time), so no field can take it. */
    void reserve(String name, String origin) {
        add(ColumnDef.of(name, null), null, origin);
        defs.remove(name);
        steps.remove(name);
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
        return new RowPlan(
                new RowLayout(keyColumns, defs, fieldColumns), steps.values().toArray(new ColumnStep[0]), null);
    }
}
