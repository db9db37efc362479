package io.crmconnect.warehouse.source.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change-capture state machine of one table: a snapshot as of t0 read in key chunks, then change intervals
 * (t0, t1], (t1, t2], ... each read in key chunks, or a (watermark, key) walk. Every record carries the position
 * after it, so a restart from any committed offset re-reads at most the rest of one chunk's key group and never
 * skips one: intervals are differences between two fixed table versions, the same on every read.
 *
 * <p>Net change sets drop a row inserted and deleted within one interval. Records sent after the last committed
 * offset may already be in Kafka, so after a restart a wider interval could hide the delete of a row those records
 * upserted. Interval ends therefore lie on a grid, and after a restart the first {@code replayWindow} of time is
 * re-read one grid step at a time: every delete then falls in a step where its row existed at the start, and its
 * tombstone follows any upsert sent before the crash.
 */
public final class TableCapture {
    private static final Logger LOG = LoggerFactory.getLogger(TableCapture.class);
    private final TableSpec spec;
    private final ChangeSource source;
    private final CaptureSettings settings;
    private final CaptureMetrics metrics;
    private List<ColumnInfo> columns;
    private int[] keyIdx;
    private int wmIdx = -1;
    private Position pos;
    private long nextDue;
    private Instant replayUntil;
    private boolean restored;
    /** Server time at which this task chose the snapshot point it has not read yet (null once read or restored). */
    private Instant freshPointChosenAt;
    /** A snapshot point chosen from now on must be after this (set when a fresh point preceded the table). */
    private Instant pointAfter;

    public TableCapture(TableSpec spec, ChangeSource source, CaptureSettings settings, CaptureMetrics metrics) {
        this.spec = spec;
        this.source = source;
        this.settings = settings;
        this.metrics = metrics;
    }

    public TableSpec spec() {
        return spec;
    }

    public Map<String, Object> partition() {
        return Map.of("table", spec.name());
    }

    /** Restores the committed position (null = start with a snapshot, or the watermark walk from the start). */
    public void restore(Map<String, ?> offset) {
        pos = offset == null ? null : Position.fromMap(spec.name(), offset);
        restored = pos != null;
        if (pos != null && (pos.phase() == Position.Phase.WATERMARK) != (settings.mode() == CaptureMode.WATERMARK)) {
            throw new ConnectException("Table " + spec.name() + ": the stored offset is for phase " + pos.phase()
                    + " but the table is configured for mode " + settings.mode() + "; reset the connector's offsets "
                    + "(DELETE /connectors/<name>/offsets while stopped) to start this table over");
        }
    }

    public Position position() {
        return pos;
    }

    public List<ColumnInfo> columns() {
        ensureColumns();
        return columns;
    }

    public long nextDue() {
        return nextDue;
    }

    private void ensureColumns() {
        if (columns != null) {
            return;
        }
        columns = source.columns();
        keyIdx = new int[spec.keyColumns().size()];
        for (int i = 0; i < keyIdx.length; i++) {
            keyIdx[i] = index(spec.keyColumns().get(i));
        }
        if (spec.watermarkColumn() != null) {
            wmIdx = index(spec.watermarkColumn());
        } else if (settings.mode() == CaptureMode.WATERMARK) {
            throw new ConnectException("Table " + spec.name() + ": watermark mode needs a watermark column "
                    + "(table entry name:key@column)");
        }
    }

    private int index(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new ConnectException("Table " + spec.name() + " has no column " + column + " (columns: "
                + columns.stream().map(ColumnInfo::name).toList() + ")");
    }

    /** Reads one chunk and returns its records (empty when there is nothing to do before {@link #nextDue()}). */
    public List<Emit> step(long nowMillis) {
        ensureColumns();
        try {
            if (settings.mode() == CaptureMode.WATERMARK) {
                return watermarkStep(nowMillis);
            }
            if (pos == null || pos.phase() == Position.Phase.SNAPSHOT) {
                return snapshotStep(nowMillis);
            }
            return changesStep(nowMillis);
        } catch (WarehouseError e) {
            return onError(e, nowMillis);
        }
    }

    private List<Emit> onError(WarehouseError e, long nowMillis) {
        if (e.kind() == WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE
                && freshPointChosenAt != null
                && pos.phase() == Position.Phase.SNAPSHOT
                && pos.after() == null) {
            return freshPointUnavailable(e, nowMillis);
        }
        if (e.kind() == WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE
                && pos != null
                && pos.phase() != Position.Phase.WATERMARK) {
            Instant point = pos.phase() == Position.Phase.SNAPSHOT ? pos.t0() : pos.from();
            if (settings.retentionAction() == RetentionAction.RESNAPSHOT) {
                LOG.warn(
                        "Table {}: position {} is outside time travel; taking a new snapshot (rows deleted since "
                                + "then get no tombstone)",
                        spec.name(),
                        point);
                metrics.resnapshot(spec.name());
                pos = null;
                nextDue = nowMillis;
                return List.of();
            }
            throw new ConnectException(
                    "Table " + spec.name() + ": the stored position " + point
                            + " is older than the table's time travel, so the changes since then cannot be read. Set "
                            + "retention.exceeded.action=resnapshot to re-read the table, or reset this connector's offsets; "
                            + "keep the connector down for less than the table's retention (" + e.getMessage() + ")",
                    e);
        }
        if (e.kind() == WarehouseError.Kind.CHANGE_TRACKING_OFF) {
            throw new ConnectException(
                    "Table " + spec.name() + ": change tracking is off (or was off in the interval "
                            + "read): enable it (Snowflake: ALTER TABLE " + spec.name()
                            + " SET CHANGE_TRACKING = TRUE; "
                            + "BigQuery: enable_change_history = TRUE) and reset the offsets, or use mode watermark ("
                            + e.getMessage() + ")",
                    e);
        }
        throw e;
    }

    /**
     * The snapshot point this task just chose lies outside time travel. A table created less than changes.lag.ms
     * before the point was chosen has no version there yet: the point moves to after the moment the table was seen
     * (it answered the column query before), once. A point after that moment that still has no time travel means
     * the table keeps none, and waiting would not help.
     */
    private List<Emit> freshPointUnavailable(WarehouseError e, long nowMillis) {
        Instant t0 = pos.t0();
        if (pointAfter == null) {
            pointAfter = freshPointChosenAt;
            LOG.info(
                    "Table {}: no time travel at {} (the table is newer than changes.lag.ms?); the snapshot point "
                            + "moves to after {}",
                    spec.name(),
                    t0,
                    pointAfter);
            pos = null;
            freshPointChosenAt = null;
            nextDue = nowMillis + settings.changesLag().toMillis() + 1;
            return List.of();
        }
        throw new ConnectException(
                "Table " + spec.name() + ": time travel is not available at " + t0 + ", after "
                        + "the table was first read at " + pointAfter
                        + ", so no consistent snapshot can be taken: the table "
                        + "keeps no time travel. Give it a retention (Snowflake: ALTER TABLE " + spec.name() + " SET "
                        + "DATA_RETENTION_TIME_IN_DAYS = 1; BigQuery: max_time_travel_hours of at least 48 on the dataset), or "
                        + "use mode watermark (" + e.getMessage() + ")",
                e);
    }

    private List<Emit> snapshotStep(long nowMillis) {
        if (pos == null) {
            Instant now = source.serverNow();
            Instant t0 = now.minus(settings.changesLag());
            if (pointAfter != null && !t0.isAfter(pointAfter)) {
                nextDue = nowMillis + Duration.between(t0, pointAfter).toMillis() + 1;
                return List.of();
            }
            pos = Position.snapshot(t0, null);
            freshPointChosenAt = now;
            LOG.info("Table {}: snapshot as of {}", spec.name(), pos.t0());
        }
        Instant t0 = pos.t0();
        Page page = source.snapshot(t0, keyOf(pos.after()), settings.chunkRows());
        freshPointChosenAt = null;
        metrics.scanned(spec.name(), page.rows().size(), page.bytesScanned());
        List<Emit> out = new ArrayList<>(page.rows().size());
        for (SourceRow r : page.rows()) {
            Object[] key = key(r.values());
            out.add(new Emit(
                    key,
                    r.values(),
                    "snapshot",
                    Position.snapshot(t0, text(key)).toMap()));
        }
        if (page.rows().size() < settings.chunkRows()) {
            Position next = Position.changes(t0, null, null);
            replaceLastOffset(out, next);
            pos = next;
            LOG.info("Table {}: snapshot done; changes from {}", spec.name(), t0);
        } else {
            pos = Position.snapshot(t0, text(out.get(out.size() - 1).key()));
        }
        nextDue = nowMillis;
        metrics.lag(spec.name(), Duration.between(t0, source.serverNow()).toMillis());
        return out;
    }

    private List<Emit> changesStep(long nowMillis) {
        Instant from = pos.from();
        Instant to = pos.to();
        if (to == null) {
            if (restored && replayUntil == null) {
                replayUntil = from.plus(settings.replayWindow());
            }
            Instant now = source.serverNow();
            metrics.lag(spec.name(), Duration.between(from, now).toMillis());
            to = floorGrid(now.minus(settings.changesLag()));
            if (replayUntil != null && from.isBefore(replayUntil)) {
                Instant step = floorGrid(from).plus(settings.grid());
                to = step.isBefore(to) ? step : to;
            }
            if (!to.isAfter(from)) {
                nextDue = nowMillis + settings.pollInterval().toMillis();
                return List.of();
            }
        }
        boolean appendOnly = settings.mode() == CaptureMode.APPEND_ONLY;
        int limit = settings.chunkRows();
        List<List<SourceRow>> groups;
        boolean full;
        while (true) {
            Page page = source.changes(from, to, appendOnly, keyOf(pos.after()), limit);
            metrics.scanned(spec.name(), page.rows().size(), page.bytesScanned());
            groups = groupByKey(page.rows());
            full = page.rows().size() >= limit;
            if (!full || groups.size() > 1) {
                break;
            }
            limit *= 2; // one key filled the chunk: read it whole
        }
        if (full) {
            groups.remove(groups.size() - 1); // its rows may continue on the next chunk
        }
        List<Emit> out = new ArrayList<>(groups.size());
        for (List<SourceRow> g : groups) {
            SourceRow last = g.get(g.size() - 1);
            Object[] key = key(last.values());
            Map<String, Object> off = Position.changes(from, to, text(key)).toMap();
            if (last.op() == SourceRow.Op.DELETE) {
                out.add(new Emit(key, null, "delete", off));
            } else {
                out.add(new Emit(key, last.values(), "upsert", off));
            }
        }
        if (full) {
            pos = Position.changes(from, to, text(out.get(out.size() - 1).key()));
            nextDue = nowMillis;
        } else {
            Position next = Position.changes(to, null, null);
            replaceLastOffset(out, next);
            pos = next;
            nextDue = nowMillis + settings.pollInterval().toMillis();
        }
        return out;
    }

    private List<Emit> watermarkStep(long nowMillis) {
        Instant now = source.serverNow();
        Instant upTo = now.minus(settings.watermarkDelay());
        Instant afterTs = pos == null ? null : pos.ts();
        Object[] afterKey = pos == null ? null : keyOf(pos.after());
        Page page = source.watermark(afterTs, afterKey, upTo, settings.chunkRows());
        metrics.scanned(spec.name(), page.rows().size(), page.bytesScanned());
        List<Emit> out = new ArrayList<>(page.rows().size());
        for (SourceRow r : page.rows()) {
            Object[] key = key(r.values());
            Object wm = r.values()[wmIdx];
            // rows with an empty watermark come first (in key order) where the source reads them at all
            Position p = Position.watermark(wm == null ? null : ValueText.instant(wm), text(key));
            out.add(new Emit(key, r.values(), "upsert", p.toMap()));
            pos = p;
        }
        if (pos != null && pos.ts() != null) {
            metrics.lag(spec.name(), Math.max(0, Duration.between(pos.ts(), now).toMillis()));
        }
        nextDue = page.rows().size() < settings.chunkRows()
                ? nowMillis + settings.pollInterval().toMillis()
                : nowMillis;
        return out;
    }

    private Instant floorGrid(Instant t) {
        long g = settings.grid().toMillis();
        return g <= 0 ? t : Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), g) * g);
    }

    private List<List<SourceRow>> groupByKey(List<SourceRow> rows) {
        List<List<SourceRow>> groups = new ArrayList<>();
        Object[] prev = null;
        for (SourceRow r : rows) {
            Object[] k = key(r.values());
            if (prev == null || !Arrays.equals(prev, k)) {
                groups.add(new ArrayList<>(2));
                prev = k;
            }
            groups.get(groups.size() - 1).add(r);
        }
        return groups;
    }

    private static void replaceLastOffset(List<Emit> out, Position p) {
        if (!out.isEmpty()) {
            Emit last = out.remove(out.size() - 1);
            out.add(new Emit(last.key(), last.values(), last.change(), p.toMap()));
        }
    }

    private Object[] key(Object[] values) {
        Object[] k = new Object[keyIdx.length];
        for (int i = 0; i < keyIdx.length; i++) {
            k[i] = values[keyIdx[i]];
        }
        return k;
    }

    private static List<String> text(Object[] key) {
        List<String> out = new ArrayList<>(key.length);
        for (Object o : key) {
            out.add(ValueText.text(o));
        }
        return out;
    }

    private Object[] keyOf(List<String> after) {
        if (after == null) {
            return null;
        }
        if (after.size() != keyIdx.length) {
            throw new ConnectException("Offset for table " + spec.name() + ": \"after\" has " + after.size()
                    + " values, the key has " + keyIdx.length + " columns");
        }
        Object[] k = new Object[keyIdx.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = ValueText.parse(columns.get(keyIdx[i]).type(), after.get(i));
        }
        return k;
    }
}
