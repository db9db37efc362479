package io.crmconnect.smt.mapping;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigException;

/** The two directions of a sync between system A and system B, as named in mapping files. */
public enum Direction {
    A_TO_B,
    B_TO_A;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction parse(String key, String value) {
        if (value != null) {
            for (Direction d : values()) {
                if (d.configName().equalsIgnoreCase(value.trim())) {
                    return d;
                }
            }
        }
        throw new ConfigException(key, value, "must be one of a_to_b, b_to_a");
    }
}
