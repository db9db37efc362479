package io.crmconnect.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts a connection whose work outlives its deadline. Socket timeouts bound only what the driver reads; a bulk load
 * into a server that stopped reading blocks in a socket write, which no driver setting bounds (the kernel gives up
 * after many minutes). Aborting closes the socket, so the blocked call fails at once with a connection error, which
 * the task retries like any other.
 */
final class Watchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    private final ScheduledExecutorService timer;

    Watchdog(String name) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jdbc-sink-watchdog-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** One armed deadline; closing it disarms. */
    final class Guard implements AutoCloseable {
        private final ScheduledFuture<?> future;

        private Guard(ScheduledFuture<?> future) {
            this.future = future;
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }

    /** Aborts {@code connection} if the guard is still armed after {@code millis}. */
    Guard arm(Connection connection, long millis, String what) {
        ScheduledFuture<?> future = timer.schedule(
                () -> {
                    LOG.warn("{} did not finish within {} ms; aborting the database connection", what, millis);
                    try {
                        connection.abort(Runnable::run);
                    } catch (SQLException | RuntimeException e) {
                        LOG.debug("Aborting the connection failed: {}", e.toString());
                    }
                },
                millis,
                TimeUnit.MILLISECONDS);
        return new Guard(future);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
