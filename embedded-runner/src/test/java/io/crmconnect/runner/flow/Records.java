package io.crmconnect.runner.flow;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

/** Source records and a committer that remembers what it was told, for tests of the flow classes. */
public final class Records {
    private Records() {}

    /** A committer that records the offsets marked processed and the batches finished. */
    public static final class Committer implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        public final List<Object> processed = new ArrayList<>();
        public int batchesFinished;

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record) {
            processed.add(record.record().sourceOffset().get("n"));
        }

        @Override
        public void markBatchFinished() {
            batchesFinished++;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }

    public static SourceRecord source(String topic, int n) {
        return new SourceRecord(
                Map.of("stream", topic),
                Map.of("n", n),
                topic,
                null,
                Schema.STRING_SCHEMA,
                "k" + n,
                Schema.STRING_SCHEMA,
                "v" + n);
    }

    /** An in-flight record polled at offset n of the topic's source partition. */
    public static InFlightRecord inFlight(String topic, int n, Committer committer) {
        SourceRecord r = source(topic, n);
        return new InFlightRecord(() -> r, r, committer);
    }

    /** The source offset number of an in-flight record. */
    public static Object n(InFlightRecord r) {
        return r.polled().sourceOffset().get("n");
    }

    /** An in-flight record that the source's transforms dropped. */
    public static InFlightRecord dropped(String topic, int n, Committer committer) {
        SourceRecord r = source(topic, n);
        return new InFlightRecord(() -> r, null, committer);
    }
}
