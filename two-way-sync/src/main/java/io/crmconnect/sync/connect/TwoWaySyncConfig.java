package io.crmconnect.sync.connect;

import io.crmconnect.sync.mapping.ObjectMapping;
import io.crmconnect.sync.mapping.Side;
import io.crmconnect.sync.mapping.SyncMapping;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/** The configuration of both sync transforms: the mapping, the object, and the connection of the side they read. */
final class TwoWaySyncConfig extends AbstractConfig {
    static final String MAPPING = "sync.mapping";
    static final String MAPPING_FILE = "sync.mapping.file";
    static final String OBJECT = "sync.object";
    static final String AUDIT_TOPIC = "sync.audit.topic";
    static final String AUDIT_BOOTSTRAP = "sync.audit.bootstrap.servers";
    static final String AUDIT_PRODUCER_PREFIX = "sync.audit.producer.";
    static final String REPLAN_MAX = "sync.replan.max.rounds";
    static final String GROUP = "Sync rules";

    TwoWaySyncConfig(ConfigDef def, Map<?, ?> props) {
        super(def, props);
    }

    /** Adds the mapping keys to {@code d}. */
    static ConfigDef defineMapping(ConfigDef d) {
        int o = 0;
        d.define(
                MAPPING,
                Type.STRING,
                "",
                Importance.HIGH,
                "The mapping inline (YAML or JSON): objects with, per "
                        + "side, the object/table, the link and state properties, the match key and the integration user, "
                        + "and per field the HubSpot property, the Dynamics 365 column, direction (hubspot_to_d365, "
                        + "d365_to_hubspot, both, none), merge (overwrite, fill_if_missing), conflict "
                        + "(source_of_truth:hubspot|dynamics, most_recent_wins) and values. Use the same mapping in both "
                        + "directions' transforms.",
                GROUP,
                ++o,
                Width.LONG,
                "Mapping");
        d.define(
                MAPPING_FILE,
                Type.STRING,
                "",
                Importance.HIGH,
                "Or a path to the mapping file (.yaml, .yml, " + ".json) readable on every worker.",
                GROUP,
                ++o,
                Width.LONG,
                "Mapping file");
        d.define(
                OBJECT,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Which object of the mapping this pipeline syncs (may " + "be empty when the mapping has one).",
                GROUP,
                ++o,
                Width.SHORT,
                "Object");
        d.define(
                AUDIT_TOPIC,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Topic that receives one JSON event per sync "
                        + "decision (direction, object, record ids, outcome write/echo/nothing/rejected, error code, fields "
                        + "written, conflicts and their winner, timings; ids and field names only). Empty = no audit events. "
                        + "The JDBC sink can keep it in a table.",
                GROUP,
                ++o,
                Width.MEDIUM,
                "Audit topic");
        d.define(
                AUDIT_BOOTSTRAP,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Kafka bootstrap servers of the audit topic "
                        + "(usually the worker's). Other producer settings: sync.audit.producer.*.",
                GROUP,
                ++o,
                Width.LONG,
                "Audit bootstrap servers");
        d.define(
                REPLAN_MAX,
                Type.INT,
                20,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "How many times the sink may refuse the writes planned for one change because the other record "
                        + "changed after the plan (each time the change is planned again) before the change goes to "
                        + "the dead-letter topic as TARGET_KEEPS_CHANGING: a record that something rewrites after "
                        + "every write would otherwise keep the change going round.",
                GROUP,
                ++o,
                Width.SHORT,
                "Most rounds of planning again");
        return d;
    }

    int replanMaxRounds() {
        return getInt(REPLAN_MAX);
    }

    /** The audit log, null when no audit topic is set. */
    AuditLog auditLog(String object, Side from) {
        String topic = getString(AUDIT_TOPIC).trim();
        if (topic.isEmpty()) {
            return null;
        }
        String servers = getString(AUDIT_BOOTSTRAP).trim();
        if (servers.isEmpty()) {
            throw new ConfigException(AUDIT_BOOTSTRAP, "", "required when " + AUDIT_TOPIC + " is set");
        }
        Map<String, Object> p = new HashMap<>(originalsWithPrefix(AUDIT_PRODUCER_PREFIX));
        p.put("bootstrap.servers", servers);
        return new AuditLog(topic, p, object, from);
    }

    /** The object of the mapping; a ConfigException naming the key when it is wrong. */
    ObjectMapping object() {
        String inline = getString(MAPPING).trim();
        String file = getString(MAPPING_FILE).trim();
        if (inline.isEmpty() == file.isEmpty()) {
            throw new ConfigException(MAPPING, "[inline]", "set exactly one of " + MAPPING + " and " + MAPPING_FILE);
        }
        String key = inline.isEmpty() ? MAPPING_FILE : MAPPING;
        try {
            SyncMapping sm = inline.isEmpty() ? SyncMapping.parseFile(Path.of(file)) : SyncMapping.parse(inline);
            return sm.object(getString(OBJECT).trim());
        } catch (SyncMapping.MappingException e) {
            throw new ConfigException(key, inline.isEmpty() ? file : "[inline]", e.getMessage());
        }
    }
}
