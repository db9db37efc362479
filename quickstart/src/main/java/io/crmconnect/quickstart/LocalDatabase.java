package io.crmconnect.quickstart;

import java.io.PrintStream;
import java.util.Map;

/** The database a scenario's sink writes to, started by the quickstart on loopback. */
interface LocalDatabase extends AutoCloseable {
    int port();

    /** Row count of every table of the pipeline's database (exact counts: estimates lag behind a bulk load). */
    Map<String, Long> rowCounts();

    /** Prints how to open a SQL shell on it and a first query to try. */
    void whereToLook(PrintStream out);

    @Override
    void close();
}
