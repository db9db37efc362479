package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.sink.DeadLetter;
import io.crmconnect.hubspot.client.BatchResult;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotOutcomeUnknownException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor's attribution logic against a fake of HubSpot's batch endpoints (pure logic, no HTTP). */
class BatchExecutorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<List<ObjectNode>> sent = Collections.synchronizedList(new ArrayList<>());
    private final Map<Long, DeadLetter> dead = new ConcurrentHashMap<>();
    private final List<Long> written = Collections.synchronizedList(new ArrayList<>());
    private final ParallelCalls calls = new ParallelCalls(3);

    @AfterEach
    void close() {
        calls.close();
    }

    private BatchExecutor executor(Function<List<ObjectNode>, BatchResult> hubspot) {
        Outcomes outcomes = new Outcomes(new SinkStats(), (r, d) -> dead.put(r.kafkaOffset(), d));
        return new BatchExecutor(
                (op, inputs) -> {
                    sent.add(inputs);
                    return hubspot.apply(inputs);
                },
                10,
                calls,
                outcomes,
                ErrorSanitizer.keeping(List.of("email")));
    }

    private static List<PendingRecord> records(int n) {
        List<PendingRecord> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            PendingRecord p = new PendingRecord(new SinkRecord(
                    "t", 0, Schema.STRING_SCHEMA, "k" + i, null, Map.of("email", "p" + i + "@example.com"), i));
            p.props.put("email", "p" + i + "@example.com");
            out.add(p);
        }
        return out;
    }

    private BatchExecutor.Call call(BatchExecutor.Op op) {
        return new BatchExecutor.Call(
                op,
                it -> {
                    ObjectNode n = MAPPER.createObjectNode()
                            .put("id", it.props.get("email"))
                            .put("idProperty", "email");
                    it.props.forEach(n.putObject("properties")::put);
                    return n;
                },
                (it, o) -> written.add(it.record.kafkaOffset()),
                op == BatchExecutor.Op.CREATE ? null : o -> o.property("email"),
                op == BatchExecutor.Op.CREATE ? null : it -> it.props.get("email"));
    }

    private static CrmObject result(ObjectNode input) {
        return new CrmObject(
                "id-" + input.path("properties").path("email").asText(),
                Map.of("email", input.path("properties").path("email").asText()),
                null,
                null,
                false,
                null,
                Map.of());
    }

    private static boolean bad(ObjectNode in) {
        return in.path("properties").path("email").asText().startsWith("p7@");
    }

    @Test
    void perInputErrorsOfA207AreAttributedByTraceIdAndTheRestIsWritten() {
        List<PendingRecord> items = records(25);
        List<PendingRecord> unknown = executor(inputs -> {
                    List<CrmObject> ok = new ArrayList<>();
                    List<BatchResult.BatchError> errors = new ArrayList<>();
                    for (ObjectNode in : inputs) {
                        if (bad(in)) {
                            errors.add(new BatchResult.BatchError(
                                    "error",
                                    "VALIDATION_ERROR",
                                    "Property values were not "
                                            + "valid: [{\"message\":\"Email address p7@example.com is invalid\",\"error\":"
                                            + "\"INVALID_EMAIL\",\"name\":\"email\"}]",
                                    Map.of(
                                            "objectWriteTraceId",
                                            List.of(in.path("objectWriteTraceId")
                                                    .asText()),
                                            "propertyName",
                                            List.of("email"))));
                        } else {
                            ok.add(result(in));
                        }
                    }
                    return new BatchResult(ok, errors);
                })
                .run(call(BatchExecutor.Op.UPSERT), items);

        assertThat(unknown).isEmpty();
        assertThat(sent).hasSize(3); // 25 records, batches of 10
        assertThat(dead).containsOnlyKeys(7L);
        DeadLetter d = dead.get(7L);
        assertThat(d.reason()).isEqualTo(DeadLetter.REJECTED);
        assertThat(d.code()).isEqualTo("VALIDATION_ERROR");
        assertThat(d.message())
                .contains("INVALID_EMAIL")
                .contains("\"name\":\"email\"")
                .doesNotContain("p7@");
        assertThat(d.context()).containsEntry("propertyName", List.of("email")).doesNotContainKey("objectWriteTraceId");
        assertThat(written).hasSize(24).doesNotContain(7L);
    }

    @Test
    void aBatchRefusedAsAWholeIsHalvedUntilTheBadInputIsAlone() {
        List<PendingRecord> items = records(10);
        executor(inputs -> {
                    if (inputs.stream().anyMatch(BatchExecutorTest::bad)) {
                        throw new HubSpotApiException(
                                "HubSpot rejected batch upsert contacts (HTTP 400 VALIDATION_ERROR)",
                                400,
                                "VALIDATION_ERROR",
                                null,
                                "corr-1");
                    }
                    return new BatchResult(
                            inputs.stream().map(BatchExecutorTest::result).toList(), List.of());
                })
                .run(call(BatchExecutor.Op.UPSERT), items);

        assertThat(dead).containsOnlyKeys(7L);
        assertThat(dead.get(7L).correlationId()).isEqualTo("corr-1");
        assertThat(written).hasSize(9);
        // 10 -> 5+5 -> (5 ok) 2+3 -> (2 ok) 1+2 -> (1 ok) 1+1: at most 2 x log2(10) calls, not 10
        assertThat(sent.size()).isLessThanOrEqualTo(8);
    }

    @Test
    void inputsHubSpotNeitherConfirmedNorBlamedAreResentOnlyWhenThatIsSafe() {
        Function<List<ObjectNode>, BatchResult> dropsP3 = inputs -> new BatchResult(
                inputs.stream()
                        .filter(in ->
                                !in.path("properties").path("email").asText().startsWith("p3@"))
                        .map(BatchExecutorTest::result)
                        .toList(),
                List.of());
        executor(dropsP3).run(call(BatchExecutor.Op.UPDATE), records(4));
        assertThat(sent).hasSize(2).last().satisfies(last -> assertThat(last).hasSize(1));
        assertThat(dead).containsOnlyKeys(3L);

        sent.clear();
        dead.clear();
        written.clear();
        // a create that HubSpot answered with fewer results is never sent again: it may exist
        executor(inputs -> new BatchResult(List.of(result(inputs.get(0))), List.of()))
                .run(call(BatchExecutor.Op.CREATE), records(3));
        assertThat(sent).hasSize(1);
        assertThat(written).containsExactly(0L);
        assertThat(dead).containsOnlyKeys(1L, 2L);
    }

    @Test
    void aCreateWhoseOutcomeIsUnknownIsReturnedNotResent() {
        List<PendingRecord> items = records(15);
        List<PendingRecord> unknown = executor(inputs -> {
                    if (inputs.size() == 5) {
                        throw new HubSpotOutcomeUnknownException(
                                "HubSpot batch create contacts may or may not have been " + "applied (HTTP 502)",
                                502,
                                "INTERNAL_ERROR",
                                null,
                                null);
                    }
                    return new BatchResult(
                            inputs.stream().map(BatchExecutorTest::result).toList(), List.of());
                })
                .run(call(BatchExecutor.Op.CREATE), items);

        assertThat(sent).hasSize(2);
        assertThat(unknown).extracting(p -> p.record.kafkaOffset()).containsExactlyInAnyOrder(10L, 11L, 12L, 13L, 14L);
        assertThat(written).hasSize(10);
        assertThat(dead).isEmpty();
    }
}
