package io.crmconnect.smt;

import io.crmconnect.common.PluginVersion;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Common plumbing of the transforms: which part of the record they work on (the nested {@code Key} and
 * {@code Value} classes choose), the version, and a no-op close.
 */
public abstract class BaseTransform<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    /** True for the {@code $Key} variant. */
    protected final boolean onKey;

    protected BaseTransform(boolean onKey) {
        this.onKey = onKey;
    }

    protected Schema operatingSchema(R record) {
        return onKey ? record.keySchema() : record.valueSchema();
    }

    protected Object operatingValue(R record) {
        return onKey ? record.key() : record.value();
    }

    protected R newRecord(R record, Schema schema, Object value) {
        return onKey
                ? record.newRecord(
                        record.topic(),
                        record.kafkaPartition(),
                        schema,
                        value,
                        record.valueSchema(),
                        record.value(),
                        record.timestamp(),
                        record.headers())
                : record.newRecord(
                        record.topic(),
                        record.kafkaPartition(),
                        record.keySchema(),
                        record.key(),
                        schema,
                        value,
                        record.timestamp(),
                        record.headers());
    }

    /** "record value" or "record key", for messages. */
    protected String part() {
        return onKey ? "record key" : "record value";
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public abstract ConfigDef config();

    @Override
    public void close() {}
}
