package io.crmconnect.hubspot.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotOutcomeUnknownException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records in batch calls of at most {@code batch.size} and attributes HubSpot's answer to each input: 207
 * per-input errors by {@code objectWriteTraceId}; a call refused as a whole (4xx) is split in halves until the
 * failing input is alone, which then goes to the dead-letter topic with HubSpot's category and message; inputs
 * HubSpot neither confirmed nor blamed are sent again (updates and upserts only) to find out. Creates are never sent
 * twice: a create whose outcome is unknown is returned to the caller to be read back.
 */
final class BatchExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

    /** The batch write endpoints. */
    enum Op {
        CREATE,
        UPDATE,
        UPSERT
    }

    /** One batch call to HubSpot (the client in production, a fake in unit tests). */
    interface BatchApi {
        BatchResult send(Op op, List<ObjectNode> inputs);
    }

    /** Success callback of one input. */
    interface OnWritten {
        void accept(PendingRecord item, CrmObject result);
    }

    /**
     * What to send and how to match results to inputs.
     *
     * @param resultKey key of a result record to find its input (null = results in input order, plain creates)
     * @param itemKey   the same key computed from an input
     */
    record Call(
            Op op,
            Function<PendingRecord, ObjectNode> toInput,
            OnWritten onWritten,
            Function<CrmObject, String> resultKey,
            Function<PendingRecord, String> itemKey) {}

    private final BatchApi api;
    private final int batchSize;
    private final ParallelCalls calls;
    private final Outcomes outcomes;
    private final ErrorSanitizer sanitizer;

    BatchExecutor(BatchApi api, int batchSize, ParallelCalls calls, Outcomes outcomes, ErrorSanitizer sanitizer) {
        this.api = api;
        this.batchSize = batchSize;
        this.calls = calls;
        this.outcomes = outcomes;
        this.sanitizer = sanitizer;
    }

    /**
     * Sends the records; failures HubSpot attributes to an input are dead-lettered, transient ones propagate.
     *
     * @return records of creates whose outcome is unknown (HubSpot may have committed them): never resent here
     */
    List<PendingRecord> run(Call call, List<PendingRecord> items) {
        List<PendingRecord> unknown = Collections.synchronizedList(new ArrayList<>());
        calls.forEach(ParallelCalls.chunks(items, batchSize), chunk -> {
            try {
                runChunk(call, chunk);
            } catch (HubSpotOutcomeUnknownException e) {
                LOG.warn(
                        "HubSpot batch {} of {} records: outcome unknown ({}); they are read back, not resent",
                        call.op(),
                        chunk.size(),
                        e.getMessage());
                unknown.addAll(chunk);
            }
        });
        return unknown;
    }

    private void runChunk(Call call, List<PendingRecord> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        List<ObjectNode> inputs = new ArrayList<>(chunk.size());
        Map<String, PendingRecord> byTrace = new HashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            ObjectNode in = call.toInput().apply(chunk.get(i));
            String trace = "t" + i + "-" + chunk.get(i).record.kafkaOffset();
            in.put("objectWriteTraceId", trace);
            byTrace.put(trace, chunk.get(i));
            inputs.add(in);
        }
        BatchResult r;
        try {
            r = api.send(call.op(), inputs);
        } catch (HubSpotApiException e) {
            if (chunk.size() == 1) {
                outcomes.fail(chunk.get(0), Failure.rejected(e));
                return;
            }
            LOG.debug(
                    "batch {} of {} inputs refused ({}); splitting to isolate the failing input",
                    call.op(),
                    chunk.size(),
                    e.category());
            int mid = chunk.size() / 2;
            runChunk(call, new ArrayList<>(chunk.subList(0, mid)));
            runChunk(call, new ArrayList<>(chunk.subList(mid, chunk.size())));
            return;
        }
        Set<PendingRecord> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<BatchResult.BatchError> unattributed = new ArrayList<>();
        for (BatchResult.BatchError err : r.errors()) {
            List<String> traces = err.context() == null ? null : err.context().get("objectWriteTraceId");
            boolean any = false;
            if (traces != null) {
                for (String t : traces) {
                    PendingRecord it = byTrace.get(t);
                    if (it != null && failed.add(it)) {
                        outcomes.fail(it, Failure.rejected(err, sanitizer));
                        any = true;
                    }
                }
            }
            if (!any) {
                unattributed.add(err);
            }
        }
        Set<PendingRecord> succeeded = Collections.newSetFromMap(new IdentityHashMap<>());
        if (call.resultKey() != null) {
            Map<String, CrmObject> results = new HashMap<>();
            for (CrmObject o : r.results()) {
                String k = call.resultKey().apply(o);
                if (k != null) {
                    results.put(k, o);
                }
            }
            for (PendingRecord it : chunk) {
                CrmObject o =
                        failed.contains(it) ? null : results.get(call.itemKey().apply(it));
                if (o != null) {
                    call.onWritten().accept(it, o);
                    succeeded.add(it);
                }
            }
        } else {
            // plain creates: HubSpot answers in input order (usual behaviour, not a documented guarantee)
            int i = 0;
            for (PendingRecord it : chunk) {
                if (!failed.contains(it) && i < r.results().size()) {
                    call.onWritten().accept(it, r.results().get(i++));
                    succeeded.add(it);
                }
            }
        }
        List<PendingRecord> unknown = new ArrayList<>();
        for (PendingRecord it : chunk) {
            if (!failed.contains(it) && !succeeded.contains(it)) {
                unknown.add(it);
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        if (call.op() != Op.CREATE && unknown.size() < chunk.size()) {
            // HubSpot did not say which input failed: send those again (halved) to find out
            for (List<PendingRecord> part : ParallelCalls.chunks(unknown, Math.max(1, unknown.size() / 2))) {
                runChunk(call, part);
            }
            return;
        }
        DeadLetter f = unattributed.isEmpty()
                ? Failure.of(
                        DeadLetter.REJECTED,
                        "HubSpot returned no result for this input of a batch "
                                + call.op().name().toLowerCase(Locale.ROOT))
                : Failure.rejected(unattributed.get(0), sanitizer);
        for (PendingRecord it : unknown) {
            outcomes.fail(it, f);
        }
    }
}
