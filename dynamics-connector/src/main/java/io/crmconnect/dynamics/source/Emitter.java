package io.crmconnect.dynamics.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds one table's records: key = row id, value = the row's Struct (null for tombstones), provenance headers,
 * the table's source partition with the offset that says exactly what was sent up to this record. Remembers the last
 * record so offsets that have no record of their own (id checkpoints) can ride on an unchanged copy of it.
 */
final class Emitter {
    private final String table;
    private final String topic;
    private final String environment;
    private final SourceMetrics metrics;
    private final Map<String, Object> partition;
    private SourceRecord last;

    Emitter(String table, String topic, String environment, SourceMetrics metrics) {
        this.table = table;
        this.topic = topic;
        this.environment = environment;
        this.metrics = metrics;
        this.partition = Map.of("table", table);
    }

    Map<String, Object> partition() {
        return partition;
    }

    static Map<String, Object> idsPartition(String table, int bucket) {
        return Map.of("table", table + "#ids", "bucket", bucket);
    }

    SourceRecord row(SourceRow r, String change, Map<String, ?> offset) {
        SourceRecord rec = new SourceRecord(
                partition,
                offset,
                topic,
                null,
                Schema.STRING_SCHEMA,
                r.id(),
                r.value().schema(),
                r.value(),
                System.currentTimeMillis(),
                headers(change));
        last = rec;
        metrics.records(table, 1);
        return rec;
    }

    SourceRecord tombstone(String id, String change, Map<String, ?> offset) {
        SourceRecord rec = new SourceRecord(
                partition,
                offset,
                topic,
                null,
                Schema.STRING_SCHEMA,
                id,
                null,
                null,
                System.currentTimeMillis(),
                headers(change));
        last = rec;
        metrics.tombstones(table, 1);
        return rec;
    }

    /** The same record with another offset (the last one of a batch carries the phase that follows). */
    static SourceRecord withOffset(SourceRecord r, Map<String, ?> offset) {
        return new SourceRecord(
                r.sourcePartition(),
                offset,
                r.topic(),
                r.kafkaPartition(),
                r.keySchema(),
                r.key(),
                r.valueSchema(),
                r.value(),
                r.timestamp(),
                r.headers());
    }

    /** Replaces the last record of a list by a copy carrying {@code offset}. */
    void reoffsetLast(List<SourceRecord> out, Map<String, ?> offset) {
        if (!out.isEmpty()) {
            SourceRecord r = withOffset(out.get(out.size() - 1), offset);
            out.set(out.size() - 1, r);
            last = r;
        }
    }

    /**
     * Unchanged copies of the last record sent, each carrying one offset of another source partition (id buckets,
     * a refreshed delta link); empty when nothing was sent yet.
     */
    List<SourceRecord> checkpoints(List<Map.Entry<Map<String, Object>, Map<String, Object>>> offsets) {
        List<SourceRecord> out = new ArrayList<>();
        if (last == null) {
            return out;
        }
        for (Map.Entry<Map<String, Object>, Map<String, Object>> e : offsets) {
            ConnectHeaders h = headers(Headers.CHECKPOINT);
            out.add(new SourceRecord(
                    e.getKey(),
                    e.getValue(),
                    last.topic(),
                    null,
                    last.keySchema(),
                    last.key(),
                    last.valueSchema(),
                    last.value(),
                    System.currentTimeMillis(),
                    h));
        }
        return out;
    }

    boolean hasSent() {
        return last != null;
    }

    private ConnectHeaders headers(String change) {
        return Headers.of(environment, table, change);
    }
}
