package io.crmconnect.common;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a plugin's ConfigDef as Markdown, grouped as in the ConfigDef, so the published reference is generated
 * from the same definitions that validate a config and cannot drift from the code.
 */
public final class ConfigDocs {
    private static final Pattern OBJECT_TO_STRING = Pattern.compile("[\\w.$/]+@[0-9a-f]+");

    private ConfigDocs() {}

    public static String markdown(String title, String overview, ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        if (overview != null && !overview.isBlank()) {
            out.append(overview.strip()).append("\n\n");
        }
        String group = null;
        for (ConfigDef.ConfigKey key : ordered(def)) {
            String keyGroup = key.group == null ? "General" : key.group;
            if (!keyGroup.equals(group)) {
                group = keyGroup;
                out.append("## ").append(group).append("\n\n");
            }
            out.append("### `").append(key.name).append("`\n\n");
            if (key.documentation != null) {
                out.append(key.documentation.strip()).append("\n\n");
            }
            out.append("- Type: ")
                    .append(key.type.name().toLowerCase(Locale.ROOT))
                    .append('\n');
            out.append("- Default: ").append(defaultText(key)).append('\n');
            if (key.validator != null) {
                String valid = key.validator.toString();
                if (OBJECT_TO_STRING.matcher(valid).matches()) {
                    // A validator without toString() would print a class name and hash that change every run.
                    throw new IllegalStateException("The validator of config key '" + key.name
                            + "' has no toString(): give it one that says what values are valid");
                }
                out.append("- Valid values: ").append(valid).append('\n');
            }
            out.append("- Importance: ")
                    .append(key.importance.name().toLowerCase(Locale.ROOT))
                    .append("\n\n");
        }
        return out.toString();
    }

    /** Groups in declaration order, then order in group, then name; ungrouped keys last; internal keys left out. */
    static List<ConfigDef.ConfigKey> ordered(ConfigDef def) {
        List<String> groups = def.groups();
        // internal keys (defineInternal) are what a connector hands its tasks, not settings for users
        return def.configKeys().values().stream()
                .filter(k -> !k.internalConfig)
                .sorted(Comparator.<ConfigDef.ConfigKey>comparingInt(
                                k -> k.group == null ? Integer.MAX_VALUE : groups.indexOf(k.group))
                        .thenComparingInt(k -> k.orderInGroup)
                        .thenComparing(k -> k.name))
                .toList();
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return key.defaultValue == null ? "none" : "[hidden]";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text == null ? "none" : text.isEmpty() ? "\"\"" : "`" + text + "`";
    }
}
