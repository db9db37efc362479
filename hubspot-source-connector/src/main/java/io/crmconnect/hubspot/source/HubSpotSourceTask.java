package io.crmconnect.hubspot.source;

import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotClientFactory;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.RateBudget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the streams assigned to this task, one page per {@link #poll()}, round-robin among those with work due. When
 * the next search would wait for the search budget, a stream with non-search work goes first, so the 5/s search
 * limit never stalls loads, deletes or associations.
 */
public class HubSpotSourceTask extends SourceTask {
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotSourceTask.class);
    private HubSpotSourceConfig config;
    private HubSpotClient client;
    private final List<Stream> streams = new ArrayList<>();
    private SourceMetrics metrics;
    private int next;
    private volatile boolean stopping;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new HubSpotSourceConfig(props);
        client = new HubSpotClientFactory(config.connection())
                .taskClient(config.getInt(HubSpotSourceConfig.TASK_COUNT));
        RateBudget budget = client.budget();
        metrics = new SourceMetrics(RuntimeSupport.pluginMetrics(context), budget);
        for (String s : config.getList(HubSpotSourceConfig.TASK_STREAMS)) {
            StreamId id;
            try {
                id = StreamId.parse(s);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(HubSpotSourceConfig.TASK_STREAMS, s, e.getMessage());
            }
            streams.add(Streams.open(id, config, client, metrics));
        }
        List<Map<String, Object>> parts = new ArrayList<>();
        streams.forEach(s -> parts.addAll(s.partitions()));
        Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>(
                context.offsetStorageReader().offsets(parts));
        offsets.values().removeIf(Objects::isNull);
        for (Stream s : streams) {
            s.restore(offsets);
        }
        LOG.info("HubSpot source task started with {} streams, budget {} requests/10 s, {} searches/s, {} requests/day",
                streams.size(), budget.burstCapacity(), budget.searchCapacity(), budget.dailyCapacity());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (streams.isEmpty()) {
            Thread.sleep(1_000);
            return null;
        }
        long now = System.currentTimeMillis();
        Stream chosen = null;
        Stream searchWaiting = null;
        for (int i = 0; i < streams.size(); i++) {
            Stream s = streams.get((next + i) % streams.size());
            if (s.nextDue() > now) {
                continue;
            }
            if (s.nextIsSearch() && client.budget().searchDelayMillis() > 0) {
                if (searchWaiting == null) {
                    searchWaiting = s;
                }
                continue;
            }
            chosen = s;
            next = (streams.indexOf(s) + 1) % streams.size();
            break;
        }
        if (chosen == null) {
            chosen = searchWaiting;
            if (chosen != null) {
                next = (streams.indexOf(chosen) + 1) % streams.size();
            }
        }
        if (chosen == null) {
            long due = Long.MAX_VALUE;
            for (Stream s : streams) {
                due = Math.min(due, s.nextDue());
            }
            Thread.sleep(Math.max(10, Math.min(500, due - now)));
            return null;
        }
        try {
            List<SourceRecord> out = chosen.step(now);
            return out.isEmpty() ? null : out;
        } catch (HubSpotRetriableException e) {
            LOG.warn("HubSpot {}: transient failure, will retry: {}", chosen.name(), e.getMessage());
            if (e.retryAfterMillis() > 0 && !stopping) {
                Thread.sleep(Math.min(e.retryAfterMillis(), 5_000));
            }
            throw new RetriableException(e.getMessage(), e);
        } catch (HubSpotApiException e) {
            throw new ConnectException("HubSpot " + chosen.name() + ": " + e.getMessage()
                    + (e.isMissingScopes() ? " — grant the missing scope to the app or exclude the object" : "")
                    + (e.isAuthentication() ? " — check hubspot.access.token / OAuth settings" : ""), e);
        }
    }

    List<Stream> streams() {
        return streams;
    }

    @Override
    public void stop() {
        stopping = true;
        for (Stream s : streams) {
            s.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
