package io.crmconnect.common.connector;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The steps every connector's {@code validate()} shares: static checks first (live checks need a valid
 * configuration), a problem reported on the key it concerns, and live checks bounded in time so that the Connect
 * REST call answers even when the remote system does not.
 */
public final class LiveValidation {
    private static final String NAMED_BY = "for configuration ";

    private LiveValidation() {}

    /** The values of a validation result by config key. */
    public static Map<String, ConfigValue> byKey(Config result) {
        Map<String, ConfigValue> byKey = new HashMap<>();
        result.configValues().forEach(v -> byKey.put(v.name(), v));
        return byKey;
    }

    /** Whether any of the plugin's own keys already has an error (then live checks are skipped). */
    public static boolean hasStaticErrors(Config result, ConfigDef def) {
        return result.configValues().stream()
                .anyMatch(v -> !v.errorMessages().isEmpty() && def.names().contains(v.name()));
    }

    /**
     * The key a {@link ConfigException} names ("Invalid value x for configuration KEY: ..."), or {@code fallbackKey}
     * when it names none of {@code byKey}'s keys; cross-field checks in config constructors name their key this way.
     */
    public static String keyOf(ConfigException e, Map<String, ConfigValue> byKey, String fallbackKey) {
        String message = e.getMessage();
        int i = message == null ? -1 : message.indexOf(NAMED_BY);
        if (i < 0) {
            return fallbackKey;
        }
        String rest = message.substring(i + NAMED_BY.length());
        int end = rest.indexOf(' ');
        String key = end < 0 ? rest : rest.substring(0, end);
        key = key.endsWith(":") ? key.substring(0, key.length() - 1) : key;
        return byKey.containsKey(key) ? key : fallbackKey;
    }

    /** Reports a configuration that failed to build on the key its message names, else on {@code fallbackKey}. */
    public static void report(ConfigException e, Map<String, ConfigValue> byKey, String fallbackKey) {
        byKey.get(keyOf(e, byKey, fallbackKey)).addErrorMessage(e.getMessage());
    }

    /**
     * Runs {@code checks} on a daemon thread for at most {@code limit}; when it does not finish in time or throws,
     * {@code onProblem} gets one sentence saying so (the caller reports it on its endpoint key). The thread is
     * interrupted on timeout; a client that ignores interrupts is left to finish on its own, as a daemon.
     */
    public static void bounded(
            String system, String threadName, Duration limit, Runnable checks, Consumer<String> onProblem) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> done = executor.submit(checks);
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            onProblem.accept(system + " did not answer within " + seconds(limit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onProblem.accept("Validation was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            onProblem.accept(system + " check failed: " + cause.getMessage());
        } finally {
            executor.shutdownNow();
        }
    }

    private static String seconds(Duration limit) {
        long ms = limit.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
