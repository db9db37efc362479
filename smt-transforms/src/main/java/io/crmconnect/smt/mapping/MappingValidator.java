package io.crmconnect.smt.mapping;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks a mapping (inline text or file) when a connector config is validated, so a broken mapping is reported
 * against its key by {@code PUT /connector-plugins/.../config/validate} and on connector creation, not later as a
 * FAILED task. It parses the whole document (syntax, keys, types, formats, time zones); choosing the object and
 * direction is checked when the transform is configured.
 */
public final class MappingValidator implements ConfigDef.Validator {
    private final boolean file;

    private MappingValidator(boolean file) {
        this.file = file;
    }

    public static MappingValidator inline() {
        return new MappingValidator(false);
    }

    public static MappingValidator file() {
        return new MappingValidator(true);
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
            return; // the pair inline/file is checked at configure()
        }
        String text = value.toString();
        MappingDocument doc;
        if (file) {
            Path path = Path.of(text.trim());
            if (!Files.isReadable(path)) {
                throw new ConfigException(
                        name, value, "the mapping file does not exist or is not readable on this " + "worker");
            }
            doc = MappingDocument.load("mapping", "", name, text);
        } else {
            doc = MappingDocument.parse(name, text);
        }
        for (ObjectSpec object : doc.objects().values()) {
            for (ObjectSpec.DirectionSpec spec : object.directions().values()) {
                MappingPlan.compile("FieldMapping", spec); // types, formats, zones, defaults, target clashes
            }
        }
    }

    @Override
    public String toString() {
        return file ? "path of a readable YAML or JSON mapping file" : "a JSON or YAML mapping";
    }
}
