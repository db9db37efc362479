package io.crmconnect.jdbc;

import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.jdbc.JdbcSinkConfig.DeleteMode;
import io.crmconnect.jdbc.JdbcSinkConfig.InsertMode;
import io.crmconnect.jdbc.JdbcSinkConfig.MetadataColumn;
import io.crmconnect.jdbc.RecordMapper.MappedRecord;
import io.crmconnect.jdbc.dialect.Dialect;
import io.crmconnect.jdbc.dialect.Dialect.Stage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes one chunk of records for one table in one transaction: stage (COPY / LOAD DATA), then SCD2 history,
 * deletes, the merge into the current-state table, the rows of child tables and the change log, each one set-based
 * statement (child rows: batched), and the table's counts in the sync-state table.
 */
public final class TableWriter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableWriter.class);
    private final JdbcSinkConfig config;
    private final Dialect dialect;
    private final TableManager tables;
    private final SinkMetrics metrics;
    private final InsertMode insertMode;
    private final DeleteMode deleteMode;
    private final boolean scd2;
    private final boolean changelog;
    private final String meta;
    private final Set<String> metadataNames = new HashSet<>();

    private final SyncState syncState;
    private final ChildTables children;

    TableWriter(JdbcSinkConfig config, Dialect dialect, TableManager tables, SinkMetrics metrics, SyncState syncState) {
        this.syncState = syncState;
        this.children = new ChildTables(
                dialect,
                tables,
                config.childTables(),
                config.recordShapeEnabled(),
                config.deleteMode() == DeleteMode.HARD);
        this.config = config;
        this.dialect = dialect;
        this.tables = tables;
        this.metrics = metrics;
        this.insertMode = config.insertMode();
        this.deleteMode = config.deleteMode();
        this.scd2 = config.scd2Enabled();
        this.changelog = config.changelogEnabled();
        this.meta = config.metadataPrefix();
        for (String m : List.of(
                "synced",
                "kafka_topic",
                "kafka_partition",
                "kafka_offset",
                "deleted",
                "deleted_at",
                "valid_from",
                "valid_to",
                "is_current",
                "row_hash",
                "op",
                "kafka_timestamp")) {
            metadataNames.add(meta + m);
        }
    }

    private String m(String name) {
        return meta + name;
    }

    /** The column of a value field named in the config, as the chunk's records lay it out (or null). */
    private static String columnOfField(List<MappedRecord> chunk, String field) {
        for (MappedRecord r : chunk) {
            if (!r.delete()) {
                return r.layout().columnOfField(field);
            }
        }
        return null;
    }

    /** The history table's stored name: table name and suffix shortened as one name when too long. */
    private String scd2Table(String table) {
        return dialect.sibling(table, config.scd2Suffix());
    }

    private String changelogTable(String table) {
        return dialect.sibling(table, config.changelogSuffix());
    }

    private static void widen(Map<String, ColumnDef> union, ColumnDef d) {
        ColumnDef have = union.get(d.name());
        if (have == null) {
            union.put(d.name(), d);
        } else if (have.kind() != d.kind()) {
            ColumnKind k = ColumnTypes.merge(have.kind(), d.kind());
            union.put(
                    d.name(),
                    new ColumnDef(
                            d.name(),
                            k,
                            Math.max(have.precision(), d.precision()),
                            Math.max(have.scale(), d.scale()),
                            have.key() || d.key()));
        }
    }

    /** What one chunk did. */
    public record Result(long upserted, long deleted, long versions) {}

    public Result write(Connection connection, String table, List<MappedRecord> chunk) throws SQLException {
        long started = System.nanoTime();
        boolean history = scd2 || changelog;
        List<String> keyColumns = chunk.get(0).keyColumns();

        // 1. the chunk's columns: union of every record's columns, kinds widened where records disagree; a
        // tombstone only adds key columns no value had (its key carries no schema hints such as an integer id)
        LinkedHashMap<String, ColumnDef> union = new LinkedHashMap<>();
        for (boolean deletes : new boolean[] {false, true}) {
            RowLayout seen = null;
            for (MappedRecord r : chunk) {
                if (r.delete() != deletes || r.layout() == seen) {
                    continue; // schema-ful records share their layout: once per layout is enough
                }
                seen = r.layout();
                for (ColumnDef d : r.defs().values()) {
                    if (deletes) {
                        if (d.key()) {
                            union.putIfAbsent(d.name(), d);
                        }
                        continue;
                    }
                    widen(union, d);
                }
            }
        }
        Map<String, String> computed = new LinkedHashMap<>();
        List<ColumnDef> ddl = new ArrayList<>(union.values());
        if (config.metadataColumns().contains(MetadataColumn.SYNCED_AT)) {
            computed.put(m("synced"), dialect.nowExpression());
            ddl.add(ColumnDef.of(m("synced"), ColumnKind.TIMESTAMP));
        }
        if (deleteMode == DeleteMode.SOFT && !union.containsKey(m("deleted"))) {
            ddl.add(ColumnDef.of(m("deleted"), ColumnKind.BOOLEAN));
            ddl.add(ColumnDef.of(m("deleted_at"), ColumnKind.TIMESTAMP));
        }
        List<List<String>> indexes = new ArrayList<>();
        String updatedAt = config.updatedAtField() == null ? null : columnOfField(chunk, config.updatedAtField());
        if (updatedAt != null && union.containsKey(updatedAt)) {
            indexes.add(List.of(updatedAt));
        }
        for (List<String> names : config.tableIndexes()) {
            List<String> columns = new ArrayList<>();
            for (String name : names) {
                String field = columnOfField(chunk, name);
                String column = field != null ? field : name;
                if (union.containsKey(column)) {
                    columns.add(column);
                }
            }
            if (columns.size() == names.size() && !indexes.contains(columns)) {
                indexes.add(columns);
            }
        }

        // 2. DDL (auto-commit): the table and, when enabled, its history and change-log tables
        TableManager.TableState state = tables.ensure(connection, table, ddl, keyColumns, indexes);
        List<String> stageColumns = new ArrayList<>();
        List<ColumnKind> stageKinds = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        for (ColumnDef d : union.values()) {
            String existing = tables.existingName(state, d.name());
            if (existing == null) {
                continue; // a column seen only with null values: nothing to write yet
            }
            stageColumns.add(existing);
            stageKinds.add(state.columns().get(existing));
            sourceNames.add(d.name());
        }
        List<String> keys = new ArrayList<>();
        for (String k : keyColumns) {
            keys.add(tables.existingName(state, k));
        }
        List<String> historyData = new ArrayList<>();
        for (String c : stageColumns) {
            if (!metadataNames.contains(c)) {
                historyData.add(c);
            }
        }
        if (scd2) {
            tables.ensure(
                    connection,
                    scd2Table(table),
                    historyDdl(union, historyData, true),
                    List.of(m("kafka_topic"), m("kafka_partition"), m("kafka_offset")),
                    List.of(concat(keys, m("is_current"))));
        }
        if (changelog) {
            tables.ensure(
                    connection,
                    changelogTable(table),
                    historyDdl(union, historyData, false),
                    List.of(m("kafka_topic"), m("kafka_partition"), m("kafka_offset")),
                    List.of());
        }

        List<String> bookkeeping = new ArrayList<>(List.of(Dialect.OP));
        if (history) {
            bookkeeping.addAll(List.of(
                    Dialect.SEQ,
                    Dialect.SRC_TOPIC,
                    Dialect.SRC_PARTITION,
                    Dialect.SRC_OFFSET,
                    Dialect.SRC_TS,
                    Dialect.HASH,
                    Dialect.APPLY,
                    Dialect.VERSION));
        }
        Stage stage = new Stage(
                "crm_stage_"
                        + Dialect.shortHash(table + "|" + stageColumns + "|" + stageKinds + "|" + state.version() + "|"
                                + bookkeeping),
                table,
                stageColumns,
                stageKinds,
                bookkeeping);

        // 3. which records change the current-state table (in-batch de-duplication by key)
        boolean[] apply = winners(chunk, keyColumns.isEmpty());
        List<MappedRecord> staged = new ArrayList<>();
        List<Boolean> stagedApply = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            if (history || apply[i]) {
                staged.add(chunk.get(i));
                stagedApply.add(apply[i]);
            }
        }
        List<String> tracked = trackedColumns(chunk, sourceNames, keyColumns);
        List<Object[]> rows = new ArrayList<>(staged.size());
        long upserts = 0;
        RowLayout mappedLayout = null;
        int[] positions = new int[sourceNames.size()];
        for (int i = 0; i < staged.size(); i++) {
            MappedRecord r = staged.get(i);
            Object[] row = new Object[stageColumns.size() + bookkeeping.size()];
            if (r.layout() != mappedLayout) {
                mappedLayout = r.layout();
                for (int c = 0; c < positions.length; c++) {
                    positions[c] = mappedLayout.indexOf(sourceNames.get(c));
                }
            }
            Object[] values = r.row();
            for (int c = 0; c < positions.length; c++) {
                row[c] = positions[c] < 0 ? null : values[positions[c]];
            }
            int b = stageColumns.size();
            row[b] = r.delete() ? "d" : "u";
            if (history) {
                SinkRecordCoordinates coords = SinkRecordCoordinates.of(r.record());
                row[b + 1] = (long) i;
                row[b + 2] = coords.topic();
                row[b + 3] = (long) coords.partition();
                row[b + 4] = coords.offset();
                row[b + 5] = r.record().timestamp() == null
                        ? Instant.now()
                        : Instant.ofEpochMilli(r.record().timestamp());
                row[b + 6] = r.delete() ? "deleted" : hash(r, tracked);
                row[b + 7] = stagedApply.get(i);
                row[b + 8] = Boolean.FALSE;
            }
            if (!r.delete() && stagedApply.get(i)) {
                upserts++;
            }
            rows.add(row);
        }

        syncState.ensure(connection);
        List<ChildTables.Plan> childPlans =
                children.enabled() ? children.prepare(connection, table, chunk, apply) : List.of();

        // 4. one transaction: stage, history, deletes, merge, change log, sync state
        long prepared = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            dialect.prepareStage(connection, stage);
            dialect.loadStage(connection, stage, rows);
            long loaded = System.nanoTime();
            long versions = 0;
            if (scd2) {
                versions = writeHistory(st, scd2Table(table), stage, keys, historyData, staged, tracked);
            }
            String opU = "s." + dialect.quote(Dialect.OP) + " = 'u'"
                    + (history ? " AND s." + dialect.quote(Dialect.APPLY) : "");
            String opD = "s." + dialect.quote(Dialect.OP) + " = 'd'"
                    + (history ? " AND s." + dialect.quote(Dialect.APPLY) : "");
            long deleted = 0;
            if (staged.stream().anyMatch(MappedRecord::delete)) {
                if (deleteMode == DeleteMode.HARD) {
                    deleted = st.executeUpdate(dialect.deleteFromStage(table, stage, keys, opD));
                } else if (deleteMode == DeleteMode.SOFT) {
                    Map<String, String> set = new LinkedHashMap<>();
                    set.put(tables.existingName(state, m("deleted")), dialect.trueLiteral());
                    set.put(tables.existingName(state, m("deleted_at")), dialect.nowExpression());
                    set.putAll(computed);
                    deleted = st.executeUpdate(dialect.updateFromStage(table, stage, keys, List.of(), set, opD));
                }
            }
            if (upserts > 0) {
                List<String> nonKey = new ArrayList<>();
                for (String c : stageColumns) {
                    if (!keys.contains(c)) {
                        nonKey.add(c);
                    }
                }
                String sql = switch (insertMode) {
                    case UPSERT -> dialect.insertFromStage(table, stage, keys, nonKey, computed, true, opU);
                    case INSERT -> dialect.insertFromStage(table, stage, keys, nonKey, computed, false, opU);
                    case UPDATE -> dialect.updateFromStage(table, stage, keys, nonKey, computed, opU);
                };
                st.executeUpdate(sql);
                if (insertMode != InsertMode.UPDATE
                        && !state.otherUniqueIndexes().isEmpty()) {
                    checkNotMergedElsewhere(st, table, stage, keys, opU, state.otherUniqueIndexes());
                }
            }
            children.write(connection, childPlans);
            if (changelog) {
                writeChangelog(st, changelogTable(table), stage, historyData);
            }
            syncState.written(connection, table, upserts, deleted);
            connection.commit();
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "[PERF] table {}: {} records, {} staged; map+DDL {} ms, stage {} ms, merge+commit {} ms",
                        table,
                        chunk.size(),
                        rows.size(),
                        (prepared - started) / 1_000_000,
                        (loaded - prepared) / 1_000_000,
                        (System.nanoTime() - loaded) / 1_000_000);
            }
            metrics.upserted(upserts);
            metrics.deleted(deleted);
            metrics.versions(versions);
            return new Result(upserts, deleted, versions);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection may be gone; the original error is what matters
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // reported by the next use of the connection
            }
        }
    }

    /**
     * Fails the chunk with a data error (MariaDB's duplicate-key code, so the task isolates the record and sends it to
     * the DLQ) when a staged row has no row under its own key after the merge: ON DUPLICATE KEY UPDATE met another
     * row through a unique index other than the primary key and updated that row (another person's, found by email)
     * instead of inserting this one. The transaction is rolled back, so the other row keeps its values.
     */
    private void checkNotMergedElsewhere(
            Statement st, String table, Stage stage, List<String> keys, String opU, List<String> uniqueIndexes)
            throws SQLException {
        String query = dialect.mergedElsewhereQuery(table, stage, keys, opU);
        if (query == null) {
            return;
        }
        long lost;
        try (ResultSet rs = st.executeQuery(query)) {
            rs.next();
            lost = rs.getLong(1);
        }
        if (lost > 0) {
            throw new SQLException(
                    "Duplicate entry: " + lost + " record(s) hold a value of a unique index of table "
                            + dialect.quoteTable(table) + " other than its primary key ("
                            + String.join(", ", uniqueIndexes)
                            + ") that another row already holds; " + dialect.name()
                            + " would have updated that row instead "
                            + "of writing the record under its own key",
                    "23000",
                    1062);
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    private List<ColumnDef> historyDdl(Map<String, ColumnDef> union, List<String> historyData, boolean scd2Table) {
        List<ColumnDef> out = new ArrayList<>();
        for (ColumnDef d : union.values()) {
            if (d.kind() != null && historyData.stream().anyMatch(h -> h.equalsIgnoreCase(d.name()))) {
                // data columns of history tables are never NOT NULL: deletes carry only the key
                out.add(new ColumnDef(d.name(), d.kind(), d.precision(), d.scale(), false));
            }
        }
        if (scd2Table) {
            out.add(ColumnDef.of(m("valid_from"), ColumnKind.TIMESTAMP));
            out.add(ColumnDef.of(m("valid_to"), ColumnKind.TIMESTAMP));
            out.add(ColumnDef.of(m("is_current"), ColumnKind.BOOLEAN));
            out.add(ColumnDef.of(m("deleted"), ColumnKind.BOOLEAN));
            out.add(new ColumnDef(m("row_hash"), ColumnKind.STRING, -1, -1, true));
        } else {
            out.add(new ColumnDef(m("op"), ColumnKind.STRING, -1, -1, true));
            out.add(ColumnDef.of(m("kafka_timestamp"), ColumnKind.TIMESTAMP));
            out.add(ColumnDef.of(m("synced"), ColumnKind.TIMESTAMP));
        }
        out.add(new ColumnDef(m("kafka_topic"), ColumnKind.STRING, -1, -1, true));
        out.add(new ColumnDef(m("kafka_partition"), ColumnKind.INT32, -1, -1, true));
        out.add(new ColumnDef(m("kafka_offset"), ColumnKind.INT64, -1, -1, true));
        return out;
    }

    /**
     * Per key, in record order: a delete wins over earlier records; upsert/update keep the last value, insert the
     * first after the last delete. A key can stage both its delete and its value (the delete runs first).
     */
    boolean[] winners(List<MappedRecord> chunk, boolean keyless) {
        boolean[] apply = new boolean[chunk.size()];
        if (keyless) {
            Arrays.fill(apply, true);
            return apply;
        }
        Map<List<Object>, int[]> perKey = new HashMap<>(chunk.size() * 2);
        for (int i = 0; i < chunk.size(); i++) {
            MappedRecord r = chunk.get(i);
            int[] slot = perKey.computeIfAbsent(r.key(), k -> new int[] {-1, -1}); // {delete, value}
            if (r.delete()) {
                slot[0] = i;
                slot[1] = -1;
            } else if (insertMode != InsertMode.INSERT || slot[1] < 0) {
                slot[1] = i;
            }
        }
        for (int[] slot : perKey.values()) {
            if (slot[0] >= 0) {
                apply[slot[0]] = true;
            }
            if (slot[1] >= 0) {
                apply[slot[1]] = true;
            }
        }
        return apply;
    }

    private List<String> trackedColumns(List<MappedRecord> chunk, List<String> sourceNames, List<String> keyColumns) {
        List<String> configured = config.scd2TrackedFields();
        Set<String> out = new TreeSet<>();
        for (String c : sourceNames) {
            if (keyColumns.contains(c) || metadataNames.contains(c)) {
                continue;
            }
            if (configured.isEmpty() || configured.stream().anyMatch(f -> c.equals(columnOfField(chunk, f)))) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    private String hash(MappedRecord r, List<String> tracked) {
        StringBuilder text = new StringBuilder();
        for (String c : tracked) {
            Object v = r.value(c);
            if (v != null) { // nulls are left out so a new, still empty column does not look like a change
                text.append(c).append('=').append(dialect.text(v)).append('\u0001');
            }
        }
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Current version of one key in the history table. */
    private record Current(String hash, String topic, int partition, long offset) {}

    private long writeHistory(
            Statement st,
            String history,
            Stage stage,
            List<String> keys,
            List<String> historyData,
            List<MappedRecord> staged,
            List<String> tracked)
            throws SQLException {
        Map<String, Current> current = new HashMap<>();
        String query = dialect.currentHistory(
                history,
                stage,
                keys,
                m("is_current"),
                m("row_hash"),
                m("kafka_topic"),
                m("kafka_partition"),
                m("kafka_offset"));
        try (ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                StringBuilder key = new StringBuilder();
                for (int i = 1; i <= keys.size(); i++) {
                    key.append(rs.getString(i)).append('\u0001');
                }
                int n = keys.size();
                current.put(
                        key.toString(),
                        new Current(rs.getString(n + 1), rs.getString(n + 2), rs.getInt(n + 3), rs.getLong(n + 4)));
            }
        }
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < staged.size(); i++) {
            MappedRecord r = staged.get(i);
            StringBuilder key = new StringBuilder();
            for (String k : r.keyColumns()) {
                key.append(dialect.text(r.value(k))).append('\u0001');
            }
            SinkRecordCoordinates coords = SinkRecordCoordinates.of(r.record());
            Current cur = current.get(key.toString());
            if (cur != null
                    && cur.topic().equals(coords.topic())
                    && cur.partition() == coords.partition()
                    && coords.offset() <= cur.offset()) {
                continue; // already applied: a replay
            }
            String h = r.delete() ? "deleted" : hash(r, tracked);
            if (cur == null && r.delete()) {
                continue; // nothing to close
            }
            if (cur != null && cur.hash().equals(h)) {
                continue; // tracked values unchanged
            }
            versions.add((long) i);
            current.put(key.toString(), new Current(h, coords.topic(), coords.partition(), coords.offset()));
        }
        if (versions.isEmpty()) {
            return 0;
        }
        for (int from = 0; from < versions.size(); from += 5000) {
            st.executeUpdate(
                    dialect.markVersions(stage, versions.subList(from, Math.min(versions.size(), from + 5000))));
        }
        st.executeUpdate(dialect.closeHistory(history, stage, keys, m("valid_to"), m("is_current")));
        String partition = "PARTITION BY "
                + String.join(
                        ", ", keys.stream().map(k -> "s." + dialect.quote(k)).toList()) + " ORDER BY s."
                + dialect.quote(Dialect.SEQ);
        List<String> cols = new ArrayList<>(historyData);
        List<String> select = new ArrayList<>();
        for (String c : historyData) {
            select.add(dialect.stageRead("s", c, stage.kindOf(c)));
        }
        cols.addAll(List.of(
                m("valid_from"),
                m("valid_to"),
                m("is_current"),
                m("deleted"),
                m("row_hash"),
                m("kafka_topic"),
                m("kafka_partition"),
                m("kafka_offset")));
        select.add("s." + dialect.quote(Dialect.SRC_TS));
        select.add("LEAD(s." + dialect.quote(Dialect.SRC_TS) + ") OVER (" + partition + ")");
        select.add("(LEAD(s." + dialect.quote(Dialect.SEQ) + ") OVER (" + partition + ")) IS NULL");
        select.add("s." + dialect.quote(Dialect.OP) + " = 'd'");
        select.add("s." + dialect.quote(Dialect.HASH));
        select.add("s." + dialect.quote(Dialect.SRC_TOPIC));
        select.add("s." + dialect.quote(Dialect.SRC_PARTITION));
        select.add("s." + dialect.quote(Dialect.SRC_OFFSET));
        String sql = dialect.insertIgnoring(
                history,
                cols,
                "SELECT " + String.join(", ", select) + " FROM " + dialect.quote(stage.name()) + " s WHERE s."
                        + dialect.quote(Dialect.VERSION),
                List.of(m("kafka_topic"), m("kafka_partition"), m("kafka_offset")));
        st.executeUpdate(sql);
        return versions.size();
    }

    private void writeChangelog(Statement st, String changelogTable, Stage stage, List<String> historyData)
            throws SQLException {
        List<String> cols = new ArrayList<>(historyData);
        List<String> select = new ArrayList<>();
        for (String c : historyData) {
            select.add(dialect.stageRead("s", c, stage.kindOf(c)));
        }
        cols.addAll(List.of(
                m("op"), m("kafka_topic"), m("kafka_partition"), m("kafka_offset"), m("kafka_timestamp"), m("synced")));
        select.add("s." + dialect.quote(Dialect.OP));
        select.add("s." + dialect.quote(Dialect.SRC_TOPIC));
        select.add("s." + dialect.quote(Dialect.SRC_PARTITION));
        select.add("s." + dialect.quote(Dialect.SRC_OFFSET));
        select.add("s." + dialect.quote(Dialect.SRC_TS));
        select.add(dialect.nowExpression());
        st.executeUpdate(dialect.insertIgnoring(
                changelogTable,
                cols,
                "SELECT " + String.join(", ", select) + " FROM " + dialect.quote(stage.name()) + " s",
                List.of(m("kafka_topic"), m("kafka_partition"), m("kafka_offset"))));
    }

    /** The Kafka coordinates a record was consumed at, before any SMT renamed its topic. */
    public record SinkRecordCoordinates(String topic, int partition, long offset) {
        static SinkRecordCoordinates of(org.apache.kafka.connect.sink.SinkRecord r) {
            return new SinkRecordCoordinates(
                    RuntimeSupport.originalTopic(r),
                    RuntimeSupport.originalPartition(r),
                    RuntimeSupport.originalOffset(r));
        }
    }
}
