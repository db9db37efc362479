package io.crmconnect.it.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A topic read as a compacted table: the last value per key (JSON payload), tombstones remove the key. */
record CompactedTopic(Map<String, JsonNode> live, int records) {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static CompactedTopic read(ConnectCluster cluster, String topic) {
        List<ConsumerRecord<byte[], byte[]>> all = cluster.consumeAll(Duration.ofSeconds(30), topic);
        Map<String, JsonNode> live = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                live.remove(key);
                continue;
            }
            try {
                JsonNode n = MAPPER.readTree(r.value());
                live.put(key, n.has("payload") ? n.get("payload") : n);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return new CompactedTopic(live, all.size());
    }
}
