package io.crmconnect.dynamics.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.DeleteMode;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes one batch of records to the target table, top-down: read each record ({@link RecordReader}), split into
 * segments that address no row twice ({@link Segments}), then per segment resolve lookups ({@link LookupResolver}),
 * read the current rows ({@link CurrentRows}), plan each row's write ({@link ChangePlanner}) and send the writes
 * ({@link WriteExecutor}). Every record ends in exactly one outcome.
 *
 * <p>Writes are not waited for: {@link #write} returns the batch's calls while they are in flight, so the next batch
 * is read and planned meanwhile. A row with a write in flight is read again only once that write has ended, so
 * every row's records apply in offset order and each plan compares against what was last written.
 */
final class DynamicsSinkWriter {
    private final TargetTable target;
    private final RecordReader reader;
    private final LookupResolver lookups;
    private final CurrentRows current;
    private final ChangePlanner planner;
    private final WriteExecutor executor;
    private final boolean readCurrent;
    private final boolean deletes;
    /** The call writing each row (by canonical identity) that has not ended, or has failed; task thread only. */
    private final Map<String, CompletableFuture<Void>> writing = new HashMap<>();

    DynamicsSinkWriter(
            DynamicsClient client,
            TargetTable target,
            DynamicsSinkConfig config,
            WriteExecutor executor,
            ExecutorService readPool) {
        this.target = target;
        this.reader = new RecordReader(target, config);
        this.lookups = new LookupResolver(client);
        this.current = new CurrentRows(client, target, readPool);
        this.planner = new ChangePlanner(target, config.writeMode(), config.changedOnly());
        this.executor = executor;
        this.deletes = config.deleteMode() == DeleteMode.DELETE;
        // existence must be known to send only changes, to fill only empty columns, and for create / update only
        this.readCurrent =
                config.changedOnly() || !config.fillIfMissing().isEmpty() || config.writeMode() != WriteMode.UPSERT;
    }

    WriteExecutor executor() {
        return executor;
    }

    /**
     * Plans the records and starts their writes; returns the calls in flight. Throws the error of an earlier call
     * that failed writing a row of this batch (nothing after it may be written then).
     */
    List<CompletableFuture<Void>> write(List<SinkRecord> records, Outcomes out) {
        writing.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        List<SinkRow> rows = new ArrayList<>(records.size());
        for (SinkRecord r : records) {
            if (r.value() == null && !deletes) {
                out.skipped(r, WritePlan.Action.SKIP_GONE);
                continue;
            }
            Object read = reader.read(r);
            if (read instanceof RecordFailure f) {
                out.failed(r, f);
            } else {
                rows.add((SinkRow) read);
            }
        }
        for (List<SinkRow> segment : Segments.split(rows)) {
            writeSegment(segment, out, calls);
        }
        return calls;
    }

    /** Waits for every call in flight to end, whatever its outcome, and forgets them. */
    void awaitAll() {
        for (CompletableFuture<Void> f : writing.values()) {
            try {
                f.join();
            } catch (CompletionException | CancellationException e) {
                // its outcome is the caller's to read from the future it holds
            }
        }
        writing.clear();
    }

    /** Waits for the writes in flight to the segment's rows; rethrows the error of one that failed. */
    private void awaitRows(List<SinkRow> segment) {
        for (SinkRow r : segment) {
            CompletableFuture<Void> f = writing.get(r.identity().canonical());
            if (f == null) {
                continue;
            }
            try {
                f.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
    }

    private void writeSegment(List<SinkRow> segment, Outcomes out, List<CompletableFuture<Void>> calls) {
        awaitRows(segment);
        Map<TargetTable.BoundLookup, Map<String, LookupResolver.Resolution>> resolved = resolveLookups(segment);
        boolean needsRead = readCurrent
                || segment.stream().anyMatch(r -> r.delete() && !r.identity().byId());
        Map<String, ObjectNode> rows = needsRead
                ? current.read(
                        segment.stream().map(SinkRow::identity).toList(), CurrentRows.properties(segment, target))
                : Map.of();
        List<WritePlan> writes = new ArrayList<>();
        for (SinkRow r : segment) {
            WritePlan p = planner.plan(r, rows.get(r.identity().canonical()), needsRead, resolved);
            switch (p.action()) {
                case FAIL -> out.failed(r.record(), p.failure());
                case SKIP_UNCHANGED, SKIP_EXISTS, SKIP_GONE -> out.skipped(r.record(), p.action());
                default -> writes.add(p);
            }
        }
        if (!writes.isEmpty()) {
            for (WriteExecutor.Call call : executor.submit(writes, out)) {
                calls.add(call.done());
                for (WritePlan p : call.plans()) {
                    writing.put(p.row().identity().canonical(), call.done());
                }
            }
        }
    }

    private Map<TargetTable.BoundLookup, Map<String, LookupResolver.Resolution>> resolveLookups(List<SinkRow> segment) {
        Map<TargetTable.BoundLookup, List<Object>> byBinding = new LinkedHashMap<>();
        for (SinkRow r : segment) {
            for (Map.Entry<TargetTable.BoundLookup, Object> l : r.lookups().entrySet()) {
                if (l.getValue() != null && !l.getKey().config().byId()) {
                    byBinding
                            .computeIfAbsent(l.getKey(), k -> new ArrayList<>())
                            .add(l.getValue());
                }
            }
        }
        Map<TargetTable.BoundLookup, Map<String, LookupResolver.Resolution>> out = new HashMap<>();
        byBinding.forEach((b, values) -> out.put(b, lookups.resolve(b, values)));
        return out;
    }
}
