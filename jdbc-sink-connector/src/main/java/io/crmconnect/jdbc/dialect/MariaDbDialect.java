package io.crmconnect.jdbc.dialect;

import io.crmconnect.jdbc.ColumnDef;
import io.crmconnect.jdbc.ColumnKind;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * MariaDB (and MySQL through the MariaDB driver): a text-typed temporary stage filled with LOAD DATA LOCAL INFILE
 * streamed from memory, then INSERT .. SELECT .. ON DUPLICATE KEY UPDATE in STRICT mode, so conversion problems
 * surface as errors on the merge (LOAD DATA LOCAL would only warn) and can be pinned to a record.
 */
public final class MariaDbDialect extends Dialect {
    /** Characters of a text column in a prefix index (191 x 4 bytes of utf8mb4 = 764 bytes). */
    static final int INDEX_PREFIX = 191;

    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            1205, 1213, 1040, 1053, 1077, 1152, 1158, 1159, 1160, 1161, 1927, 2002, 2003, 2006, 2013, 2055, 1317);
    private static final Set<Integer> DATA_CODES = Set.of(
            1048, 1062, 1264, 1265, 1292, 1366, 1406, 1451, 1452, 1690, 1300, 3140, 4025, 1411, 1367, 1416, 1215, 1216,
            1217, 1525, 1918, 4078, 1586, 1169);

    static {
        // The driver logs every server error at WARN with the values it quotes ("Duplicate entry 'a@b.com'");
        // the sink reports each error itself, sanitized. An operator's explicit setting wins.
        if (System.getProperty("mariadb.logging.disable") == null) {
            System.setProperty("mariadb.logging.disable", "true");
        }
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public Connection connect(String url, String user, String password, Timeouts timeouts) throws SQLException {
        Properties props = credentials(user, password);
        props.setProperty("allowLocalInfile", "true");
        props.setProperty("connectTimeout", String.valueOf(timeouts.connectMs()));
        props.setProperty("socketTimeout", String.valueOf(timeouts.socketMs()));
        props.setProperty("tcpKeepAlive", "true");
        String effective =
                url.startsWith("jdbc:mysql:") ? url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme" : url;
        Connection connection = new org.mariadb.jdbc.Driver().connect(effective, props);
        if (connection == null) {
            throw new SQLException("the MariaDB driver does not accept this URL", "08001");
        }
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00', "
                    + "sql_mode = CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES', 'NO_AUTO_VALUE_ON_ZERO'), "
                    // every statement (DDL and LOAD DATA included), metadata locks (DDL) and row locks
                    + "max_statement_time = " + timeouts.statementMs() / 1000.0 + ", "
                    + "lock_wait_timeout = " + Timeouts.seconds(timeouts.lockMs()) + ", "
                    + "innodb_lock_wait_timeout = " + Timeouts.seconds(timeouts.lockMs()));
        }
        return connection;
    }

    private static final Identifiers IDENTIFIERS = new Identifiers("MariaDB", 0, 64, true, false);

    @Override
    public Identifiers identifiers() {
        return IDENTIFIERS;
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String sqlType(ColumnDef c, boolean indexed) {
        return switch (c.kind()) {
            case BOOLEAN -> "BOOLEAN";
            case INT8 -> "TINYINT";
            case INT16 -> "SMALLINT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case DECIMAL -> decimal(c.precision(), c.scale());
            case STRING, OTHER -> indexed ? "VARCHAR(255)" : "LONGTEXT";
            case BYTES -> indexed ? "VARBINARY(255)" : "LONGBLOB";
            case DATE -> "DATE";
            case TIME -> "TIME(3)";
            case TIMESTAMP -> "DATETIME(3)";
            case JSON -> "JSON";
        };
    }

    private static String decimal(int precision, int scale) {
        if (scale < 0) {
            return "DECIMAL(65,30)";
        }
        int s = Math.min(scale, 30);
        int p = precision > 0 ? precision : 38;
        p = Math.min(65, Math.max(p, s + 1));
        return "DECIMAL(" + p + "," + s + ")";
    }

    @Override
    public ColumnKind kindOf(String columnType) {
        String t = columnType.toLowerCase(Locale.ROOT);
        if (t.startsWith("tinyint(1)") || t.equals("boolean")) {
            return ColumnKind.BOOLEAN;
        }
        String base = t.replaceAll("[( ].*$", "");
        return switch (base) {
            case "tinyint" -> ColumnKind.INT8;
            case "smallint" -> ColumnKind.INT16;
            case "mediumint", "int", "integer" -> ColumnKind.INT32;
            case "bigint" -> ColumnKind.INT64;
            case "float" -> ColumnKind.FLOAT32;
            case "double", "real" -> ColumnKind.FLOAT64;
            case "decimal", "numeric" -> ColumnKind.DECIMAL;
            case "varchar", "char", "text", "tinytext", "mediumtext", "longtext", "enum", "set" -> ColumnKind.STRING;
            case "json" -> ColumnKind.JSON;
            case "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary" -> ColumnKind.BYTES;
            case "date" -> ColumnKind.DATE;
            case "time" -> ColumnKind.TIME;
            case "datetime", "timestamp" -> ColumnKind.TIMESTAMP;
            default -> ColumnKind.OTHER;
        };
    }

    @Override
    public String widestNumericType() {
        return "DECIMAL(65,30)";
    }

    @Override
    public String columnsQuery() {
        return "SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_KEY = 'PRI' FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    }

    @Override
    public String valuePlaceholder(ColumnDef column) {
        return column.kind() == ColumnKind.BYTES ? "UNHEX(?)" : "?"; // the server converts text in STRICT mode
    }

    @Override
    public String createSchema(String schema) {
        return "CREATE DATABASE IF NOT EXISTS " + quote(schema);
    }

    @Override
    public boolean caseSensitiveColumns() {
        return false;
    }

    @Override
    public String otherUniqueIndexesQuery() {
        return "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) "
                + "AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME";
    }

    @Override
    public String mergedElsewhereQuery(String table, Stage stage, List<String> keyColumns, String where) {
        return "SELECT COUNT(*) FROM " + quote(stage.name()) + " s WHERE " + where + " AND NOT EXISTS (SELECT 1 FROM "
                + quoteTable(table) + " t WHERE " + keyJoin("t", "s", stage, keyColumns) + ")";
    }

    @Override
    public String createTable(
            String table, List<ColumnDef> columns, List<String> keyColumns, Set<String> indexedColumns) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : columns) {
            boolean key = keyColumns.contains(c.name());
            parts.add(quote(c.name()) + " " + sqlType(c, key || indexedColumns.contains(c.name()))
                    + (key ? " NOT NULL" : " NULL"));
        }
        if (!keyColumns.isEmpty()) {
            parts.add("PRIMARY KEY (" + quoteAll(keyColumns) + ")");
        }
        // Binary collation: keys differing only in case are different objects, as they are in Kafka.
        return "CREATE TABLE IF NOT EXISTS " + quoteTable(table) + " (" + String.join(", ", parts)
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public String createIndex(String table, String indexName, List<String> columns, boolean unique) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + quote(indexName) + " ON "
                + quoteTable(table) + " (" + quoteAll(columns) + ")";
    }

    /**
     * Text and binary columns of an index the server refused for them (a LONGTEXT column, created before the index
     * was declared: 1170 {@code BLOB/TEXT column used in key specification without a key length}, or 1071 {@code
     * Specified key was too long}) are indexed by their first {@value #INDEX_PREFIX} characters: four such columns
     * fit InnoDB's 3072-byte key in utf8mb4.
     */
    @Override
    public String indexRetry(
            String table, String indexName, List<String> columns, Map<String, ColumnKind> kinds, SQLException refused) {
        if (refused.getErrorCode() != 1170 && refused.getErrorCode() != 1071) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            ColumnKind k = kinds.get(c);
            boolean text =
                    k == ColumnKind.STRING || k == ColumnKind.BYTES || k == ColumnKind.JSON || k == ColumnKind.OTHER;
            parts.add(quote(c) + (text ? "(" + INDEX_PREFIX + ")" : ""));
        }
        return "CREATE INDEX IF NOT EXISTS " + quote(indexName) + " ON " + quoteTable(table) + " ("
                + String.join(", ", parts) + ")";
    }

    @Override
    public String addColumn(String table, ColumnDef column, boolean indexed) {
        return "ALTER TABLE " + quoteTable(table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                + sqlType(column, indexed) + " NULL";
    }

    @Override
    public String widenColumn(String table, String column, String sqlType) {
        return "ALTER TABLE " + quoteTable(table) + " MODIFY COLUMN " + quote(column) + " " + sqlType + " NULL";
    }

    // ------------------------------------------------------------------ stage

    /**
     * The stage is a MyISAM temporary table where the server allows it: a scratch table needs no undo log, and
     * loading it is cheaper than an InnoDB one. Servers that disable MyISAM get InnoDB.
     */
    private volatile boolean myIsamStage = true;

    public String createStage(Stage stage) {
        return createStage(stage, "MyISAM");
    }

    public String createStage(Stage stage, String engine) {
        List<String> parts = new ArrayList<>();
        for (String c : stage.columns()) {
            parts.add(quote(c) + " LONGTEXT NULL");
        }
        for (String b : stage.bookkeeping()) {
            parts.add(quote(b) + " " + sqlType(ColumnDef.of(b, bookkeepingKind(b)), true) + " NULL");
        }
        return "CREATE TEMPORARY TABLE IF NOT EXISTS " + quote(stage.name()) + " (" + String.join(", ", parts)
                + ") ENGINE=" + engine + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
    }

    @Override
    public void prepareStage(Connection connection, Stage stage) throws SQLException {
        try (Statement st = connection.createStatement()) {
            if (myIsamStage) {
                try {
                    st.execute(createStage(stage, "MyISAM"));
                } catch (SQLException e) {
                    if (isTransient(e)) {
                        throw e;
                    }
                    myIsamStage = false; // e.g. "storage engine MyISAM is disabled"
                    st.execute(createStage(stage, "InnoDB"));
                }
            } else {
                st.execute(createStage(stage, "InnoDB"));
            }
            st.execute("TRUNCATE TABLE " + quote(stage.name()));
        }
    }

    public String loadSql(Stage stage) {
        return "LOAD DATA LOCAL INFILE 'crmconnect-stage.tsv' INTO TABLE " + quote(stage.name())
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ("
                + quoteAll(stage.allColumns()) + ")";
    }

    @Override
    public long loadStage(Connection connection, Stage stage, List<Object[]> rows) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(new RowStream(rows, this::encodeTsv));
            return st.executeUpdate(loadSql(stage));
        }
    }

    /** One LOAD DATA line as UTF-8: tab-separated, backslash escapes, \N for NULL. */
    public void encodeTsv(RowStream.Bytes out, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.put('\t');
            }
            Object v = row[i];
            if (v == null) {
                out.put('\\').put('N');
            } else if (v instanceof String s) {
                out.text(s, (char) 0, true);
            } else if (v instanceof Long l) {
                out.digits(l);
            } else if (v instanceof BigDecimal d) {
                out.decimal(d);
            } else if (!(v instanceof Instant t && t.getNano() % 1_000_000 == 0 && out.instant(t, ' ', "", true))) {
                out.text(text(v), (char) 0, true);
            }
        }
        out.put('\n');
    }

    /** Reads a stage column converted for the target column; the stage holds text. */
    @Override
    public String stageRead(String alias, String column, ColumnKind targetKind) {
        String ref = alias + "." + quote(column);
        return switch (targetKind) {
            case BYTES -> "UNHEX(" + ref + ")";
            default -> ref;
        };
    }

    /** Comparison of a typed target key with a text stage key, keeping the target's index usable. */
    private String keyRead(String alias, String column, ColumnKind kind) {
        String ref = alias + "." + quote(column);
        return switch (kind) {
            case INT8, INT16, INT32, INT64 -> "CAST(" + ref + " AS SIGNED)";
            case DECIMAL -> "CAST(" + ref + " AS DECIMAL(65,30))";
            case BYTES -> "UNHEX(" + ref + ")";
            default -> ref;
        };
    }

    private String keyJoin(String target, String stageAlias, Stage stage, List<String> keys) {
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(target + "." + quote(k) + " = " + keyRead(stageAlias, k, stage.kindOf(k)));
        }
        return String.join(" AND ", parts);
    }

    @Override
    public String nowExpression() {
        return "UTC_TIMESTAMP(3)";
    }

    @Override
    public String trueLiteral() {
        return "TRUE";
    }

    @Override
    public String falseLiteral() {
        return "FALSE";
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
            select.add(stageRead("s", c, stage.kindOf(c)));
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
            List<String> assignments = new ArrayList<>();
            if (upsert && !updateColumns.isEmpty()) {
                List<String> set = new ArrayList<>(updateColumns);
                set.addAll(computed.keySet());
                for (String c : set) {
                    assignments.add(quote(c) + " = VALUES(" + quote(c) + ")");
                }
            } else {
                // "do nothing": the row keeps its key (VALUES(key) would re-key a row met through another unique
                // index to the new record's key)
                String key = quoteTable(table) + "." + quote(keyColumns.get(0)); // the stage has the column too
                assignments.add(key + " = " + key);
            }
            sql.append(" ON DUPLICATE KEY UPDATE ").append(String.join(", ", assignments));
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
            assignments.add("t." + quote(c) + " = " + stageRead("s", c, stage.kindOf(c)));
        }
        computed.forEach((c, expr) -> assignments.add("t." + quote(c) + " = " + expr));
        return "UPDATE " + quoteTable(table) + " t JOIN " + quote(stage.name()) + " s ON "
                + keyJoin("t", "s", stage, keyColumns) + " SET " + String.join(", ", assignments)
                + (where == null ? "" : " WHERE " + where);
    }

    @Override
    public String deleteFromStage(String table, Stage stage, List<String> keyColumns, String where) {
        return "DELETE t FROM " + quoteTable(table) + " t JOIN " + quote(stage.name()) + " s ON "
                + keyJoin("t", "s", stage, keyColumns) + (where == null ? "" : " WHERE " + where);
    }

    @Override
    public String closeHistory(String history, Stage stage, List<String> keyColumns, String validTo, String isCurrent) {
        return "UPDATE " + quoteTable(history) + " h JOIN (SELECT " + quoteAll(keyColumns) + ", MIN(" + quote(SRC_TS)
                + ") AS ts FROM " + quote(stage.name()) + " WHERE " + quote(VERSION) + " GROUP BY "
                + quoteAll(keyColumns) + ") v ON " + keyJoin("h", "v", stage, keyColumns) + " SET h." + quote(validTo)
                + " = v.ts, h." + quote(isCurrent) + " = FALSE WHERE h." + quote(isCurrent);
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
            keys.add("CAST(h." + quote(k) + " AS CHAR)");
        }
        return "SELECT " + String.join(", ", keys) + ", h." + quote(hash) + ", h." + quote(topic) + ", h."
                + quote(partition) + ", h." + quote(offset) + " FROM " + quoteTable(history) + " h WHERE h."
                + quote(isCurrent) + " AND EXISTS (SELECT 1 FROM " + quote(stage.name()) + " s WHERE "
                + keyJoin("h", "s", stage, keyColumns) + ")";
    }

    @Override
    public String insertIgnoring(String table, List<String> columns, String select, List<String> keyColumns) {
        String k = quote(keyColumns.get(0));
        return "INSERT INTO " + quoteTable(table) + " (" + quoteAll(columns) + ") " + select
                + " ON DUPLICATE KEY UPDATE " + k + " = VALUES(" + k + ")";
    }

    // ------------------------------------------------------------------ values

    @Override
    protected String booleanText(boolean b) {
        return b ? "1" : "0";
    }

    @Override
    protected String instantText(Instant instant) {
        return DATETIME.format(instant);
    }

    @Override
    protected String bytesText(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // ------------------------------------------------------------------ errors

    @Override
    public boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTransactionRollbackException) {
                return true;
            }
            if (t instanceof SQLException s) {
                if (TRANSIENT_CODES.contains(s.getErrorCode())) {
                    return true;
                }
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("70100"))) {
                    return true;
                }
            }
        }
        return causedByIo(e) && !isDataError(e);
    }

    @Override
    public boolean isDataError(SQLException e) {
        if (e.getErrorCode() != 0) {
            // vendor codes are precise; SQLState 23000 also covers statement bugs such as ambiguous columns (1052)
            return DATA_CODES.contains(e.getErrorCode());
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    @Override
    protected String onKeyConflict(String keyColumn) {
        return " ON DUPLICATE KEY UPDATE ";
    }

    @Override
    protected String incoming(String column) {
        return "VALUES(" + quote(column) + ")";
    }
}
