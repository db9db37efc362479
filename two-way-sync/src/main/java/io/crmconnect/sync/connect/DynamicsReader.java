package io.crmconnect.sync.connect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.ODataLiterals;
import io.crmconnect.dynamics.client.ReadOptions;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.sync.engine.RecordView;
import io.crmconnect.sync.mapping.FieldRule;
import io.crmconnect.sync.mapping.ObjectMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads Dataverse rows for the planner with one filtered query each: by row id, by the link column (the HubSpot id a
 * row carries), by the match key. Rows come with annotations, so choice columns read as their labels.
 */
final class DynamicsReader implements TargetReader {
    private static final ReadOptions OPTIONS = new ReadOptions(10, false, true);

    private final DynamicsClient client;
    private final ObjectMapping m;
    private final RecordViews views;
    private final String entitySet;
    private final String select;

    DynamicsReader(DynamicsClient client, ObjectMapping m) {
        this.client = client;
        this.m = m;
        this.views = new RecordViews(m);
        TableMetadata t = client.table(m.dynamics().object());
        this.entitySet = t.entitySetName();
        Set<String> cols = new LinkedHashSet<>();
        ObjectMapping.SideSpec d = m.dynamics();
        for (String c : new String[] {
            d.idField(), d.linkField(), d.stateField(), d.matchKey(), d.modifiedField(), d.modifiedByField()
        }) {
            if (!c.isEmpty()) {
                cols.add(jsonName(t, c, "objects." + m.name() + ".dynamics"));
            }
        }
        for (FieldRule f : m.fields()) {
            cols.add(jsonName(t, f.dynamics(), "objects." + m.name() + ".fields." + f.name() + ".dynamics"));
        }
        this.select = String.join(",", cols);
    }

    private static String jsonName(TableMetadata t, String column, String path) {
        ColumnMetadata c = t.column(column);
        if (c == null) {
            throw new ConfigException(path + ": table " + t.logicalName() + " has no column '" + column + "'");
        }
        return c.jsonName();
    }

    @Override
    public RecordView byId(String id) {
        if (!ODataLiterals.isGuid(id)) {
            return null;
        }
        List<RecordView> r = query(m.dynamics().idField() + " eq " + id);
        return r.isEmpty() ? null : r.get(0);
    }

    @Override
    public List<RecordView> byLink(String otherSideId) {
        return query(m.dynamics().linkField() + " eq " + ODataLiterals.string(otherSideId));
    }

    @Override
    public List<String> idsLinkedTo(String otherSideId) {
        return byLink(otherSideId).stream().map(RecordView::id).toList();
    }

    @Override
    public List<RecordView> byMatchKey(String canonicalKey) {
        return query(m.dynamics().matchKey() + " eq " + ODataLiterals.string(canonicalKey));
    }

    @Override
    public RecordView withFieldTimes(RecordView v) {
        return v; // Dataverse keeps no per-column modification times outside auditing
    }

    private List<RecordView> query(String filter) {
        List<RecordView> out = new ArrayList<>();
        for (ObjectNode row :
                client.read(entitySet, select, filter, null, OPTIONS).rows()) {
            out.add(views.fromDynamics(row));
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
    }
}
