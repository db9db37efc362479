package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.common.sink.ExpectedVersion;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.Tier;
import io.crmconnect.testharness.RecordingSinkTaskContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The task (the class a worker runs) against the simulator: a redelivered batch dead-letters nothing twice; offsets
 * and DLQ coordinates are the consumed ones when an SMT renamed the topic.
 */
class HubSpotSinkTaskIT {
    static final Schema USER = SchemaBuilder.struct()
            .field("external_id", Schema.STRING_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .build();
    static final TopicPartition USERS_0 = new TopicPartition("users", 0);

    /** Contacts upserted by the unique property external_id (created on the simulator). */
    private static Map<String, String> upsertByExternalId(HubSpotSimulator sim) {
        SimAdmin.property(sim, "contacts", "external_id", "string", "text", true);
        Map<String, String> cfg = new HashMap<>();
        cfg.put("hubspot.base.url", sim.baseUrl());
        cfg.put("hubspot.access.token", sim.token());
        cfg.put("hubspot.tier", "professional");
        cfg.put("object", "contacts");
        cfg.put("unique.property", "external_id");
        return cfg;
    }

    private static HubSpotSinkTask start(RecordingSinkTaskContext context, Map<String, String> cfg) {
        HubSpotSinkTask task = new HubSpotSinkTask();
        task.initialize(context);
        task.start(cfg);
        return task;
    }

    private static List<Object> dlqKeys(RecordingSinkTaskContext context) {
        return context.reported().stream().map(r -> r.record().key()).toList();
    }

    @Test
    void aBatchRedeliveredAfterATransientFailureDeadLettersItsBadRecordOnlyOnce() {
        try (HubSpotSimulator sim =
                HubSpotSimulator.builder().seed(3).tier(Tier.PROFESSIONAL).start()) {
            Map<String, String> cfg = upsertByExternalId(sim);
            cfg.put("hubspot.retry.budget.ms", "1000");
            cfg.put("batch.max.in.flight", "1"); // chunks one after the other: the 50 after u2's chunk come later
            List<SinkRecord> batch = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                batch.add(new SinkRecord(
                        "users",
                        0,
                        Schema.STRING_SCHEMA,
                        "u" + i,
                        USER,
                        new Struct(USER)
                                .put("external_id", "x" + i)
                                .put("email", i == 2 ? "not-an-email" : "u" + i + "@example.com"),
                        i));
            }
            // Once u2 is in the DLQ, HubSpot answers 503 to everything: the rest of the batch cannot be written
            // and the task hands the batch back to Connect with a RetriableException.
            RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, USERS_0)
                    .onReport(r -> sim.addFault(Fault.status("*", 503, 1.0)));
            HubSpotSinkTask task = start(ctx, cfg);
            try {
                assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
                assertThat(dlqKeys(ctx)).containsExactly("u2");
                assertThat(task.preCommit(Map.of(USERS_0, new OffsetAndMetadata(0))))
                        .isEmpty();
                sim.clearFaults();
                ctx.onReport(r -> {});
                task.put(batch); // what a worker does after a RetriableException: the same records again
                assertThat(dlqKeys(ctx))
                        .as("already dead-lettered by this task")
                        .containsExactly("u2");
                assertThat(task.preCommit(Map.of(USERS_0, new OffsetAndMetadata(0)))
                                .get(USERS_0)
                                .offset())
                        .isEqualTo(150);
            } finally {
                task.stop();
            }
            assertThat(sim.ids("contacts")).hasSize(149);

            // a new task (a replay from offset 0 by another connector) reports it again: nothing is remembered
            RecordingSinkTaskContext other = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask replay = start(other, cfg);
            try {
                replay.put(batch);
            } finally {
                replay.stop();
            }
            assertThat(dlqKeys(other)).containsExactly("u2");
            assertThat(sim.ids("contacts")).hasSize(149);
        }
    }

    /**
     * Connect stops a sink task (delete, restart, rebalance) only after put() returned: with HubSpot failing, put()
     * hands the batch back within seconds (not after the 60 s retry budget) and the wait between redeliveries goes to
     * Connect, growing while the failures last. Before the fix put() retried for 60 s, so a stop waited that long.
     */
    @Test
    void aPutMeetingAnOutageReturnsWithinSecondsAndLeavesTheWaitToConnect() {
        try (HubSpotSimulator sim =
                HubSpotSimulator.builder().seed(4).tier(Tier.PROFESSIONAL).start()) {
            Map<String, String> cfg = upsertByExternalId(sim); // the default retry budget: 60 s
            RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask task = start(ctx, cfg);
            try {
                List<SinkRecord> batch = List.of(new SinkRecord(
                        "users",
                        0,
                        Schema.STRING_SCHEMA,
                        "u1",
                        USER,
                        new Struct(USER).put("external_id", "x1").put("email", "u1@example.com"),
                        0));
                sim.addFault(Fault.status("*", 503, 1.0));
                long[] waits = new long[3];
                for (int i = 0; i < waits.length; i++) {
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
                    long took = (System.nanoTime() - start) / 1_000_000;
                    assertThat(took).as("ms in put() %d", i + 1).isLessThan(HubSpotSinkTask.PUT_CALL_RETRY_MS + 2_000);
                    waits[i] = ctx.timeoutMs();
                }
                assertThat(waits).as("redelivery waits asked of Connect").containsExactly(1_000, 2_000, 4_000);
                sim.clearFaults();
                task.put(batch);
                assertThat(sim.ids("contacts")).hasSize(1);
            } finally {
                task.stop();
            }
        }
    }

    /**
     * A record planned against a version of its HubSpot record (the two-way sync's: its updatedAt) updates it only
     * while the record read right before the write still has that version; otherwise it is consumed again, neither
     * written nor dead-lettered.
     */
    @Test
    void aRecordWithAnExpectedVersionIsWrittenOnlyOverThatVersionElseConsumedAgain() throws Exception {
        try (HubSpotSimulator sim = HubSpotSimulator.builder()
                        .seed(5)
                        .tier(Tier.PROFESSIONAL)
                        .start();
                HubSpotClient client = HubSpotClient.builder()
                        .baseUrl(sim.baseUrl())
                        .accessToken(sim.token())
                        .build()) {
            Map<String, String> cfg = upsertByExternalId(sim);
            RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask task = start(ctx, cfg);
            try {
                task.put(List.of(user("v1", "first@example.com", 0)));
                CrmObject planned = client.batchRead("contacts", List.of("v1"), List.of("email"), "external_id", false)
                        .results()
                        .get(0);
                Thread.sleep(5); // a later millisecond for the user's edit
                ObjectNode edit = SimAdmin.MAPPER.createObjectNode().put("id", planned.id());
                edit.putObject("properties").put("firstname", "Edited by a user");
                client.batchUpdate("contacts", List.of(edit));

                SinkRecord stale = user("v1", "second@example.com", 1);
                stale.headers()
                        .addString(
                                ExpectedVersion.HEADER,
                                Long.toString(planned.updatedAt().toEpochMilli()));
                SinkRecord after = user("v2", "other@example.com", 2);
                task.put(List.of(stale, after));
                assertThat(email(client, "v1")).isEqualTo("first@example.com");
                assertThat(email(client, "v2")).isEqualTo("other@example.com");
                assertThat(ctx.reported()).isEmpty();
                assertThat(ctx.offsetsRequested()).isEqualTo(Map.of(USERS_0, 1L));
                assertThat(task.preCommit(Map.of(USERS_0, new OffsetAndMetadata(0)))
                                .get(USERS_0)
                                .offset())
                        .isEqualTo(1);

                // consumed again and planned again against the record as it is now: written
                CrmObject now = client.batchRead("contacts", List.of("v1"), List.of("email"), "external_id", false)
                        .results()
                        .get(0);
                SinkRecord replanned = user("v1", "second@example.com", 1);
                replanned
                        .headers()
                        .addString(
                                ExpectedVersion.HEADER,
                                Long.toString(now.updatedAt().toEpochMilli()));
                task.put(List.of(replanned, after));
                assertThat(email(client, "v1")).isEqualTo("second@example.com");
                assertThat(task.preCommit(Map.of(USERS_0, new OffsetAndMetadata(0)))
                                .get(USERS_0)
                                .offset())
                        .isEqualTo(3);
                assertThat(task.writer().stats.changedSincePlanned.get()).isEqualTo(1);
            } finally {
                task.stop();
            }
        }
    }

    private static SinkRecord user(String externalId, String email, long offset) {
        return new SinkRecord(
                "users",
                0,
                Schema.STRING_SCHEMA,
                externalId,
                USER,
                new Struct(USER).put("external_id", externalId).put("email", email),
                offset);
    }

    private static String email(HubSpotClient client, String externalId) {
        return client.batchRead("contacts", List.of(externalId), List.of("email"), "external_id", false)
                .results()
                .get(0)
                .property("email");
    }

    @Test
    void offsetsAreCommittedForTheConsumedTopicWhenAnSmtRenamedIt() {
        try (HubSpotSimulator sim =
                HubSpotSimulator.builder().seed(4).tier(Tier.PROFESSIONAL).start()) {
            Map<String, String> cfg = upsertByExternalId(sim);
            List<SinkRecord> batch = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SinkRecord consumed = new SinkRecord(
                        "users",
                        0,
                        Schema.STRING_SCHEMA,
                        "u" + i,
                        USER,
                        new Struct(USER)
                                .put("external_id", "r" + i)
                                .put("email", i == 1 ? "not-an-email" : "r" + i + "@example.com"),
                        10 + i);
                // what RegexRouter does: same record, another topic; the worker still commits "users"
                batch.add(consumed.newRecord(
                        "crm.contacts",
                        0,
                        consumed.keySchema(),
                        consumed.key(),
                        consumed.valueSchema(),
                        consumed.value(),
                        consumed.timestamp()));
            }
            RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask task = start(ctx, cfg);
            try {
                task.put(batch);
                assertThat(task.preCommit(Map.of(USERS_0, new OffsetAndMetadata(0)))
                                .get(USERS_0)
                                .offset())
                        .isEqualTo(13);
                assertThat(ctx.reported()).singleElement().satisfies(r -> {
                    assertThat(r.record().topic())
                            .as("DLQ coordinates: where it was consumed")
                            .isEqualTo("users");
                    assertThat(r.record().kafkaOffset()).isEqualTo(11);
                });
            } finally {
                task.stop();
            }
            assertThat(sim.ids("contacts")).hasSize(2);
        }
    }
}
