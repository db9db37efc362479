package io.crmconnect.dynamics.source;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * A source task context whose offsets are those of the records the test "committed": what a worker's offset store
 * holds after those records were acknowledged. Task-level tests only; the Connect ITs use a real worker.
 */
final class OffsetContext implements SourceTaskContext {
    private final Map<Map<String, Object>, Map<String, Object>> offsets = new HashMap<>();
    private final Map<String, String> config;

    OffsetContext(Map<String, String> config) {
        this.config = config;
    }

    /** Records are acknowledged in order: each one's offset replaces its partition's. */
    @SuppressWarnings("unchecked")
    void commit(List<SourceRecord> records) {
        for (SourceRecord r : records) {
            offsets.put((Map<String, Object>) r.sourcePartition(), (Map<String, Object>) r.sourceOffset());
        }
    }

    @Override
    public Map<String, String> configs() {
        return config;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null; // no worker metrics registry here: the task keeps its counters in memory
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return offsets.get(partition);
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    out.put(p, offsets.get(p));
                }
                return out;
            }
        };
    }
}
