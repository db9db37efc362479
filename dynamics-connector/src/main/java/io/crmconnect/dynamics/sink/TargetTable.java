package io.crmconnect.dynamics.sink;

import io.crmconnect.dynamics.client.AlternateKey;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.ColumnMetadata.Kind;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.LookupRelation;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.Lookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The target table as the sink writes it: its metadata, the alternate key that identifies rows, the lookups with the
 * tables they point at, and the protected and fill-if-missing columns — resolved once against Dataverse's metadata.
 * Every configuration problem found is kept with the key to fix, so {@code validate()} and the task's start report
 * the same thing.
 */
final class TargetTable {
    final TableMetadata md;
    /** Key columns of the alternate key in the key's order; empty when rows are found by id only. */
    final List<String> keyColumns;

    final String keyName;
    final Map<String, ColumnMetadata> columnsByName = new LinkedHashMap<>();
    final List<BoundLookup> lookups = new ArrayList<>();
    final Set<String> protectedColumns;
    final Set<String> fillIfMissing;
    final Map<String, List<String>> problems = new LinkedHashMap<>();

    /** A lookup binding with what writing it needs: the target table's entity set and primary id. */
    record BoundLookup(
            Lookup config,
            String lookupColumn,
            String targetTable,
            String targetSet,
            String targetId,
            ColumnMetadata keyColumn) {
        /** The property whose current value the diff compares: {@code _<lookup column>_value}. */
        String currentValueProperty() {
            return "_" + lookupColumn + "_value";
        }
    }

    private TargetTable(
            TableMetadata md,
            List<String> keyColumns,
            String keyName,
            Set<String> protectedColumns,
            Set<String> fillIfMissing) {
        this.md = md;
        this.keyColumns = keyColumns;
        this.keyName = keyName;
        this.protectedColumns = protectedColumns;
        this.fillIfMissing = fillIfMissing;
        for (ColumnMetadata c : md.columns()) {
            columnsByName.put(c.logicalName(), c);
        }
    }

    /** Resolves the configuration against the metadata; problems are collected, not thrown. */
    static TargetTable resolve(DynamicsClient client, TableMetadata md, DynamicsSinkConfig config) {
        List<String> keyCols = List.of();
        String keyName = null;
        Map<String, List<String>> problems = new LinkedHashMap<>();
        List<String> ak = config.alternateKey();
        if (!ak.isEmpty()) {
            AlternateKey k = ak.size() == 1 ? md.key(ak.get(0)) : null;
            if (k == null) {
                k = md.keyWithColumns(ak);
            }
            if (k == null) {
                List<String> defined = new ArrayList<>();
                md.keys().forEach(x -> defined.add(x.logicalName() + " " + x.columns()));
                add(
                        problems,
                        DynamicsSinkConfig.ALTERNATE_KEY,
                        "Table " + md.logicalName() + " has no alternate key "
                                + (ak.size() == 1 ? "named or on column " : "on columns ") + ak + "; defined keys: "
                                + (defined.isEmpty() ? "none (define one in the table's Keys)" : defined));
            } else if (!k.active()) {
                add(
                        problems,
                        DynamicsSinkConfig.ALTERNATE_KEY,
                        "Alternate key " + k.logicalName() + " is not active " + "yet (index status " + k.status()
                                + "): wait for its index job, or reactivate it");
            } else {
                keyCols = k.columns();
                keyName = k.logicalName();
            }
        }
        Set<String> prot = new LinkedHashSet<>(config.protectedColumns());
        Set<String> fill = new LinkedHashSet<>(config.fillIfMissing());
        TargetTable t = new TargetTable(md, keyCols, keyName, prot, fill);
        t.problems.putAll(problems);
        for (Map.Entry<String, String> m : config.mapping().entrySet()) {
            ColumnMetadata c = t.columnsByName.get(m.getValue());
            if (c == null) {
                t.problem(
                        DynamicsSinkConfig.FIELD_MAPPING,
                        "Column '" + m.getValue() + "' does not exist in " + md.logicalName());
            } else if (!c.validForCreate() && !c.validForUpdate() && !keyCols.contains(c.logicalName())) {
                t.problem(DynamicsSinkConfig.FIELD_MAPPING, "Column '" + m.getValue() + "' is read-only");
            } else if (c.kind() == Kind.LOOKUP) {
                t.problem(
                        DynamicsSinkConfig.FIELD_MAPPING,
                        "Column '" + m.getValue() + "' is a lookup: bind it "
                                + "with lookups=field>navigationProperty[.column]");
            } else if (c.kind() == Kind.UNSUPPORTED) {
                t.problem(
                        DynamicsSinkConfig.FIELD_MAPPING,
                        "Column '" + m.getValue() + "' has a type the sink " + "does not write (" + c.attributeType()
                                + ")");
            }
        }
        for (String p : prot) {
            if (!t.columnsByName.containsKey(p)) {
                t.problem(DynamicsSinkConfig.PROTECTED, "Column '" + p + "' does not exist in " + md.logicalName());
            }
        }
        for (String p : fill) {
            if (!t.columnsByName.containsKey(p)) {
                t.problem(
                        DynamicsSinkConfig.FILL_IF_MISSING, "Column '" + p + "' does not exist in " + md.logicalName());
            }
        }
        for (Lookup l : config.lookups()) {
            t.bind(client, l);
        }
        return t;
    }

    private void bind(DynamicsClient client, Lookup l) {
        LookupRelation rel = md.relationByNavigation(l.navigationProperty());
        String column = rel != null ? rel.lookupColumn() : lookupColumnOf(l.navigationProperty());
        String target = l.targetTable() != null
                ? l.targetTable()
                : rel != null ? rel.targetTable() : targetOf(column, l.navigationProperty());
        if (column == null) {
            problem(
                    DynamicsSinkConfig.LOOKUPS,
                    "'" + l.navigationProperty() + "' is not a navigation property of a " + "lookup column of "
                            + md.logicalName());
            return;
        }
        if (target == null) {
            problem(
                    DynamicsSinkConfig.LOOKUPS,
                    "Navigation property '" + l.navigationProperty() + "' is not a "
                            + "lookup of " + md.logicalName() + " the sink can place; name the target table: "
                            + l.field()
                            + ">" + l.navigationProperty() + ":<table>."
                            + (l.keyColumn() == null ? "<column>" : l.keyColumn()));
            return;
        }
        TableMetadata tmd = client.table(target);
        if (tmd == null) {
            problem(DynamicsSinkConfig.LOOKUPS, "Lookup target table '" + target + "' does not exist");
            return;
        }
        ColumnMetadata keyCol = null;
        if (!l.byId()) {
            keyCol = tmd.column(l.keyColumn());
            if (keyCol == null) {
                problem(
                        DynamicsSinkConfig.LOOKUPS,
                        "Column '" + l.keyColumn() + "' does not exist in lookup target " + target);
                return;
            }
        }
        lookups.add(new BoundLookup(l, column, target, tmd.entitySetName(), tmd.primaryIdAttribute(), keyCol));
    }

    /**
     * Without relationship metadata: the lookup column a navigation property belongs to — the column of the same
     * name ({@code crmc_AccountId} for {@code crmc_accountid}), or the one it extends with a table name
     * ({@code parentcustomerid_account}).
     */
    private String lookupColumnOf(String nav) {
        String lower = nav.toLowerCase(Locale.ROOT);
        if (columnsByName.containsKey(lower) && columnsByName.get(lower).kind() == Kind.LOOKUP) {
            return lower;
        }
        for (String c : columnsByName.keySet()) {
            if (lower.startsWith(c + "_") && columnsByName.get(c).kind() == Kind.LOOKUP) {
                return c;
            }
        }
        return null;
    }

    /** The table a navigation property points at: its table suffix, or the lookup's only target. */
    private String targetOf(String column, String nav) {
        if (column == null) {
            return null;
        }
        List<String> targets = columnsByName.get(column).targets();
        String lower = nav.toLowerCase(Locale.ROOT);
        if (lower.startsWith(column + "_") && targets.contains(lower.substring(column.length() + 1))) {
            return lower.substring(column.length() + 1);
        }
        return targets.size() == 1 ? targets.get(0) : null;
    }

    private void problem(String key, String message) {
        add(problems, key, message);
    }

    private static void add(Map<String, List<String>> m, String key, String message) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
    }

    /** The column a record field is written to under identity mapping: the field's name, if such a column exists. */
    ColumnMetadata columnForField(String field) {
        ColumnMetadata c = columnsByName.get(field);
        return c != null ? c : columnsByName.get(field.toLowerCase(Locale.ROOT));
    }

    String entitySet() {
        return md.entitySetName();
    }

    String primaryId() {
        return md.primaryIdAttribute();
    }

    boolean byAlternateKey() {
        return !keyColumns.isEmpty();
    }
}
