package io.crmconnect.dynamics.source;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.dynamics.client.DynamicsApiException;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsRetriableException;
import io.crmconnect.dynamics.connection.DynamicsConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tables assigned to this task, one page per {@link #poll()}, round-robin among those with work due.
 * Transient Dataverse failures become {@link RetriableException}s after the client's retry budget (the task stays
 * RUNNING and the page is read again); permanent ones fail the task with what to change.
 */
public class DynamicsSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicsSourceTask.class);
    private DynamicsClient client;
    private final List<TableStream> streams = new ArrayList<>();
    private SourceMetrics metrics;
    private int next;
    private volatile boolean stopping;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        DynamicsSourceConfig config = new DynamicsSourceConfig(props);
        DynamicsConnection conn = config.connection();
        int tasks = Math.max(1, config.getInt(DynamicsSourceConfig.TASK_COUNT));
        client = conn.client(tasks);
        metrics = new SourceMetrics(RuntimeSupport.pluginMetrics(context), client.budget());
        List<String> tables = config.getList(DynamicsSourceConfig.TASK_TABLES);
        if (tables.isEmpty()) {
            tables = config.tables();
        }
        for (String t : tables) {
            streams.add(new TableStream(t.trim(), client, config, metrics, conn.environmentHost()));
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        streams.forEach(s -> parts.addAll(s.partitions()));
        Map<Map<String, Object>, Map<String, Object>> offsets =
                new HashMap<>(context.offsetStorageReader().offsets(parts));
        offsets.values().removeIf(Objects::isNull);
        try {
            for (TableStream s : streams) {
                s.start(offsets);
            }
        } catch (DynamicsRetriableException e) {
            throw new RetriableException("Dynamics 365 unreachable while starting: " + e.getMessage(), e);
        } catch (DynamicsApiException e) {
            throw new ConnectException(actionable("starting", e), e);
        }
        LOG.info(
                "Dynamics source task started: {} table(s), budget {} requests/s, {} ms execution/s, {} concurrent",
                streams.size(),
                Math.round(client.budget().requestsPerSecond() * 10) / 10.0,
                Math.round(client.budget().executionMillisPerSecond()),
                client.budget().concurrency());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (streams.isEmpty()) {
            Thread.sleep(1_000);
            return null;
        }
        long now = System.currentTimeMillis();
        TableStream chosen = null;
        for (int i = 0; i < streams.size(); i++) {
            TableStream s = streams.get((next + i) % streams.size());
            if (s.nextDue() <= now) {
                chosen = s;
                next = (streams.indexOf(s) + 1) % streams.size();
                break;
            }
        }
        if (chosen == null) {
            long due = Long.MAX_VALUE;
            for (TableStream s : streams) {
                due = Math.min(due, s.nextDue());
            }
            Thread.sleep(Math.max(10, Math.min(500, due - now)));
            return null;
        }
        try {
            List<SourceRecord> out = chosen.step(now);
            return out.isEmpty() ? null : out;
        } catch (DynamicsRetriableException e) {
            LOG.warn("Dynamics {}: transient failure, the page is read again: {}", chosen.name(), e.getMessage());
            if (e.retryAfterMillis() > 0 && !stopping) {
                Thread.sleep(Math.min(e.retryAfterMillis(), 5_000));
            }
            throw new RetriableException(e.getMessage(), e);
        } catch (DynamicsApiException e) {
            throw new ConnectException(actionable(chosen.name(), e), e);
        }
    }

    /** A first line that says what to change (Kafka UI shows only that line of a failed task). */
    static String actionable(String what, DynamicsApiException e) {
        String fix = e.isAuthentication()
                ? " — check dynamics.tenant.id, dynamics.client.id and "
                        + "dynamics.client.secret, and that the app has an application user in the environment"
                : e.isPrivilege()
                        ? " — give the application user's security role organization-level read on the table"
                        : "";
        return "Dynamics 365 " + what + ": " + e.getMessage() + fix;
    }

    List<TableStream> streams() {
        return streams;
    }

    SourceMetrics metrics() {
        return metrics;
    }

    @Override
    public void stop() {
        stopping = true;
        for (TableStream s : streams) {
            s.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
