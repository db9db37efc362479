package io.crmconnect.smt.predicates;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;

/** True when a field's text form matches a regular expression (whole value). */
public abstract class FieldMatches<R extends ConnectRecord<R>> extends FieldPredicate<R> {
    public static final String OVERVIEW_DOC = "True when the field's value, in text form, matches the Java regular "
            + "expression as a whole (use .* for a partial match). A missing or null field never matches.";
    public static final String PATTERN_CONFIG = "pattern";

    public static final ConfigDef CONFIG_DEF = base().define(
                    PATTERN_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new RegexValidator(),
                    ConfigDef.Importance.HIGH,
                    "The Java regular expression the whole value must match.");

    /** Compiles the pattern at validation time so a bad regex is reported against its key. */
    static final class RegexValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                throw new ConfigException(name, null, "a regular expression is required");
            }
            try {
                Pattern.compile(value.toString());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(name, value, "not a valid regular expression: " + e.getDescription());
            }
        }

        @Override
        public String toString() {
            return "a Java regular expression";
        }
    }

    private Pattern pattern;

    protected FieldMatches(boolean onKey) {
        super(onKey);
    }

    @Override
    protected void configure(AbstractConfig config) {
        pattern = Pattern.compile(config.getString(PATTERN_CONFIG));
    }

    @Override
    protected boolean test(Object value) {
        String text = text(value);
        return text != null && pattern.matcher(text).matches();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    /** Tests a field of the record key. */
    public static final class Key<R extends ConnectRecord<R>> extends FieldMatches<R> {
        public Key() {
            super(true);
        }
    }

    /** Tests a field of the record value. */
    public static final class Value<R extends ConnectRecord<R>> extends FieldMatches<R> {
        public Value() {
            super(false);
        }
    }
}
