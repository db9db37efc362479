package io.crmconnect.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.SqlServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Record-by-record comparisons of where CRM data ends up (a compacted topic, a database table) with the HubSpot
 * simulator's live records. Each returns "" when equal, else a short account of missing, extra and stale records.
 */
final class CrmState {
    private CrmState() {}

    /**
     * The compacted view of a topic: per key, what {@code keep} takes from the last value's payload; a tombstone
     * removes the key. Records are read one poll at a time and only the kept part stays in memory.
     */
    static <T> Map<String, T> compacted(ChaosCluster cluster, String topic, Function<JsonNode, T> keep) {
        Map<String, T> live = new LinkedHashMap<>();
        cluster.forEachRecord(
                r -> {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    if (r.value() == null) {
                        live.remove(key);
                        return;
                    }
                    try {
                        JsonNode n = ChaosCluster.JSON.readTree(r.value());
                        live.put(key, keep.apply(n.has("payload") ? n.get("payload") : n));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                topic);
        return live;
    }

    /** A topic written by the HubSpot source against the simulator: same ids, updatedAt and properties. */
    static String topicDiff(ChaosCluster cluster, String topic, HubSpotSimulator sim, String type, List<String> props) {
        Map<String, Map.Entry<Map<String, String>, Long>> live = compacted(cluster, topic, n -> {
            Map<String, String> p = new HashMap<>();
            for (String prop : props) {
                JsonNode v = n.get(prop);
                p.put(prop, v == null || v.isNull() ? null : v.asText());
            }
            return Map.entry(p, n.path("updatedAt").asLong());
        });
        Map<String, Map<String, String>> got = new HashMap<>();
        Map<String, Long> gotUpdated = new HashMap<>();
        live.forEach((id, e) -> {
            got.put(id, e.getKey());
            gotUpdated.put(id, e.getValue());
        });
        return diff(sim, type, props, got, gotUpdated);
    }

    /** A table written by the JDBC sink ({@code id}, {@code property_<name>} columns) against the simulator. */
    static String tableDiff(
            SqlServer db, String database, String table, HubSpotSimulator sim, String type, List<String> props) {
        Map<String, Map<String, String>> got = new HashMap<>();
        for (Map<String, Object> row : db.query(database, "SELECT * FROM " + table)) {
            Map<String, String> p = new HashMap<>();
            for (String prop : props) {
                Object v = row.get("property_" + prop);
                p.put(prop, v == null ? null : String.valueOf(v));
            }
            got.put(String.valueOf(row.get("id")), p);
        }
        return diff(sim, type, props, got, null);
    }

    private static String diff(
            HubSpotSimulator sim,
            String type,
            List<String> props,
            Map<String, Map<String, String>> got,
            Map<String, Long> gotUpdated) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> stale = new TreeSet<>();
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (Map<String, Object> rec : sim.dump(type, false)) {
            expected.put((String) rec.get("id"), rec);
        }
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            Map<String, String> g = got.get(e.getKey());
            if (g == null) {
                missing.add(e.getKey());
                continue;
            }
            if (gotUpdated != null) {
                long want =
                        Instant.parse((String) e.getValue().get("updatedAt")).toEpochMilli();
                if (gotUpdated.get(e.getKey()) != want) {
                    stale.add(e.getKey() + "(updatedAt)");
                    continue;
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, String> want = (Map<String, String>) e.getValue().get("properties");
            for (String prop : props) {
                if (!Objects.equals(normal(want.get(prop)), normal(g.get(prop)))) {
                    stale.add(e.getKey() + "(" + prop + ")");
                }
            }
        }
        TreeSet<String> extra = new TreeSet<>(got.keySet());
        extra.removeAll(expected.keySet());
        if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
            return "";
        }
        return type + ": " + got.size() + " vs " + expected.size() + " in HubSpot; missing " + missing.size() + " "
                + head(missing) + ", extra " + extra.size() + " " + head(extra) + ", stale " + stale.size() + " "
                + head(stale);
    }

    /** Numbers compare by value ("100" = "100.0"), everything else as text. */
    private static String normal(String s) {
        if (s != null && s.matches("-?\\d+(\\.\\d+)?")) {
            return new BigDecimal(s).stripTrailingZeros().toPlainString();
        }
        return s;
    }

    private static String head(TreeSet<String> s) {
        return s.stream().limit(5).toList().toString();
    }

    /** Waits until {@code diff} is empty; fails with the last difference. */
    static void awaitEqual(String what, Duration timeout, Supplier<String> diff) {
        String[] last = {"not compared yet"};
        try {
            ChaosCluster.awaitCondition(what, timeout, () -> {
                last[0] = diff.get();
                return last[0].isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(what + " did not converge: " + last[0], e);
        }
    }
}
