package io.crmconnect.testharness;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real SQL server process on loopback, started once per JVM and shared by every test in it. */
public abstract class SqlServer {
    private static final AtomicInteger DATABASE_SEQUENCE = new AtomicInteger();

    /** Short name used in database names and messages: "postgres" or "mariadb". */
    public abstract String kind();

    public abstract int port();

    public abstract String user();

    public abstract String password();

    /** A JDBC URL for {@code database} on this server, loopback only. */
    public abstract String jdbcUrl(String database);

    /** Stops the server process, keeping its data; for outage tests. */
    public abstract void stop();

    /** Starts the server again on the same port with the same data. */
    public abstract void start();

    public abstract boolean isRunning();

    protected abstract void executeAsAdmin(String sql) throws SQLException;

    /** Creates a fresh, empty database and returns its name ({@code prefix_<n>_<pid>}, lower case). */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + DATABASE_SEQUENCE.incrementAndGet() + "_"
                        + ProcessHandle.current().pid())
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try {
            executeAsAdmin("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + kind(), e);
        }
        return name;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** Runs a query and returns every row as column label → value, in column order. */
    public List<Map<String, Object>> query(String database, String sql, Object... params) {
        try (Connection connection = connect(database);
                PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(kind() + " query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs a statement and returns the update count. */
    public int update(String database, String sql, Object... params) {
        try (Connection connection = connect(database);
                PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(kind() + " statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }

    @Override
    public String toString() {
        return kind() + "@127.0.0.1:" + port();
    }
}
