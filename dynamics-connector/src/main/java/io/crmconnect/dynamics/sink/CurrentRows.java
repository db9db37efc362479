package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsRetriableException;
import io.crmconnect.dynamics.client.ReadOptions;
import io.crmconnect.dynamics.client.RowPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads the current rows a batch addresses (by id or alternate key, many per read, the reads at once on the writer's
 * threads) with the columns the diff needs, and indexes them by both their id and their alternate-key values, as
 * {@link RowIdentity#canonical()}.
 */
final class CurrentRows {
    private static final ReadOptions OPTIONS = new ReadOptions(ReadOptions.MAX_PAGE_SIZE, false, false);
    private final DynamicsClient client;
    private final TargetTable target;
    private final ExecutorService pool;

    CurrentRows(DynamicsClient client, TargetTable target, ExecutorService pool) {
        this.client = client;
        this.target = target;
        this.pool = pool;
    }

    /** Current rows by canonical identity; identities without a row are absent. */
    Map<String, ObjectNode> read(Collection<RowIdentity> ids, Collection<String> properties) {
        Map<String, ObjectNode> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Set<String> select = new LinkedHashSet<>();
        select.add(target.primaryId());
        select.addAll(target.keyColumns);
        select.addAll(properties);
        String selectText = String.join(",", select);
        List<Future<List<ObjectNode>>> reads = new ArrayList<>();
        for (String filter : KeyFilters.build(ids, target.primaryId())) {
            reads.add(pool.submit(() -> rows(selectText, filter)));
        }
        RuntimeException failure = null;
        for (Future<List<ObjectNode>> r : reads) { // indexed in filter order, as read one after another
            try {
                for (ObjectNode row : r.get()) {
                    index(row, out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DynamicsRetriableException("interrupted while reading current rows", 0, null, null, 0, e);
            } catch (ExecutionException e) {
                if (failure == null || e.getCause() instanceof DynamicsRetriableException) {
                    failure =
                            e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    private List<ObjectNode> rows(String select, String filter) {
        List<ObjectNode> rows = new ArrayList<>();
        RowPage page = client.read(target.entitySet(), select, filter, null, OPTIONS);
        while (true) {
            rows.addAll(page.rows());
            if (page.nextLink() == null) {
                return rows;
            }
            page = client.readLink(page.nextLink(), OPTIONS);
        }
    }

    private void index(ObjectNode row, Map<String, ObjectNode> out) {
        JsonNode pk = row.get(target.primaryId());
        if (pk != null && !pk.isNull()) {
            out.putIfAbsent(RowIdentity.ofId(pk.asText()).canonical(), row);
        }
        if (target.byAlternateKey()) {
            LinkedHashMap<String, Object> key = new LinkedHashMap<>();
            for (String col : target.keyColumns) {
                JsonNode v = row.get(col);
                if (v == null || v.isNull()) {
                    return;
                }
                key.put(col, v.isNumber() ? v.decimalValue() : v.asText());
            }
            out.putIfAbsent(RowIdentity.ofKey(key).canonical(), row);
        }
    }

    /** The properties to read for a segment: every column written, plus each lookup's current id. */
    static List<String> properties(Collection<SinkRow> rows, TargetTable target) {
        Set<String> out = new LinkedHashSet<>();
        for (SinkRow r : rows) {
            out.addAll(r.columns().keySet());
            for (TargetTable.BoundLookup l : r.lookups().keySet()) {
                out.add(l.currentValueProperty());
            }
        }
        return new ArrayList<>(out);
    }
}
