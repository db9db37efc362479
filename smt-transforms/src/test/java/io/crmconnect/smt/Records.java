package io.crmconnect.smt;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/** Test helpers to build records. */
final class Records {
    private Records() {}

    static SinkRecord value(Schema schema, Object value) {
        return new SinkRecord("topic", 0, Schema.STRING_SCHEMA, "k1", schema, value, 42L);
    }

    static SinkRecord schemaless(Map<String, ?> value) {
        return new SinkRecord("topic", 0, null, "k1", null, value, 42L);
    }

    static SinkRecord key(Schema schema, Object key) {
        return new SinkRecord("topic", 0, schema, key, Schema.OPTIONAL_STRING_SCHEMA, "v", 42L);
    }

    static SinkRecord tombstone(Schema valueSchema) {
        return new SinkRecord("topic", 0, Schema.STRING_SCHEMA, "k1", valueSchema, null, 42L);
    }
}
