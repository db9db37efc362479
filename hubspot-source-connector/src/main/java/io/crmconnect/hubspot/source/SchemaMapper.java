package io.crmconnect.hubspot.source;

import static io.crmconnect.common.time.FastTime.digits;

import io.crmconnect.common.RecordShape;
import io.crmconnect.common.time.FastTime;
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
import org.apache.kafka.connect.data.Field;
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
    private static final Schema OPTIONAL_TIMESTAMP =
            Timestamp.builder().optional().build();
    private static final Schema OPTIONAL_DATE =
            org.apache.kafka.connect.data.Date.builder().optional().build();
    private static final Schema OPTIONAL_STRING_ARRAY =
            SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build();

    private final String object;
    private final boolean decimal;
    private final int scale;
    private final boolean multiAsArray;
    private final Schema decimalSchema;
    private final LinkedHashMap<String, PropertyDefinition> properties = new LinkedHashMap<>();
    /** Immutable; replaced as a whole when properties are added, so conversions need no lock. */
    private volatile Plan plan;

    private final AtomicLong conversionErrors = new AtomicLong();

    /** Conversion kinds, one per property field. */
    private static final byte STRING = 0;

    private static final byte DECIMAL = 1;
    private static final byte DOUBLE = 2;
    private static final byte DATE = 3;
    private static final byte TIMESTAMP = 4;
    private static final byte BOOL = 5;
    private static final byte MULTI = 6;

    /** One schema version with everything a conversion needs, indexed like its property fields. */
    private record Plan(
            Schema schema,
            int version,
            List<String> names,
            Field[] fields,
            byte[] kinds,
            Field id,
            Field createdAt,
            Field updatedAt,
            Field archived,
            Field archivedAt) {}

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
        boolean changed = plan == null;
        for (PropertyDefinition d : defs) {
            if (!properties.containsKey(d.name()) && !isMetadataName(d.name())) {
                properties.put(d.name(), d);
                changed = true;
            }
        }
        if (changed) {
            int version = plan == null ? 1 : plan.version() + 1;
            SchemaBuilder b = SchemaBuilder.struct()
                    .name("io.crmconnect.hubspot." + sanitize(object))
                    .version(version)
                    .doc("HubSpot " + object + " record");
            b.field(ID, Schema.STRING_SCHEMA);
            for (PropertyDefinition d : properties.values()) {
                b.field(d.name(), fieldSchema(d));
            }
            b.field(CREATED_AT, OPTIONAL_TIMESTAMP);
            b.field(UPDATED_AT, OPTIONAL_TIMESTAMP);
            b.field(ARCHIVED, Schema.BOOLEAN_SCHEMA);
            b.field(ARCHIVED_AT, OPTIONAL_TIMESTAMP);
            // sinks tell properties from metadata by these parameters (e.g. columns property_<name> vs created_at)
            RecordShape.describe(b, List.of(ID, CREATED_AT, UPDATED_AT, ARCHIVED, ARCHIVED_AT), List.of(ID), ID);
            Schema schema = b.build();
            int n = properties.size();
            Field[] fields = new Field[n];
            byte[] kinds = new byte[n];
            int i = 0;
            for (PropertyDefinition d : properties.values()) {
                fields[i] = schema.field(d.name());
                kinds[i] = kind(d);
                i++;
            }
            plan = new Plan(
                    schema,
                    version,
                    List.copyOf(properties.keySet()),
                    fields,
                    kinds,
                    schema.field(ID),
                    schema.field(CREATED_AT),
                    schema.field(UPDATED_AT),
                    schema.field(ARCHIVED),
                    schema.field(ARCHIVED_AT));
        }
        return changed;
    }

    private byte kind(PropertyDefinition d) {
        switch (d.type() == null ? "string" : d.type()) {
            case "number":
                return decimal ? DECIMAL : DOUBLE;
            case "date":
                return DATE;
            case "datetime":
            case "date-time":
                return TIMESTAMP;
            case "bool":
            case "boolean":
                return BOOL;
            case "enumeration":
                return d.isMultiValued() && multiAsArray ? MULTI : STRING;
            default:
                return STRING;
        }
    }

    private static boolean isMetadataName(String n) {
        return Arrays.asList(ID, CREATED_AT, UPDATED_AT, ARCHIVED, ARCHIVED_AT).contains(n);
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9_]", "_");
    }

    public Schema schema() {
        Plan p = plan;
        return p == null ? null : p.schema();
    }

    public int version() {
        Plan p = plan;
        return p == null ? 0 : p.version();
    }

    /** Property names to request from HubSpot. */
    public List<String> propertyNames() {
        Plan p = plan;
        return p == null ? List.of() : p.names();
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

    /**
     * The record as a Struct of the current schema. Unparseable values become null (and are counted). Thread-safe
     * and lock-free: initial-load readers convert pages in parallel.
     */
    public Struct toStruct(CrmObject o) {
        Plan p = plan;
        Struct s = new Struct(p.schema());
        s.put(p.id(), o.id());
        Map<String, String> props = o.properties();
        Field[] fields = p.fields();
        byte[] kinds = p.kinds();
        for (int i = 0; i < fields.length; i++) {
            String raw = props.get(fields[i].name());
            if (raw == null) {
                continue;
            }
            try {
                Object v = convert(kinds[i], raw);
                if (v != null) {
                    s.put(fields[i], v);
                }
            } catch (RuntimeException ex) {
                conversionErrors.incrementAndGet();
            }
        }
        s.put(p.createdAt(), date(o.createdAt()));
        s.put(p.updatedAt(), date(o.updatedAt()));
        s.put(p.archived(), o.archived());
        s.put(p.archivedAt(), date(o.archivedAt()));
        return s;
    }

    private static Date date(Instant i) {
        return i == null ? null : new Date(i.toEpochMilli());
    }

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
    };

    private Object convert(byte kind, String raw) {
        switch (kind) {
            case DECIMAL: {
                String v = raw.trim();
                if (v.isEmpty()) {
                    return null;
                }
                // plain integers (most HubSpot numbers) without BigDecimal parsing
                if (v.length() <= 9 && scale >= 0 && scale < POW10.length && allDigits(v)) {
                    return BigDecimal.valueOf(Long.parseLong(v) * POW10[scale], scale);
                }
                return new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN);
            }
            case DOUBLE: {
                String v = raw.trim();
                return v.isEmpty() ? null : Double.parseDouble(v);
            }
            case DATE:
                return parseDate(raw.trim());
            case TIMESTAMP: {
                String v = raw.trim();
                if (v.isEmpty()) {
                    return null;
                }
                long ms = HubSpotClient.parseEpochMillis(v);
                return new Date(ms);
            }
            case BOOL:
                return parseBool(raw.trim());
            case MULTI:
                return splitMulti(raw);
            default:
                return raw;
        }
    }

    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !v.isEmpty();
    }

    private static Date parseDate(String v) {
        if (v.isEmpty()) {
            return null;
        }
        if (allDigits(v)) {
            LocalDate day = Instant.ofEpochMilli(Long.parseLong(v))
                    .atZone(ZoneOffset.UTC)
                    .toLocalDate();
            return new Date(day.toEpochDay() * 86_400_000L);
        }
        String d = v.length() > 10 ? v.substring(0, 10) : v;
        if (d.length() == 10 && d.charAt(4) == '-' && d.charAt(7) == '-') {
            int y = digits(d, 0, 4);
            int m = digits(d, 5, 2);
            int day = digits(d, 8, 2);
            if (y >= 0 && m >= 1 && m <= 12 && day >= 1 && day <= 28) { // always valid: no calendar check needed
                return new Date(FastTime.epochDay(y, m, day) * 86_400_000L);
            }
        }
        return new Date(LocalDate.parse(d).toEpochDay() * 86_400_000L);
    }

    private static Boolean parseBool(String v) {
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
    }

    private static List<String> splitMulti(String raw) {
        List<String> out = new ArrayList<>();
        for (String x : raw.split(";")) {
            if (!x.isEmpty()) {
                out.add(x);
            }
        }
        return out;
    }

    /** One value converted for a property (the same rules as {@link #toStruct}). */
    Object convert(PropertyDefinition d, String raw) {
        return convert(kind(d), raw);
    }
}
