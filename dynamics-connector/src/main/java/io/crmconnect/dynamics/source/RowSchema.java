package io.crmconnect.dynamics.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.RecordShape;
import io.crmconnect.dynamics.client.ColumnMetadata;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.source.columns.ColumnMapper;
import io.crmconnect.dynamics.source.columns.ColumnMappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The value schema of one table, built from its metadata (one {@link ColumnMapper} per readable column), and the
 * conversion of Web API rows to Structs. The schema only grows: a column added in Dataverse becomes a new optional
 * field at the end (a new schema version); fields are never removed or retyped, so sinks evolve without resyncs.
 */
final class RowSchema {
    private final String table;
    private final BiPredicate<String, String> excluded;
    private final LinkedHashMap<String, ColumnMapper> mappers = new LinkedHashMap<>();
    /** Immutable; replaced as a whole when columns are added, so conversions need no lock. */
    private volatile Plan plan;

    private final AtomicLong conversionErrors = new AtomicLong();

    private record Plan(Schema schema, int version, ColumnMapper[] mappers, String select) {}

    /**
     * @param excluded (table, column) pairs left out
     */
    RowSchema(String table, BiPredicate<String, String> excluded) {
        this.table = table;
        this.excluded = excluded;
    }

    /** Adds columns not seen before; true when the schema changed. */
    synchronized boolean update(TableMetadata md) {
        boolean changed = plan == null;
        for (ColumnMetadata c : md.columns()) {
            if (mappers.containsKey(c.logicalName())
                    || (excluded.test(table, c.logicalName())
                            && !c.logicalName().equals(md.primaryIdAttribute()))) {
                continue;
            }
            ColumnMapper m = ColumnMappers.of(c);
            if (m != null) {
                mappers.put(c.logicalName(), m);
                changed = true;
            }
        }
        if (changed) {
            int version = plan == null ? 1 : plan.version() + 1;
            SchemaBuilder b = SchemaBuilder.struct()
                    .name("io.crmconnect.dynamics." + sanitize(table))
                    .version(version)
                    .doc("Dynamics 365 " + table + " row");
            for (ColumnMapper m : mappers.values()) {
                m.define(b);
            }
            // the field repeating the key, as the HubSpot source declares it. No metadata fields: a sink that knows
            // RecordShape would then prefix every other column (property_firstname), while Dataverse users know
            // their tables by the columns' logical names
            String key = b.field(md.primaryIdAttribute()) == null ? null : md.primaryIdAttribute();
            RecordShape.describe(b, List.of(), List.of(), key);
            Schema schema = b.build();
            List<String> select = new ArrayList<>();
            for (ColumnMapper m : mappers.values()) {
                m.bind(schema);
                select.add(m.select());
            }
            plan = new Plan(schema, version, mappers.values().toArray(new ColumnMapper[0]), String.join(",", select));
        }
        return changed;
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_]", "_");
    }

    Schema schema() {
        return plan.schema();
    }

    int version() {
        Plan p = plan;
        return p == null ? 0 : p.version();
    }

    /** The {@code $select} list of every mapped column. */
    String select() {
        return plan.select();
    }

    /** Mapped column names (logical names), in field order. */
    List<String> columns() {
        return List.copyOf(mappers.keySet());
    }

    long conversionErrors() {
        return conversionErrors.get();
    }

    /** The row as a Struct of the current schema; a value that cannot be converted stays null and is counted. */
    Struct toStruct(ObjectNode row) {
        Plan p = plan;
        Struct s = new Struct(p.schema());
        for (ColumnMapper m : p.mappers()) {
            try {
                m.copy(row, s);
            } catch (RuntimeException e) {
                conversionErrors.incrementAndGet();
            }
        }
        return s;
    }
}
