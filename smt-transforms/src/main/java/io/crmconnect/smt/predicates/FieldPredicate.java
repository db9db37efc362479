package io.crmconnect.smt.predicates;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.smt.util.FieldPath;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Base of the predicates that look at one field (dotted path) of the record key or value, with or without a
 * schema. A missing field, a tombstone, or a key/value that is not a Struct or Map reads as null; predicates never
 * fail a record.
 */
public abstract class FieldPredicate<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {
    public static final String FIELD_CONFIG = "field";

    private final boolean onKey;
    protected FieldPath field;

    protected FieldPredicate(boolean onKey) {
        this.onKey = onKey;
    }

    static ConfigDef base() {
        return new ConfigDef()
                .define(
                        FIELD_CONFIG,
                        ConfigDef.Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        ConfigDef.Importance.HIGH,
                        "The field to test; a dotted path (a.b.c) reaches into nested structs and maps.");
    }

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(config(), configs);
        try {
            field = FieldPath.parse(config.getString(FIELD_CONFIG));
        } catch (ConfigException e) {
            throw new ConfigException(FIELD_CONFIG, config.getString(FIELD_CONFIG), e.getMessage());
        }
        configure(config);
    }

    protected abstract void configure(AbstractConfig config);

    protected abstract boolean test(Object fieldValue);

    @Override
    public boolean test(R record) {
        Object root = onKey ? record.key() : record.value();
        return test(root == null ? null : field.get(root));
    }

    /** Text form used for comparisons: strings as is, byte arrays as UTF-8, other values by toString(). */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return value.toString();
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void close() {}
}
