package io.crmconnect.smt.predicates;

import io.crmconnect.common.PluginVersion;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/** True when the last header with a given name has a given value (text form). */
public class HeaderEquals<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {
    public static final String OVERVIEW_DOC = "True when the record's last header with the given name has the given "
            + "value in text form (strings as is, bytes as UTF-8, other values by toString()). False when the "
            + "header is absent or null.";
    public static final String HEADER_CONFIG = "header";
    public static final String VALUE_CONFIG = "value";
    public static final String IGNORE_CASE_CONFIG = "ignore.case";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    HEADER_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH,
                    "The header name.")
            .define(
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
                    "Compare values ignoring case.");

    private String header;
    private String expected;
    private boolean ignoreCase;

    @Override
    public void configure(Map<String, ?> configs) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, configs);
        header = config.getString(HEADER_CONFIG);
        expected = config.getString(VALUE_CONFIG);
        ignoreCase = config.getBoolean(IGNORE_CASE_CONFIG);
    }

    @Override
    public boolean test(R record) {
        Header h = record.headers().lastWithName(header);
        if (h == null) {
            return false;
        }
        String text = FieldPredicate.text(h.value());
        return text != null && (ignoreCase ? text.equalsIgnoreCase(expected) : text.equals(expected));
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void close() {}
}
