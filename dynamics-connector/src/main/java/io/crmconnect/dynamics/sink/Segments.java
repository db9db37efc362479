package io.crmconnect.dynamics.sink;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Splits a batch into consecutive segments in which no row is addressed twice, so each segment's writes may run in
 * any order and in parallel while operations on one row still apply in offset order ([upsert k, delete k] leaves k
 * deleted; [delete k, upsert k] leaves it present).
 */
final class Segments {
    private Segments() {}

    static List<List<SinkRow>> split(List<SinkRow> rows) {
        List<List<SinkRow>> out = new ArrayList<>();
        List<SinkRow> current = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SinkRow r : rows) {
            String id = r.identity().canonical();
            if (!seen.add(id)) {
                out.add(current);
                current = new ArrayList<>();
                seen.clear();
                seen.add(id);
            }
            current.add(r);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
