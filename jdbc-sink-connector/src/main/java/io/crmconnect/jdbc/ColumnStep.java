package io.crmconnect.jdbc;

import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.jdbc.RecordMapper.BadRecordException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Where one column's value comes from in a record, and how it is normalized. A step of a schema-ful layout reads the
 * record (a field of the key or value Struct, the whole key, the Kafka coordinates); a step of a layout built for one
 * schemaless record carries the value it already read ({@link Source#CONSTANT}); a header step reads a record header
 * as text.
 *
 * @param source where the value is read
 * @param field the Struct field, for {@link Source#KEY_FIELD} and {@link Source#VALUE_FIELD}
 * @param kind the normalization applied to what is read (null for constants, which are normalized already)
 * @param constant the value of a {@link Source#CONSTANT} step
 * @param nullReason why a null value rejects the record (key columns), or null when the column may be null
 */
public record ColumnStep(Source source, Field field, ColumnKind kind, Object constant, String nullReason) {

    /** Where a column's value comes from. */
    public enum Source {
        KEY_FIELD,
        KEY_WHOLE,
        VALUE_FIELD,
        TOPIC,
        PARTITION,
        OFFSET,
        HEADER,
        CONSTANT
    }

    static ColumnStep keyField(Field field, ColumnKind kind) {
        return new ColumnStep(Source.KEY_FIELD, field, kind, null, keyNull(field.name()));
    }

    static ColumnStep wholeKey(String column, ColumnKind kind) {
        return new ColumnStep(Source.KEY_WHOLE, null, kind, null, keyNull(column));
    }

    static ColumnStep valueField(Field field, ColumnKind kind) {
        return new ColumnStep(Source.VALUE_FIELD, field, kind, null, null);
    }

    static ColumnStep of(Source coordinate) {
        return new ColumnStep(coordinate, null, null, null, null);
    }

    /** The text of the record's last header named {@code name} (e.g. the HubSpot source's hubspot.portal). */
    static ColumnStep header(String name) {
        return new ColumnStep(Source.HEADER, null, null, name, null);
    }

    static ColumnStep constant(Object value) {
        return new ColumnStep(Source.CONSTANT, null, null, value, null);
    }

    private static String keyNull(String name) {
        return "primary key field '" + name + "' in the record key is null";
    }

    /** The same step, rejecting records where it reads null. */
    ColumnStep required(String reason) {
        return new ColumnStep(source, field, kind, constant, reason);
    }

    /** The column's value in {@code record}, normalized. */
    Object read(SinkRecord record) {
        return switch (source) {
            case KEY_FIELD -> ColumnTypes.convert(kind, ((Struct) record.key()).get(field));
            case KEY_WHOLE -> ColumnTypes.convert(kind, record.key());
            case VALUE_FIELD -> ColumnTypes.convert(kind, ((Struct) record.value()).get(field));
            case TOPIC -> RuntimeSupport.originalTopic(record);
            case PARTITION -> (long) RuntimeSupport.originalPartition(record);
            case OFFSET -> RuntimeSupport.originalOffset(record);
            case HEADER -> headerText(record, (String) constant);
            case CONSTANT -> constant;
        };
    }

    private static String headerText(SinkRecord record, String name) {
        Header h = record.headers() == null ? null : record.headers().lastWithName(name);
        return h == null || h.value() == null ? null : h.value().toString();
    }

    /** Reads every step into a row; a null where a step requires a value rejects the record. */
    static Object[] readAll(ColumnStep[] steps, SinkRecord record) {
        Object[] row = new Object[steps.length];
        for (int i = 0; i < row.length; i++) {
            ColumnStep step = steps[i];
            Object v = step.read(record);
            if (v == null && step.nullReason != null) {
                throw new BadRecordException(step.nullReason);
            }
            row[i] = v;
        }
        return row;
    }
}
