package io.crmconnect.common.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.Redact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

class SinkDeliveryTest {
    private static final TopicPartition CONSUMED = new TopicPartition("users", 0);
    private static final Map<String, String> TOLERATE_WITH_DLQ =
            Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq");

    /** A record an SMT moved to topic "renamed"; it was consumed from users-0. */
    private static SinkRecord record(long offset) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString("source", "warehouse");
        return new SinkRecord(
                "renamed",
                3,
                Schema.STRING_SCHEMA,
                "key-" + offset,
                Schema.STRING_SCHEMA,
                "jane@example.com",
                offset,
                1_000L,
                TimestampType.CREATE_TIME,
                h,
                CONSUMED.topic(),
                CONSUMED.partition(),
                offset);
    }

    @Test
    void redeliveredRecordsAreSkippedAndOffsetsAdvanceOnlyForCompletedBatches() {
        Reporter rep = new Reporter();
        SinkDelivery d = new SinkDelivery(
                new DeadLetterQueue(rep.context(), TOLERATE_WITH_DLQ, "test", Redact.withSecret(null)));
        List<SinkRecord> batch = List.of(record(10), record(11), record(12));
        d.written(batch.get(0));
        assertThat(d.deadLetter(batch.get(1), DeadLetter.of(DeadLetter.MISSING_KEY, "hubspot", "no key")))
                .isTrue();
        // the batch failed transiently after two records: nothing may be committed yet
        Map<TopicPartition, OffsetAndMetadata> asked = Map.of(CONSUMED, new OffsetAndMetadata(13));
        assertThat(d.preCommit(asked)).isEmpty();
        // redelivered: the two handled records are skipped, the third is not
        assertThat(batch).extracting(d::isHandled).containsExactly(true, true, false);
        assertThat(d.deadLetter(batch.get(1), DeadLetter.of(DeadLetter.MISSING_KEY, "hubspot", "no key")))
                .isFalse();
        assertThat(rep.reported).hasSize(1);
        d.written(batch.get(2));
        d.completed(batch);
        assertThat(d.preCommit(asked)).containsEntry(CONSUMED, new OffsetAndMetadata(13));
        assertThat(d.ledgerSize()).isZero();
        // replayed later (below the committed offset): skipped
        assertThat(d.isHandled(record(5))).isTrue();
        assertThat(d.isHandled(record(13))).isFalse();
        // a revoked partition is forgotten: a task that gets it back follows the group's committed offset
        d.close(List.of(CONSUMED));
        assertThat(d.isHandled(record(5))).isFalse();
    }

    /**
     * Records the worker dead-lettered (converter, transforms) or filtered never reach put(): the worker's offsets
     * are committed for them once the batch it did deliver is handled, or when it delivered nothing at all.
     */
    @Test
    void offsetsOfRecordsTheWorkerDeadLetteredOrFilteredAreCommitted() {
        Reporter rep = new Reporter();
        SinkDelivery d = new SinkDelivery(
                new DeadLetterQueue(rep.context(), TOLERATE_WITH_DLQ, "test", Redact.withSecret(null)));
        TopicPartition other = new TopicPartition("accounts", 1);
        // every record of both partitions rejected by a transform: put() got an empty batch
        assertThat(d.preCommit(Map.of(CONSUMED, new OffsetAndMetadata(363), other, new OffsetAndMetadata(9))))
                .containsEntry(CONSUMED, new OffsetAndMetadata(363))
                .containsEntry(other, new OffsetAndMetadata(9));
        assertThat(d.isHandled(record(362))).isTrue();
        // records 363-364 delivered and handled, 365-369 dropped by the worker after them
        List<SinkRecord> batch = List.of(record(363), record(364));
        batch.forEach(d::isHandled);
        d.written(batch.get(0));
        d.deadLetter(batch.get(1), DeadLetter.of(DeadLetter.MISSING_KEY, "postgresql", "no key"));
        d.completed(batch);
        assertThat(d.preCommit(Map.of(CONSUMED, new OffsetAndMetadata(370))))
                .containsExactly(Map.entry(CONSUMED, new OffsetAndMetadata(370)));
        // the next batch fails transiently: the worker does not advance its offset, and the task keeps its own
        List<SinkRecord> failed = List.of(record(370), record(371));
        failed.forEach(d::isHandled);
        d.written(failed.get(0));
        assertThat(d.preCommit(Map.of(CONSUMED, new OffsetAndMetadata(372))))
                .containsExactly(Map.entry(CONSUMED, new OffsetAndMetadata(370)));
        d.written(failed.get(1));
        d.completed(failed);
        assertThat(d.preCommit(Map.of(CONSUMED, new OffsetAndMetadata(372))))
                .containsExactly(Map.entry(CONSUMED, new OffsetAndMetadata(372)));
    }

    @Test
    void aRecordToConsumeAgainCapsTheCommitAndIsSoughtOnce() {
        SinkDelivery d = new SinkDelivery(
                new DeadLetterQueue(new Reporter().context(), TOLERATE_WITH_DLQ, "test", Redact.withSecret(null)));
        List<SinkRecord> batch = List.of(record(20), record(21), record(22), record(23));
        d.written(batch.get(0));
        d.consumeAgain(batch.get(2));
        d.consumeAgain(batch.get(1)); // the lowest offset wins, whatever the order the writer's threads report in
        d.written(batch.get(3));
        d.completed(batch);
        Map<TopicPartition, OffsetAndMetadata> asked = Map.of(CONSUMED, new OffsetAndMetadata(24));
        assertThat(d.preCommit(asked)).containsEntry(CONSUMED, new OffsetAndMetadata(21));
        assertThat(d.takeConsumeAgain()).isEqualTo(Map.of(CONSUMED, 21L));
        assertThat(d.takeConsumeAgain()).isEmpty();
        // a commit before the worker rewound (its offset still 24) stays below the records to consume again
        assertThat(d.preCommit(asked)).containsEntry(CONSUMED, new OffsetAndMetadata(21));
        // consumed again from 21: the record written after it is skipped, the two not written are not
        assertThat(List.of(record(21), record(22), record(23)))
                .extracting(d::isHandled)
                .containsExactly(false, false, true);
        d.written(record(21));
        d.written(record(22));
        d.completed(List.of(record(21), record(22), record(23)));
        assertThat(d.preCommit(asked)).containsEntry(CONSUMED, new OffsetAndMetadata(24));
        assertThat(d.takeConsumeAgain()).isEmpty();
    }

    @Test
    void theExpectedVersionIsReadFromItsHeader() {
        SinkRecord plain = record(1);
        assertThat(ExpectedVersion.of(plain)).isNull();
        plain.headers().addString(ExpectedVersion.HEADER, "W/\"42\"");
        assertThat(ExpectedVersion.of(plain)).isEqualTo("W/\"42\"");
    }

    @Test
    void deadLettersCarryTheContractHeadersAtTheConsumedCoordinates() {
        Reporter rep = new Reporter();
        SinkDelivery d = new SinkDelivery(
                new DeadLetterQueue(rep.context(), TOLERATE_WITH_DLQ, "test", Redact.withSecret(null)));
        DeadLetter dl = DeadLetter.of(DeadLetter.REJECTED, "postgresql", "Cannot write table users")
                .withDetail(
                        ErrorSanitizer.keeping(List.of("users")),
                        "ERROR: invalid input syntax for type date: \"1985-02-30\"")
                .withCode("22007", 0)
                .withContext(Map.of("table", List.of("users")));
        d.deadLetter(record(7), dl);
        SinkRecord sent = rep.reported.get(0).record();
        assertThat(sent.topic()).isEqualTo("users");
        assertThat(sent.kafkaPartition()).isZero();
        assertThat(sent.kafkaOffset()).isEqualTo(7);
        Map<String, String> h = new HashMap<>();
        for (Header x : sent.headers()) {
            h.put(x.key(), String.valueOf(x.value()));
        }
        assertThat(h)
                .containsEntry("source", "warehouse")
                .containsEntry(DeadLetter.H_REASON, "REJECTED")
                .containsEntry(DeadLetter.H_SYSTEM, "postgresql")
                .containsEntry(DeadLetter.H_CODE, "22007")
                .containsEntry(
                        DeadLetter.H_MESSAGE,
                        "Cannot write table users: ERROR: invalid input syntax for type date: \"<redacted>\"")
                .containsEntry(DeadLetter.H_CONTEXT, "{\"table\":[\"users\"]}")
                .doesNotContainKey(DeadLetter.H_STATUS);
        Throwable error = rep.reported.get(0).error();
        assertThat(error).isInstanceOf(DeadLetterException.class).hasNoCause();
        assertThat(error.getMessage())
                .startsWith("REJECTED [22007]: Cannot write table users")
                .doesNotContain("1985");
    }

    @Test
    void preCommitWaitsForTheDeadLetterWritesAndFailsWhenOneFailed() {
        Reporter rep = new Reporter();
        rep.next = new CompletableFuture<>();
        SinkDelivery d = new SinkDelivery(
                new DeadLetterQueue(rep.context(), TOLERATE_WITH_DLQ, "test", Redact.withSecret(null)));
        d.deadLetter(record(1), DeadLetter.of(DeadLetter.MISSING_KEY, "hubspot", "no key"));
        d.completed(List.of(record(1)));
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> commit =
                CompletableFuture.supplyAsync(() -> d.preCommit(Map.of(CONSUMED, new OffsetAndMetadata(2))));
        assertThat(commit).isNotDone();
        rep.next.completeExceptionally(new IllegalStateException("broker down"));
        assertThat(commit)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingRootCause()
                .withMessage("broker down");
    }

    @Test
    void withoutAReporterRecordsAreLoggedWhenToleratedElseTheTaskFails() {
        DeadLetterQueue logged =
                new DeadLetterQueue(null, Map.of("errors.tolerance", "all"), "JDBC sink", Redact.withSecret(null));
        assertThat(logged.startWarning())
                .contains("errors.tolerance=all without errors.deadletterqueue.topic.name")
                .contains("only logged");
        SinkDelivery d = new SinkDelivery(logged);
        assertThat(d.deadLetter(record(1), DeadLetter.of(DeadLetter.MISSING_KEY, "postgresql", "no key")))
                .isTrue();
        assertThat(logged.count()).isEqualTo(1);
        assertThat(d.isHandled(record(1))).isTrue();

        DeadLetterQueue none = new DeadLetterQueue(null, Map.of(), "JDBC sink", Redact.withSecret(null));
        assertThat(none.startWarning()).isNull();
        assertThatThrownBy(() -> new SinkDelivery(none)
                        .deadLetter(record(1), DeadLetter.of(DeadLetter.MISSING_KEY, "postgresql", "no key")))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Record users-0@1 cannot be written (MISSING_KEY: no key)")
                .hasMessageContaining("set errors.tolerance=all and errors.deadletterqueue.topic.name");
        assertThat(new DeadLetterQueue(
                                null, Map.of("errors.deadletterqueue.topic.name", "dlq"), "x", Redact.withSecret(null))
                        .startWarning())
                .contains("fails the task");
    }

    /** The worker's reporter: records what was reported; futures complete at once unless {@link #next} is set. */
    private static final class Reporter {
        record Reported(SinkRecord record, Throwable error) {}

        final List<Reported> reported = new ArrayList<>();
        CompletableFuture<Void> next;

        SinkTaskContext context() {
            ErrantRecordReporter r = (record, error) -> {
                reported.add(new Reported(record, error));
                return next != null ? next : CompletableFuture.completedFuture(null);
            };
            return new SinkTaskContext() {
                @Override
                public Map<String, String> configs() {
                    return Map.of();
                }

                @Override
                public void offset(Map<TopicPartition, Long> offsets) {}

                @Override
                public void offset(TopicPartition tp, long offset) {}

                @Override
                public void timeout(long timeoutMs) {}

                @Override
                public Set<TopicPartition> assignment() {
                    return Set.of(CONSUMED);
                }

                @Override
                public void pause(TopicPartition... partitions) {}

                @Override
                public void resume(TopicPartition... partitions) {}

                @Override
                public void requestCommit() {}

                @Override
                public ErrantRecordReporter errantRecordReporter() {
                    return r;
                }

                @Override
                public PluginMetrics pluginMetrics() {
                    return null;
                }
            };
        }
    }
}
