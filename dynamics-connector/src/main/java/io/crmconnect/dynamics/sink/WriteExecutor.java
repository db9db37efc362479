package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.Backoff;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.dynamics.client.BatchOperation;
import io.crmconnect.dynamics.client.BatchResponse;
import io.crmconnect.dynamics.client.DynamicsApiException;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.DynamicsRetriableException;
import io.crmconnect.dynamics.client.ODataLiterals;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteApi;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one segment's planned writes: upserts through {@code UpsertMultiple} (one call per {@code batch.size} rows)
 * where the table supports it, otherwise — and for create_only / update_only, deletes, and any bulk call Dataverse
 * refused as a whole — through {@code $batch} with one change set per row, so exactly the rows Dataverse rejects
 * fail and the rest commit. Rows failing transiently inside a {@code $batch} are sent again within the retry budget.
 * Every call is idempotent (rows are addressed by id or alternate key), so nothing is created twice on a retry.
 * A record carrying an {@link ExpectedVersion} updates its row only at that version ({@code If-Match: <etag>},
 * always through {@code $batch}: UpsertMultiple takes no per-row condition); a 412 hands it back to be consumed again.
 */
final class WriteExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(WriteExecutor.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final DynamicsClient client;
    private final TargetTable target;
    private final WriteMode mode;
    private final int batchSize;
    private final ExecutorService pool;
    private final Backoff itemRetries;
    private volatile boolean bulk;
    private int bulkRefusalsWithoutBadRow;
    final AtomicLong bulkCalls = new AtomicLong();
    final AtomicLong batchCalls = new AtomicLong();

    WriteExecutor(
            DynamicsClient client,
            TargetTable target,
            WriteMode mode,
            WriteApi api,
            boolean bulkSupported,
            int batchSize,
            ExecutorService pool,
            Backoff itemRetries) {
        this.client = client;
        this.target = target;
        this.mode = mode;
        this.batchSize = batchSize;
        this.pool = pool;
        this.itemRetries = itemRetries;
        this.bulk = api == WriteApi.AUTO && mode == WriteMode.UPSERT && bulkSupported;
    }

    /**
     * Starts the segment's writes (no two plans address the same row) on the pool and returns one call per chunk;
     * each reports its rows' outcomes as it ends. A call's future fails with the error that ended it (a
     * {@link DynamicsRetriableException} when Dataverse kept failing transiently).
     */
    List<Call> submit(List<WritePlan> plans, Outcomes out) {
        List<WritePlan> upserts = new ArrayList<>();
        List<WritePlan> viaBatch = new ArrayList<>();
        for (WritePlan p : plans) {
            if (p.action() == WritePlan.Action.DELETE || !bulk || expectedVersion(p) != null) {
                viaBatch.add(p);
            } else {
                upserts.add(p);
            }
        }
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < upserts.size(); i += batchSize) {
            List<WritePlan> chunk = upserts.subList(i, Math.min(upserts.size(), i + batchSize));
            calls.add(new Call(chunk, CompletableFuture.runAsync(() -> bulkChunk(chunk, out), pool)));
        }
        for (int i = 0; i < viaBatch.size(); i += batchSize) {
            List<WritePlan> chunk = viaBatch.subList(i, Math.min(viaBatch.size(), i + batchSize));
            calls.add(new Call(chunk, CompletableFuture.runAsync(() -> batchChunk(chunk, out), pool)));
        }
        return calls;
    }

    /** One write call: the rows it writes and when it ends. */
    record Call(List<WritePlan> plans, CompletableFuture<Void> done) {}

    private void bulkChunk(List<WritePlan> chunk, Outcomes out) {
        List<ObjectNode> targets = new ArrayList<>(chunk.size());
        for (WritePlan p : chunk) {
            targets.add(bulkTarget(p));
        }
        try {
            bulkCalls.incrementAndGet();
            client.upsertMultiple(target.entitySet(), target.md.logicalName(), targets);
        } catch (DynamicsApiException e) {
            boolean unsupported = e.status() == 404
                    || e.status() == 405
                    || e.status() == 501
                    || (e.getMessage() != null
                            && e.getMessage().toLowerCase(Locale.ROOT).contains("not supported"));
            LOG.info(
                    "Dynamics {}: UpsertMultiple of {} rows refused ({}); writing them through $batch so only the "
                            + "rows Dataverse rejects fail",
                    target.md.logicalName(),
                    chunk.size(),
                    e.getMessage());
            int failed = batchChunk(chunk, out);
            synchronized (this) {
                if (unsupported || (failed == 0 && ++bulkRefusalsWithoutBadRow >= 2)) {
                    if (bulk) {
                        LOG.info(
                                "Dynamics {}: UpsertMultiple is not usable for this table; writing through $batch "
                                        + "from now on",
                                target.md.logicalName());
                    }
                    bulk = false;
                }
            }
            return;
        }
        for (WritePlan p : chunk) {
            out.written(p.row(), p.action());
        }
    }

    /** An UpsertMultiple target: the row's id (existing rows, id identities) or its alternate key. */
    private ObjectNode bulkTarget(WritePlan p) {
        ObjectNode t = JSON.objectNode();
        t.put("@odata.type", "Microsoft.Dynamics.CRM." + target.md.logicalName());
        String id = rowId(p);
        if (id != null) {
            t.put(target.primaryId(), id);
        } else {
            t.put("@odata.id", keyPath(p.row().identity()));
            for (Map.Entry<String, Object> k : p.row().identity().key().entrySet()) {
                if (!p.body().has(k.getKey())) {
                    ChangePlanner.put(t, k.getKey(), k.getValue());
                }
            }
        }
        t.setAll(p.body());
        return t;
    }

    /** Writes the plans through $batch; returns how many rows were rejected. */
    private int batchChunk(List<WritePlan> chunk, Outcomes out) {
        List<WritePlan> pending = new ArrayList<>(chunk);
        Backoff.Attempts attempts = itemRetries.start();
        int rejected = 0;
        while (true) {
            List<BatchOperation> ops = new ArrayList<>(pending.size());
            for (WritePlan p : pending) {
                ops.add(operation(p));
            }
            batchCalls.incrementAndGet();
            List<BatchResponse> answers = client.batch(ops);
            List<WritePlan> again = new ArrayList<>();
            String lastProblem = null;
            for (int i = 0; i < pending.size(); i++) {
                WritePlan p = pending.get(i);
                BatchResponse a = answers.get(i);
                if (a.ok()) {
                    if (p.action() == WritePlan.Action.DELETE) {
                        out.deleted(p.row());
                    } else {
                        out.written(p.row(), p.action());
                    }
                } else if (a.transientFailure()) {
                    again.add(p);
                    lastProblem = "HTTP " + a.status() + (a.code() == null ? "" : " " + a.code()) + ": " + a.message();
                } else if (a.status() == 412 && expectedVersion(p) != null) {
                    out.changedSincePlanned(p.row().record());
                } else if (p.action() == WritePlan.Action.DELETE && a.status() == 404) {
                    out.skipped(p.row().record(), WritePlan.Action.SKIP_GONE);
                } else if (mode == WriteMode.CREATE_ONLY && a.status() == 412) {
                    out.skipped(p.row().record(), WritePlan.Action.SKIP_EXISTS);
                } else if (mode == WriteMode.UPDATE_ONLY && a.status() == 404) {
                    out.failed(
                            p.row().record(),
                            new RecordFailure(
                                    RecordFailure.NOT_FOUND,
                                    a.code(),
                                    404,
                                    "the row no longer exists and write.mode is update_only",
                                    Map.of(),
                                    null,
                                    null));
                    rejected++;
                } else {
                    out.failed(
                            p.row().record(),
                            RecordFailure.rejected(
                                    a.code(), a.status(), "Dataverse refused the row: " + a.message(), null, rowId(p)));
                    rejected++;
                }
            }
            if (again.isEmpty()) {
                return rejected;
            }
            long d = attempts.nextDelayMillis();
            if (d < 0) {
                throw new DynamicsRetriableException(
                        "Dataverse keeps failing " + again.size() + " rows of a $batch " + "transiently (" + lastProblem
                                + ")",
                        0,
                        null,
                        null,
                        0,
                        null);
            }
            sleep(d);
            pending = again;
        }
    }

    private BatchOperation operation(WritePlan p) {
        String path;
        String id = rowId(p);
        if (p.action() == WritePlan.Action.DELETE) {
            path = id != null
                    ? ODataLiterals.idSegment(target.entitySet(), id)
                    : keyPath(p.row().identity());
            return BatchOperation.delete(path);
        }
        path = id != null
                ? ODataLiterals.idSegment(target.entitySet(), id)
                : keyPath(p.row().identity());
        String version = expectedVersion(p);
        Map<String, String> headers = switch (mode) {
            case CREATE_ONLY -> Map.of("If-None-Match", "*");
            case UPDATE_ONLY -> Map.of("If-Match", version != null ? version : "*");
            default -> version != null ? Map.of("If-Match", version) : Map.of();
        };
        ObjectNode body = p.body();
        if (id != null && p.existingId() == null && !p.row().identity().byId()) {
            body = body.deepCopy(); // a new row by a key that cannot be addressed: carry the key in the body
            for (Map.Entry<String, Object> k : p.row().identity().key().entrySet()) {
                if (!body.has(k.getKey())) {
                    ChangePlanner.put(body, k.getKey(), k.getValue());
                }
            }
        }
        return BatchOperation.patch(path, body, headers);
    }

    /** The row version the record may only be written over; null for a create or an unconditional write. */
    private static String expectedVersion(WritePlan p) {
        return p.action() == WritePlan.Action.CREATE || p.action() == WritePlan.Action.DELETE
                ? null
                : ExpectedVersion.of(p.row().record());
    }

    /**
     * The id a row is written by: the existing row's, the record's own, or — for a new row whose alternate-key value
     * cannot appear in a URL ({@code / ? & + ...}) — an id derived from the key, the same on every replay.
     */
    private String rowId(WritePlan p) {
        if (p.existingId() != null) {
            return p.existingId();
        }
        RowIdentity id = p.row().identity();
        if (id.byId()) {
            return id.rowId();
        }
        for (Object v : id.key().values()) {
            if (!ODataLiterals.addressable(v)) {
                return UUID.nameUUIDFromBytes(("crmconnect:" + target.md.logicalName() + ":" + id.canonical())
                                .getBytes(StandardCharsets.UTF_8))
                        .toString();
            }
        }
        return null;
    }

    private String keyPath(RowIdentity id) {
        return ODataLiterals.keySegment(target.entitySet(), id.key());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamicsRetriableException("interrupted during retry backoff", 0, null, null, 0, e);
        }
    }
}
