package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.Tier;
import io.crmconnect.testharness.RecordingSinkTaskContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The task (the class a worker runs) against the simulator: a redelivered batch dead-letters nothing twice. */
class HubSpotSinkTaskIT {
    static final Schema USER = SchemaBuilder.struct().field("external_id", Schema.STRING_SCHEMA)
            .field("email", Schema.STRING_SCHEMA).build();
    static final TopicPartition USERS_0 = new TopicPartition("users", 0);

    private static List<Object> dlqKeys(RecordingSinkTaskContext context) {
        return context.reported().stream().map(r -> r.record().key()).toList();
    }

    @Test
    void aRedeliveredBatchDeadLettersItsBadRecordOnlyOncePerTask() {
        try (HubSpotSimulator sim = HubSpotSimulator.builder().seed(3).tier(Tier.PROFESSIONAL).start()) {
            SimAdmin.property(sim, "contacts", "external_id", "string", "text", true);
            Map<String, String> cfg = new HashMap<>();
            cfg.put("hubspot.base.url", sim.baseUrl());
            cfg.put("hubspot.access.token", sim.token());
            cfg.put("hubspot.tier", "professional");
            cfg.put("object", "contacts");
            cfg.put("unique.property", "external_id");
            List<SinkRecord> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(new SinkRecord("users", 0, Schema.STRING_SCHEMA, "u" + i, USER, new Struct(USER)
                        .put("external_id", "x" + i).put("email", i == 2 ? "not-an-email" : "u" + i + "@example.com"),
                        i));
            }
            RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask task = new HubSpotSinkTask();
            task.initialize(ctx);
            task.start(cfg);
            try {
                task.put(batch);
                assertThat(dlqKeys(ctx)).containsExactly("u2");
                task.put(batch); // what a worker does after a RetriableException: the same records again
                assertThat(dlqKeys(ctx)).as("already dead-lettered by this task").containsExactly("u2");
            } finally {
                task.stop();
            }
            assertThat(sim.ids("contacts")).hasSize(4);

            // a new task (a replay from offset 0 by another connector) reports it again: nothing is remembered
            RecordingSinkTaskContext other = new RecordingSinkTaskContext(Map.of(), true, USERS_0);
            HubSpotSinkTask replay = new HubSpotSinkTask();
            replay.initialize(other);
            replay.start(cfg);
            try {
                replay.put(batch);
            } finally {
                replay.stop();
            }
            assertThat(dlqKeys(other)).containsExactly("u2");
            assertThat(sim.ids("contacts")).hasSize(4);
        }
    }
}
