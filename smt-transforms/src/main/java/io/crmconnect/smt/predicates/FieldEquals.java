package io.crmconnect.smt.predicates;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

/** True when a field's text form equals a configured value. Use {@code FieldEquals$Value} or {@code $Key}. */
public abstract class FieldEquals<R extends ConnectRecord<R>> extends FieldPredicate<R> {
    public static final String OVERVIEW_DOC = "True when the field's value, in text form (numbers and booleans by "
            + "their usual text, bytes as UTF-8), equals the configured value. A missing or null field never equals.";
    public static final String VALUE_CONFIG = "value";
    public static final String IGNORE_CASE_CONFIG = "ignore.case";

    public static final ConfigDef CONFIG_DEF = base().define(
                    VALUE_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    ConfigDef.Importance.HIGH,
                    "The value to compare with.")
            .define(
                    IGNORE_CASE_CONFIG,
                    ConfigDef.Type.BOOLEAN,
                    false,
                    ConfigDef.Importance.LOW,
                    "Compare ignoring case.");

    private String expected;
    private boolean ignoreCase;

    protected FieldEquals(boolean onKey) {
        super(onKey);
    }

    @Override
    protected void configure(AbstractConfig config) {
        expected = config.getString(VALUE_CONFIG);
        ignoreCase = config.getBoolean(IGNORE_CASE_CONFIG);
    }

    @Override
    protected boolean test(Object value) {
        String text = text(value);
        return text != null && (ignoreCase ? text.equalsIgnoreCase(expected) : text.equals(expected));
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Tests a field of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldEquals<R> {
        public Key() {
            super(true);
        }
    }

    /** Tests a field of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldEquals<R> {
        public Value() {
            super(false);
        }
    }
}
