package io.crmconnect.jdbc.dialect;

/**
 * How long the sink waits for the database, in milliseconds: to connect and log in, for one statement to run (the
 * server cancels it after {@code statementMs}), and for a lock (a DDL behind a long reader, a row another writer
 * holds). {@link #socketMs()} bounds every read of the driver when the server says nothing at all; it leaves the
 * server time to cancel a statement itself first, so a slow statement fails with the server's reason.
 */
public record Timeouts(int connectMs, int statementMs, int lockMs) {

    /** The driver's socket read timeout: the statement timeout plus a margin (1 to 5 s). */
    public int socketMs() {
        return statementMs + Math.min(5_000, Math.max(1_000, statementMs / 2));
    }

    static int seconds(int millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
