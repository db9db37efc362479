package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The one emitter of an object's topic, shared by every phase: it builds the records and tombstones so that they stay
 * consistent with each other whatever phase sends them. A stale copy of a record tombstoned since is dropped, each
 * merged-away id is tombstoned once, and every id sent or tombstoned updates {@link TopicIds}.
 *
 * <p>Record timestamps are left to the producer (time of capture): HubSpot's updatedAt can be years old and would
 * make a topic with time-based retention delete the records at once. updatedAt is in the value.
 */
final class ObjectRecords {
    /** Partition of the load and incremental offsets: {@code {stream:<object>}}. */
    final Map<String, Object> partition;
    /** Partition of the delete scan's offsets: {@code {stream:<object>#deletes}}. */
    final Map<String, Object> deletesPartition;

    private final String name;
    private final String topic;
    private final String portal;
    private final ObjectProperties properties;
    private final TopicIds ids;
    private final SourceMetrics metrics;
    /** Id → last-modified (or delete time) of its tombstone: older copies of the record are stale. */
    private final Map<String, Long> tombstoned = new HashMap<>();
    /** Merged-away ids already sent as merge tombstones (a plain delete tombstone before does not count). */
    private final Set<String> mergeAnnounced = new HashSet<>();

    private SourceRecord lastSent;
    /** Offset of the last record sent on {@link #partition}: history records carry it (their record comes next). */
    private Map<String, Object> lastOffset;

    ObjectRecords(
            String name,
            String topic,
            String portal,
            ObjectProperties properties,
            TopicIds ids,
            SourceMetrics metrics) {
        this.name = name;
        this.topic = topic;
        this.portal = portal;
        this.properties = properties;
        this.ids = ids;
        this.metrics = metrics;
        this.partition = Map.of("stream", name);
        this.deletesPartition = Map.of("stream", name + "#deletes");
    }

    String topic() {
        return topic;
    }

    Map<String, Object> lastOffset() {
        return lastOffset;
    }

    /** The offset the stream resumes from (before anything is sent). */
    void resumeAt(Map<String, Object> offset) {
        lastOffset = offset;
    }

    /** Whether this copy of a record is older than its tombstone. */
    boolean stale(CrmObject o) {
        Long t = tombstoned.get(o.id());
        return t != null && o.updatedAt() != null && o.updatedAt().toEpochMilli() <= t;
    }

    boolean tombstoned(String id) {
        return tombstoned.containsKey(id);
    }

    /** Tombstoned at or after {@code at}. */
    boolean tombstonedSince(String id, long at) {
        Long t = tombstoned.get(id);
        return t != null && t >= at;
    }

    /**
     * Sends a record version (dropped when stale), then a merge tombstone for each id merged into it not announced
     * yet. {@code value}: the record already converted (initial load), or null to convert {@code o} here.
     */
    void upsert(List<SourceRecord> out, CrmObject o, String change, Map<String, Object> offset, Struct value) {
        if (tombstoned.containsKey(o.id())) {
            if (stale(o)) {
                return;
            }
            tombstoned.remove(o.id()); // restored
        }
        Struct v = value != null ? value : properties.mapper().toStruct(o);
        lastSent = new SourceRecord(
                partition,
                offset,
                topic,
                null,
                Schema.STRING_SCHEMA,
                o.id(),
                v.schema(),
                v,
                null,
                Headers.of(portal, name, change));
        out.add(lastSent);
        lastOffset = offset;
        ids.add(o.id());
        metrics.record(name);
        if (properties.hasMergedIds()) {
            long when = o.updatedAt() == null
                    ? System.currentTimeMillis()
                    : o.updatedAt().toEpochMilli();
            mergeTombstones(out, partition, offset, o.id(), o.properties().get("hs_merged_object_ids"), when);
        }
    }

    /** Tombstones for the ids in {@code merged} ({@code ;}-separated) other than the survivor, once each. */
    void mergeTombstones(
            List<SourceRecord> out,
            Map<String, Object> onPartition,
            Map<String, Object> offset,
            String survivor,
            String merged,
            long when) {
        if (merged == null || merged.isBlank()) {
            return;
        }
        for (String id : merged.split(";")) {
            String m = id.trim();
            if (!m.isEmpty() && !m.equals(survivor) && mergeAnnounced.add(m)) {
                ConnectHeaders h = Headers.of(portal, name, "merge");
                h.addString(Headers.MERGED_INTO, survivor);
                out.add(new SourceRecord(
                        onPartition, offset, topic, null, Schema.STRING_SCHEMA, m, null, null, null, h));
                tombstoned.put(m, when);
                ids.remove(m);
                metrics.record(name);
            }
        }
    }

    /** A tombstone for {@code id} on the deletes partition (the caller adds it to the output), deleted at {@code at}. */
    SourceRecord tombstone(Map<String, Object> offset, String id, String change, long at) {
        tombstoned.put(id, at);
        ids.remove(id);
        metrics.record(name);
        return new SourceRecord(
                deletesPartition,
                offset,
                topic,
                null,
                Schema.STRING_SCHEMA,
                id,
                null,
                null,
                null,
                Headers.of(portal, name, change));
    }

    /** The archived version of a record ({@code archived=true}), sent right before its tombstone on request. */
    SourceRecord archived(Map<String, Object> offset, CrmObject o) {
        CrmObject archived = new CrmObject(
                o.id(), o.properties(), o.createdAt(), o.updatedAt(), true, o.archivedAt(), o.associations());
        SchemaMapper mapper = properties.mapper();
        return new SourceRecord(
                deletesPartition,
                offset,
                topic,
                null,
                Schema.STRING_SCHEMA,
                o.id(),
                mapper.schema(),
                mapper.toStruct(archived),
                null,
                Headers.of(portal, name, "archived"));
    }

    /**
     * A record whose offset may carry an id checkpoint: the last record of this topic in {@code out}, else the last
     * record sent unless its id was tombstoned since; null when there is none.
     */
    SourceRecord checkpointCarrier(List<SourceRecord> out) {
        for (int i = out.size() - 1; i >= 0; i--) {
            if (topic.equals(out.get(i).topic())) {
                return out.get(i);
            }
        }
        if (lastSent != null && lastSent.key() != null && !tombstoned.containsKey((String) lastSent.key())) {
            return lastSent;
        }
        return null;
    }
}
