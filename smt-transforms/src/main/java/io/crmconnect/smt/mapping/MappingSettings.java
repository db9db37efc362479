package io.crmconnect.smt.mapping;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The settings that say where a mapping is (inline or a file) and which of its objects to use. Every transform that
 * reads a mapping defines and reads them here, so they are spelled, documented and validated alike.
 */
public final class MappingSettings {
    public static final String MAPPING_CONFIG = "mapping";
    public static final String MAPPING_FILE_CONFIG = "mapping.file";
    public static final String MAPPING_OBJECT_CONFIG = "mapping.object";

    private MappingSettings() {}

    /** Adds the three settings to {@code def}; {@code objectDoc} says what the chosen object is used for. */
    public static ConfigDef define(ConfigDef def, String objectDoc) {
        return def.define(
                        MAPPING_CONFIG,
                        ConfigDef.Type.STRING,
                        "",
                        MappingValidator.inline(),
                        ConfigDef.Importance.HIGH,
                        "The mapping inline, as JSON (or YAML). Set this or " + MAPPING_FILE_CONFIG + ".")
                .define(
                        MAPPING_FILE_CONFIG,
                        ConfigDef.Type.STRING,
                        "",
                        MappingValidator.file(),
                        ConfigDef.Importance.HIGH,
                        "Path of a mapping file (.yaml, .yml or .json) readable by every worker. Set this or "
                                + MAPPING_CONFIG + ".")
                .define(MAPPING_OBJECT_CONFIG, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM, objectDoc);
    }

    /** The mapping the settings point at, parsed; problems are ConfigExceptions on the key concerned. */
    public static MappingDocument document(AbstractConfig config) {
        return MappingDocument.load(
                MAPPING_CONFIG,
                config.getString(MAPPING_CONFIG),
                MAPPING_FILE_CONFIG,
                config.getString(MAPPING_FILE_CONFIG));
    }

    /** The object of {@code doc} that {@code mapping.object} chooses. */
    public static ObjectSpec object(MappingDocument doc, AbstractConfig config) {
        return doc.object(MAPPING_OBJECT_CONFIG, config.getString(MAPPING_OBJECT_CONFIG));
    }
}
