package io.crmconnect.hubspot.source;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/** One unit of work a task schedules: an object, owners, pipelines or an association pair. */
interface Stream {
    String name();

    /** Source partitions this stream writes offsets for. */
    List<Map<String, Object>> partitions();

    /** Restores state from committed offsets (missing entries = fresh start). */
    void restore(Map<Map<String, Object>, Map<String, Object>> offsets);

    /** Epoch ms when the stream next has work. */
    long nextDue();

    /** Whether the next step is a search call (waits on the separate search budget). */
    boolean nextIsSearch();

    /** Does one bounded piece of work (one page) and returns the records it produced. */
    List<SourceRecord> step(long now);

    /** Releases threads or other resources (task stop). */
    default void close() {}
}
