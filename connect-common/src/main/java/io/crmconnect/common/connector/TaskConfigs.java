package io.crmconnect.common.connector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How our thin connectors hand their configuration to tasks, so every plugin spreads work the same way. */
public final class TaskConfigs {
    private TaskConfigs() {}

    /**
     * {@code maxTasks} copies of the connector's properties, each told the task count under {@code countKey} (sinks:
     * Kafka spreads the partitions; the count sizes per-task shares such as rate budgets).
     */
    public static List<Map<String, String>> copies(Map<String, String> props, int maxTasks, String countKey) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            if (countKey != null) {
                task.put(countKey, Integer.toString(maxTasks));
            }
            out.add(task);
        }
        return out;
    }

    /**
     * Work items (tables, streams) dealt round-robin over at most {@code maxTasks} tasks and at least one: task i gets
     * items i, i+n, i+2n, ... as a comma-separated list under {@code itemsKey}, and the number of tasks n under {@code
     * countKey} when that is not null. Round-robin keeps the assignment stable when items are appended.
     */
    public static List<Map<String, String>> roundRobin(
            Map<String, String> props, List<String> items, int maxTasks, String itemsKey, String countKey) {
        int n = Math.max(1, Math.min(maxTasks, items.size()));
        List<Map<String, String>> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            List<String> mine = new ArrayList<>();
            for (int i = t; i < items.size(); i += n) {
                mine.add(items.get(i));
            }
            Map<String, String> task = new HashMap<>(props);
            task.put(itemsKey, String.join(",", mine));
            if (countKey != null) {
                task.put(countKey, Integer.toString(n));
            }
            out.add(task);
        }
        return out;
    }
}
