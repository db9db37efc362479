package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.LoggedRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.Test;

/**
 * The source task (no Connect) against the HubSpot simulator while a third of its list calls (delete scans,
 * reconciliation) are refused with 429s, Retry-After 10 s on every other one: the incremental search walk must keep
 * delivering changes within seconds, and a refused list page must be read again, not the pass restarted from page 1.
 * Before the fix, the task's thread slept out each Retry-After and a delete scan due every 300 ms always stepped before
 * the incremental walk, so no change arrived.
 */
class ThrottledIncrementalIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void changesKeepFlowingWhileListCallsAreThrottledAndRefusedPagesAreReadAgain() throws Exception {
        try (HubSpotSimulator sim =
                        HubSpotSimulator.builder().seed(41).contacts(800).start();
                HubSpotClient admin = ObjectStreamSimulatorIT.client(sim)) {
            // 150 archived contacts: the delete scan reads two pages of the recycle bin each pass
            List<String> ids = sim.ids("contacts");
            admin.batchArchive("contacts", ids.subList(0, 100));
            admin.batchArchive("contacts", ids.subList(100, 150));
            Map<String, String> props = ObjectStreamSimulatorIT.config(
                    sim,
                    Map.of(
                            HubSpotSourceConfig.TASK_STREAMS,
                            "object:contacts:contacts",
                            "deletes.interval.ms",
                            "300",
                            "poll.interval.ms",
                            "200",
                            "hubspot.retry.budget.ms",
                            "1000"));
            // the initial load meets refusals too (without Retry-After); its readers give up after 1 s and retry later
            sim.setRetryAfter("never");
            Fault loadRefusals = Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.RATE_LIMIT_429, 0.4);
            sim.addFault(loadRefusals);
            HubSpotSourceTask task = new HubSpotSourceTask();
            task.initialize(new EmptyOffsets(props));
            task.start(props);
            try {
                List<SourceRecord> out = new ArrayList<>();
                ObjectStream contacts = (ObjectStream) task.streams().get(0);
                poll(task, out, 60_000, () -> !contacts.loading());
                sim.clearFaults();
                sim.setRetryAfter("alternate");
                assertThat(loadRefusals.firedCount())
                        .as("list calls of the load refused")
                        .isPositive();
                Set<String> loaded = new HashSet<>();
                out.stream()
                        .filter(r -> r.topic().equals("hubspot.contacts"))
                        .forEach(r -> loaded.add((String) r.key()));
                // before the fix, pages handed over in a step that then met a reader's failure never reached Connect
                assertThat(loaded).as("every live contact loaded").containsAll(sim.ids("contacts"));

                sim.clearRequestLog();
                Fault refusals = Fault.of("GET /crm/v3/objects/{objectType}", Fault.Kind.RATE_LIMIT_429, 0.3);
                sim.addFault(refusals);
                Set<String> changed = new HashSet<>();
                for (String id : ids.subList(200, 230)) {
                    ObjectNode u = JSON.createObjectNode().put("id", id);
                    u.putObject("properties").put("jobtitle", "throttled-" + id);
                    admin.batchUpdate("contacts", List.of(u));
                    changed.add(id);
                }
                long start = System.currentTimeMillis();
                poll(task, out, 15_000, () -> delivered(out).containsAll(changed));
                long took = System.currentTimeMillis() - start;
                assertThat(delivered(out))
                        .as("changes delivered while list calls are throttled")
                        .containsAll(changed);
                assertThat(took).as("ms until every change arrived").isLessThan(10_000);
                assertThat(task.metrics().lag("contacts")).as("lag-ms").isBetween(0L, 10_000L);
                // list passes go on meeting refusals (now without Retry-After: retried within a second or two) until a
                // refused page after the first of its pass was asked for again
                sim.setRetryAfter("never");
                poll(task, out, 30_000, () -> refusedPagesAskedAgain(sim.requestLog()) > 0);

                assertThat(refusals.firedCount()).as("list calls refused").isPositive();
                List<LoggedRequest> log = sim.requestLog();
                assertThat(refusedPagesAskedAgain(log))
                        .as(
                                "refused pages after the first one of a pass in %s",
                                lists(log).stream()
                                        .map(r -> r.status() + " " + r.query())
                                        .toList())
                        .isPositive();
            } finally {
                task.stop();
            }
        }
    }

    /**
     * Refused list pages (after the first of a pass) that were asked for again; fails if the list call that followed
     * one (same listing: archived or live) asked for another page: the pass must go on where it stopped.
     */
    private static int refusedPagesAskedAgain(List<LoggedRequest> log) {
        List<LoggedRequest> lists = lists(log);
        int n = 0;
        for (int i = 0; i < lists.size(); i++) {
            LoggedRequest r = lists.get(i);
            if (r.status() == 429 && after(r) != null) {
                LoggedRequest again = lists.stream()
                        .skip(i + 1)
                        .filter(x -> archived(x) == archived(r))
                        .findFirst()
                        .orElse(null);
                if (again != null) {
                    assertThat(after(again))
                            .as("the list call after the refused page %s", r.query())
                            .isEqualTo(after(r));
                    n++;
                }
            }
        }
        return n;
    }

    private static List<LoggedRequest> lists(List<LoggedRequest> log) {
        return log.stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/crm/v3/objects/contacts"))
                .toList();
    }

    private static Set<String> delivered(List<SourceRecord> out) {
        Set<String> ids = new HashSet<>();
        for (SourceRecord r : out) {
            if (r.topic().equals("hubspot.contacts")
                    && r.value() instanceof Struct v
                    && String.valueOf(v.get("jobtitle")).startsWith("throttled-")) {
                ids.add(String.valueOf(r.key()));
            }
        }
        return ids;
    }

    private static String after(LoggedRequest r) {
        return param(r, "after");
    }

    private static boolean archived(LoggedRequest r) {
        return "true".equals(param(r, "archived"));
    }

    private static String param(LoggedRequest r, String name) {
        if (r.query() == null) {
            return null;
        }
        for (String kv : r.query().split("&")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void poll(HubSpotSourceTask task, List<SourceRecord> out, long millis, BooleanSupplier done)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && !done.getAsBoolean()) {
            List<SourceRecord> rs = task.poll();
            if (rs != null) {
                out.addAll(rs);
            }
        }
    }

    /** A fresh start: no committed offsets, no worker metrics registry (the task keeps its metrics in memory). */
    private record EmptyOffsets(Map<String, String> configs) implements SourceTaskContext {
        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return null;
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    return new HashMap<>();
                }
            };
        }
    }
}
