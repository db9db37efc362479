package io.crmconnect.hubspot.source;

import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * One recurring piece of work on one CRM object (initial load, incremental pass, delete scan, reconciliation). A phase
 * works in passes of bounded steps (one page each); {@link ObjectStream} decides which phase steps next.
 */
interface ObjectPhase {
    /** A pass is under way: its next step comes before any other phase's. */
    boolean running();

    /** Epoch ms when the next pass is due (only read while not {@link #running()}). */
    long nextDue();

    /** Whether the next step calls search (which has its own, smaller budget). */
    boolean searches();

    /** One step of the pass (started if none is running); the records it produced. */
    List<SourceRecord> step(long now);
}
