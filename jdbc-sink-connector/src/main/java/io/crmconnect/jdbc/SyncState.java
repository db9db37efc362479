package io.crmconnect.jdbc;

import io.crmconnect.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * Keeps the sync-state table (sync.state.table): one row per table the sink writes, with the time of the last
 * committed write, cumulative row counts, a status and the last rejection, so users see in SQL how each object syncs.
 * The counts are updated in the transaction of the chunk they count, so they never disagree with the data.
 */
final class SyncState {
    static final String TABLE = "table_name";
    static final String LAST_SYNCED_AT = "last_synced_at";
    static final String ROWS_UPSERTED = "rows_upserted";
    static final String ROWS_DELETED = "rows_deleted";
    static final String RECORDS_REJECTED = "records_rejected";
    static final String STATUS = "status";
    static final String LAST_ERROR = "last_error";
    static final String LAST_ERROR_AT = "last_error_at";

    private final Dialect dialect;
    private final String name;
    private boolean created;

    /** {@code name} is the stored table name, or null when sync.state.table is empty. */
    SyncState(Dialect dialect, String name) {
        this.dialect = dialect;
        this.name = name;
    }

    boolean enabled() {
        return name != null;
    }

    /** Forget that the table exists (after a reconnect, as for other cached DDL). */
    void invalidate() {
        created = false;
    }

    /** Creates the table if missing (auto-commit, once per connection). */
    void ensure(Connection connection) throws SQLException {
        if (name == null || created) {
            return;
        }
        List<ColumnDef> columns = List.of(
                new ColumnDef(TABLE, ColumnKind.STRING, -1, -1, true),
                ColumnDef.of(LAST_SYNCED_AT, ColumnKind.TIMESTAMP),
                ColumnDef.of(ROWS_UPSERTED, ColumnKind.INT64),
                ColumnDef.of(ROWS_DELETED, ColumnKind.INT64),
                ColumnDef.of(RECORDS_REJECTED, ColumnKind.INT64),
                ColumnDef.of(STATUS, ColumnKind.STRING),
                ColumnDef.of(LAST_ERROR, ColumnKind.STRING),
                ColumnDef.of(LAST_ERROR_AT, ColumnKind.TIMESTAMP));
        try (Statement st = connection.createStatement()) {
            st.execute(dialect.createTable(name, columns, List.of(TABLE), Set.of(STATUS)));
        }
        created = true;
    }

    /** A chunk of {@code table} is being committed: counts added, status ok (same transaction as the chunk). */
    void written(Connection connection, String table, long upserted, long deleted) throws SQLException {
        if (name == null) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement(dialect.syncStateWritten(name))) {
            st.setString(1, table);
            st.setLong(2, upserted);
            st.setLong(3, deleted);
            st.executeUpdate();
        }
    }

    /** A record for {@code table} went to the DLQ: counted, with the reason (names only, never values). */
    void rejected(Connection connection, String table, String reason) throws SQLException {
        if (name == null) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement(dialect.syncStateRejected(name))) {
            st.setString(1, table);
            st.setString(2, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
            st.executeUpdate();
        }
    }
}
