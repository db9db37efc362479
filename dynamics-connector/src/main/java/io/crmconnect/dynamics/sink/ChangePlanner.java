package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.ODataLiterals;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteMode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one row and the row's current state in Dataverse, what to send: protected columns never, fill-if-
 * missing columns only while empty, and (with {@code write.changed.columns.only}) only columns whose value differs;
 * lookups become {@code @odata.bind} to the resolved row; the write mode decides between create, update, skip and
 * NOT_FOUND. Pure: no calls.
 */
final class ChangePlanner {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final TargetTable target;
    private final WriteMode mode;
    private final boolean changedOnly;

    ChangePlanner(TargetTable target, WriteMode mode, boolean changedOnly) {
        this.target = target;
        this.mode = mode;
        this.changedOnly = changedOnly;
    }

    /**
     * @param current     the row as Dataverse has it, null when absent
     * @param known       whether the current row was read (false: existence unknown, write blindly)
     * @param resolutions lookup natural keys resolved, per binding and canonical key
     */
    WritePlan plan(
            SinkRow row,
            ObjectNode current,
            boolean known,
            Map<TargetTable.BoundLookup, Map<String, LookupResolver.Resolution>> resolutions) {
        String existingId =
                current == null ? null : current.path(target.primaryId()).asText(null);
        if (row.delete()) {
            if (known && current == null) {
                return WritePlan.skip(row, WritePlan.Action.SKIP_GONE, null);
            }
            return new WritePlan(row, WritePlan.Action.DELETE, existingId, null, null);
        }
        boolean exists = current != null;
        if (known && exists && mode == WriteMode.CREATE_ONLY) {
            return WritePlan.skip(row, WritePlan.Action.SKIP_EXISTS, existingId);
        }
        if (known && !exists && mode == WriteMode.UPDATE_ONLY) {
            return WritePlan.fail(
                    row,
                    RecordFailure.of(
                            RecordFailure.NOT_FOUND,
                            "no " + target.md.logicalName()
                                    + " row has this "
                                    + (row.identity().byId() ? "id" : "alternate key " + target.keyName)
                                    + " and write.mode is update_only"));
        }
        ObjectNode body = JSON.objectNode();
        for (Map.Entry<String, Object> c : row.columns().entrySet()) {
            String col = c.getKey();
            Object v = c.getValue();
            if (target.protectedColumns.contains(col)) {
                continue;
            }
            boolean keyColumn = target.keyColumns.contains(col);
            if (exists) {
                JsonNode cur = current.get(col);
                if (target.fillIfMissing.contains(col) && !ColumnValues.isEmpty(cur)) {
                    continue;
                }
                ColumnMetadata md = target.columnsByName.get(col);
                if ((changedOnly || keyColumn) && md != null && ColumnValues.same(md, cur, v)) {
                    continue;
                }
            } else if (v == null && known) {
                continue; // a new row's column is empty already
            }
            put(body, col, v);
        }
        for (Map.Entry<TargetTable.BoundLookup, Object> l : row.lookups().entrySet()) {
            TargetTable.BoundLookup b = l.getKey();
            String id;
            if (l.getValue() == null) {
                id = null;
            } else if (b.config().byId()) {
                id = l.getValue().toString();
            } else {
                LookupResolver.Resolution r =
                        resolutions.getOrDefault(b, Map.of()).get(RowIdentity.normal(l.getValue()));
                if (r == null || r.id() == null) {
                    int n = r == null ? 0 : r.matches();
                    return WritePlan.fail(
                            row,
                            RecordFailure.of(
                                    n == 0 ? RecordFailure.LOOKUP_NOT_FOUND : RecordFailure.AMBIGUOUS_MATCH,
                                    "lookup " + b.config().navigationProperty() + ": "
                                            + (n == 0 ? "no " : n + " ") + b.targetTable() + " rows have this "
                                            + b.keyColumn().logicalName(),
                                    Map.of(
                                            "lookup",
                                            List.of(b.config().navigationProperty()),
                                            "column",
                                            List.of(b.keyColumn().logicalName()))));
                }
                id = r.id();
            }
            if (target.protectedColumns.contains(b.lookupColumn())) {
                continue;
            }
            if (exists) {
                JsonNode cur = current.get(b.currentValueProperty());
                if (target.fillIfMissing.contains(b.lookupColumn()) && !ColumnValues.isEmpty(cur)) {
                    continue;
                }
                if (changedOnly && ColumnValues.sameLookup(cur, id)) {
                    continue;
                }
            } else if (id == null && known) {
                continue;
            }
            String bind = b.config().navigationProperty() + "@odata.bind";
            if (id == null) {
                body.putNull(bind);
            } else {
                body.put(bind, "/" + ODataLiterals.idSegment(b.targetSet(), id));
            }
        }
        if (exists && body.isEmpty()) {
            return WritePlan.skip(row, WritePlan.Action.SKIP_UNCHANGED, existingId);
        }
        WritePlan.Action action =
                !known ? WritePlan.Action.UPSERT : exists ? WritePlan.Action.UPDATE : WritePlan.Action.CREATE;
        return new WritePlan(row, action, existingId, body, null);
    }

    static void put(ObjectNode body, String col, Object v) {
        if (v == null) {
            body.putNull(col);
        } else if (v instanceof Integer i) {
            body.put(col, i);
        } else if (v instanceof Long l) {
            body.put(col, l);
        } else if (v instanceof BigDecimal d) {
            body.put(col, d);
        } else if (v instanceof Double d) {
            body.put(col, d);
        } else if (v instanceof Boolean b) {
            body.put(col, b);
        } else {
            body.put(col, v.toString());
        }
    }
}
