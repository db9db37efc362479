package io.crmconnect.jdbc;

import io.crmconnect.jdbc.ColumnStep.Source;
import io.crmconnect.jdbc.JdbcSinkConfig.DeleteMode;
import io.crmconnect.jdbc.JdbcSinkConfig.MetadataColumn;
import io.crmconnect.jdbc.JdbcSinkConfig.PkMode;
import io.crmconnect.jdbc.JdbcSinkConfig.SchemalessMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a SinkRecord into a table row: its column layout and normalized values (see {@link ColumnTypes}). One
 * method, {@link #buildPlan}, decides the columns; records whose layout follows from their key and value schemas
 * reuse a plan computed once per schema pair (a record then costs one Object[] and one conversion per field), other
 * records (schemaless maps and keys) get a plan built for them alone. Records that cannot become a row throw
 * {@link BadRecordException} with the reason.
 */
public final class RecordMapper {
    private final JdbcSinkConfig config;
    private final PkMode pkMode;
    private final List<String> pkFields;
    private final String prefix;
    private final String metaPrefix;
    private final Set<MetadataColumn> metadata;
    private final DeleteMode deleteMode;
    private final SchemalessMode schemalessMode;
    /** Plans of schema-ful records by value schema, then key schema (identity: Connect reuses Schema instances). */
    private final Map<Schema, Map<Schema, RowPlan>> plans = new IdentityHashMap<>();
    /** The value columns of each value schema, for plans built per record. */
    private final Map<Schema, List<Column>> valueColumns = new IdentityHashMap<>();
    private Schema lastKeySchema;
    private Schema lastValueSchema;
    private RowPlan lastPlan;

    public RecordMapper(JdbcSinkConfig config) {
        this.config = config;
        this.pkMode = config.pkMode();
        this.pkFields = config.pkFields();
        this.prefix = config.columnPrefix();
        this.metaPrefix = config.metadataPrefix();
        this.metadata = config.metadataColumns();
        this.deleteMode = config.deleteMode();
        this.schemalessMode = config.schemalessMode();
    }

    public String metaColumn(String name) {
        return metaPrefix + name;
    }

    /** Null when the record is a tombstone that delete.mode=none skips. */
    public MappedRecord map(SinkRecord record) {
        String table = config.tableFor(record.topic());
        boolean tombstone = record.value() == null;
        if (tombstone && (deleteMode == DeleteMode.NONE || pkMode != PkMode.RECORD_KEY)) {
            return null;
        }
        if (pkMode == PkMode.RECORD_KEY && record.key() == null) {
            throw new BadRecordException("record key is null, but pk.mode=record_key needs it as the primary key");
        }
        RowPlan plan = record.value() instanceof Struct value ? schemaPlan(record, value) : null;
        if (plan == null) {
            plan = buildPlan(record, tombstone);
        }
        return new MappedRecord(record, table, tombstone, plan.layout(), plan.read(record));
    }

    // ------------------------------------------------------------------ plans

    /** A column with the step that reads it. */
    private record Column(ColumnDef def, ColumnStep step) {
    }

    /** The cached plan of a Struct value's schema pair, or null when the key's layout depends on the record itself. */
    private RowPlan schemaPlan(SinkRecord record, Struct value) {
        Schema keySchema = null;
        if (pkMode == PkMode.RECORD_KEY) {
            Object key = record.key();
            if (key instanceof Struct k) {
                keySchema = k.schema();
            } else {
                keySchema = record.keySchema();
                if (keySchema == null || keySchema.type() == Schema.Type.STRUCT || keySchema.type() == Schema.Type.MAP
                        || keySchema.type() == Schema.Type.ARRAY) {
                    return null; // schemaless, or a schema that does not match the key: decided per record
                }
            }
        }
        Schema valueSchema = value.schema();
        if (lastPlan != null && valueSchema == lastValueSchema && keySchema == lastKeySchema) {
            return lastPlan;
        }
        Map<Schema, RowPlan> byKey = plans.computeIfAbsent(valueSchema, v -> new IdentityHashMap<>());
        RowPlan plan = byKey.get(keySchema);
        if (plan == null) {
            try {
                plan = buildPlan(record, false);
            } catch (BadRecordException e) {
                plan = RowPlan.rejected(e.getMessage()); // follows from the schemas alone: same for every record
            }
            byKey.put(keySchema, plan);
        }
        lastKeySchema = keySchema;
        lastValueSchema = valueSchema;
        lastPlan = plan;
        return plan;
    }

    /**
     * The columns of the record's row, in order: key columns (record key or Kafka coordinates), value columns (a key
     * column of the same name wins), value fields promoted to the key (pk.mode=record_value), metadata columns, soft
     * delete columns. Steps read schema-ful parts from the record, so a plan built from one record serves every
     * record of its schema pair; schemaless parts are read here, once.
     */
    private RowPlan buildPlan(SinkRecord record, boolean tombstone) {
        LayoutBuilder b = new LayoutBuilder();
        if (pkMode == PkMode.RECORD_KEY) {
            keyColumns(b, record);
        } else if (pkMode == PkMode.KAFKA) {
            b.key(ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING), ColumnStep.of(Source.TOPIC));
            b.key(ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32), ColumnStep.of(Source.PARTITION));
            b.key(ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64), ColumnStep.of(Source.OFFSET));
        }
        if (!tombstone) {
            valueColumns(b, record);
            if (pkMode == PkMode.RECORD_VALUE) {
                for (String field : pkFields) {
                    if (!b.promoteToKey(prefix + field, "primary key field '" + field + "' is null")) {
                        throw new BadRecordException("primary key field '" + field + "' is missing from the value");
                    }
                }
            }
            if (metadata.contains(MetadataColumn.KAFKA_TOPIC)) {
                b.column(ColumnDef.of(metaColumn("kafka_topic"), ColumnKind.STRING), ColumnStep.of(Source.TOPIC));
            }
            if (metadata.contains(MetadataColumn.KAFKA_PARTITION)) {
                b.column(ColumnDef.of(metaColumn("kafka_partition"), ColumnKind.INT32),
                        ColumnStep.of(Source.PARTITION));
            }
            if (metadata.contains(MetadataColumn.KAFKA_OFFSET)) {
                b.column(ColumnDef.of(metaColumn("kafka_offset"), ColumnKind.INT64), ColumnStep.of(Source.OFFSET));
            }
            if (deleteMode == DeleteMode.SOFT) {
                b.column(ColumnDef.of(metaColumn("deleted"), ColumnKind.BOOLEAN), ColumnStep.constant(Boolean.FALSE));
                b.column(ColumnDef.of(metaColumn("deleted_at"), ColumnKind.TIMESTAMP), ColumnStep.constant(null));
            }
        }
        return b.build();
    }

    private void keyColumns(LayoutBuilder b, SinkRecord record) {
        Object key = record.key();
        if (key instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                if (pkFields.isEmpty() || pkFields.contains(field.name())) {
                    ColumnTypes.Kind t = keyKind(field.name(), ColumnTypes.of(field.schema()));
                    b.key(new ColumnDef(field.name(), t.kind(), t.precision(), t.scale(), true),
                            ColumnStep.keyField(field, t.kind()));
                }
            }
        } else if (key instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (pkFields.isEmpty() || pkFields.contains(name)) {
                    if (e.getValue() == null) {
                        throw new BadRecordException("primary key field '" + name + "' in the record key is null");
                    }
                    ColumnKind kind = keyKind(name, new ColumnTypes.Kind(ColumnTypes.inferred(e.getValue()), -1, -1))
                            .kind();
                    b.key(ColumnDef.of(name, kind), ColumnStep.constant(ColumnTypes.convert(kind, e.getValue())));
                }
            }
        } else {
            String name = pkFields.isEmpty() ? "id" : pkFields.get(0);
            Schema schema = record.keySchema();
            if (schema != null) {
                ColumnTypes.Kind t = keyKind(name, ColumnTypes.of(schema));
                b.key(new ColumnDef(name, t.kind(), t.precision(), t.scale(), true),
                        ColumnStep.wholeKey(name, t.kind()));
            } else {
                ColumnKind kind = keyKind(name, new ColumnTypes.Kind(ColumnTypes.inferred(key), -1, -1)).kind();
                b.key(ColumnDef.of(name, kind), ColumnStep.constant(ColumnTypes.convert(kind, key)));
            }
        }
        if (!b.hasKey()) {
            throw new BadRecordException("record key has none of the pk.fields " + pkFields);
        }
    }

    private static ColumnTypes.Kind keyKind(String name, ColumnTypes.Kind kind) {
        if (kind.kind() == ColumnKind.JSON) {
            throw new BadRecordException("primary key field '" + name + "' is a nested object or array");
        }
        return kind;
    }

    private void valueColumns(LayoutBuilder b, SinkRecord record) {
        Object value = record.value();
        Schema schema = record.valueSchema();
        if (value instanceof Struct struct) {
            for (Column c : valueColumns.computeIfAbsent(struct.schema(), this::structColumns)) {
                b.column(c.def(), c.step());
            }
            return;
        }
        if (schema == null && schemalessMode == SchemalessMode.JSON) {
            b.column(ColumnDef.of(config.schemalessJsonColumn(), ColumnKind.JSON),
                    ColumnStep.constant(ColumnTypes.convert(ColumnKind.JSON, value)));
            return;
        }
        if (value instanceof Map<?, ?> map) {
            Schema entrySchema = schema == null ? null : schema.valueSchema();
            ColumnTypes.Kind declared = entrySchema == null ? null : ColumnTypes.of(entrySchema);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String column = prefix + e.getKey();
                Object raw = e.getValue();
                if (raw == null) {
                    b.column(ColumnDef.of(column, null), ColumnStep.constant(null)); // no type to create it by yet
                    continue;
                }
                ColumnTypes.Kind t = declared != null ? declared
                        : new ColumnTypes.Kind(ColumnTypes.inferred(raw), -1, -1);
                b.column(new ColumnDef(column, t.kind(), t.precision(), t.scale(), false),
                        ColumnStep.constant(ColumnTypes.convert(t.kind(), raw)));
            }
            return;
        }
        throw new BadRecordException("value must be a Struct or a JSON object, got "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private List<Column> structColumns(Schema schema) {
        List<Column> out = new ArrayList<>();
        for (Field f : schema.fields()) {
            ColumnTypes.Kind t = ColumnTypes.of(f.schema());
            out.add(new Column(new ColumnDef(prefix + f.name(), t.kind(), t.precision(), t.scale(), false),
                    ColumnStep.valueField(f, t.kind())));
        }
        return out;
    }

    /** A value usable in a HashMap key (byte arrays compare by content). */
    static Object keyPart(Object value) {
        return value instanceof byte[] b ? HexFormat.of().formatHex(b) : value;
    }

    /** One record as a row: its table, whether it deletes, its column layout and values (in layout order). */
    public record MappedRecord(SinkRecord record, String table, boolean delete, RowLayout layout, Object[] row) {
        public List<String> keyColumns() {
            return layout.keyColumns();
        }

        public Map<String, ColumnDef> defs() {
            return layout.defs();
        }

        /** The value of a column, or null when the record has no such column. */
        public Object value(String column) {
            int i = layout.indexOf(column);
            return i < 0 ? null : row[i];
        }

        /** Column name to value, in layout order (a copy: for tests and diagnostics). */
        public Map<String, Object> values() {
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < row.length; i++) {
                out.put(layout.column(i).name(), row[i]);
            }
            return out;
        }

        public List<Object> key() {
            List<String> keys = layout.keyColumns();
            if (keys.size() == 1) {
                return Collections.singletonList(keyPart(value(keys.get(0))));
            }
            List<Object> key = new ArrayList<>(keys.size());
            for (String k : keys) {
                key.add(keyPart(value(k)));
            }
            return key;
        }
    }

    /** A record that cannot be written, with the reason (goes to the DLQ). */
    public static final class BadRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadRecordException(String message) {
            super(message);
        }
    }
}
