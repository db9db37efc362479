package io.crmconnect.jdbc;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.PluginVersion;
import io.crmconnect.common.RuntimeSupport;
import io.crmconnect.common.sink.HandledOffsets;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each put() batch synchronously: records are mapped to rows, grouped per table into chunks of batch.size,
 * and each chunk is staged and merged in one transaction. Transient database faults are retried inside put() with
 * backoff (bounded by retry.budget.ms), then surface as RetriableException so Connect redelivers the batch. A data
 * error isolates the offending records by splitting the chunk in halves; only those go to the DLQ. Offsets are
 * committed through preCommit only for batches that were fully handled.
 */
public class JdbcSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkTask.class);

    private JdbcSinkConfig config;
    private Dialect dialect;
    private Connection connection;
    private RecordMapper mapper;
    private TableManager tables;
    private TableWriter writer;
    private Backoff backoff;
    private ErrantRecordReporter reporter;
    private final SinkMetrics metrics = new SinkMetrics();
    /** Next offset to commit per original topic-partition: everything below it is written or reported. */
    private final Map<TopicPartition, Long> written = new HashMap<>();
    /**
     * Records of a batch not yet fully written that an earlier attempt already handled (their chunk committed, or
     * they went to the DLQ): a batch redelivered after a RetriableException skips them.
     */
    private final HandledOffsets handled = new HandledOffsets();
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
        reporter = RuntimeSupport.errantRecordReporter(context).orElse(null);
        mapper = new RecordMapper(config);
        tables = new TableManager(dialect, config.autoCreate(), config.autoEvolve(), metrics);
        writer = new TableWriter(config, dialect, tables, metrics);
        backoff = new Backoff(Duration.ofMillis(config.retryBackoffMs()),
                Duration.ofMillis(Math.max(config.retryBackoffMs(), config.retryBackoffMaxMs())),
                config.retryMaxAttempts(), Duration.ofMillis(config.retryBudgetMs()));
        LOG.info("JDBC sink task started: {} at {}, insert.mode={}, pk.mode={}, delete.mode={}, batch.size={}, "
                        + "DLQ {}", dialect.name(), Dialect.redactUrl(config.url()), config.insertMode(),
                config.pkMode(), config.deleteMode(), config.batchSize(), reporter == null ? "off" : "on");
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
        Map<TopicPartition, Long> batchEnd = new HashMap<>();
        LinkedHashMap<String, List<MappedRecord>> byTable = new LinkedHashMap<>();
        TopicPartition tp = null;
        Long next = null;
        long end = -1;
        for (SinkRecord record : records) {
            String topic = RuntimeSupport.originalTopic(record);
            int partition = RuntimeSupport.originalPartition(record);
            if (tp == null || tp.partition() != partition || !tp.topic().equals(topic)) {
                if (tp != null && end >= 0) {
                    batchEnd.merge(tp, end, Math::max);
                }
                tp = new TopicPartition(topic, partition);
                next = written.get(tp);
                end = -1;
            }
            long offset = RuntimeSupport.originalOffset(record);
            if (next != null && offset < next) {
                continue; // redelivered after it was written
            }
            end = Math.max(end, offset + 1);
            if (handled.contains(tp, offset)) {
                continue; // an earlier attempt at this batch wrote it or sent it to the DLQ
            }
            MappedRecord mapped;
            try {
                mapped = mapper.map(record);
            } catch (BadRecordException | DataException | ClassCastException e) {
                errant(record, config.tableFor(record.topic()), "Record cannot become a row: " + e.getMessage(), e);
                continue;
            }
            if (mapped == null) {
                tombstonesSkipped++;
                continue;
            }
            byTable.computeIfAbsent(mapped.table(), t -> new ArrayList<>()).add(mapped);
        }
        if (tp != null && end >= 0) {
            batchEnd.merge(tp, end, Math::max);
        }

        long mapped = System.nanoTime();
        Deque<List<MappedRecord>> pending = new ArrayDeque<>();
        int batchSize = config.batchSize();
        for (List<MappedRecord> tableRecords : byTable.values()) {
            List<MappedRecord> chunk = new ArrayList<>();
            for (MappedRecord r : tableRecords) {
                boolean keyChanged = !chunk.isEmpty() && chunk.get(0).keyColumns() != r.keyColumns()
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

        written.putAll(batchEnd);
        batchEnd.forEach(handled::pruneBelow);
        long millis = (System.nanoTime() - started) / 1_000_000;
        metrics.batchWritten(millis);
        recordsSinceSummary += records.size();
        if (System.nanoTime() - lastSummary > 60_000_000_000L) {
            LOG.info("JDBC sink progress: {} records in the last minute; totals: {} rows upserted, {} deleted, {} "
                            + "history versions, {} to the DLQ, {} tombstones skipped", recordsSinceSummary,
                    metrics.rowsUpserted(), metrics.rowsDeleted(), metrics.historyVersions(),
                    metrics.errantRecords(), tombstonesSkipped);
            lastSummary = System.nanoTime();
            recordsSinceSummary = 0;
        }
        LOG.debug("[PERF] put() handled {} records in {} ms (mapping {} ms)", records.size(), millis,
                (mapped - started) / 1_000_000);
    }

    private void writeAll(Deque<List<MappedRecord>> pending) {
        Backoff.Attempts attempts = backoff.start();
        while (!pending.isEmpty()) {
            List<MappedRecord> chunk = pending.peekFirst();
            String table = chunk.get(0).table();
            try {
                writer.write(connection(), table, chunk);
                pending.pollFirst();
                markHandled(chunk);
            } catch (SQLException e) {
                if (dialect.isTransient(e) || !connectionValid()) {
                    closeConnection();
                    metrics.retry();
                    long delay = attempts.nextDelayMillis();
                    if (delay < 0) {
                        context.timeout(config.retryBackoffMaxMs());
                        throw new RetriableException("Database " + dialect.name() + " unavailable after "
                                + attempts.failures() + " attempts in " + attempts.elapsedMillis() + " ms writing table "
                                + dialect.quote(table) + ": " + Dialect.describe(e) + "; Connect will redeliver", e);
                    }
                    LOG.warn("Transient {} error writing table {} (attempt {}), retrying in {} ms: {}", dialect.name(),
                            dialect.quote(table), attempts.failures(), delay, e.getSQLState());
                    sleep(delay);
                    continue;
                }
                if (dialect.isDataError(e)) {
                    pending.pollFirst();
                    if (chunk.size() == 1) {
                        MappedRecord bad = chunk.get(0);
                        errant(bad.record(), table, "Cannot write to table " + dialect.quote(table) + " ("
                                + dialect.name() + "): " + Dialect.describe(e), e);
                    } else {
                        int half = chunk.size() / 2;
                        pending.addFirst(new ArrayList<>(chunk.subList(half, chunk.size())));
                        pending.addFirst(new ArrayList<>(chunk.subList(0, half)));
                        LOG.debug("Data error in a chunk of {} for table {} ({}); isolating the bad records",
                                chunk.size(), dialect.quote(table), e.getSQLState());
                    }
                    continue;
                }
                throw new ConnectException("JDBC sink cannot write table " + dialect.quote(table) + " on "
                        + dialect.name() + ": " + Dialect.describe(e), e);
            }
        }
    }

    /** The chunk's transaction committed: a redelivery of this batch must not write these records again. */
    private void markHandled(List<MappedRecord> chunk) {
        for (MappedRecord r : chunk) {
            handled.add(RuntimeSupport.originalTopicPartition(r.record()), RuntimeSupport.originalOffset(r.record()));
        }
    }

    private void errant(SinkRecord record, String table, String reason, Throwable cause) {
        if (reporter != null && !handled.add(RuntimeSupport.originalTopicPartition(record),
                RuntimeSupport.originalOffset(record))) {
            return; // already in the DLQ: reported by an earlier attempt at this batch
        }
        metrics.errant();
        LOG.warn("Record {}-{}@{} for table {} not written: {}", RuntimeSupport.originalTopic(record),
                RuntimeSupport.originalPartition(record), RuntimeSupport.originalOffset(record), table,
                cause instanceof SQLException s ? "SQLState " + s.getSQLState() : cause.getClass().getSimpleName());
        if (reporter == null) {
            throw new ConnectException(reason + " (record " + record.topic() + "-" + record.kafkaPartition() + "@"
                    + record.kafkaOffset() + "). Set errors.tolerance=all and errors.deadletterqueue.topic.name to "
                    + "send such records to a dead-letter queue.", cause);
        }
        reporter.report(record, new DataException(reason, cause));
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dialect.connect(config.url(), config.user(), config.password(),
                    config.connectionTimeoutMs());
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
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Long next = written.get(tp);
            if (next != null) {
                commit.put(tp, new OffsetAndMetadata(next));
            }
        }
        return commit;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(written::remove);
        handled.forget(partitions);
    }

    @Override
    public void stop() {
        closeConnection();
        LOG.info("JDBC sink task stopped: {} rows upserted, {} deleted, {} history versions, {} to the DLQ",
                metrics.rowsUpserted(), metrics.rowsDeleted(), metrics.historyVersions(), metrics.errantRecords());
    }
}
