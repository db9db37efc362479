package io.crmconnect.runner;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.runtime.isolation.PluginDiscoveryMode;

/**
 * The runner's own keys in a pipeline file. The connectors' keys are the ones users post to the Connect REST API:
 * in the files named by {@code source} / {@code sink}, or inline under the {@code source.} / {@code sink.} prefixes;
 * the optional transform chain between them uses Connect's {@code transforms} / {@code predicates} syntax.
 */
public final class PipelineConfig extends AbstractConfig {
    public static final String NAME = "name";
    public static final String SOURCE = "source";
    public static final String SINK = "sink";
    public static final String SOURCE_PREFIX = "source.";
    public static final String SINK_PREFIX = "sink.";
    public static final String PLUGIN_PATH = "plugin.path";
    public static final String PLUGIN_DISCOVERY = "plugin.discovery";
    public static final String STATE_DIR = "state.dir";
    public static final String OFFSETS_FILE = "offset.storage.file.filename";
    public static final String FLUSH_INTERVAL_MS = "offset.flush.interval.ms";
    public static final String DEAD_LETTER_FILE = "dead.letter.file";
    public static final String ONCE_IDLE_MS = "once.idle.ms";
    public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";
    public static final String BUFFER_MAX_RECORDS = "buffer.max.records";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final String CONFIG_PROVIDERS = "config.providers";

    private static final String GROUP_CONNECTORS = "Connectors";
    private static final String GROUP_STATE = "State";
    private static final String GROUP_RUN = "Run";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(
                    NAME,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "Name of the pipeline, used in progress lines, JMX names and the default state directory. "
                            + "Default: the pipeline file's name without extension.",
                    GROUP_CONNECTORS,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Pipeline name")
            .define(
                    SOURCE,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "File with the source connector's config, as posted to the Connect REST API: JSON "
                            + "({\"name\": ..., \"config\": {...}} or the config object alone) or .properties. "
                            + "Keys under 'source.' in this file are added to it (and win).",
                    GROUP_CONNECTORS,
                    2,
                    ConfigDef.Width.LONG,
                    "Source connector config file")
            .define(
                    SINK,
                    Type.STRING,
                    "",
                    Importance.HIGH,
                    "File with the sink connector's config, in the same formats; keys under 'sink.' are added.",
                    GROUP_CONNECTORS,
                    3,
                    ConfigDef.Width.LONG,
                    "Sink connector config file")
            .define(
                    PLUGIN_PATH,
                    Type.LIST,
                    "",
                    Importance.HIGH,
                    "Plugin directories, as on a worker's plugin.path; each plugin loads in its own classloader. "
                            + "Default: the plugins directory of the runner's distribution.",
                    GROUP_CONNECTORS,
                    4,
                    ConfigDef.Width.LONG,
                    "Plugin path")
            .define(
                    PLUGIN_DISCOVERY,
                    Type.STRING,
                    PluginDiscoveryMode.SERVICE_LOAD.name().toLowerCase(Locale.ROOT),
                    ConfigDef.CaseInsensitiveValidString.in(names()),
                    Importance.LOW,
                    "How plugins are found, as the worker's plugin.discovery. service_load is fast and needs "
                            + "META-INF/services manifests (ours ship them); hybrid_warn also scans older plugins.",
                    GROUP_CONNECTORS,
                    5,
                    ConfigDef.Width.SHORT,
                    "Plugin discovery")
            .define(
                    STATE_DIR,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Directory for the offsets file, dead letters, the log and the lock that keeps two runs of the "
                            + "same pipeline apart. Default: <pipeline file name>.state next to the pipeline file.",
                    GROUP_STATE,
                    1,
                    ConfigDef.Width.LONG,
                    "State directory")
            .define(
                    OFFSETS_FILE,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Source offsets file. Default: offsets.json in the state directory.",
                    GROUP_STATE,
                    2,
                    ConfigDef.Width.LONG,
                    "Offsets file")
            .define(
                    DEAD_LETTER_FILE,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "JSON-lines file for the sink's dead letters (when the sink config names a dead-letter topic "
                            + "or enables errors.log.enable, as a worker requires). Default: "
                            + "dead-letters/<errors.deadletterqueue.topic.name>.jsonl in the state directory.",
                    GROUP_STATE,
                    3,
                    ConfigDef.Width.LONG,
                    "Dead-letter file")
            .define(
                    FLUSH_INTERVAL_MS,
                    Type.LONG,
                    5_000L,
                    ConfigDef.Range.atLeast(100),
                    Importance.MEDIUM,
                    "How often the sink task's preCommit is called and confirmed source offsets are committed (the "
                            + "worker key of the same name; the worker's default is 60000). After a crash at most "
                            + "this much is read and written again.",
                    GROUP_RUN,
                    1,
                    ConfigDef.Width.SHORT,
                    "Commit interval")
            .define(
                    BUFFER_MAX_RECORDS,
                    Type.INT,
                    20_000,
                    ConfigDef.Range.atLeast(1),
                    Importance.LOW,
                    "Records polled but not yet committed that the runner holds in memory; the source waits "
                            + "while this many are pending.",
                    GROUP_RUN,
                    2,
                    ConfigDef.Width.SHORT,
                    "Buffer size")
            .define(
                    ONCE_IDLE_MS,
                    Type.LONG,
                    15_000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM,
                    "With --once: the source counts as caught up when its initial load is done and it has "
                            + "returned no record for this long; longer than the source's poll interval.",
                    GROUP_RUN,
                    3,
                    ConfigDef.Width.SHORT,
                    "Caught-up idle time")
            .define(
                    PROGRESS_INTERVAL_MS,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "How often a progress line is printed; 0 prints only the last one.",
                    GROUP_RUN,
                    4,
                    ConfigDef.Width.SHORT,
                    "Progress interval")
            .define(
                    SHUTDOWN_TIMEOUT_MS,
                    Type.LONG,
                    30_000L,
                    ConfigDef.Range.atLeast(1_000),
                    Importance.LOW,
                    "How long a stop may take to write what was polled and commit it.",
                    GROUP_RUN,
                    5,
                    ConfigDef.Width.SHORT,
                    "Shutdown timeout")
            .define(
                    CONFIG_PROVIDERS,
                    Type.LIST,
                    "",
                    Importance.LOW,
                    "Config providers for ${provider:path:key} references in the connector configs, declared as on a "
                            + "worker (config.providers.<name>.class, config.providers.<name>.param.*).",
                    GROUP_RUN,
                    6,
                    ConfigDef.Width.LONG,
                    "Config providers");

    private final Path file;

    public PipelineConfig(Path file, Map<String, String> props) {
        super(CONFIG, props, false);
        this.file = file;
    }

    private static String[] names() {
        PluginDiscoveryMode[] modes = PluginDiscoveryMode.values();
        String[] out = new String[modes.length];
        for (int i = 0; i < modes.length; i++) {
            out[i] = modes[i].name().toLowerCase(Locale.ROOT);
        }
        return out;
    }

    /** The pipeline file. */
    public Path file() {
        return file;
    }

    public String name() {
        String n = getString(NAME);
        if (!n.isBlank()) {
            return n;
        }
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** A path from this file, relative to the pipeline file's directory. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p;
        }
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    public Path stateDir() {
        String s = getString(STATE_DIR);
        return s.isBlank() ? resolve(name() + ".state") : resolve(s);
    }

    public Path offsetsFile() {
        String s = getString(OFFSETS_FILE);
        return s.isBlank() ? stateDir().resolve("offsets.json") : resolve(s);
    }

    /** The dead-letter file for a sink whose config names this dead-letter topic (may be empty). */
    public Path deadLetterFile(String dlqTopic) {
        String s = getString(DEAD_LETTER_FILE);
        if (!s.isBlank()) {
            return resolve(s);
        }
        return stateDir().resolve("dead-letters").resolve((dlqTopic.isBlank() ? "dead-letters" : dlqTopic) + ".jsonl");
    }

    /** The plugin path; when unset, the default the launcher passes in. */
    public List<String> pluginPath(List<String> defaultPath) {
        List<String> configured = getList(PLUGIN_PATH);
        if (configured.isEmpty()) {
            return defaultPath;
        }
        return configured.stream().map(p -> resolve(p).toString()).toList();
    }

    public String pluginDiscovery() {
        return getString(PLUGIN_DISCOVERY).toLowerCase(Locale.ROOT);
    }
}
