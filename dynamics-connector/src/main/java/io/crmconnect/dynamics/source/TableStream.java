package io.crmconnect.dynamics.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.time.FastTime;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.ReadOptions;
import io.crmconnect.dynamics.client.RowPage;
import io.crmconnect.dynamics.client.TableMetadata;
import io.crmconnect.dynamics.source.DynamicsSourceConfig.ChangeMode;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One table: its metadata and value schema, the ids of its rows in the topic, and the phase it is in. With change
 * tracking: snapshot (initial load, or a re-snapshot after an expired delta token) → catch-up of rows changed while
 * it ran → listing of every id (tombstones for rows gone) → delta reads. Without: watermark passes, with a listing
 * every {@code reconcile.interval.ms}. Between steps it saves changed id buckets in the offsets and reads the
 * metadata again.
 */
final class TableStream {
    private static final Logger LOG = LoggerFactory.getLogger(TableStream.class);
    /** A delta link older than this in the offsets is refreshed (a quiet table must not let it expire). */
    static final long DELTA_REFRESH_MS = 6 * 3_600_000L;

    final String table;
    final DynamicsClient client;
    final DynamicsSourceConfig config;
    final SourceMetrics metrics;
    final RowSchema schema;
    final RowIds ids = new RowIds();
    final Emitter emitter;
    final int pageSize;
    final long overlap;
    final long pollInterval;
    final long reconcileInterval;
    private final long checkpointInterval;
    private final long metadataInterval;
    private TableMetadata md;
    private boolean changeTracking;
    private Phase phase;
    private long nextCheckpoint;
    private long nextMetadata;
    private boolean schemaGrew;
    /** The delta link the offsets hold, and when it was written. */
    private String persistedDelta;

    private long persistedDeltaAt;
    private String currentDelta;

    TableStream(
            String table,
            DynamicsClient client,
            DynamicsSourceConfig config,
            SourceMetrics metrics,
            String environment) {
        this.table = table;
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        metrics.table(table);
        this.schema = new RowSchema(table, config::excluded);
        this.emitter = new Emitter(table, config.topic(table), environment, metrics);
        this.pageSize = config.getInt(DynamicsSourceConfig.PAGE_SIZE);
        this.overlap = config.getLong(DynamicsSourceConfig.WATERMARK_OVERLAP_MS);
        this.pollInterval = config.getLong(DynamicsSourceConfig.POLL_INTERVAL_MS);
        this.reconcileInterval = config.getLong(DynamicsSourceConfig.RECONCILE_INTERVAL_MS);
        this.checkpointInterval = config.getLong(DynamicsSourceConfig.IDS_CHECKPOINT_MS);
        this.metadataInterval = config.getLong(DynamicsSourceConfig.METADATA_REFRESH_MS);
    }

    String name() {
        return table;
    }

    List<Map<String, Object>> partitions() {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(emitter.partition());
        for (int b = 0; b < RowIds.BUCKETS; b++) {
            out.add(Emitter.idsPartition(table, b));
        }
        return out;
    }

    /** Reads the metadata, chooses the change mode and resumes from the committed offsets. */
    void start(Map<Map<String, Object>, Map<String, Object>> offsets) {
        md = client.table(table);
        if (md == null) {
            throw new ConnectException("Dynamics 365 table '" + table + "' does not exist (tables): check its "
                    + "logical name, e.g. contact, account, cr123_project");
        }
        schema.update(md);
        ChangeMode mode = config.changeMode();
        if (mode == ChangeMode.CHANGE_TRACKING && !md.changeTrackingEnabled()) {
            throw new ConnectException("Dynamics 365 table '" + table + "' has no change tracking (change.mode="
                    + "change_tracking): turn on 'Track changes' in the table's properties, or use change.mode=auto");
        }
        changeTracking = mode != ChangeMode.WATERMARK && md.changeTrackingEnabled();
        for (int b = 0; b < RowIds.BUCKETS; b++) {
            Map<String, Object> o = offsets.get(Emitter.idsPartition(table, b));
            if (o != null && o.get("ids") instanceof String s) {
                try {
                    ids.restoreBucket(b, s);
                } catch (IllegalArgumentException e) {
                    LOG.warn(
                            "Dynamics {}: id bucket {} in the offsets is unreadable ({}); rows deleted while no "
                                    + "change tracking reports them may not get a tombstone",
                            table,
                            b,
                            e.getMessage());
                }
            }
        }
        phase = restorePhase(offsets.get(emitter.partition()));
        long now = System.currentTimeMillis();
        nextCheckpoint = now + checkpointInterval;
        nextMetadata = now + metadataInterval;
        LOG.info(
                "Dynamics {}: {} ({} columns), starting in phase {}; {} row ids known",
                table,
                changeTracking ? "change tracking" : "watermark on modifiedon",
                schema.columns().size(),
                phase.name(),
                ids.size());
    }

    private Phase restorePhase(Map<String, Object> off) {
        long now = System.currentTimeMillis();
        if (off == null) {
            return changeTracking
                    ? new SnapshotPhase(this, Offsets.LOAD, now, null, null)
                    : new WatermarkPhase(this, null);
        }
        String p = Offsets.string(off, "phase");
        boolean ctOffset = !Offsets.WATERMARK.equals(p);
        if (ctOffset != changeTracking) {
            LOG.warn(
                    "Dynamics {}: the offsets were written in {} mode, the table is now read with {}: reading it "
                            + "again from the start",
                    table,
                    ctOffset ? "change tracking" : "watermark",
                    changeTracking ? "change tracking" : "watermark");
            return changeTracking
                    ? new SnapshotPhase(this, Offsets.LOAD, now, null, null)
                    : new WatermarkPhase(this, null);
        }
        String reason = Offsets.string(off, "reason") == null ? Offsets.LOAD : Offsets.string(off, "reason");
        Long start = Offsets.number(off, "start");
        switch (p) {
            case Offsets.SNAPSHOT:
                return new SnapshotPhase(
                        this, reason, start, Offsets.string(off, "link"), Offsets.string(off, "after"));
            case Offsets.CATCHUP:
                return new CatchUpPhase(
                        this,
                        reason,
                        start,
                        Offsets.string(off, "delta"),
                        Offsets.string(off, "link"),
                        Offsets.string(off, "after"));
            case Offsets.LISTING:
                return ListingPhase.beforeDelta(this, reason, Offsets.string(off, "delta"));
            case Offsets.DELTA:
                persistedDelta = Offsets.string(off, "link");
                persistedDeltaAt = now;
                return new DeltaPhase(
                        this, persistedDelta, Offsets.number(off, "afterVersion"), Offsets.string(off, "afterDeleted"));
            default:
                return new WatermarkPhase(this, Offsets.number(off, "since"));
        }
    }

    long nextDue() {
        return Math.min(phase.nextDue(), checkpointPending() && emitter.hasSent() ? nextCheckpoint : Long.MAX_VALUE);
    }

    /** Changed id buckets, or a delta link that the offsets do not hold yet or hold for too long. */
    private boolean checkpointPending() {
        return ids.anyDirty()
                || (currentDelta != null
                        && !currentDelta.equals(persistedDelta)
                        && (persistedDelta == null
                                || System.currentTimeMillis() - persistedDeltaAt > DELTA_REFRESH_MS));
    }

    List<SourceRecord> step(long now) throws InterruptedException {
        if (now >= nextMetadata) {
            refreshMetadata(now);
        }
        List<SourceRecord> out = new ArrayList<>(phase.step(now));
        if (now >= nextCheckpoint && !(phase instanceof SnapshotPhase) && !(phase instanceof ListingPhase)) {
            out.addAll(checkpoint(now));
        }
        return out;
    }

    void switchTo(Phase next) {
        LOG.debug("Dynamics {}: {} -> {}", table, phase == null ? "-" : phase.name(), next.name());
        if (phase != null && phase != next) {
            phase.close();
        }
        phase = next;
    }

    Phase phase() {
        return phase;
    }

    boolean changeTracking() {
        return changeTracking;
    }

    TableMetadata metadata() {
        return md;
    }

    /** New columns extend the schema; change tracking reads them after a re-snapshot (a delta link keeps its $select). */
    private void refreshMetadata(long now) {
        nextMetadata = now + metadataInterval;
        TableMetadata fresh = client.table(table);
        if (fresh == null) {
            throw new ConnectException("Dynamics 365 table '" + table + "' no longer exists (tables)");
        }
        md = fresh;
        if (schema.update(fresh)) {
            LOG.info(
                    "Dynamics {}: new columns, schema version {} ({} columns)",
                    table,
                    schema.version(),
                    schema.columns().size());
            schemaGrew = true;
        }
    }

    /** True once after the schema grew: change tracking then re-snapshots to fill the new columns. */
    boolean takeSchemaGrowth() {
        boolean g = schemaGrew;
        schemaGrew = false;
        return g;
    }

    /** Offsets for changed id buckets (and a stale delta link), each on an unchanged copy of the last record. */
    private List<SourceRecord> checkpoint(long now) {
        nextCheckpoint = now + checkpointInterval;
        List<Map.Entry<Map<String, Object>, Map<String, Object>>> offsets = new ArrayList<>();
        List<Integer> saved = new ArrayList<>();
        for (int b : ids.dirtyBuckets()) {
            String enc = ids.encodeBucket(b);
            if (enc == null) {
                LOG.warn(
                        "Dynamics {}: id bucket {} holds more than {} ids and is not saved; after a restart, rows "
                                + "deleted while no change tracking reports them may not get a tombstone",
                        table,
                        b,
                        RowIds.BUCKET_MAX);
                ids.saved(b);
                continue;
            }
            offsets.add(new AbstractMap.SimpleEntry<>(Emitter.idsPartition(table, b), Offsets.ofIds(enc)));
            saved.add(b);
        }
        // a delta link no record carried yet (a listing without tombstones, quiet tables): save it too
        if (currentDelta != null
                && !currentDelta.equals(persistedDelta)
                && (persistedDelta == null || now - persistedDeltaAt > DELTA_REFRESH_MS)
                && phase instanceof DeltaPhase d
                && d.idle()) {
            offsets.add(new AbstractMap.SimpleEntry<>(
                    emitter.partition(), Offsets.of(Offsets.DELTA, "link", currentDelta)));
            deltaPersisted(currentDelta, now);
        }
        List<SourceRecord> out = emitter.checkpoints(offsets);
        if (!out.isEmpty()) {
            saved.forEach(ids::saved);
            LOG.debug("Dynamics {}: saved {} id bucket(s) ({} ids)", table, saved.size(), ids.size());
        }
        return out;
    }

    /** Saves changed id buckets at the next step (after a listing made the id set exact). */
    void checkpointSoon() {
        nextCheckpoint = 0;
    }

    /** The delta link a record's offset now carries. */
    void deltaPersisted(String link, long now) {
        persistedDelta = link;
        persistedDeltaAt = now;
        currentDelta = link;
    }

    /** The newest delta link, not necessarily in the offsets yet (a read that found no change). */
    void deltaCurrent(String link) {
        currentDelta = link;
    }

    // ---------------------------------------------------------------------------------------------- page reading

    ReadOptions options(boolean trackChanges, boolean annotations) {
        return new ReadOptions(pageSize, trackChanges, annotations);
    }

    /** A fetcher that converts rows (values, ids, modifiedon, versionnumber) on its own thread. */
    PageFetcher<Converted> rowFetcher(String firstLink, boolean trackChanges) {
        return new PageFetcher<>(table, client, firstLink, options(trackChanges, true), this::convert);
    }

    /** A page of converted rows and the ids Dataverse reported deleted. */
    record Converted(List<SourceRow> rows, List<String> deleted) {}

    Converted convert(RowPage page) {
        List<SourceRow> rows = new ArrayList<>(page.rows().size());
        String pk = md.primaryIdAttribute();
        for (ObjectNode r : page.rows()) {
            String id = r.path(pk).asText(null);
            if (id == null) {
                continue;
            }
            rows.add(new SourceRow(id, uuid(id), schema.toStruct(r), modifiedOn(r), version(r)));
        }
        return new Converted(rows, page.deletedIds());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static long modifiedOn(ObjectNode r) {
        JsonNode m = r.get("modifiedon");
        if (m == null || m.isNull()) {
            return Long.MIN_VALUE;
        }
        Long ms = FastTime.isoEpochMillis(m.asText(), ZoneOffset.UTC);
        return ms == null ? Long.MIN_VALUE : ms;
    }

    static long version(ObjectNode r) {
        JsonNode v = r.get("versionnumber");
        if (v == null || v.isNull()) {
            return Long.MIN_VALUE;
        }
        return v.isTextual() ? Long.parseLong(v.asText()) : v.longValue();
    }

    /** {@code modifiedon ge 2026-12-05T08:00:00Z}: an OData date-time literal, unquoted. */
    static String modifiedSince(long epochMillis) {
        return "modifiedon ge " + FastTime.isoInstant(Math.max(0, epochMillis));
    }

    void close() {
        if (phase != null) {
            phase.close();
        }
    }
}
