package io.crmconnect.simulator.hubspot;

import java.util.List;
import java.util.Map;

/** An immutable snapshot of one CRM record; writes replace the snapshot. */
final class Rec {
    /** One historical value of a property, newest first in {@link #history}. */
    record Hist(String value, long timestamp, String sourceType, String sourceId) {}

    final long id;
    final Map<String, String> props;
    final long createdAt;
    final long updatedAt;
    final boolean archived;
    final long archivedAt;
    final Map<String, List<Hist>> history;
    /** ISO-8601 forms, computed once (responses write them for every record). */
    final String createdIso;

    final String updatedIso;
    final String archivedIso;
    /** Serialized JSON of this snapshot for one property selection: {selectionKey, RawJson}. */
    volatile Object[] jsonCache;

    Rec(
            long id,
            Map<String, String> props,
            long createdAt,
            long updatedAt,
            boolean archived,
            long archivedAt,
            Map<String, List<Hist>> history) {
        this.id = id;
        this.props = props;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.archived = archived;
        this.archivedAt = archivedAt;
        this.history = history;
        this.createdIso = Json.iso(createdAt);
        this.updatedIso = Json.iso(updatedAt);
        this.archivedIso = archived ? Json.iso(archivedAt) : null;
    }
}
