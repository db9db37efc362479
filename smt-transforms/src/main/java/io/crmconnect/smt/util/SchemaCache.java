package io.crmconnect.smt.util;

import java.util.function.Function;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Schema;

/**
 * Derived data per input schema (bound plans, output schemas), as Kafka's own transforms keep them: an LRU cache
 * of 16 entries, plus an identity check on the last schema seen, because converters hand out the same schema
 * instance for every record of a topic and {@code ConnectSchema.hashCode()} is deep and not memoized.
 */
public final class SchemaCache<V> {
    private final Cache<Schema, V> cache = new SynchronizedCache<>(new LRUCache<>(16));
    private volatile Entry<V> last;

    private record Entry<V>(Schema schema, V value) {}

    public V get(Schema schema, Function<Schema, V> derive) {
        Entry<V> e = last;
        if (e != null && e.schema == schema) {
            return e.value;
        }
        V value = cache.get(schema);
        if (value == null) {
            value = derive.apply(schema);
            cache.put(schema, value);
        }
        last = new Entry<>(schema, value);
        return value;
    }
}
