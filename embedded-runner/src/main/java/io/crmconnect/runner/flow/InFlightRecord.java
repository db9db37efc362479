package io.crmconnect.runner.flow;

import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.RecordChangeEvent;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One record on its way from a source task to the sink: the record as polled (its source offset is what gets
 * committed), the record after the source's transforms (null when a transform dropped it), the committer of the
 * source task that polled it, and the virtual topic-partition and offset the sink knows it by.
 */
public final class InFlightRecord {
    private final RecordChangeEvent<SourceRecord> event;
    private final SourceRecord transformed;
    private final RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
    private TopicPartition partition;
    private long offset = -1;

    public InFlightRecord(
            RecordChangeEvent<SourceRecord> event,
            SourceRecord transformed,
            RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {
        this.event = event;
        this.transformed = transformed;
        this.committer = committer;
    }

    /** The record as the source task returned it from poll(). */
    public SourceRecord polled() {
        return event.record();
    }

    /** The engine's event for the polled record (what its committer marks processed). */
    public RecordChangeEvent<SourceRecord> event() {
        return event;
    }

    /** The record after the source's transform chain; null when the chain dropped it. */
    public SourceRecord transformed() {
        return transformed;
    }

    public RecordCommitter<RecordChangeEvent<SourceRecord>> committer() {
        return committer;
    }

    /** True when the record reaches the sink (it has a virtual offset). */
    public boolean delivered() {
        return partition != null;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    void place(TopicPartition partition, long offset) {
        this.partition = partition;
        this.offset = offset;
    }
}
