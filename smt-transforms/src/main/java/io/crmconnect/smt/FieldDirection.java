package io.crmconnect.smt;

import io.crmconnect.smt.mapping.Direction;
import io.crmconnect.smt.mapping.DirectionRule;
import io.crmconnect.smt.mapping.MappingDocument;
import io.crmconnect.smt.mapping.MappingSettings;
import io.crmconnect.smt.mapping.ObjectSpec;
import io.crmconnect.smt.util.SchemaCache;
import io.crmconnect.smt.util.Schemas;
import io.crmconnect.smt.util.Structs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Keeps only the top-level fields that the object's {@code rules} in a mapping file allow for this direction of a
 * two-way sync ({@code a_to_b}, {@code b_to_a}, {@code both}, {@code none}).
 */
public abstract class FieldDirection<R extends ConnectRecord<R>> extends BaseTransform<R> {

    public static final String OVERVIEW_DOC = "Keeps only the fields that the per-field rules of a mapping file allow "
            + "in this direction of a sync: a rule is a_to_b, b_to_a, both or none. Fields without a rule are "
            + "dropped unless unlisted=keep, so a field added to a source never flows to the other system by "
            + "accident. Rules are read from the object's 'rules' section of the same file FieldMapping uses.";

    public static final String MAPPING_CONFIG = FieldMapping.MAPPING_CONFIG;
    public static final String MAPPING_FILE_CONFIG = FieldMapping.MAPPING_FILE_CONFIG;
    public static final String MAPPING_OBJECT_CONFIG = FieldMapping.MAPPING_OBJECT_CONFIG;
    public static final String DIRECTION_CONFIG = "direction";
    public static final String UNLISTED_CONFIG = "unlisted";

    public static final ConfigDef CONFIG_DEF = MappingSettings.define(
                    new ConfigDef(),
                    "Which object's rules to apply; may be empty when the mapping describes a single object.")
            .define(
                    DIRECTION_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.CaseInsensitiveValidString.in("a_to_b", "b_to_a"),
                    ConfigDef.Importance.HIGH,
                    "The direction this connector carries.")
            .define(
                    UNLISTED_CONFIG,
                    ConfigDef.Type.STRING,
                    "drop",
                    ConfigDef.CaseInsensitiveValidString.in("drop", "keep"),
                    ConfigDef.Importance.MEDIUM,
                    "What to do with fields that have no rule.");

    private static final String NAME = "FieldDirection";

    private Map<String, DirectionRule> rules;
    private Direction direction;
    private boolean keepUnlisted;
    private final SchemaCache<Bound> bound = new SchemaCache<>();

    protected FieldDirection(boolean onKey) {
        super(onKey);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        MappingDocument doc = MappingSettings.document(config);
        ObjectSpec object = MappingSettings.object(doc, config);
        if (object.rules().isEmpty()) {
            throw new ConfigException(
                    MAPPING_OBJECT_CONFIG,
                    object.name(),
                    "the mapping " + doc.source() + " has no 'rules' for this object");
        }
        rules = object.rules();
        direction = Direction.parse(DIRECTION_CONFIG, config.getString(DIRECTION_CONFIG));
        keepUnlisted = config.getString(UNLISTED_CONFIG).equalsIgnoreCase("keep");
    }

    boolean allowed(String field) {
        DirectionRule rule = rules.get(field);
        return rule == null ? keepUnlisted : rule.allows(direction);
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
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getKey() instanceof String name && allowed(name)) {
                    out.put(name, e.getValue());
                }
            }
            return newRecord(record, null, out);
        }
        if (!(value instanceof Struct struct)) {
            throw new DataException(NAME + ": the " + part() + " is a "
                    + value.getClass().getSimpleName() + " with a " + schema.type() + " schema; expected a Struct");
        }
        Bound b = bound.get(schema, Bound::new);
        Struct out = new Struct(b.output);
        Object[] direct = Structs.values(out);
        for (int i = 0; i < b.in.length; i++) {
            Object v = struct.get(b.in[i]);
            if (v != null) {
                if (direct != null) {
                    direct[b.out[i].index()] = v;
                } else {
                    out.put(b.out[i], v);
                }
            }
        }
        return newRecord(record, b.output, out);
    }

    private final class Bound {
        final Schema output;
        final Field[] in;
        final Field[] out;

        Bound(Schema input) {
            if (input.type() != Schema.Type.STRUCT) {
                throw new DataException(
                        NAME + ": the " + part() + " schema is " + input.type() + ", expected a STRUCT");
            }
            SchemaBuilder builder = Schemas.structLike(input);
            List<Field> kept = new ArrayList<>();
            for (Field f : input.fields()) {
                if (allowed(f.name())) {
                    builder.field(f.name(), f.schema());
                    kept.add(f);
                }
            }
            output = builder.build();
            in = kept.toArray(new Field[0]);
            out = new Field[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = output.field(in[i].name());
            }
        }
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Filters the fields of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldDirection<R> {
        public Key() {
            super(true);
        }
    }

    /** Filters the fields of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldDirection<R> {
        public Value() {
            super(false);
        }
    }
}
