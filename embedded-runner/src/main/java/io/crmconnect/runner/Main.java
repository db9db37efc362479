package io.crmconnect.runner;

import io.crmconnect.runner.offsets.OffsetFile;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.logging.log4j.LogManager;

/**
 * {@code crm-connect run pipeline.properties [--once]}: the command line. Parses arguments, points the log file at
 * the pipeline's state directory, runs the pipeline and turns its outcome into the exit status.
 */
public final class Main {
    static final String HOME_PROPERTY = "crmconnect.runner.home";
    static final String LOG_FILE_PROPERTY = "crmconnect.runner.log.file";

    private static final String USAGE = String.join(
            "\n",
            "Usage: crm-connect run <pipeline.properties> [--once] [--plugin-path DIR[,DIR...]]",
            "       crm-connect offsets <pipeline.properties>",
            "",
            "  run      runs the source connector and delivers to the sink connector in this process, until",
            "           stopped (SIGTERM/Ctrl-C commits what was written, then exits 0)",
            "  --once   stops with exit 0 once the initial load is done or the source has caught up (for cron)",
            "  offsets  prints the committed source offsets in the Connect REST API's offsets format",
            "",
            "Exit status: 0 ok, 2 usage, 3 invalid config or plugin not installed, 4 already running,",
            "             5 source failed, 6 sink failed, 7 offsets unreadable/unwritable, 8 --once interrupted,",
            "             1 unexpected error (see the log in the state directory)");

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream console) {
        List<String> rest = new ArrayList<>();
        boolean once = false;
        String pluginPath = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> once = true;
                case "--plugin-path" -> {
                    if (i + 1 >= args.length) {
                        return usage(console, "--plugin-path needs a value");
                    }
                    pluginPath = args[++i];
                }
                case "-h", "--help" -> {
                    console.println(USAGE);
                    return ExitCode.OK.status();
                }
                default -> rest.add(args[i]);
            }
        }
        if (rest.size() != 2 || !(rest.get(0).equals("run") || rest.get(0).equals("offsets"))) {
            return usage(console, "expected a command (run or offsets) and a pipeline file");
        }
        Path file = Path.of(rest.get(1));
        Map<String, String> props;
        try {
            props = readProperties(file);
        } catch (IOException e) {
            console.println("Cannot read " + file + ": " + e.getMessage());
            return ExitCode.CONFIG.status();
        }
        if (pluginPath != null) {
            props.put(PipelineConfig.PLUGIN_PATH, pluginPath);
        }
        // before the first logger: the log file lives in the pipeline's state directory
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(
                    LOG_FILE_PROPERTY,
                    stateDirBeforeLogging(file, props).resolve("runner.log").toString());
        }
        try {
            PipelineConfig config = new PipelineConfig(file, props);
            if (rest.get(0).equals("offsets")) {
                console.println(OffsetFile.describe(config.offsetsFile()));
                return ExitCode.OK.status();
            }
            Pipeline pipeline = new Pipeline(config, props, new Pipeline.Options(once, defaultPluginPath(), console));
            // a signal: stop, commit what was written, and exit with the run's own status (not 128+signal)
            Thread hook = new Thread(
                    () -> {
                        pipeline.stopAndWait();
                        ExitCode code = pipeline.exitCode();
                        console.flush();
                        LogManager.shutdown();
                        Runtime.getRuntime().halt((code == null ? ExitCode.INTERRUPTED : code).status());
                    },
                    "crm-connect-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ExitCode code = pipeline.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            return code.status();
        } catch (PipelineException e) {
            console.println(e.getMessage());
            return e.code().status();
        } catch (ConfigException e) {
            console.println("Invalid pipeline file " + file + ": " + e.getMessage());
            return ExitCode.CONFIG.status();
        } catch (RuntimeException e) {
            console.println("Unexpected error: " + e);
            e.printStackTrace(console);
            return ExitCode.INTERNAL.status();
        }
    }

    private static int usage(PrintStream console, String problem) {
        console.println(problem);
        console.println(USAGE);
        return ExitCode.USAGE.status();
    }

    static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** The state directory as PipelineConfig computes it, without touching classes that log. */
    private static Path stateDirBeforeLogging(Path file, Map<String, String> props) {
        String name = props.getOrDefault(PipelineConfig.NAME, "");
        if (name.isBlank()) {
            String f = file.getFileName().toString();
            int dot = f.lastIndexOf('.');
            name = dot > 0 ? f.substring(0, dot) : f;
        }
        String dir = props.getOrDefault(PipelineConfig.STATE_DIR, "");
        Path base = file.toAbsolutePath().getParent();
        Path state = dir.isBlank() ? base.resolve(name + ".state") : base.resolve(dir);
        return state.normalize();
    }

    /** The plugins directory of the distribution this jar belongs to (home/lib/runner.jar -> home/plugins). */
    static List<String> defaultPluginPath() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            try {
                Path jar = Path.of(Main.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                Path dir = jar.getParent();
                home = dir != null
                                && dir.getFileName() != null
                                && dir.getFileName().toString().equals("lib")
                        ? dir.getParent().toString()
                        : String.valueOf(dir);
            } catch (URISyntaxException | RuntimeException e) {
                home = ".";
            }
        }
        return List.of(Path.of(home, "plugins").toString());
    }
}
