package io.crmconnect.dynamics.sink;

import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.ODataLiterals;
import io.crmconnect.dynamics.sink.ValueEncoder.ConversionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one record into a {@link SinkRow}: its field values (Struct or map, nested fields with dots) through
 * {@code field.mapping} to encoded column values, its identity (id field, else the alternate key's columns, else
 * for tombstones the record key), and its lookups' natural keys.
 */
final class RecordReader {
    private static final Logger LOG = LoggerFactory.getLogger(RecordReader.class);
    static final String KEY_FIELD = "_key";

    private final TargetTable target;
    private final Map<String, String> mapping;
    private final String idField;
    private final boolean clearNulls;
    private final Set<String> warnedUnmapped = ConcurrentHashMap.newKeySet();

    RecordReader(TargetTable target, DynamicsSinkConfig config) {
        this.target = target;
        this.mapping = config.mapping();
        this.idField = config.idField();
        this.clearNulls = config.clearNulls();
    }

    /** The row to write, or a failure that sends the record to the dead-letter topic. */
    Object read(SinkRecord r) {
        try {
            return r.value() == null ? readDelete(r) : readUpsert(r);
        } catch (ConversionException e) {
            return RecordFailure.of(e.reason(), e.getMessage());
        }
    }

    private Object readUpsert(SinkRecord r) {
        Object value = r.value();
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            return RecordFailure.of(
                    RecordFailure.CONVERSION_FAILED,
                    "the record value is a " + value.getClass().getSimpleName()
                            + "; the sink needs a Struct (schema) or a map (schemaless JSON)");
        }
        LinkedHashMap<String, Object> columns = new LinkedHashMap<>();
        if (mapping.isEmpty()) {
            for (Map.Entry<String, Object> f : topLevel(value).entrySet()) {
                if (isLookupField(f.getKey()) || f.getKey().equals(idField)) {
                    continue;
                }
                ColumnMetadata c = target.columnForField(f.getKey());
                if (c == null) {
                    if (warnedUnmapped.add(f.getKey())) {
                        LOG.warn(
                                "Record field '{}' has no column of that name in {}: not written (map it with "
                                        + "field.mapping)",
                                f.getKey(),
                                target.md.logicalName());
                    }
                    continue;
                }
                put(columns, c, f.getValue());
            }
        } else {
            for (Map.Entry<String, String> m : mapping.entrySet()) {
                Object v = field(r, value, m.getKey());
                if (v == ABSENT) {
                    continue;
                }
                put(columns, target.columnsByName.get(m.getValue()), v);
            }
        }
        Map<TargetTable.BoundLookup, Object> lookups = new LinkedHashMap<>();
        for (TargetTable.BoundLookup l : target.lookups) {
            Object v = field(r, value, l.config().field());
            if (v == ABSENT || (v == null && !clearNulls)) {
                continue;
            }
            if (v != null && l.config().byId() && !ODataLiterals.isGuid(v.toString())) {
                return RecordFailure.of(
                        RecordFailure.CONVERSION_FAILED,
                        "lookup " + l.config().navigationProperty() + ": field "
                                + l.config().field() + " must hold a row id (GUID)");
            }
            lookups.put(l, v == null ? null : v instanceof String s ? s : v);
        }
        RowIdentity id = identity(r, value, columns);
        if (id == null) {
            return RecordFailure.of(
                    RecordFailure.MISSING_KEY,
                    missingKeyMessage(),
                    Map.of("keyColumns", List.copyOf(target.keyColumns)));
        }
        return new SinkRow(r, false, id, columns, lookups);
    }

    private void put(LinkedHashMap<String, Object> columns, ColumnMetadata c, Object v) {
        if (v == null && !clearNulls) {
            return;
        }
        columns.put(c.logicalName(), ValueEncoder.encode(c, v));
    }

    private boolean isLookupField(String field) {
        for (TargetTable.BoundLookup l : target.lookups) {
            if (l.config().field().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private RowIdentity identity(SinkRecord r, Object value, Map<String, Object> columns) {
        if (!idField.isEmpty()) {
            Object id = KEY_FIELD.equals(idField) ? r.key() : field(r, value, idField);
            if (id != null && id != ABSENT && ODataLiterals.isGuid(id.toString())) {
                return RowIdentity.ofId(id.toString());
            }
        }
        if (!target.byAlternateKey()) {
            return null;
        }
        LinkedHashMap<String, Object> key = new LinkedHashMap<>();
        for (String k : target.keyColumns) {
            Object v = columns.get(k);
            if (v == null || v.toString().isEmpty()) {
                return null;
            }
            key.put(k, v);
        }
        return RowIdentity.ofKey(key);
    }

    /** A tombstone's row: from its key alone (the value is null). */
    private Object readDelete(SinkRecord r) {
        Object k = r.key();
        if (k == null) {
            return RecordFailure.of(RecordFailure.MISSING_KEY, "a tombstone without a key names no row");
        }
        if (k instanceof Struct || k instanceof Map) {
            if (!idField.isEmpty() && !KEY_FIELD.equals(idField)) {
                Object id = field(r, k, idField);
                if (id != null && id != ABSENT && ODataLiterals.isGuid(id.toString())) {
                    return new SinkRow(r, true, RowIdentity.ofId(id.toString()), new LinkedHashMap<>(), Map.of());
                }
            }
            if (target.byAlternateKey()) {
                LinkedHashMap<String, Object> key = new LinkedHashMap<>();
                for (String col : target.keyColumns) {
                    Object v = field(r, k, fieldFor(col));
                    if (v == ABSENT || v == null) {
                        v = field(r, k, col);
                    }
                    if (v == ABSENT || v == null) {
                        return RecordFailure.of(
                                RecordFailure.MISSING_KEY,
                                "the tombstone's key has no value for " + "key column " + col);
                    }
                    key.put(col, ValueEncoder.encode(target.columnsByName.get(col), v));
                }
                return new SinkRow(r, true, RowIdentity.ofKey(key), new LinkedHashMap<>(), Map.of());
            }
            return RecordFailure.of(RecordFailure.MISSING_KEY, missingKeyMessage());
        }
        String s = k.toString();
        if (ODataLiterals.isGuid(s) && (KEY_FIELD.equals(idField) || !target.byAlternateKey())) {
            return new SinkRow(r, true, RowIdentity.ofId(s), new LinkedHashMap<>(), Map.of());
        }
        if (target.keyColumns.size() == 1) {
            String col = target.keyColumns.get(0);
            LinkedHashMap<String, Object> key = new LinkedHashMap<>();
            key.put(col, ValueEncoder.encode(target.columnsByName.get(col), k));
            return new SinkRow(r, true, RowIdentity.ofKey(key), new LinkedHashMap<>(), Map.of());
        }
        return RecordFailure.of(
                RecordFailure.MISSING_KEY,
                "a tombstone's key must be the row id, the alternate "
                        + "key's value, or a Struct / map with the key columns " + target.keyColumns);
    }

    /** The record field mapped to a column, or the column's own name. */
    private String fieldFor(String column) {
        for (Map.Entry<String, String> m : mapping.entrySet()) {
            if (m.getValue().equals(column)) {
                return m.getKey();
            }
        }
        return column;
    }

    private String missingKeyMessage() {
        return "the record has no row id" + (idField.isEmpty() ? "" : " in field " + idField)
                + (target.byAlternateKey()
                        ? " and no value for every column of alternate key " + target.keyName + " " + target.keyColumns
                        : "");
    }

    /** Marks a field that is not in the record (as opposed to one that is null). */
    static final Object ABSENT = new Object();

    @SuppressWarnings("unchecked")
    static Object field(SinkRecord r, Object value, String path) {
        if (KEY_FIELD.equals(path)) {
            return r.key();
        }
        Object cur = value;
        for (String part : path.split("\\.")) {
            if (cur instanceof Struct s) {
                Field f = s.schema().field(part);
                if (f == null) {
                    return ABSENT;
                }
                cur = s.get(f);
            } else if (cur instanceof Map<?, ?> m) {
                if (!m.containsKey(part)) {
                    return ABSENT;
                }
                cur = ((Map<String, Object>) m).get(part);
            } else {
                return ABSENT;
            }
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> topLevel(Object value) {
        if (value instanceof Struct s) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Field f : s.schema().fields()) {
                out.put(f.name(), s.get(f));
            }
            return out;
        }
        return (Map<String, Object>) value;
    }
}
