package io.crmconnect.hubspot.source;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.RateBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streams assigned to this task, one page per {@link #poll()}, round-robin among those with work due. A
 * stream whose next call the rate budget would hold (search at its 5/s limit, or general calls held after a 429) lets
 * a stream whose call may go now pass first, so searches go on while list calls are held and the other way round.
 *
 * <p>This thread never sleeps out a server's Retry-After: its calls retry for at most {@value #TASK_THREAD_RETRY_MS}
 * ms, and a call that still fails (or is asked to wait longer) defers only its stream's phase, which resumes on the
 * page that failed while the other streams and phases go on.
 */
public class HubSpotSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSourceTask.class);
    /** Retry budget of one call made by the task's thread (longer waits defer the phase instead). */
    static final long TASK_THREAD_RETRY_MS = 3_000;
    /** A stream's transient failures are logged at WARN at most this often (with a count), else at DEBUG. */
    private static final long FAILURE_LOG_INTERVAL_MS = 60_000;

    private HubSpotSourceConfig config;
    private HubSpotClient client;
    private HubSpotClient taskThreadClient;
    private final Map<String, long[]> failureLog = new HashMap<>();
    private final List<Stream> streams = new ArrayList<>();
    private SourceMetrics metrics;
    private int next;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new HubSpotSourceConfig(props);
        client =
                new HubSpotClientFactory(config.connection()).taskClient(config.getInt(HubSpotSourceConfig.TASK_COUNT));
        RateBudget budget = client.budget();
        Duration retry = config.connection().retryBudget();
        taskThreadClient = client.withBackoff(new Backoff(
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                50,
                Duration.ofMillis(Math.min(retry.toMillis(), TASK_THREAD_RETRY_MS))));
        metrics = new SourceMetrics(RuntimeSupport.pluginMetrics(context), budget);
        for (String s : config.getList(HubSpotSourceConfig.TASK_STREAMS)) {
            StreamId id;
            try {
                id = StreamId.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(HubSpotSourceConfig.TASK_STREAMS, s, e.getMessage());
            }
            streams.add(Streams.open(id, config, taskThreadClient, client, metrics));
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        streams.forEach(s -> parts.addAll(s.partitions()));
        Map<Map<String, Object>, Map<String, Object>> offsets =
                new HashMap<>(context.offsetStorageReader().offsets(parts));
        offsets.values().removeIf(Objects::isNull);
        for (Stream s : streams) {
            s.restore(offsets);
        }
        LOG.info(
                "HubSpot source task started with {} streams, budget {} requests/10 s, {} searches/s, {} requests/day",
                streams.size(),
                budget.burstCapacity(),
                budget.searchCapacity(),
                budget.dailyCapacity());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (streams.isEmpty()) {
            Thread.sleep(1_000);
            return null;
        }
        long now = System.currentTimeMillis();
        RateBudget budget = client.budget();
        Stream chosen = null;
        long wait = Long.MAX_VALUE;
        for (int i = 0; i < streams.size(); i++) {
            Stream s = streams.get((next + i) % streams.size());
            long due = s.nextDue();
            long held = due > now ? due - now : s.nextIsSearch() ? budget.searchDelayMillis() : budget.delayMillis();
            if (held <= 0) {
                chosen = s;
                next = (streams.indexOf(s) + 1) % streams.size();
                break;
            }
            wait = Math.min(wait, held);
        }
        if (chosen == null) {
            Thread.sleep(Math.max(10, Math.min(500, wait)));
            return null;
        }
        try {
            List<SourceRecord> out = chosen.step(now);
            return out.isEmpty() ? null : out;
        } catch (HubSpotRetriableException e) {
            logTransient(chosen.name(), e, now);
            return null; // the stream's phase waits; the others go on
        } catch (HubSpotApiException e) {
            throw new ConnectException(
                    "HubSpot " + chosen.name() + ": " + e.getMessage()
                            + (e.isMissingScopes() ? " — grant the missing scope to the app or exclude the object" : "")
                            + (e.isAuthentication() ? " — check hubspot.access.token / OAuth settings" : ""),
                    e);
        }
    }

    /** One WARN line per stream and minute at most, with how many failures it stands for; DEBUG otherwise. */
    private void logTransient(String stream, HubSpotRetriableException e, long now) {
        long[] l = failureLog.computeIfAbsent(stream, s -> new long[2]); // {last WARN at, failures since}
        l[1]++;
        if (now - l[0] >= FAILURE_LOG_INTERVAL_MS) {
            LOG.warn(
                    "HubSpot {}: transient failure ({} in the last minute at most), the failed page is read again in "
                            + "{} ms or later; other work goes on: {}",
                    stream,
                    l[1],
                    Math.max(1_000, e.retryAfterMillis()),
                    e.getMessage());
            l[0] = now;
            l[1] = 0;
        } else {
            LOG.debug("HubSpot {}: transient failure {}: {}", stream, l[1], e.getMessage());
        }
    }

    List<Stream> streams() {
        return streams;
    }

    SourceMetrics metrics() {
        return metrics;
    }

    @Override
    public void stop() {
        for (Stream s : streams) {
            s.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
