package io.crmconnect.jdbc.dialect;

import io.crmconnect.jdbc.ColumnDef;
import io.crmconnect.jdbc.ColumnKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * PostgreSQL: typed temporary stage (ON COMMIT DELETE ROWS) filled with COPY FROM STDIN (CSV), then one
 * INSERT .. SELECT .. ON CONFLICT DO UPDATE. Timestamps are timestamptz, nested values jsonb.
 */
public final class PostgresDialect extends Dialect {
    private static final int COPY_CHUNK = 64 * 1024;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public Connection connect(String url, String user, String password, Timeouts timeouts) throws SQLException {
        Properties props = credentials(user, password);
        int seconds = Timeouts.seconds(timeouts.connectMs());
        props.setProperty("connectTimeout", String.valueOf(seconds));
        props.setProperty("loginTimeout", String.valueOf(seconds));
        props.setProperty("socketTimeout", String.valueOf(Timeouts.seconds(timeouts.socketMs())));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "crmconnect-jdbc-sink");
        Connection connection = new org.postgresql.Driver().connect(url, props);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept this URL", "08001");
        }
        try (Statement st = connection.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            st.execute("SET statement_timeout = " + timeouts.statementMs());
            st.execute("SET lock_timeout = " + timeouts.lockMs());
        }
        return connection;
    }

    private static final Identifiers IDENTIFIERS = new Identifiers("PostgreSQL", 63, 0, false, true);

    @Override
    public Identifiers identifiers() {
        return IDENTIFIERS;
    }

    @Override
    public String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public String sqlType(ColumnDef c, boolean indexed) {
        return switch (c.kind()) {
            case BOOLEAN -> "boolean";
            case INT8, INT16 -> "smallint";
            case INT32 -> "integer";
            case INT64 -> "bigint";
            case FLOAT32 -> "real";
            case FLOAT64 -> "double precision";
            case DECIMAL ->
                c.precision() > 0 && c.scale() >= 0
                        ? "numeric(" + Math.max(c.precision(), c.scale()) + "," + c.scale() + ")"
                        : "numeric";
            case STRING, OTHER -> "text";
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIME -> "time(3)";
            case TIMESTAMP -> "timestamptz";
            case JSON -> "jsonb";
        };
    }

    @Override
    public ColumnKind kindOf(String dataType) {
        String t = dataType.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "boolean" -> ColumnKind.BOOLEAN;
            case "smallint" -> ColumnKind.INT16;
            case "integer" -> ColumnKind.INT32;
            case "bigint" -> ColumnKind.INT64;
            case "real" -> ColumnKind.FLOAT32;
            case "double precision" -> ColumnKind.FLOAT64;
            case "numeric" -> ColumnKind.DECIMAL;
            case "text", "character varying", "character" -> ColumnKind.STRING;
            case "bytea" -> ColumnKind.BYTES;
            case "date" -> ColumnKind.DATE;
            case "time without time zone", "time with time zone" -> ColumnKind.TIME;
            case "timestamp with time zone", "timestamp without time zone" -> ColumnKind.TIMESTAMP;
            case "json", "jsonb" -> ColumnKind.JSON;
            default -> ColumnKind.OTHER;
        };
    }

    @Override
    public String widestNumericType() {
        return "numeric";
    }

    @Override
    public String columnsQuery() {
        return "SELECT c.column_name, c.data_type, EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary "
                + "AND i.indrelid = format('%I.%I', c.table_schema, c.table_name)::regclass "
                + "AND a.attname = c.column_name) AS is_pk "
                + "FROM information_schema.columns c WHERE c.table_schema = COALESCE(?, current_schema()) "
                + "AND c.table_name = ? "
                + "ORDER BY c.ordinal_position";
    }

    @Override
    public String valuePlaceholder(ColumnDef column) {
        return "CAST(? AS " + sqlType(column, column.key()) + ")";
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
    }

    @Override
    public boolean caseSensitiveColumns() {
        return true;
    }

    @Override
    public String createTable(
            String table, List<ColumnDef> columns, List<String> keyColumns, Set<String> indexedColumns) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(quoteTable(table))
                .append(" (");
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : columns) {
            boolean key = keyColumns.contains(c.name());
            parts.add(quote(c.name()) + " " + sqlType(c, key || indexedColumns.contains(c.name()))
                    + (key ? " NOT NULL" : ""));
        }
        if (!keyColumns.isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(keyColumns) + ")");
        }
        return sql.append(String.join(", ", parts)).append(')').toString();
    }

    @Override
    public String createIndex(String table, String indexName, List<String> columns, boolean unique) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + quote(indexName) + " ON "
                + quoteTable(table) + " (" + quoteAll(columns) + ")";
    }

    @Override
    public String addColumn(String table, ColumnDef column, boolean indexed) {
        return "ALTER TABLE " + quoteTable(table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + sqlType(column, indexed);
    }

    @Override
    public String widenColumn(String table, String column, String sqlType) {
        return "ALTER TABLE " + quoteTable(table) + " ALTER COLUMN " + quote(column) + " TYPE " + sqlType + " USING "
                + quote(column) + "::" + sqlType;
    }

    // ------------------------------------------------------------------ stage

    /** The stage copies the target's column types, so COPY itself rejects values the target cannot hold. */
    public String createStage(Stage stage) {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS ")
                .append(quote(stage.name()))
                .append(" ON COMMIT DELETE ROWS AS SELECT ");
        List<String> parts = new ArrayList<>();
        for (String c : stage.columns()) {
            parts.add("t." + quote(c));
        }
        for (String b : stage.bookkeeping()) {
            parts.add("NULL::" + sqlType(ColumnDef.of(b, bookkeepingKind(b)), false) + " AS " + quote(b));
        }
        return sql.append(String.join(", ", parts))
                .append(" FROM ")
                .append(quoteTable(stage.target()))
                .append(" t WITH NO DATA")
                .toString();
    }

    @Override
    public void prepareStage(Connection connection, Stage stage) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(createStage(stage));
        }
    }

    public String copySql(Stage stage) {
        return "COPY " + quote(stage.name()) + " (" + quoteAll(stage.allColumns()) + ") FROM STDIN WITH (FORMAT csv)";
    }

    public String copyBinarySql(Stage stage) {
        return "COPY " + quote(stage.name()) + " (" + quoteAll(stage.allColumns())
                + ") FROM STDIN WITH (FORMAT binary)";
    }

    /**
     * Binary COPY when every stage column has a type {@link PgBinary} writes and every value already has that type's
     * Java form (the usual case for schema-ful records): the server then parses nothing. Otherwise CSV, where the
     * server converts text as it always did (and reports what it cannot convert).
     */
    @Override
    public long loadStage(Connection connection, Stage stage, List<Object[]> rows) throws SQLException {
        ColumnKind[] kinds = stageKinds(stage);
        boolean binary = PgBinary.fits(kinds, rows);
        try {
            return connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                            binary ? copyBinarySql(stage) : copySql(stage),
                            binary ? PgBinary.stream(kinds, rows) : new RowStream(rows, this::encodeCsv),
                            COPY_CHUNK);
        } catch (IOException e) {
            throw new SQLException("COPY stream failed: " + e.getMessage(), "08006", e);
        }
    }

    static ColumnKind[] stageKinds(Stage stage) {
        ColumnKind[] kinds =
                new ColumnKind[stage.columns().size() + stage.bookkeeping().size()];
        int i = 0;
        for (ColumnKind k : stage.kinds()) {
            kinds[i++] = k;
        }
        for (String b : stage.bookkeeping()) {
            kinds[i++] = bookkeepingKind(b);
        }
        return kinds;
    }

    /**
     * One CSV line as UTF-8: NULL is an unquoted empty field; text is quoted (so '' stays an empty string); numbers
     * and timestamps, never empty, are written bare.
     */
    public void encodeCsv(RowStream.Bytes out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.put(',');
            }
            Object v = row[i];
            if (v == null) {
                continue;
            }
            if (v instanceof String s) {
                out.put('"').text(s, '"', false).put('"');
            } else if (v instanceof Long l) {
                out.digits(l);
            } else if (v instanceof BigDecimal d) {
                out.decimal(d);
            } else if (!(v instanceof Instant t && out.instant(t, 'T', "Z", false))) {
                out.put('"').text(text(v), '"', false).put('"');
            }
        }
        out.put('\n');
    }

    @Override
    public String nowExpression() {
        return "now()";
    }

    @Override
    public String trueLiteral() {
        return "true";
    }

    @Override
    public String falseLiteral() {
        return "false";
    }

    // ------------------------------------------------------------------ statements

    @Override
    public String insertFromStage(
            String table,
            Stage stage,
            List<String> keyColumns,
            List<String> updateColumns,
            Map<String, String> computed,
            boolean upsert,
            String where) {
        List<String> cols = new ArrayList<>(stage.columns());
        List<String> select = new ArrayList<>();
        for (String c : stage.columns()) {
            select.add("s." + quote(c));
        }
        cols.addAll(computed.keySet());
        select.addAll(computed.values());
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(quoteTable(table))
                .append(" (")
                .append(quoteAll(cols))
                .append(") SELECT ")
                .append(String.join(", ", select))
                .append(" FROM ")
                .append(quote(stage.name()))
                .append(" s");
        if (where != null) {
            sql.append(" WHERE ").append(where);
        }
        if (!keyColumns.isEmpty()) {
            List<String> set = new ArrayList<>(updateColumns);
            set.addAll(computed.keySet());
            sql.append(" ON CONFLICT (").append(quoteAll(keyColumns)).append(")");
            if (upsert && !updateColumns.isEmpty()) {
                sql.append(" DO UPDATE SET ");
                List<String> assignments = new ArrayList<>();
                for (String c : set) {
                    assignments.add(quote(c) + " = EXCLUDED." + quote(c));
                }
                sql.append(String.join(", ", assignments));
            } else {
                sql.append(" DO NOTHING");
            }
        }
        return sql.toString();
    }

    @Override
    public String updateFromStage(
            String table,
            Stage stage,
            List<String> keyColumns,
            List<String> setColumns,
            Map<String, String> computed,
            String where) {
        List<String> assignments = new ArrayList<>();
        for (String c : setColumns) {
            assignments.add(quote(c) + " = s." + quote(c));
        }
        computed.forEach((c, expr) -> assignments.add(quote(c) + " = " + expr));
        return "UPDATE " + quoteTable(table) + " AS t SET " + String.join(", ", assignments) + " FROM "
                + quote(stage.name()) + " s WHERE " + keyJoin("t", "s", keyColumns)
                + (where == null ? "" : " AND " + where);
    }

    @Override
    public String deleteFromStage(String table, Stage stage, List<String> keyColumns, String where) {
        return "DELETE FROM " + quoteTable(table) + " AS t USING " + quote(stage.name()) + " s WHERE "
                + keyJoin("t", "s", keyColumns) + (where == null ? "" : " AND " + where);
    }

    private String keyJoin(String left, String right, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(left + "." + quote(k) + " = " + right + "." + quote(k));
        }
        return String.join(" AND ", parts);
    }

    @Override
    public String closeHistory(String history, Stage stage, List<String> keyColumns, String validTo, String isCurrent) {
        return "UPDATE " + quoteTable(history) + " AS h SET " + quote(validTo) + " = v.ts, " + quote(isCurrent)
                + " = false FROM (SELECT " + quoteAll(keyColumns) + ", MIN(" + quote(SRC_TS) + ") AS ts FROM "
                + quote(stage.name()) + " WHERE " + quote(VERSION) + " GROUP BY " + quoteAll(keyColumns) + ") v WHERE "
                + keyJoin("h", "v", keyColumns) + " AND h." + quote(isCurrent);
    }

    @Override
    public String currentHistory(
            String history,
            Stage stage,
            List<String> keyColumns,
            String isCurrent,
            String hash,
            String topic,
            String partition,
            String offset) {
        List<String> keys = new ArrayList<>();
        for (String k : keyColumns) {
            keys.add("h." + quote(k) + "::text");
        }
        return "SELECT " + String.join(", ", keys) + ", h." + quote(hash) + ", h." + quote(topic) + ", h."
                + quote(partition) + ", h." + quote(offset) + " FROM " + quoteTable(history) + " h WHERE h."
                + quote(isCurrent) + " AND EXISTS (SELECT 1 FROM " + quote(stage.name()) + " s WHERE "
                + keyJoin("h", "s", keyColumns) + ")";
    }

    @Override
    public String insertIgnoring(String table, List<String> columns, String select, List<String> keyColumns) {
        return "INSERT INTO " + quoteTable(table) + " (" + quoteAll(columns) + ") " + select + " ON CONFLICT ("
                + quoteAll(keyColumns) + ") DO NOTHING";
    }

    // ------------------------------------------------------------------ values

    @Override
    protected String booleanText(boolean b) {
        return b ? "true" : "false";
    }

    @Override
    protected String instantText(Instant instant) {
        return instant.toString();
    }

    @Override
    protected String bytesText(byte[] bytes) {
        return "\\x" + HexFormat.of().formatHex(bytes);
    }

    // ------------------------------------------------------------------ errors

    @Override
    public boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 57014: statement_timeout cancelled it (57P0x: server shutting down); 55P03: lock_timeout
                if (state.startsWith("08")
                        || state.equals("40001")
                        || state.equals("40P01")
                        || state.equals("57014")
                        || state.startsWith("57P")
                        || state.equals("53300")
                        || state.equals("55P03")
                        || state.equals("53000")
                        || state.equals("58030")) {
                    return true;
                }
            }
        }
        return e.getSQLState() == null && causedByIo(e);
    }

    @Override
    public boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.startsWith("22") || state.startsWith("23") || state.equals("42804") || state.equals("54000");
    }

    @Override
    protected String onKeyConflict(String keyColumn) {
        return " ON CONFLICT (" + quote(keyColumn) + ") DO UPDATE SET ";
    }

    @Override
    protected String incoming(String column) {
        return "EXCLUDED." + quote(column);
    }
}
