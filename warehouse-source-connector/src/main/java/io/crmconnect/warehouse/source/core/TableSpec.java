package io.crmconnect.warehouse.source.core;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;

/**
 * A configured table: its name as the warehouse knows it, its business key and optional watermark column, parsed
 * from an entry {@code name:key1+key2@watermark_column}.
 */
public record TableSpec(String name, List<String> keyColumns, String watermarkColumn) {
    public static TableSpec parse(String configKey, String entry) {
        String e = entry.trim();
        int colon = e.lastIndexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
            throw new ConfigException(
                    configKey,
                    entry,
                    "each entry must be table:key_column (composite keys "
                            + "key1+key2, optional @watermark_column), e.g. ANALYTICS.PUBLIC.USERS:ID@UPDATED_AT");
        }
        String name = e.substring(0, colon).trim();
        String rest = e.substring(colon + 1).trim();
        String wm = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            wm = rest.substring(at + 1).trim();
            rest = rest.substring(0, at).trim();
            if (wm.isEmpty()) {
                throw new ConfigException(configKey, entry, "the watermark column after @ is empty");
            }
        }
        List<String> keys = new ArrayList<>();
        for (String k : rest.split("\\+")) {
            if (k.isBlank()) {
                throw new ConfigException(configKey, entry, "empty key column");
            }
            keys.add(k.trim());
        }
        return new TableSpec(name, List.copyOf(keys), wm);
    }

    /** The last dot-separated part of the name (USERS of DB.PUBLIC.USERS), for topic names. */
    public String shortName() {
        return name.substring(name.lastIndexOf('.') + 1).replace("`", "");
    }
}
