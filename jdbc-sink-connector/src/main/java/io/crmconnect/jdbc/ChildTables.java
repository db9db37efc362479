package io.crmconnect.jdbc;

import io.crmconnect.jdbc.RecordMapper.MappedRecord;
import io.crmconnect.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Writes the elements of array-of-struct value fields named in child.tables (a HubSpot pipeline's stages) as rows of
 * a table beside the parent's ({@code hubspot_pipelines_stages}): the parent's key, then the element's fields, keyed
 * by the parent key and the element's id (or its position). A parent's rows are replaced as a whole, in the parent
 * chunk's transaction, so stages removed in the CRM disappear; a hard-deleted parent takes its rows with it.
 */
final class ChildTables {
    private final Dialect dialect;
    private final TableManager tables;
    /** Value field -> name of the parent-key column in the child table (null: parent_ + key column). */
    private final Map<String, String> fields;

    private final boolean snakeCase;
    private final boolean deleteWithParent;

    ChildTables(
            Dialect dialect,
            TableManager tables,
            Map<String, String> fields,
            boolean snakeCase,
            boolean deleteWithParent) {
        this.dialect = dialect;
        this.tables = tables;
        this.fields = fields;
        this.snakeCase = snakeCase;
        this.deleteWithParent = deleteWithParent;
    }

    boolean enabled() {
        return !fields.isEmpty();
    }

    /**
     * The rows of one child table for one chunk, with the parents whose rows they replace; {@code deleteOnly}: the
     * chunk had only deleted parents, {@code columns} are then the existing table's parent-key columns.
     */
    record Plan(
            String table,
            List<ColumnDef> columns,
            List<String> key,
            int parentColumns,
            List<Object[]> parents,
            List<Object[]> rows,
            boolean deleteOnly) {}

    /**
     * Plans the child rows of the chunk's records that change the parent table ({@code apply}); creates or evolves
     * the child tables (DDL, so before the chunk's transaction).
     */
    List<Plan> prepare(Connection connection, String table, List<MappedRecord> chunk, boolean[] apply)
            throws SQLException {
        List<Plan> plans = new ArrayList<>();
        List<String> parentKey = chunk.get(0).keyColumns();
        if (parentKey.isEmpty()) {
            return plans;
        }
        for (Map.Entry<String, String> f : fields.entrySet()) {
            Plan plan = plan(table, chunk, apply, parentKey, f.getKey(), f.getValue());
            if (plan != null && plan.deleteOnly()) {
                plan = deletePlan(connection, plan);
            } else if (plan != null) {
                tables.ensure(connection, plan.table(), plan.columns(), plan.key(), List.of());
            }
            if (plan != null) {
                plans.add(plan);
            }
        }
        return plans;
    }

    private Plan plan(
            String table,
            List<MappedRecord> chunk,
            boolean[] apply,
            List<String> parentKey,
            String field,
            String parentColumn) {
        LinkedHashMap<String, ColumnDef> columns = new LinkedHashMap<>();
        List<String> key = new ArrayList<>();
        List<Object[]> parents = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        Schema element = null;
        for (int i = 0; i < chunk.size(); i++) {
            MappedRecord r = chunk.get(i);
            if (!apply[i]) {
                continue;
            }
            Object[] parent = new Object[parentKey.size()];
            for (int k = 0; k < parent.length; k++) {
                parent[k] = r.value(parentKey.get(k));
            }
            if (r.delete()) {
                if (deleteWithParent) {
                    parents.add(parent);
                }
                continue;
            }
            if (!(r.record().value() instanceof Struct value) || value.schema().field(field) == null) {
                continue;
            }
            Schema array = value.schema().field(field).schema();
            if (array.type() != Schema.Type.ARRAY || array.valueSchema().type() != Schema.Type.STRUCT) {
                continue;
            }
            if (element == null) {
                element = array.valueSchema();
                for (int k = 0; k < parentKey.size(); k++) {
                    String name =
                            parentColumn != null && parentKey.size() == 1 ? parentColumn : "parent_" + parentKey.get(k);
                    ColumnDef d = r.defs().get(parentKey.get(k));
                    columns.put(name, new ColumnDef(name, d.kind(), d.precision(), d.scale(), true));
                    key.add(name);
                }
                for (Field ef : element.fields()) {
                    ColumnTypes.Kind t = ColumnTypes.of(ef.schema());
                    String name = column(ef.name());
                    columns.put(name, new ColumnDef(name, t.kind(), t.precision(), t.scale(), name.equals("id")));
                }
                if (element.field("id") != null) {
                    key.add(column("id"));
                } else {
                    columns.put("position", new ColumnDef("position", ColumnKind.INT32, -1, -1, true));
                    key.add("position");
                }
            } else if (!array.valueSchema().equals(element)) {
                continue; // another element schema in the same chunk: the next chunk's plan takes it
            }
            parents.add(parent);
            List<?> elements = value.getArray(field);
            for (int e = 0; elements != null && e < elements.size(); e++) {
                Struct s = (Struct) elements.get(e);
                Object[] row = new Object[columns.size()];
                System.arraycopy(parent, 0, row, 0, parent.length);
                int c = parent.length;
                for (Field ef : element.fields()) {
                    row[c++] = ColumnTypes.convert(ColumnTypes.of(ef.schema()).kind(), s.get(ef));
                }
                if (element.field("id") == null) {
                    row[c] = (long) e;
                }
                rows.add(row);
            }
        }
        if (parents.isEmpty()) {
            return null;
        }
        String child = dialect.sibling(table, "_" + column(field));
        if (columns.isEmpty()) {
            // only deleted parents: no element tells the child table's layout, the table itself will
            List<String> names = new ArrayList<>();
            for (String k : parentKey) {
                names.add(parentColumn != null && parentKey.size() == 1 ? parentColumn : "parent_" + k);
            }
            return new Plan(child, List.of(), names, names.size(), parents, List.of(), true);
        }
        return new Plan(child, List.copyOf(columns.values()), key, key.size() - 1, parents, rows, false);
    }

    /**
     * The delete-only plan with the existing child table's parent-key columns and kinds, or null when the table
     * does not exist (no parent ever had rows there) or lacks those columns.
     */
    private Plan deletePlan(Connection connection, Plan plan) throws SQLException {
        TableManager.TableState state = tables.lookup(connection, plan.table());
        if (!state.exists()) {
            return null;
        }
        List<ColumnDef> columns = new ArrayList<>();
        List<String> key = new ArrayList<>();
        for (String name : plan.key()) {
            String existing = tables.existingName(state, name);
            if (existing == null) {
                return null;
            }
            columns.add(new ColumnDef(existing, state.columns().get(existing), -1, -1, true));
            key.add(existing);
        }
        return new Plan(plan.table(), columns, key, key.size(), plan.parents(), List.of(), true);
    }

    private String column(String field) {
        return dialect.identifiers().name(snakeCase ? RecordMapper.snakeCase(field) : field);
    }

    /** Replaces the planned parents' rows (inside the chunk's transaction). */
    void write(Connection connection, List<Plan> plans) throws SQLException {
        for (Plan p : plans) {
            List<String> parentCols = p.key().subList(0, p.parentColumns());
            List<String> where = new ArrayList<>();
            for (String c : parentCols) {
                where.add(dialect.quote(c) + " = "
                        + dialect.valuePlaceholder(p.columns().get(where.size())));
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "DELETE FROM " + dialect.quoteTable(p.table()) + " WHERE " + String.join(" AND ", where))) {
                for (Object[] parent : p.parents()) {
                    for (int i = 0; i < parent.length; i++) {
                        bind(st, i + 1, parent[i]);
                    }
                    st.addBatch();
                }
                st.executeBatch();
            }
            if (p.rows().isEmpty()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (ColumnDef c : p.columns()) {
                names.add(dialect.quote(c.name()));
                values.add(dialect.valuePlaceholder(c));
            }
            try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + dialect.quoteTable(p.table())
                    + " (" + String.join(", ", names) + ") VALUES (" + String.join(", ", values) + ")")) {
                for (Object[] row : p.rows()) {
                    for (int i = 0; i < row.length; i++) {
                        bind(st, i + 1, row[i]);
                    }
                    st.addBatch();
                }
                st.executeBatch();
            }
        }
    }

    /** Every value as the text the bulk stage would carry; the placeholder converts it to the column's type. */
    private void bind(PreparedStatement st, int index, Object value) throws SQLException {
        String text = dialect.text(value);
        if (text == null) {
            st.setNull(index, Types.VARCHAR);
        } else {
            st.setString(index, text);
        }
    }
}
