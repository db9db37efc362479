package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.hubspot.Fault;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.simulator.hubspot.Tier;
import io.crmconnect.testharness.RecordingSinkTaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17.1 and 17.2 against the simulator, through the task a worker runs: creates whose answer is lost after
 * HubSpot committed them, a batch redelivered to a new task right after it was written, and per-key offset order
 * of upserts and tombstones.
 */
class HubSpotSinkReliabilityIT {
    static final Schema COMPANY = SchemaBuilder.struct()
            .field("name", Schema.STRING_SCHEMA)
            .field("domain", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema USER = SchemaBuilder.struct()
            .field("external_id", Schema.STRING_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .build();
    static final TopicPartition COMPANIES_0 = new TopicPartition("companies", 0);
    static final String BATCH_CREATE = "POST /crm/v3/objects/{objectType}/batch/create";

    static HubSpotSimulator sim;

    @BeforeAll
    static void startSimulator() {
        // HubSpot's search index lags writes; the sink's read-back waits longer than that
        sim = HubSpotSimulator.builder()
                .seed(17)
                .tier(Tier.PROFESSIONAL)
                .indexLag(Duration.ofMillis(800))
                .validateRequests(true)
                .start();
        SimAdmin.property(sim, "contacts", "external_id", "string", "text", true);
    }

    @AfterAll
    static void stopSimulator() {
        assertThat(sim.contractViolations()).isEmpty();
        sim.close();
    }

    /** Companies matched by domain only: no unique property, so new ones go through plain batch/create. */
    private static Map<String, String> companiesByDomain() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("hubspot.base.url", sim.baseUrl());
        cfg.put("hubspot.access.token", sim.token());
        cfg.put("hubspot.tier", "professional");
        cfg.put("object", "companies");
        cfg.put("match.tiers", "domain");
        cfg.put("field.mapping", "name:name,domain:domain");
        cfg.put("create.readback.delay.ms", "1800");
        return cfg;
    }

    private static List<SinkRecord> companies(String prefix, int n, long firstOffset) {
        List<SinkRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SinkRecord(
                    "companies",
                    0,
                    Schema.STRING_SCHEMA,
                    prefix + i,
                    COMPANY,
                    new Struct(COMPANY).put("name", "Company " + prefix + i).put("domain", prefix + i + ".example.com"),
                    firstOffset + i));
        }
        return out;
    }

    private static HubSpotSinkTask start(RecordingSinkTaskContext ctx, Map<String, String> cfg) {
        HubSpotSinkTask task = new HubSpotSinkTask();
        task.initialize(ctx);
        task.start(cfg);
        return task;
    }

    /** Companies per domain among those with this prefix: every count must be 1. */
    private static Map<String, Integer> perDomain(String prefix) {
        Map<String, Integer> out = new TreeMap<>();
        for (Map<String, Object> c : sim.dump("companies", false)) {
            @SuppressWarnings("unchecked")
            String domain = ((Map<String, String>) c.get("properties")).get("domain");
            if (domain != null && domain.startsWith(prefix)) {
                out.merge(domain, 1, Integer::sum);
            }
        }
        return out;
    }

    @Test
    void createsWhoseAnswerIsLostAfterHubSpotCommittedThemAreReadBackNeverSentTwice() {
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, COMPANIES_0);
        HubSpotSinkTask task = start(ctx, companiesByDomain());
        try {
            // the gateway answers 502 after HubSpot committed the batch
            sim.addFault(Fault.statusAfterCommit(BATCH_CREATE, 502, 1.0)
                    .objectType("companies")
                    .times(1));
            task.put(companies("lost502-", 30, 0));
            assertThat(perDomain("lost502-"))
                    .hasSize(30)
                    .allSatisfy((d, n) -> assertThat(n).as(d).isEqualTo(1));

            // the connection drops after the handler ran (the answer never arrives)
            sim.addFault(Fault.of(BATCH_CREATE, Fault.Kind.CONNECTION_RESET, 1.0)
                    .objectType("companies")
                    .times(1));
            task.put(companies("reset-", 20, 30));
            assertThat(perDomain("reset-"))
                    .hasSize(20)
                    .allSatisfy((d, n) -> assertThat(n).as(d).isEqualTo(1));
            assertThat(task.writer().stats.createsReadBack.get()).isEqualTo(50);

            // a record no tier can find again is not risked: it goes to the DLQ instead of a possible duplicate
            sim.addFault(Fault.statusAfterCommit(BATCH_CREATE, 504, 1.0)
                    .objectType("companies")
                    .times(1));
            task.put(List.of(new SinkRecord(
                    "companies",
                    0,
                    Schema.STRING_SCHEMA,
                    "nodomain",
                    COMPANY,
                    new Struct(COMPANY).put("name", "No Domain Inc"),
                    50)));
            assertThat(ctx.reported())
                    .singleElement()
                    .satisfies(r -> assertThat(r.error().getMessage()).startsWith("CREATE_OUTCOME_UNKNOWN"));
            assertThat(sim.dump("companies", false).stream()
                            .filter(c -> "No Domain Inc".equals(((Map<?, ?>) c.get("properties")).get("name"))))
                    .hasSize(1);
        } finally {
            sim.clearFaults();
            task.stop();
        }
    }

    @Test
    void aBatchRedeliveredToANewTaskRightAfterItWasWrittenCreatesNothingAgain() {
        List<SinkRecord> batch = companies("redelivered-", 40, 100);
        RecordingSinkTaskContext first = new RecordingSinkTaskContext(Map.of(), true, COMPANIES_0);
        HubSpotSinkTask crashed = start(first, companiesByDomain());
        try {
            crashed.put(batch); // written, but the worker dies before the offsets are committed
        } finally {
            crashed.stop();
        }
        // a rebalance hands the partition to a new task at once: HubSpot's search does not show the 40 yet
        RecordingSinkTaskContext second = new RecordingSinkTaskContext(Map.of(), true, COMPANIES_0);
        HubSpotSinkTask next = start(second, companiesByDomain());
        try {
            next.put(batch);
            assertThat(next.writer().stats.created.get()).isZero();
        } finally {
            next.stop();
        }
        assertThat(perDomain("redelivered-"))
                .hasSize(40)
                .allSatisfy((d, n) -> assertThat(n).as(d).isEqualTo(1));
    }

    @Test
    void operationsOnOneKeyApplyInOffsetOrder() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("hubspot.base.url", sim.baseUrl());
        cfg.put("hubspot.access.token", sim.token());
        cfg.put("object", "contacts");
        cfg.put("unique.property", "external_id");
        cfg.put("delete.mode", "archive");
        TopicPartition users = new TopicPartition("users", 0);
        RecordingSinkTaskContext ctx = new RecordingSinkTaskContext(Map.of(), true, users);
        HubSpotSinkTask task = start(ctx, cfg);
        try {
            task.put(List.of(user("order-2", 0)));
            // [upsert k, delete k] must leave k deleted; [delete k, upsert k] must leave k alive
            task.put(List.of(
                    user("order-1", 1),
                    tombstone("order-1", 2),
                    tombstone("order-2", 3),
                    user("order-2", 4),
                    user("order-3", 5)));
        } finally {
            task.stop();
        }
        Map<String, Integer> live = new TreeMap<>();
        for (Map<String, Object> c : sim.dump("contacts", false)) {
            Object id = ((Map<?, ?>) c.get("properties")).get("external_id");
            if (id != null && id.toString().startsWith("order-")) {
                live.merge(id.toString(), 1, Integer::sum);
            }
        }
        assertThat(live).containsOnlyKeys("order-2", "order-3").containsValues(1);
        assertThat(ctx.reported()).isEmpty();
    }

    private static SinkRecord user(String externalId, long offset) {
        return new SinkRecord(
                "users",
                0,
                Schema.STRING_SCHEMA,
                externalId,
                USER,
                new Struct(USER).put("external_id", externalId).put("email", externalId + "@example.com"),
                offset);
    }

    private static SinkRecord tombstone(String externalId, long offset) {
        return new SinkRecord("users", 0, Schema.STRING_SCHEMA, externalId, null, null, offset);
    }
}
