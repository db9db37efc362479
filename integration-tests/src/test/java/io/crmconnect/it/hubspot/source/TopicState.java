package io.crmconnect.it.hubspot.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The compacted view of a topic (last value per key, tombstones remove) and its comparison with the simulator. */
final class TopicState {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final Map<String, JsonNode> live = new LinkedHashMap<>();
    final List<Map<String, String>> tombstoneHeaders = new ArrayList<>();
    final Map<String, Map<String, String>> lastHeaders = new HashMap<>();
    int records;

    static TopicState read(ConnectCluster cluster, String topic) {
        return of(cluster.consumeAll(Duration.ofSeconds(30), topic));
    }

    /** The view of a consumer with isolation.level=read_committed (only committed transactions). */
    static TopicState readCommitted(ConnectCluster cluster, String topic) {
        try {
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            cluster.raw()
                    .kafka()
                    .consumeAll(30_000, Map.of("isolation.level", "read_committed"), Map.of(), topic)
                    .forEach(all::add);
            return of(all);
        } catch (Exception e) {
            throw new IllegalStateException("could not read " + topic + ": " + e, e);
        }
    }

    static TopicState of(List<ConsumerRecord<byte[], byte[]>> all) {
        TopicState s = new TopicState();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            s.records++;
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            s.lastHeaders.put(key, headers);
            if (r.value() == null) {
                s.live.remove(key);
                headers.put("_key", key);
                s.tombstoneHeaders.add(headers);
                continue;
            }
            try {
                JsonNode n = MAPPER.readTree(r.value());
                s.live.put(key, n.has("payload") ? n.get("payload") : n);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return s;
    }

    /**
     * Missing, extra and stale records compared with the simulator's live records of a type, checking updatedAt and
     * the given string properties. Empty string = equal.
     */
    String diff(HubSpotSimulator sim, String type, String... props) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> stale = new TreeSet<>();
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (Map<String, Object> rec : sim.dump(type, false)) {
            expected.put((String) rec.get("id"), rec);
        }
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            JsonNode got = live.get(e.getKey());
            if (got == null) {
                missing.add(e.getKey());
                continue;
            }
            long want = Instant.parse((String) e.getValue().get("updatedAt")).toEpochMilli();
            if (got.path("updatedAt").asLong() != want) {
                stale.add(e.getKey() + "(updatedAt " + got.path("updatedAt").asLong() + " != " + want + ")");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> p = (Map<String, String>) e.getValue().get("properties");
            for (String prop : props) {
                String w = p.get(prop);
                JsonNode g = got.get(prop);
                String gs = g == null || g.isNull() ? null : g.isNumber() ? trimNumber(g.asText()) : g.asText();
                String ws = w == null ? null : isNumeric(w) ? trimNumber(w) : w;
                if (!Objects.equals(ws, gs)) {
                    stale.add(e.getKey() + "(" + prop + " " + gs + " != " + ws + ")");
                }
            }
        }
        TreeSet<String> extra = new TreeSet<>();
        Set<String> archived = new HashSet<>();
        for (Map<String, Object> rec : sim.dump(type, true)) {
            archived.add((String) rec.get("id"));
        }
        for (String k : live.keySet()) {
            if (!expected.containsKey(k)) {
                extra.add(k + (archived.contains(k) ? "(archived" : "(gone") + ", last change "
                        + lastHeaders.getOrDefault(k, Map.of()).get("hubspot.change") + ")");
            }
        }
        if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
            return "";
        }
        return type + ": missing " + missing.size() + " " + head(missing) + ", extra " + extra.size() + " "
                + head(extra) + ", stale " + stale.size() + " " + head(stale);
    }

    private static boolean isNumeric(String s) {
        return s.matches("-?\\d+(\\.\\d+)?");
    }

    private static String trimNumber(String s) {
        try {
            return new BigDecimal(s).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static String head(TreeSet<String> s) {
        return s.stream().limit(5).toList().toString();
    }
}
