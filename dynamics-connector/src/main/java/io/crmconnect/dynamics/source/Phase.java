package io.crmconnect.dynamics.source;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/** One phase of a table's life: snapshot, catch-up, listing, delta, watermark. */
interface Phase {
    String name();

    /** Epoch ms when the phase next has work (0 = now). */
    long nextDue();

    /** One bounded piece of work (at most one page); may switch the stream to the next phase. */
    List<SourceRecord> step(long now) throws InterruptedException;

    /** Stops background reads. */
    default void close() {}
}
