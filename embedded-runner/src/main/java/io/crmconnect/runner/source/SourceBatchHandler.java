package io.crmconnect.runner.source;

import io.crmconnect.runner.flow.Handoff;
import io.crmconnect.runner.flow.InFlightRecord;
import io.crmconnect.runner.sink.TransformChain;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives each polled batch on the source task's thread, applies the source connector's transforms (as a worker
 * does before the producer) and hands the records to the sink side. It marks nothing processed: source offsets are
 * committed by the sink side once the sink has confirmed the records.
 */
public final class SourceBatchHandler implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private static final Logger LOG = LoggerFactory.getLogger(SourceBatchHandler.class);

    private final TransformChain<SourceRecord> transforms;
    private final Handoff handoff;

    public SourceBatchHandler(TransformChain<SourceRecord> transforms, Handoff handoff) {
        this.transforms = transforms;
        this.handoff = handoff;
    }

    @Override
    public void handleBatch(
            List<RecordChangeEvent<SourceRecord>> events,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<InFlightRecord> batch = new ArrayList<>(events.size());
        for (RecordChangeEvent<SourceRecord> event : events) {
            SourceRecord polled = event.record();
            SourceRecord transformed = transforms.isEmpty() ? polled : transforms.apply(polled);
            batch.add(new InFlightRecord(event, transformed, committer));
        }
        if (!handoff.put(batch)) {
            // stopping: these records are not committed, the next run polls them again
            LOG.debug("Stopping: {} polled records left for the next run", batch.size());
        }
    }

    @Override
    public boolean supportsTombstoneEvents() {
        return true;
    }
}
