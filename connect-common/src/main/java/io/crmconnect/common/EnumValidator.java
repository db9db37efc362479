package io.crmconnect.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Validates and recommends a config value naming a constant of an enum: the constant's name in lower case
 * ({@code RECORD_KEY} is written {@code record_key}), accepted in any case. {@link #parse} turns the value back into
 * the constant. Every plugin's enumerated modes use it, so they read and fail alike.
 */
public final class EnumValidator implements ConfigDef.Validator, ConfigDef.Recommender {
    private final List<String> values;

    public EnumValidator(Class<? extends Enum<?>> type) {
        this.values = Arrays.stream(type.getEnumConstants())
                .map(EnumValidator::configName)
                .toList();
    }

    /** The config spelling of a constant: its name in lower case. */
    public static String configName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** The constant a (valid) config value names, case-insensitively. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || !values.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new ConfigException(name, value, "must be one of " + values);
        }
    }

    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return new ArrayList<>(values);
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return true;
    }

    @Override
    public String toString() {
        return String.join(", ", values) + " (case-insensitive)";
    }
}
