package io.crmconnect.sync.engine;

import java.util.Map;

/**
 * One side's record as the planner sees it: its id, the other side's id it stores (the link), the canonical value
 * of every mapped field (HubSpot spelling; null = empty), its sync state, its modification times (per field where
 * the side exposes them, else the record's), and who modified it last (empty when unknown).
 */
public record RecordView(String id, String linkedId, Map<String, String> values, SyncState state,
        long modifiedAt, Map<String, Long> fieldModifiedAt, String modifiedBy) {

    public String value(String field) {
        return values.get(field);
    }
}
