package io.crmconnect.sync.connect;

import io.crmconnect.sync.engine.RecordView;
import java.util.List;

/** Reads records of one side as they are now, for the planner. */
interface TargetReader extends AutoCloseable {
    /** The record with this id; null when it does not exist (any more). */
    RecordView byId(String id);

    /** The records whose link field holds {@code otherSideId}; empty when the side cannot look it up exactly. */
    List<RecordView> byLink(String otherSideId);

    /**
     * Ids of the records whose link field holds {@code otherSideId}, for deleting what was linked to a deleted
     * record (links written long before a deletion, so HubSpot's search index has them).
     */
    List<String> idsLinkedTo(String otherSideId);

    /** The records whose match key equals {@code canonicalKey} (already normalized). */
    List<RecordView> byMatchKey(String canonicalKey);

    /** The record again with its fields' own modification times, where the side keeps them (else unchanged). */
    RecordView withFieldTimes(RecordView v);

    @Override
    void close();
}
