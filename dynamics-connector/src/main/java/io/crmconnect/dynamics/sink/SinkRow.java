package io.crmconnect.dynamics.sink;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A record read for writing: upsert or delete, the row it addresses, its column values encoded for the Web API
 * (a null value means "clear the column"), and the natural keys (or ids) of its lookups by navigation property.
 */
record SinkRow(
        SinkRecord record,
        boolean delete,
        RowIdentity identity,
        LinkedHashMap<String, Object> columns,
        Map<TargetTable.BoundLookup, Object> lookups) {}
