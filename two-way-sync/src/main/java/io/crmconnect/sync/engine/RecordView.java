package io.crmconnect.sync.engine;

import java.util.Map;

/**
 * One side's record as the planner sees it: its id, the other side's id it stores (the link), the canonical value
 * of every mapped field (HubSpot spelling; null = empty), its sync state, its modification times (per field where
 * the side exposes them, else the record's), who modified it last (empty when unknown), and the version it was read
 * at (Dataverse: the row's ETag; HubSpot: {@code updatedAt} in epoch milliseconds; empty when unknown), which a write
 * planned against it expects.
 */
public record RecordView(
        String id,
        String linkedId,
        Map<String, String> values,
        SyncState state,
        long modifiedAt,
        Map<String, Long> fieldModifiedAt,
        String modifiedBy,
        String version) {

    /** A view whose version is unknown (changes as the source connectors captured them). */
    public RecordView(
            String id,
            String linkedId,
            Map<String, String> values,
            SyncState state,
            long modifiedAt,
            Map<String, Long> fieldModifiedAt,
            String modifiedBy) {
        this(id, linkedId, values, state, modifiedAt, fieldModifiedAt, modifiedBy, "");
    }

    public String value(String field) {
        return values.get(field);
    }
}
