package io.crmconnect.sync.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.sync.engine.Plan;
import io.crmconnect.sync.mapping.Side;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one JSON event per sync decision to the audit topic: direction, object, both record ids, the outcome
 * ({@code write}, {@code echo} with the time since the write it confirms, {@code nothing}, {@code rejected} with
 * its error code, {@code delete} passing a deletion on, {@code target_changed} when the sink refused a write because the other record changed after the
 * plan, before the decision planned again), the fields written and the conflicts with their winner, and timings. Ids and field names only:
 * no values, so no personal data. Keyed by the source record id, so one record's events stay in order.
 */
final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String object;
    private final String direction;

    AuditLog(String topic, Map<String, Object> producerProps, String object, Side from) {
        Map<String, Object> p = new HashMap<>(producerProps);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "crmconnect-two-way-sync-audit");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 50);
        // A missing audit topic must not stall the sync for the default minute per record.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.object = object;
        this.direction = from == Side.HUBSPOT ? "hubspot_to_d365" : "d365_to_hubspot";
    }

    void decided(String sourceId, String targetId, Plan plan, long sourceModifiedAt, long startedAt, long now) {
        ObjectNode e = base(sourceId, targetId, now);
        switch (plan.outcome()) {
            case WRITE -> e.put("outcome", "write").put("operation", targetId == null ? "create" : "update");
            case ECHO -> e.put("outcome", "echo");
            default -> e.put("outcome", "nothing");
        }
        ArrayNode fields = e.putArray("fields");
        plan.writes().keySet().forEach(fields::add);
        ObjectNode conflicts = e.putObject("conflicts");
        for (Plan.FieldDecision d : plan.decisions()) {
            if (d.action() == Plan.Action.CONFLICT_WON) {
                conflicts.put(d.field(), "this_side");
            } else if (d.action() == Plan.Action.CONFLICT_LOST) {
                conflicts.put(d.field(), "other_side");
            }
        }
        if (sourceModifiedAt > 0) {
            e.put("change_to_decision_ms", Math.max(0, now - sourceModifiedAt));
        }
        e.put("decision_ms", now - startedAt);
        send(sourceId, e);
    }

    /** The sync's own write came back: {@code writtenAt} is when it was planned. */
    void confirmed(String sourceId, String targetId, long writtenAt, long now) {
        ObjectNode e = base(sourceId, targetId, now).put("outcome", "echo").put("confirms_write_planned_at", writtenAt);
        e.put("write_to_echo_ms", Math.max(0, now - writtenAt));
        send(sourceId, e);
    }

    /** The sink refused the write planned for this change: the other record changed between the plan and the write. */
    void targetChanged(String sourceId, String targetId, long now) {
        send(
                sourceId,
                base(sourceId, targetId, now)
                        .put("outcome", "target_changed")
                        .put(
                                "reason",
                                "the other record changed after the write was planned (conditional write refused); planned again"));
    }

    /** A record deleted on the source side: {@code targetId} is the linked record deleted with it (null: none). */
    void deletion(String sourceId, String targetId, long startedAt, long now) {
        ObjectNode e = base(sourceId, targetId, now).put("outcome", targetId == null ? "nothing" : "delete");
        e.put("decision_ms", now - startedAt);
        send(sourceId, e);
    }

    /** A change of a record whose linked record is gone, with deletions travelling from there: nothing written. */
    void linkedDeleted(String sourceId, String linkedId, long startedAt, long now) {
        ObjectNode e = base(sourceId, null, now)
                .put("outcome", "nothing")
                .put("reason", "the linked record " + linkedId + " was deleted; its deletion travels here");
        e.put("decision_ms", now - startedAt);
        send(sourceId, e);
    }

    void rejected(String sourceId, String code, long now) {
        send(sourceId, base(sourceId, null, now).put("outcome", "rejected").put("error_code", code));
    }

    private ObjectNode base(String sourceId, String targetId, long now) {
        ObjectNode e = JSON.createObjectNode()
                .put("at", now)
                .put("object", object)
                .put("direction", direction)
                .put("source_id", sourceId);
        if (targetId != null) {
            e.put("target_id", targetId);
        }
        return e;
    }

    private void send(String key, ObjectNode e) {
        try {
            producer.send(
                    new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(e)),
                    (md, ex) -> {
                        if (ex != null) {
                            LOG.warn(
                                    "Two-way sync audit event not written to {}: {}",
                                    topic,
                                    ex.getClass().getSimpleName());
                        }
                    });
        } catch (Exception ex) {
            LOG.warn(
                    "Two-way sync audit event not written to {}: {}",
                    topic,
                    ex.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
