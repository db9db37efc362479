package io.crmconnect.quickstart;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Live view: connector states, records per topic, rows per table and a progress bar for the initial load. */
final class Progress implements AutoCloseable {
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean headless;
    private final Admin admin;
    private final ConnectWorker connect;
    private final List<String> connectors;
    private final LocalDatabase database;
    private final Scenario scenario;
    private int linesDrawn;

    Progress(
            PrintStream out,
            boolean headless,
            String bootstrapServers,
            ConnectWorker connect,
            List<String> connectors,
            LocalDatabase database,
            Scenario scenario) {
        this.out = out;
        this.headless = headless;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000));
        this.connect = connect;
        this.connectors = connectors;
        this.database = database;
        this.scenario = scenario;
    }

    /**
     * Refreshes every 2 s until Ctrl-C; with {@code untilRows > 0}, returns 0 once that many rows arrived and 2 on
     * timeout. A connector task that FAILED ends the run with 3 and its first trace line.
     */
    int run(long untilRows, Duration timeout, long startNanos) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean firstRowsReported = false;
        while (true) {
            Map<String, String> states = new HashMap<>();
            for (String connector : connectors) {
                states.put(connector, connect.state(connector));
            }
            Map<String, Long> topicCounts = topicCounts();
            Map<String, Long> rows = database == null ? Map.of() : database.rowCounts();
            long arrived = scenario.arrived(rows, admin);
            long expected = scenario.expected();
            if (!firstRowsReported && arrived > 0) {
                firstRowsReported = true;
                out.printf(
                        "[quickstart] first rows arrived %.1f s after start%n", (System.nanoTime() - startNanos) / 1e9);
            }
            draw(states, topicCounts, rows, arrived, expected);
            for (Map.Entry<String, String> state : states.entrySet()) {
                if (state.getValue().startsWith("FAILED")) {
                    out.println("[quickstart] connector " + state.getKey() + " " + state.getValue());
                    return 3;
                }
            }
            if (untilRows > 0 && arrived >= untilRows) {
                out.println("[quickstart] " + arrived + " rows arrived; stopping as asked (--until-rows " + untilRows
                        + ")");
                return 0;
            }
            if (untilRows > 0 && System.nanoTime() > deadline) {
                out.println("[quickstart] only " + arrived + " of " + untilRows + " rows after " + timeout.toSeconds()
                        + " s");
                return 2;
            }
            Ports.sleep(2_000);
        }
    }

    private void draw(
            Map<String, String> states,
            Map<String, Long> topicCounts,
            Map<String, Long> rows,
            long arrived,
            long expected) {
        StringBuilder frame = new StringBuilder();
        states.forEach((name, state) -> frame.append(String.format("  connector %-28s %s%n", name, state)));
        topicCounts.forEach(
                (topic, count) -> frame.append(String.format("  topic     %-28s %,d records%n", topic, count)));
        rows.forEach((table, count) -> frame.append(String.format("  table     %-28s %,d rows%n", table, count)));
        if (expected > 0) {
            double share = Math.min(1.0, arrived / (double) expected);
            int filled = (int) Math.round(share * BAR_WIDTH);
            frame.append(String.format(
                    "  %s [%s%s] %3.0f%% (%,d / %,d)%n",
                    scenario.progressLabel(),
                    "#".repeat(filled),
                    ".".repeat(BAR_WIDTH - filled),
                    share * 100,
                    arrived,
                    expected));
        }
        if (headless) {
            out.print(frame.toString().lines().map(l -> "[progress]" + l).collect(Collectors.joining("\n", "", "\n")));
            out.println();
        } else {
            if (linesDrawn > 0) {
                out.print("\033[" + linesDrawn + "A\033[J"); // redraw in place
            }
            out.print(frame);
            linesDrawn = (int) frame.toString().lines().count();
        }
        out.flush();
    }

    private Map<String, Long> topicCounts() {
        Map<String, Long> counts = new TreeMap<>();
        try {
            Set<String> topics = admin.listTopics().names().get().stream()
                    .filter(scenario::isPipelineTopic)
                    .collect(Collectors.toSet());
            if (topics.isEmpty()) {
                return counts;
            }
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(topics).allTopicNames().get();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            descriptions
                    .values()
                    .forEach(d -> d.partitions()
                            .forEach(p ->
                                    request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(request).all().get();
            ends.forEach((tp, info) -> counts.merge(tp.topic(), info.offset(), Long::sum));
        } catch (Exception e) {
            // topics are being created; next refresh
        }
        return counts;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
