package io.crmconnect.jdbc.dialect;

import io.crmconnect.jdbc.ColumnDef;
import io.crmconnect.jdbc.ColumnKind;
import io.crmconnect.jdbc.JsonText;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What differs between databases: connecting, identifier quoting, SQL types, DDL, the bulk stage and the merge
 * statements, and how errors are classified. Statements are built here as plain strings so they can be tested as
 * golden strings without a database.
 */
public abstract class Dialect {

    /** Stage bookkeeping columns (always present). */
    public static final String OP = "_crm_op";
    /** Present only when history or change-log tables are kept. */
    public static final String SEQ = "_crm_seq";

    public static final String SRC_TOPIC = "_crm_src_topic";
    public static final String SRC_PARTITION = "_crm_src_partition";
    public static final String SRC_OFFSET = "_crm_src_offset";
    public static final String SRC_TS = "_crm_src_ts";
    public static final String HASH = "_crm_hash";
    public static final String APPLY = "_crm_apply";
    public static final String VERSION = "_crm_version";

    public static Dialect forUrl(String url) {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return new MariaDbDialect();
        }
        throw new IllegalArgumentException("no dialect for JDBC URL scheme of " + redactUrl(url));
    }

    public static String redactUrl(String url) {
        return url == null ? "null" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public abstract String name();

    /**
     * Opens a connection with the session settings the sink relies on (UTC, strict mode, auto-commit on) and every
     * wait bounded: connect and login, socket reads, statements and locks.
     */
    public abstract Connection connect(String url, String user, String password, Timeouts timeouts) throws SQLException;

    protected static Properties credentials(String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    public abstract String quote(String identifier);

    /**
     * A table name as SQL: {@code schema.table} (a schema in PostgreSQL, a database in MariaDB, from a dot in
     * table.name.format) becomes two quoted parts, any other name one.
     */
    public String quoteTable(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    /** The schema (database) part of a table name, or null for the connection's current one. */
    public static String schemaOf(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? null : table.substring(0, dot);
    }

    /** The name part of a table name, without its schema. */
    public static String nameOf(String table) {
        return table.substring(table.indexOf('.') + 1);
    }

    /** A table beside {@code table} (same schema) named by its name plus {@code suffix}, shortened when too long. */
    public String sibling(String table, String suffix) {
        String schema = schemaOf(table);
        String name = identifiers().name(nameOf(table) + suffix);
        return schema == null ? name : schema + "." + name;
    }

    /** A stored table name for a wanted one, each part shortened (and checked) like other names. */
    public String tableName(String wanted) {
        String schema = schemaOf(wanted);
        String name = identifiers().name(nameOf(wanted));
        return schema == null ? name : identifiers().name(schema) + "." + name;
    }

    /** A statement parameter bound as {@link #text} and converted to the column's type by the server. */
    public abstract String valuePlaceholder(ColumnDef column);

    /** DDL creating a schema (PostgreSQL) or database (MariaDB) when missing. */
    public abstract String createSchema(String schema);

    public String quoteAll(List<String> identifiers) {
        return identifiers.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ types

    /** SQL type for a column; {@code indexed} asks for an indexable type (key and updated-at columns). */
    public abstract String sqlType(ColumnDef column, boolean indexed);

    /** Logical kind of an existing column from information_schema.columns.data_type (lower case). */
    public abstract ColumnKind kindOf(String dataType);

    /** Type used when widening a column to hold any number exactly. */
    public abstract String widestNumericType();

    // ------------------------------------------------------------------ metadata and DDL

    /**
     * Query: (column_name, data_type, is_primary) of a table; parameters: schema (null: the current one) and table
     * name.
     */
    public abstract String columnsQuery();

    /** Whether two column names differing only in case are different columns. */
    public abstract boolean caseSensitiveColumns();

    /**
     * Statement adding a committed chunk to the sync-state table: parameters table name, rows upserted, rows deleted;
     * sets the last sync time and status 'ok'.
     */
    public String syncStateWritten(String stateTable) {
        String t = quoteTable(stateTable);
        return "INSERT INTO " + t + " (table_name, last_synced_at, rows_upserted, rows_deleted, records_rejected, "
                + "status) VALUES (?, " + nowExpression() + ", ?, ?, 0, 'ok')" + onKeyConflict("table_name")
                + "last_synced_at = " + incoming("last_synced_at") + ", rows_upserted = " + t + ".rows_upserted + "
                + incoming("rows_upserted") + ", rows_deleted = " + t + ".rows_deleted + " + incoming("rows_deleted")
                + ", status = 'ok'";
    }

    /** Statement counting a rejected record in the sync-state table: parameters table name, reason. */
    public String syncStateRejected(String stateTable) {
        String t = quoteTable(stateTable);
        return "INSERT INTO " + t + " (table_name, rows_upserted, rows_deleted, records_rejected, status, last_error, "
                + "last_error_at) VALUES (?, 0, 0, 1, 'rejected_records', ?, " + nowExpression() + ")"
                + onKeyConflict("table_name") + "records_rejected = " + t + ".records_rejected + 1, "
                + "status = 'rejected_records', last_error = " + incoming("last_error") + ", last_error_at = "
                + incoming("last_error_at");
    }

    /** The clause that turns an INSERT into an update of the row with the same key, up to its SET list. */
    protected abstract String onKeyConflict(String keyColumn);

    /** The value an INSERT tried to write to {@code column}, inside {@link #onKeyConflict}. */
    protected abstract String incoming(String column);

    /**
     * Query: names of the unique indexes of a table other than its primary key, parameters as columnsQuery; null where the
     * merge cannot meet them silently (PostgreSQL's ON CONFLICT names the key; another unique index raises 23505).
     */
    public String otherUniqueIndexesQuery() {
        return null;
    }

    /**
     * Query counting the staged rows ({@code where}) that have no row under their own key after the merge, or null
     * where that cannot happen. On MariaDB, ON DUPLICATE KEY UPDATE fires on any unique index: a row whose unique
     * non-key column holds another row's value updates that other row instead of being inserted.
     */
    public String mergedElsewhereQuery(String table, Stage stage, List<String> keyColumns, String where) {
        return null;
    }

    public abstract String createTable(
            String table, List<ColumnDef> columns, List<String> keyColumns, Set<String> indexedColumns);

    public abstract String createIndex(String table, String indexName, List<String> columns, boolean unique);

    /**
     * Another way to create a non-unique index the database refused with {@code refused} (MariaDB: on long text
     * columns, a prefix index), or null when there is none. {@code kinds}: the table's columns.
     */
    public String indexRetry(
            String table, String indexName, List<String> columns, Map<String, ColumnKind> kinds, SQLException refused) {
        return null;
    }

    public abstract String addColumn(String table, ColumnDef column, boolean indexed);

    public abstract String widenColumn(String table, String column, String sqlType);

    /** Index names are limited like other names (63 bytes on PostgreSQL, 64 characters on MariaDB). */
    public String indexName(String table, String suffix) {
        return identifiers().name(nameOf(table) + "_" + suffix);
    }

    /** How wanted names become names this database keeps as written. */
    public abstract Identifiers identifiers();

    public static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ stage

    /**
     * Creates the stage (if this connection has not yet) and empties it. {@code columns} are target-table columns
     * followed by stage bookkeeping columns.
     */
    public abstract void prepareStage(Connection connection, Stage stage) throws SQLException;

    /** Streams the rows into the stage in one bulk operation. */
    public abstract long loadStage(Connection connection, Stage stage, List<Object[]> rows) throws SQLException;

    /** Expression to read stage column {@code column} for a target column of kind {@code targetKind}. */
    public String stageRead(String alias, String column, ColumnKind targetKind) {
        return alias + "." + quote(column);
    }

    public abstract String nowExpression();

    public abstract String trueLiteral();

    public abstract String falseLiteral();

    // ------------------------------------------------------------------ merge statements

    /** INSERT .. SELECT .. ON CONFLICT DO UPDATE (upsert) or DO NOTHING (insert with key) or plain (no key). */
    public abstract String insertFromStage(
            String table,
            Stage stage,
            List<String> keyColumns,
            List<String> updateColumns,
            Map<String, String> computed,
            boolean upsert,
            String where);

    /** UPDATE existing rows from the stage; {@code computed} are extra SET column = expression pairs. */
    public abstract String updateFromStage(
            String table,
            Stage stage,
            List<String> keyColumns,
            List<String> setColumns,
            Map<String, String> computed,
            String where);

    public abstract String deleteFromStage(String table, Stage stage, List<String> keyColumns, String where);

    /** Closes current history versions of keys that get a new version in the stage. */
    public abstract String closeHistory(
            String history, Stage stage, List<String> keyColumns, String validTo, String isCurrent);

    /** SELECT of current history versions (key columns as text, hash, topic, partition, offset) for stage keys. */
    public abstract String currentHistory(
            String history,
            Stage stage,
            List<String> keyColumns,
            String isCurrent,
            String hash,
            String topic,
            String partition,
            String offset);

    /** INSERT that ignores rows whose primary key exists (history/change-log idempotence). */
    public abstract String insertIgnoring(String table, List<String> columns, String select, List<String> keyColumns);

    /** Marks stage rows (by sequence number) as history versions. */
    public String markVersions(Stage stage, List<Long> seqs) {
        return "UPDATE " + quote(stage.name()) + " SET " + quote(VERSION) + " = " + trueLiteral() + " WHERE "
                + quote(SEQ) + " IN (" + seqs.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
    }

    // ------------------------------------------------------------------ values

    /** The canonical text of a value, as written into the stage and as hashed for history. */
    public String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof Boolean b) {
            return booleanText(b);
        }
        if (v instanceof Double d) {
            return doubleText(d);
        }
        if (v instanceof Float f) {
            return doubleText(f.doubleValue());
        }
        if (v instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (v instanceof Instant i) {
            return instantText(i);
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof LocalTime t) {
            return t.toString();
        }
        if (v instanceof byte[] b) {
            return bytesText(b);
        }
        if (v instanceof JsonText j) {
            return j.json();
        }
        return v.toString();
    }

    protected String doubleText(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return Double.toString(d);
    }

    protected abstract String booleanText(boolean b);

    protected abstract String instantText(Instant instant);

    protected abstract String bytesText(byte[] bytes);

    // ------------------------------------------------------------------ errors

    /** Connection lost, deadlock, serialization failure, server shutting down: worth retrying the batch. */
    public abstract boolean isTransient(SQLException e);

    /** Caused by the data of some record (too long, bad type, constraint): isolate the record and DLQ it. */
    public abstract boolean isDataError(SQLException e);

    /** The error message with SQLState and vendor code, first line only. */
    public static String describe(SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        return msg + " (SQLState " + e.getSQLState() + ", code " + e.getErrorCode() + ")";
    }

    protected static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ stage description

    /**
     * A staging table: its name (unique per target table, column list and table version), the target columns it
     * carries, their kinds in the target, and the bookkeeping columns.
     */
    public record Stage(
            String name, String target, List<String> columns, List<ColumnKind> kinds, List<String> bookkeeping) {
        public List<String> allColumns() {
            List<String> all = new ArrayList<>(columns);
            all.addAll(bookkeeping);
            return all;
        }

        public ColumnKind kindOf(String column) {
            int i = columns.indexOf(column);
            return i < 0 ? ColumnKind.OTHER : kinds.get(i);
        }
    }

    /** Kinds of the bookkeeping columns. */
    public static ColumnKind bookkeepingKind(String column) {
        return switch (column) {
            case SEQ, SRC_OFFSET -> ColumnKind.INT64;
            case SRC_PARTITION -> ColumnKind.INT32;
            case SRC_TS -> ColumnKind.TIMESTAMP;
            case APPLY, VERSION -> ColumnKind.BOOLEAN;
            default -> ColumnKind.STRING;
        };
    }
}
