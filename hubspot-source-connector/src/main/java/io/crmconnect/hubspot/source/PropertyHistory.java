package io.crmconnect.hubspot.source;

import io.crmconnect.common.RecordShape;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.PropertyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Property history of one object: one record per property change, read through {@code propertiesWithHistory} (batch
 * read, at most 50 ids per call) for the records of each initial-load page and for every changed record found by the
 * incremental walk.
 *
 * <p>Key {@code <objectId>:<property>:<epoch ms>}, so a compacted topic keeps every change (and a change read twice
 * lands on the same key with the same value). Value: objectId, property, value (string as HubSpot sends it, empty =
 * cleared), timestamp, sourceType, sourceId, sourceLabel, updatedByUserId.
 *
 * <p>Which changes are sent: for a record version with last-modified {@code L}, the entries with timestamp
 * {@code <= L} and {@code >= floor}, where floor is the start of the incremental pass (everything older was sent when
 * an older version of the record was read in an earlier pass) or, when this task already sent an older version with
 * last-modified {@code P}, {@code > P}. The initial load sends the whole history. After a restart the incremental walk
 * resumes from its offset, so at most the overlap window is sent again (same keys).
 */
final class PropertyHistory {
    static final Schema SCHEMA = RecordShape.describeAll(
                    SchemaBuilder.struct()
                            .name("io.crmconnect.hubspot.PropertyHistory")
                            .version(1)
                            .field("objectId", Schema.STRING_SCHEMA)
                            .field("property", Schema.STRING_SCHEMA)
                            .field("value", Schema.OPTIONAL_STRING_SCHEMA)
                            .field("timestamp", Timestamp.SCHEMA)
                            .field("sourceType", Schema.OPTIONAL_STRING_SCHEMA)
                            .field("sourceId", Schema.OPTIONAL_STRING_SCHEMA)
                            .field("sourceLabel", Schema.OPTIONAL_STRING_SCHEMA)
                            .field("updatedByUserId", Schema.OPTIONAL_INT64_SCHEMA),
                    List.of("objectId"),
                    null)
            .build();

    private final HubSpotClient client;
    private final String objectType;
    private final String name;
    private final String topic;
    private final String portal;
    private final SourceMetrics metrics;

    PropertyHistory(
            HubSpotClient client, String objectType, String name, String topic, String portal, SourceMetrics metrics) {
        this.client = client;
        this.objectType = objectType;
        this.name = name;
        this.topic = topic;
        this.portal = portal;
        this.metrics = metrics;
    }

    String topic() {
        return topic;
    }

    /** One version of a record whose history is wanted, with the range of change timestamps to send. */
    record Want(CrmObject object, long fromInclusive, long toInclusive) {}

    /** Reads the history of these records' properties (50 records per call): id -> property -> values. */
    Map<String, Map<String, List<PropertyValue>>> read(List<Want> wants, List<String> properties) {
        Map<String, Map<String, List<PropertyValue>>> out = new HashMap<>();
        if (properties.isEmpty() || wants.isEmpty()) {
            return out;
        }
        for (int i = 0; i < wants.size(); i += HubSpotClient.HISTORY_BATCH) {
            List<Want> chunk = wants.subList(i, Math.min(wants.size(), i + HubSpotClient.HISTORY_BATCH));
            out.putAll(client.batchReadHistory(
                    objectType, chunk.stream().map(w -> w.object().id()).toList(), properties));
        }
        return out;
    }

    /** The change records of one record version, oldest first. */
    List<SourceRecord> records(
            Want w, Map<String, List<PropertyValue>> byProp, Map<String, ?> partition, Map<String, ?> offset) {
        List<SourceRecord> out = new ArrayList<>();
        String id = w.object().id();
        for (Map.Entry<String, List<PropertyValue>> e : byProp.entrySet()) {
            List<PropertyValue> vs = e.getValue();
            for (int i = vs.size() - 1; i >= 0; i--) { // HubSpot sends newest first
                PropertyValue v = vs.get(i);
                if (v.timestamp() == null) {
                    continue;
                }
                long ts = v.timestamp().toEpochMilli();
                if (ts < w.fromInclusive() || ts > w.toInclusive()) {
                    continue;
                }
                Struct s = new Struct(SCHEMA)
                        .put("objectId", id)
                        .put("property", e.getKey())
                        .put("value", v.value())
                        .put("timestamp", new Date(ts))
                        .put("sourceType", v.sourceType())
                        .put("sourceId", v.sourceId())
                        .put("sourceLabel", v.sourceLabel())
                        .put("updatedByUserId", v.updatedByUserId());
                out.add(new SourceRecord(
                        partition,
                        offset,
                        topic,
                        null,
                        Schema.STRING_SCHEMA,
                        key(id, e.getKey(), ts),
                        SCHEMA,
                        s,
                        null,
                        Headers.of(portal, name, "history")));
                metrics.history(name);
            }
        }
        out.sort(Comparator.comparingLong(r -> ((Date) ((Struct) r.value()).get("timestamp")).getTime()));
        return out;
    }

    static String key(String id, String property, long ts) {
        return id + ":" + property + ":" + ts;
    }
}
