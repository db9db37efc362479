package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.PropertyDefinition;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Maps one object type's HubSpot properties to a Connect schema and records to Structs.
 *
 * <p>number → Decimal (fixed scale) or float64; date → Date; datetime → Timestamp; bool → boolean; enumeration with
 * fieldType checkbox (multi-checkbox) → array&lt;string&gt; or the ';'-joined string; everything else → string. All
 * property fields are optional. Metadata: {@code id}, {@code createdAt}, {@code updatedAt}, {@code archived},
 * {@code archivedAt}. The schema only grows: a property added in HubSpot becomes a new optional field at the end
 * (new schema version) and fields are never removed or retyped, so consumers and sinks evolve without resyncs.
 */
public final class SchemaMapper {
    static final String ID = "id";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String ARCHIVED = "archived";
    static final String ARCHIVED_AT = "archivedAt";
    private static final Schema OPTIONAL_TIMESTAMP = Timestamp.builder().optional().build();
    private static final Schema OPTIONAL_DATE = org.apache.kafka.connect.data.Date.builder().optional().build();
    private static final Schema OPTIONAL_STRING_ARRAY = SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build();

    private final String object;
    private final boolean decimal;
    private final int scale;
    private final boolean multiAsArray;
    private final Schema decimalSchema;
    private final LinkedHashMap<String, PropertyDefinition> properties = new LinkedHashMap<>();
    private int version;
    private Schema schema;
    private final AtomicLong conversionErrors = new AtomicLong();

    public SchemaMapper(String object, boolean decimal, int scale, boolean multiAsArray) {
        this.object = object;
        this.decimal = decimal;
        this.scale = scale;
        this.multiAsArray = multiAsArray;
        this.decimalSchema = Decimal.builder(scale).optional().build();
    }

    /**
     * Adds properties not seen before (in the given order). Returns true when the schema changed. Properties that
     * disappear (archived in HubSpot) keep their field, which then stays null.
     */
    public synchronized boolean update(Collection<PropertyDefinition> defs) {
        boolean changed = schema == null;
        for (PropertyDefinition d : defs) {
            if (!properties.containsKey(d.name()) && !isMetadataName(d.name())) {
                properties.put(d.name(), d);
                changed = true;
            }
        }
        if (changed) {
            version++;
            SchemaBuilder b = SchemaBuilder.struct().name("io.crmconnect.hubspot." + sanitize(object))
                    .version(version).doc("HubSpot " + object + " record");
            b.field(ID, Schema.STRING_SCHEMA);
            for (PropertyDefinition d : properties.values()) {
                b.field(d.name(), fieldSchema(d));
            }
            b.field(CREATED_AT, OPTIONAL_TIMESTAMP);
            b.field(UPDATED_AT, OPTIONAL_TIMESTAMP);
            b.field(ARCHIVED, Schema.BOOLEAN_SCHEMA);
            b.field(ARCHIVED_AT, OPTIONAL_TIMESTAMP);
            schema = b.build();
        }
        return changed;
    }

    private static boolean isMetadataName(String n) {
        return Arrays.asList(ID, CREATED_AT, UPDATED_AT, ARCHIVED, ARCHIVED_AT).contains(n);
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_]", "_");
    }

    public synchronized Schema schema() {
        return schema;
    }

    public synchronized int version() {
        return version;
    }

    /** Property names to request from HubSpot. */
    public synchronized List<String> propertyNames() {
        return new ArrayList<>(properties.keySet());
    }

    public long conversionErrors() {
        return conversionErrors.get();
    }

    Schema fieldSchema(PropertyDefinition d) {
        switch (d.type() == null ? "string" : d.type()) {
            case "number":
                return decimal ? decimalSchema : Schema.OPTIONAL_FLOAT64_SCHEMA;
            case "date":
                return OPTIONAL_DATE;
            case "datetime":
            case "date-time":
                return OPTIONAL_TIMESTAMP;
            case "bool":
            case "boolean":
                return Schema.OPTIONAL_BOOLEAN_SCHEMA;
            case "enumeration":
                return d.isMultiValued() && multiAsArray ? OPTIONAL_STRING_ARRAY : Schema.OPTIONAL_STRING_SCHEMA;
            default:
                return Schema.OPTIONAL_STRING_SCHEMA;
        }
    }

    /** The record as a Struct of the current schema. Unparseable values become null (and are counted). */
    public synchronized Struct toStruct(CrmObject o) {
        Struct s = new Struct(schema);
        s.put(ID, o.id());
        for (Map.Entry<String, PropertyDefinition> e : properties.entrySet()) {
            String raw = o.properties().get(e.getKey());
            if (raw == null) {
                continue;
            }
            try {
                s.put(e.getKey(), convert(e.getValue(), raw));
            } catch (RuntimeException ex) {
                conversionErrors.incrementAndGet();
            }
        }
        s.put(CREATED_AT, date(o.createdAt()));
        s.put(UPDATED_AT, date(o.updatedAt()));
        s.put(ARCHIVED, o.archived());
        s.put(ARCHIVED_AT, date(o.archivedAt()));
        return s;
    }

    private static Date date(Instant i) {
        return i == null ? null : Date.from(i);
    }

    Object convert(PropertyDefinition d, String raw) {
        String v = raw.trim();
        switch (d.type() == null ? "string" : d.type()) {
            case "number":
                if (v.isEmpty()) {
                    return null;
                }
                if (decimal) {
                    return new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
                }
                return Double.parseDouble(v);
            case "date": {
                if (v.isEmpty()) {
                    return null;
                }
                LocalDate day = v.chars().allMatch(Character::isDigit)
                        ? Instant.ofEpochMilli(Long.parseLong(v)).atZone(ZoneOffset.UTC).toLocalDate()
                        : LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
                return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            case "datetime":
            case "date-time":
                return v.isEmpty() ? null : Date.from(HubSpotClient.parseInstant(v));
            case "bool":
            case "boolean":
                if (v.isEmpty()) {
                    return null;
                }
                if (v.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (v.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("not a boolean");
            case "enumeration":
                if (d.isMultiValued() && multiAsArray) {
                    List<String> out = new ArrayList<>();
                    for (String x : raw.split(";")) {
                        if (!x.isEmpty()) {
                            out.add(x);
                        }
                    }
                    return out;
                }
                return raw;
            default:
                return raw;
        }
    }
}
