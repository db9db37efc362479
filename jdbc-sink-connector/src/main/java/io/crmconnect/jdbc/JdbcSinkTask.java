package io.crmconnect.jdbc;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.Redact;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.common.sink.DeadLetterQueue;
import io.crmconnect.common.sink.SinkDelivery;
import io.crmconnect.jdbc.RecordMapper.BadRecordException;
import io.crmconnect.jdbc.RecordMapper.MappedRecord;
import io.crmconnect.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each put() batch synchronously: records are mapped to rows, grouped per table into chunks of batch.size,
 * and each chunk is staged and merged in one transaction. Transient database faults are retried inside put() with
 * backoff (bounded by retry.budget.ms), then surface as RetriableException so Connect redelivers the batch. A data
 * error isolates the offending records by splitting the chunk in halves; only those go to the DLQ. Offsets are
 * committed through preCommit only for batches that were fully handled (connect-common's {@link SinkDelivery}).
 */
public class JdbcSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkTask.class);

    private JdbcSinkConfig config;
    private Dialect dialect;
    private Connection connection;
    private RecordMapper mapper;
    private TableManager tables;
    private TableWriter writer;
    private SyncState syncState;
    private Backoff backoff;
    /** Committed offsets, and the records of a redelivered batch an earlier attempt already wrote or dead-lettered. */
    private SinkDelivery delivery;

    private final SinkMetrics metrics = new SinkMetrics();
    private Watchdog watchdog;
    private long tombstonesSkipped;
    private long lastSummary = System.nanoTime();
    private long recordsSinceSummary;

    @Override
    public String version() {
        return PluginVersion.of(getClass());
    }

    @Override
    public void start(Map<String, String> props) {
        config = new JdbcSinkConfig(props);
        config.checkCrossFieldRules(props);
        dialect = Dialect.forUrl(config.url());
        metrics.register(RuntimeSupport.pluginMetrics(context));
        delivery = new SinkDelivery(new DeadLetterQueue(
                context, props, "JDBC sink", Redact.withSecret(config.getPassword(Redact.SECRET_CONFIG))));
        mapper = new RecordMapper(config);
        tables = new TableManager(dialect, config.autoCreate(), config.autoEvolve(), metrics);
        String stateTable = config.syncStateTable();
        syncState = new SyncState(dialect, stateTable == null ? null : dialect.tableName(stateTable));
        writer = new TableWriter(config, dialect, tables, metrics, syncState);
        watchdog = new Watchdog(context.configs().getOrDefault("name", "task"));
        backoff = new Backoff(
                Duration.ofMillis(config.retryBackoffMs()),
                Duration.ofMillis(Math.max(config.retryBackoffMs(), config.retryBackoffMaxMs())),
                config.retryMaxAttempts(),
                Duration.ofMillis(config.retryBudgetMs()));
        LOG.info(
                "JDBC sink task started: {} at {}, insert.mode={}, pk.mode={}, delete.mode={}, batch.size={}, "
                        + "DLQ {}",
                dialect.name(),
                Dialect.redactUrl(config.url()),
                config.insertMode(),
                config.pkMode(),
                config.deleteMode(),
                config.batchSize(),
                delivery.deadLetters().hasReporter() ? "on" : "off");
    }

    /** For tests and logs. */
    public SinkMetrics metrics() {
        return metrics;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        LinkedHashMap<String, List<MappedRecord>> byTable = new LinkedHashMap<>();
        for (SinkRecord record : records) {
            if (delivery.isHandled(record)) {
                continue; // written or dead-lettered already (a redelivered batch, or a replay)
            }
            MappedRecord mapped;
            try {
                mapped = mapper.map(record);
            } catch (BadRecordException | DataException | ClassCastException e) {
                String table = config.tableFor(record.topic());
                errant(
                        record,
                        DeadLetter.of(
                                        DeadLetter.CONVERSION_FAILED,
                                        dialect.name(),
                                        "Record cannot become a row of table " + table)
                                .withDetail(ErrorSanitizer.keeping(names(table, record, e)), e.getMessage()),
                        e,
                        table);
                continue;
            }
            if (mapped == null) {
                tombstonesSkipped++;
                continue;
            }
            byTable.computeIfAbsent(mapped.table(), t -> new ArrayList<>()).add(mapped);
        }

        long mapped = System.nanoTime();
        Deque<List<MappedRecord>> pending = new ArrayDeque<>();
        int batchSize = config.batchSize();
        for (List<MappedRecord> tableRecords : byTable.values()) {
            List<MappedRecord> chunk = new ArrayList<>();
            for (MappedRecord r : tableRecords) {
                boolean keyChanged = !chunk.isEmpty()
                        && chunk.get(0).keyColumns() != r.keyColumns()
                        && !chunk.get(0).keyColumns().equals(r.keyColumns());
                if (chunk.size() >= batchSize || keyChanged) {
                    pending.addLast(chunk);
                    chunk = new ArrayList<>();
                }
                chunk.add(r);
            }
            if (!chunk.isEmpty()) {
                pending.addLast(chunk);
            }
        }
        writeAll(pending);
        delivery.completed(records);
        long millis = (System.nanoTime() - started) / 1_000_000;
        metrics.batchWritten(millis);
        recordsSinceSummary += records.size();
        if (System.nanoTime() - lastSummary > 60_000_000_000L) {
            LOG.info(
                    "JDBC sink progress: {} records in the last minute; totals: {} rows upserted, {} deleted, {} "
                            + "history versions, {} to the DLQ, {} tombstones skipped",
                    recordsSinceSummary,
                    metrics.rowsUpserted(),
                    metrics.rowsDeleted(),
                    metrics.historyVersions(),
                    metrics.errantRecords(),
                    tombstonesSkipped);
            lastSummary = System.nanoTime();
            recordsSinceSummary = 0;
        }
        LOG.debug(
                "[PERF] put() handled {} records in {} ms (mapping {} ms)",
                records.size(),
                millis,
                (mapped - started) / 1_000_000);
    }

    private void writeAll(Deque<List<MappedRecord>> pending) {
        Backoff.Attempts attempts = backoff.start();
        while (!pending.isEmpty()) {
            List<MappedRecord> chunk = pending.peekFirst();
            String table = chunk.get(0).table();
            try {
                Connection c = connection();
                // whatever the driver's own timeouts miss (a bulk load blocked writing to a silent server)
                long deadline =
                        Math.max(config.timeouts().socketMs(), config.retryBudgetMs() - attempts.elapsedMillis());
                Watchdog.Guard guard = watchdog.arm(
                        c, deadline, "Writing " + chunk.size() + " records to table " + dialect.quoteTable(table));
                try {
                    writer.write(c, table, chunk);
                } finally {
                    guard.close();
                }
                pending.pollFirst();
                markHandled(chunk);
            } catch (SQLException e) {
                if (dialect.isTransient(e) || !connectionValid()) {
                    closeConnection();
                    metrics.retry();
                    long delay = attempts.nextDelayMillis();
                    if (delay < 0) {
                        context.timeout(config.retryBackoffMaxMs());
                        throw new RetriableException(
                                "Database " + dialect.name() + " unavailable after "
                                        + attempts.failures() + " attempts in " + attempts.elapsedMillis()
                                        + " ms writing table "
                                        + dialect.quoteTable(table) + ": " + describe(e, chunk)
                                        + "; Connect will redeliver",
                                sanitizer(chunk).scrub(e));
                    }
                    LOG.warn(
                            "Transient {} error writing table {} (attempt {}), retrying in {} ms: {}",
                            dialect.name(),
                            dialect.quoteTable(table),
                            attempts.failures(),
                            delay,
                            e.getSQLState());
                    sleep(delay);
                    continue;
                }
                if (dialect.isDataError(e)) {
                    pending.pollFirst();
                    if (chunk.size() == 1) {
                        MappedRecord bad = chunk.get(0);
                        errant(
                                bad.record(),
                                DeadLetter.of(
                                                DeadLetter.REJECTED,
                                                dialect.name(),
                                                "Cannot write to table " + dialect.quoteTable(table) + " ("
                                                        + dialect.name() + ")")
                                        .withDetail(sanitizer(chunk), firstLine(e))
                                        .withCode(e.getSQLState(), Math.max(0, e.getErrorCode())),
                                e,
                                table);
                    } else {
                        int half = chunk.size() / 2;
                        pending.addFirst(new ArrayList<>(chunk.subList(half, chunk.size())));
                        pending.addFirst(new ArrayList<>(chunk.subList(0, half)));
                        LOG.debug(
                                "Data error in a chunk of {} for table {} ({}); isolating the bad records",
                                chunk.size(),
                                dialect.quoteTable(table),
                                e.getSQLState());
                    }
                    continue;
                }
                throw new ConnectException(
                        "JDBC sink cannot write table " + dialect.quoteTable(table) + " on " + dialect.name() + ": "
                                + describe(e, chunk),
                        sanitizer(chunk).scrub(e));
            }
        }
    }

    /** The chunk's transaction committed: a redelivery of this batch must not write these records again. */
    private void markHandled(List<MappedRecord> chunk) {
        for (MappedRecord r : chunk) {
            delivery.written(r.record());
        }
    }

    private void errant(SinkRecord record, DeadLetter why, Throwable cause) {
        errant(record, why, cause, null);
    }

    /** Reports a record to the DLQ and, when its table is known, counts it in the sync-state table. */
    private void errant(SinkRecord record, DeadLetter why, Throwable cause, String table) {
        if (!delivery.deadLetter(record, why)) {
            return; // already in the DLQ: reported by an earlier attempt at this batch
        }
        metrics.errant();
        if (table != null && syncState.enabled()) {
            try {
                Connection c = connection();
                syncState.ensure(c);
                syncState.rejected(c, table, why.reason() + ": " + why.message());
            } catch (SQLException | RuntimeException e) {
                LOG.debug(
                        "Sync state of table {} not updated: {}",
                        dialect.quoteTable(table),
                        e.getClass().getSimpleName());
            }
        }
        LOG.warn(
                "Record {}-{}@{} not written: {} {}",
                RuntimeSupport.originalTopic(record),
                RuntimeSupport.originalPartition(record),
                RuntimeSupport.originalOffset(record),
                why.reason(),
                cause instanceof SQLException s
                        ? "SQLState " + s.getSQLState()
                        : cause.getClass().getSimpleName());
    }

    /** Table and column names stay readable in sanitized driver messages; values do not. */
    private ErrorSanitizer sanitizer(List<MappedRecord> chunk) {
        Set<String> names = new LinkedHashSet<>();
        names.add(chunk.get(0).table());
        names.addAll(chunk.get(0).defs().keySet());
        return ErrorSanitizer.keeping(names);
    }

    /**
     * The table, the record's field names and the names the mapper's reason mentions (topics, columns), for messages
     * about a record that did not become a row.
     */
    private static Set<String> names(String table, SinkRecord record, RuntimeException e) {
        Set<String> names = new LinkedHashSet<>();
        names.add(table);
        if (e instanceof BadRecordException bad) {
            names.addAll(bad.names());
        }
        Schema schema = record.valueSchema();
        if (schema != null && schema.type() == Schema.Type.STRUCT) {
            for (Field f : schema.fields()) {
                names.add(f.name());
            }
        } else if (record.value() instanceof Map<?, ?> m) {
            m.keySet().forEach(k -> names.add(String.valueOf(k)));
        }
        return names;
    }

    private static String firstLine(SQLException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = msg.indexOf('\n');
        return nl > 0 ? msg.substring(0, nl) : msg;
    }

    /** {@link Dialect#describe} with the driver's text sanitized (it may quote the values of a row). */
    private String describe(SQLException e, List<MappedRecord> chunk) {
        return sanitizer(chunk).message(firstLine(e)) + " (SQLState " + e.getSQLState() + ", code " + e.getErrorCode()
                + ")";
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dialect.connect(config.url(), config.user(), config.password(), config.timeouts());
            LOG.debug("Connected to {}", dialect.name());
        }
        return connection;
    }

    private boolean connectionValid() {
        try {
            return connection != null && connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // already broken
            }
            connection = null;
            tables.invalidate();
            syncState.invalidate();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("interrupted while waiting to retry", e);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return delivery.preCommit(currentOffsets);
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        delivery.close(partitions);
    }

    @Override
    public void stop() {
        closeConnection();
        if (watchdog != null) {
            watchdog.close();
        }
        LOG.info(
                "JDBC sink task stopped: {} rows upserted, {} deleted, {} history versions, {} to the DLQ",
                metrics.rowsUpserted(),
                metrics.rowsDeleted(),
                metrics.historyVersions(),
                metrics.errantRecords());
    }
}
