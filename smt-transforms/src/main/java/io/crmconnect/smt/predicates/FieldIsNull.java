package io.crmconnect.smt.predicates;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;

/** True when a field is null or absent (including on tombstones). */
public abstract class FieldIsNull<R extends ConnectRecord<R>> extends FieldPredicate<R> {
    public static final String OVERVIEW_DOC = "True when the field is null or absent, including when the whole key "
            + "or value is null (a tombstone). Optionally blank text counts as null.";
    public static final String BLANK_IS_NULL_CONFIG = "blank.is.null";

    public static final ConfigDef CONFIG_DEF = base().define(
                    BLANK_IS_NULL_CONFIG,
                    ConfigDef.Type.BOOLEAN,
                    false,
                    ConfigDef.Importance.LOW,
                    "Treat empty or whitespace-only text as null.");

    private boolean blankIsNull;

    protected FieldIsNull(boolean onKey) {
        super(onKey);
    }

    @Override
    protected void configure(AbstractConfig config) {
        blankIsNull = config.getBoolean(BLANK_IS_NULL_CONFIG);
    }

    @Override
    protected boolean test(Object value) {
        return value == null || blankIsNull && value instanceof String s && s.isBlank();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Tests a field of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldIsNull<R> {
        public Key() {
            super(true);
        }
    }

    /** Tests a field of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldIsNull<R> {
        public Value() {
            super(false);
        }
    }
}
