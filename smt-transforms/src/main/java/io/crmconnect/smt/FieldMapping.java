package io.crmconnect.smt;

import io.crmconnect.smt.mapping.Direction;
import io.crmconnect.smt.mapping.MappingDocument;
import io.crmconnect.smt.mapping.MappingPlan;
import io.crmconnect.smt.mapping.MappingSettings;
import io.crmconnect.smt.mapping.ObjectSpec;
import io.crmconnect.smt.util.SchemaCache;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Reshapes records with a declarative mapping (inline or from a YAML/JSON file): rename, nested paths, JSON
 * columns, constants, defaults, concatenation, casts and time zones. Use {@code FieldMapping$Value} or
 * {@code FieldMapping$Key}.
 */
public abstract class FieldMapping<R extends ConnectRecord<R>> extends BaseTransform<R> {

    public static final String OVERVIEW_DOC = "Reshapes the record value (or key) with a declarative mapping: "
            + "rename fields, read nested paths (a.b.c), decode JSON text columns into fields, set constants and "
            + "defaults, drop or keep unmapped fields, concatenate, cast between string, number, boolean, date and "
            + "timestamp with formats, and convert local times in a time zone to UTC (epoch millis, ISO-8601 or "
            + "Connect Timestamp). One mapping file describes several objects and both directions of a sync. "
            + "Records with schemas (Struct) and without (Map) are supported; tombstones pass through. "
            + "Use <code>" + FieldMapping.class.getName() + "$Value</code> or <code>$Key</code>.";

    public static final String MAPPING_CONFIG = MappingSettings.MAPPING_CONFIG;
    public static final String MAPPING_FILE_CONFIG = MappingSettings.MAPPING_FILE_CONFIG;
    public static final String MAPPING_OBJECT_CONFIG = MappingSettings.MAPPING_OBJECT_CONFIG;
    public static final String MAPPING_DIRECTION_CONFIG = "mapping.direction";

    public static final ConfigDef CONFIG_DEF = MappingSettings.define(
                    new ConfigDef(),
                    "Which object of the mapping to apply (a key under 'objects'). May be empty when the mapping "
                            + "describes a single object.")
            .define(
                    MAPPING_DIRECTION_CONFIG,
                    ConfigDef.Type.STRING,
                    "a_to_b",
                    ConfigDef.CaseInsensitiveValidString.in("a_to_b", "b_to_a"),
                    ConfigDef.Importance.MEDIUM,
                    "Which direction of the object's mapping to apply.");

    private static final String NAME = "FieldMapping";

    private MappingPlan plan;
    private final SchemaCache<MappingPlan.Bound> bound = new SchemaCache<>();

    protected FieldMapping(boolean onKey) {
        super(onKey);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        MappingDocument doc = MappingSettings.document(config);
        ObjectSpec object = MappingSettings.object(doc, config);
        Direction direction = Direction.parse(MAPPING_DIRECTION_CONFIG, config.getString(MAPPING_DIRECTION_CONFIG));
        ObjectSpec.DirectionSpec spec = object.directions().get(direction);
        if (spec == null) {
            throw new ConfigException(
                    MAPPING_DIRECTION_CONFIG,
                    direction.configName(),
                    "the mapping "
                            + doc.source() + (object.name().isEmpty() ? "" : " object '" + object.name() + "'")
                            + " has no " + direction.configName() + " mapping (it has "
                            + object.directions().keySet() + ")");
        }
        plan = MappingPlan.compile(NAME, spec);
    }

    @Override
    public R apply(R record) {
        Object value = operatingValue(record);
        if (value == null) {
            return record;
        }
        Schema schema = operatingSchema(record);
        if (schema == null) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new DataException(NAME + ": the schemaless " + part() + " is a "
                        + value.getClass().getSimpleName() + "; expected a Map (JSON object)");
            }
            return newRecord(record, null, plan.applySchemaless(map));
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException(NAME + ": the " + part() + " is a "
                    + value.getClass().getSimpleName() + " with a " + schema.type() + " schema; expected a Struct");
        }
        MappingPlan.Bound b = bound.get(schema, plan::bind);
        return newRecord(record, b.schema(), b.apply(struct));
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Applies the mapping to the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldMapping<R> {
        public Key() {
            super(true);
        }
    }

    /** Applies the mapping to the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldMapping<R> {
        public Value() {
            super(false);
        }
    }
}
