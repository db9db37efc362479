package io.crmconnect.jdbc;

import io.crmconnect.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the columns of every table the task writes, creates missing tables, adds missing columns and widens integer
 * columns that must hold fractions. Never drops or narrows. DDL runs in auto-commit, before the data transaction.
 */
public final class TableManager {
    private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);
    private static final Logger DDL_LOG = LoggerFactory.getLogger(TableManager.class.getName() + ".SchemaChange");

    private final Dialect dialect;
    private final boolean autoCreate;
    private final boolean autoEvolve;
    private final SinkMetrics metrics;
    private final Map<String, TableState> tables = new HashMap<>();
    /** Indexes asked for by this task (table and columns), so each is created at most once. */
    private final Set<String> ensuredIndexes = new HashSet<>();
    /** Schemas (MariaDB databases) this task made sure exist. */
    private final Set<String> schemas = new HashSet<>();

    public TableManager(Dialect dialect, boolean autoCreate, boolean autoEvolve, SinkMetrics metrics) {
        this.dialect = dialect;
        this.autoCreate = autoCreate;
        this.autoEvolve = autoEvolve;
        this.metrics = metrics;
    }

    /** Forget cached layouts (after a reconnect another task may have changed them). */
    public void invalidate() {
        tables.clear();
        ensuredIndexes.clear();
    }

    /** Columns of an existing table (exact names and kinds, in table order) plus a version bumped by every DDL. */
    public static final class TableState {
        final String name;
        final LinkedHashMap<String, ColumnKind> columns;
        final List<String> primaryKey;
        final List<String> otherUniqueIndexes;
        final int version;

        TableState(
                String name,
                LinkedHashMap<String, ColumnKind> columns,
                List<String> primaryKey,
                List<String> otherUniqueIndexes,
                int version) {
            this.name = name;
            this.columns = columns;
            this.primaryKey = primaryKey;
            this.otherUniqueIndexes = otherUniqueIndexes;
            this.version = version;
        }

        /** Unique indexes besides the primary key, where the dialect needs to know them (MariaDB), else empty. */
        public List<String> otherUniqueIndexes() {
            return otherUniqueIndexes;
        }

        public boolean exists() {
            return !columns.isEmpty();
        }

        public int version() {
            return version;
        }

        public Map<String, ColumnKind> columns() {
            return columns;
        }
    }

    private String norm(String column) {
        return dialect.caseSensitiveColumns() ? column : column.toLowerCase(Locale.ROOT);
    }

    /** The existing column matching {@code name} (case-insensitively where the database is), or null. */
    public String existingName(TableState state, String name) {
        if (state.columns.containsKey(name)) {
            return name;
        }
        if (!dialect.caseSensitiveColumns()) {
            for (String c : state.columns.keySet()) {
                if (c.equalsIgnoreCase(name)) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * The table's layout without creating or changing it; a table that does not exist is looked up again next time
     * (another task may create it).
     */
    public TableState lookup(Connection connection, String table) throws SQLException {
        TableState state = tables.get(table);
        if (state == null) {
            state = load(connection, table, 0);
            if (state.exists()) {
                tables.put(table, state);
            }
        }
        return state;
    }

    /**
     * Makes sure {@code table} exists with at least {@code columns}. {@code keyColumns} become the primary key of a
     * new table; {@code indexes} lists non-unique indexes (each a column list), created once the table has the columns.
     */
    public TableState ensure(
            Connection connection,
            String table,
            List<ColumnDef> columns,
            List<String> keyColumns,
            List<List<String>> indexes)
            throws SQLException {
        TableState state = tables.get(table);
        if (state == null) {
            state = load(connection, table, 0);
        }
        if (!state.exists()) {
            if (!autoCreate) {
                throw new ConnectException("Table " + dialect.quoteTable(table) + " does not exist in the "
                        + dialect.name() + " database and auto.create=false: create it or set auto.create=true");
            }
            Set<String> indexed = new HashSet<>();
            indexes.forEach(indexed::addAll);
            List<ColumnDef> creatable =
                    columns.stream().filter(c -> c.kind() != null).toList();
            String schema = Dialect.schemaOf(table);
            if (schema != null && schemas.add(schema)) {
                execute(connection, dialect.createSchema(schema));
            }
            execute(connection, dialect.createTable(table, creatable, keyColumns, indexed));
            metrics.tableCreated();
            DDL_LOG.info(
                    "Created table {} with {} columns, primary key {}",
                    dialect.quoteTable(table),
                    creatable.size(),
                    keyColumns);
            state = load(connection, table, state.version + 1);
        }
        boolean changed = false;
        Set<String> indexed = new HashSet<>();
        indexes.forEach(indexed::addAll);
        for (ColumnDef c : columns) {
            String existing = existingName(state, c.name());
            if (existing == null) {
                if (c.kind() == null) {
                    continue; // only nulls seen so far: nothing to type the column by
                }
                if (!autoEvolve) {
                    throw new ConnectException("Table " + dialect.quoteTable(table) + " has no column "
                            + dialect.quote(c.name()) + " for a new field and auto.evolve=false: add the column or set "
                            + "auto.evolve=true");
                }
                execute(connection, dialect.addColumn(table, c, indexed.contains(c.name())));
                DDL_LOG.info(
                        "Added column {}.{} {}",
                        dialect.quoteTable(table),
                        dialect.quote(c.name()),
                        dialect.sqlType(c, indexed.contains(c.name())));
                changed = true;
                continue;
            }
            ColumnKind have = state.columns.get(existing);
            String widened = widening(have, c.kind());
            if (widened != null && autoEvolve && !state.primaryKey.contains(existing)) {
                execute(connection, dialect.widenColumn(table, existing, widened));
                DDL_LOG.info(
                        "Widened column {}.{} from {} to {}",
                        dialect.quoteTable(table),
                        dialect.quote(existing),
                        have,
                        widened);
                changed = true;
            }
        }
        if (changed) {
            metrics.tableAltered();
            state = load(connection, table, state.version + 1);
        }
        ensureIndexes(connection, table, state, indexes);
        tables.put(table, state);
        return state;
    }

    /**
     * Creates each wanted index whose columns the table has, once per task (CREATE INDEX IF NOT EXISTS, so an index
     * made by another task or by hand is kept). An index the database refuses is retried the dialect's other way
     * (a MariaDB LONGTEXT column created before the index was declared: a prefix index), else logged and not asked
     * for again: rows still land without it.
     */
    private void ensureIndexes(Connection connection, String table, TableState state, List<List<String>> indexes)
            throws SQLException {
        for (List<String> wanted : indexes) {
            List<String> columns = new ArrayList<>();
            for (String c : wanted) {
                String existing = existingName(state, c);
                if (existing != null) {
                    columns.add(existing);
                }
            }
            if (columns.size() != wanted.size() || !ensuredIndexes.add(table + "\u0000" + columns)) {
                continue;
            }
            String name = dialect.indexName(table, String.join("_", columns) + "_idx");
            try {
                try {
                    execute(connection, dialect.createIndex(table, name, columns, false));
                } catch (SQLException refused) {
                    String retry = dialect.isTransient(refused)
                            ? null
                            : dialect.indexRetry(table, name, columns, state.columns, refused);
                    if (retry == null) {
                        throw refused;
                    }
                    execute(connection, retry);
                    LOG.info(
                            "Index {} on table {} {} created on a prefix of its text columns",
                            dialect.quote(name),
                            dialect.quoteTable(table),
                            columns);
                }
            } catch (SQLException e) {
                if (dialect.isTransient(e)) {
                    ensuredIndexes.remove(table + "\u0000" + columns);
                    throw e;
                }
                LOG.warn(
                        "Index {} on table {} {} not created: {} (SQLState {}); rows are written without it",
                        dialect.quote(name),
                        dialect.quoteTable(table),
                        columns,
                        Dialect.describe(e),
                        e.getSQLState());
            }
        }
    }

    /** SQL type to widen {@code have} to so it can hold {@code want} exactly, or null when it already can. */
    String widening(ColumnKind have, ColumnKind want) {
        if (have == null || want == null || have == want) {
            return null;
        }
        if (have.isInteger()
                && (want == ColumnKind.FLOAT32 || want == ColumnKind.FLOAT64 || want == ColumnKind.DECIMAL)) {
            return dialect.widestNumericType();
        }
        if (have.isInteger() && want.isInteger() && want.ordinal() > have.ordinal()) {
            return dialect.sqlType(ColumnDef.of("x", want), false);
        }
        if (have == ColumnKind.FLOAT32 && want == ColumnKind.FLOAT64) {
            return dialect.sqlType(ColumnDef.of("x", ColumnKind.FLOAT64), false);
        }
        return null;
    }

    private TableState load(Connection connection, String table, int version) throws SQLException {
        LinkedHashMap<String, ColumnKind> columns = new LinkedHashMap<>();
        List<String> pk = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(dialect.columnsQuery())) {
            st.setString(1, Dialect.schemaOf(table));
            st.setString(2, Dialect.nameOf(table));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    columns.put(name, dialect.kindOf(rs.getString(2)));
                    if (rs.getBoolean(3)) {
                        pk.add(name);
                    }
                }
            }
        }
        List<String> unique = new ArrayList<>();
        String uniqueQuery = dialect.otherUniqueIndexesQuery();
        if (uniqueQuery != null && !columns.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement(uniqueQuery)) {
                st.setString(1, Dialect.schemaOf(table));
                st.setString(2, Dialect.nameOf(table));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        unique.add(rs.getString(1));
                    }
                }
            }
        }
        LOG.debug("Table {} has columns {}, other unique indexes {}", table, columns.keySet(), unique);
        return new TableState(table, columns, pk, List.copyOf(unique), version);
    }

    private void execute(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
