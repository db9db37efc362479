package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationOrderTest {
    record Op(String name, String identity, String kafkaKey) {}

    private static List<List<String>> rounds(Op... ops) {
        return OperationOrder.rounds(List.of(ops), o -> Arrays.asList(o.identity(), o.kafkaKey())).stream()
                .map(r -> r.stream().map(Op::name).toList())
                .toList();
    }

    @Test
    void operationsOnOneKeyApplyInOffsetOrderOthersShareARound() {
        assertThat(rounds(
                        new Op("upsert k", "u:k", "k:k"),
                        new Op("upsert j", "u:j", "k:j"),
                        new Op("delete k", "u:k", "k:k"),
                        new Op("upsert k again", "u:k", "k:k")))
                .containsExactly(List.of("upsert k", "upsert j"), List.of("delete k"), List.of("upsert k again"));
    }

    @Test
    void aSharedKafkaKeyOrIdentityOrdersRecordsWithDifferentOtherKeys() {
        // a tombstone keyed by the Kafka key follows an upsert that named the record by its HubSpot id
        assertThat(rounds(
                        new Op("upsert", "id:5", "k:P1"),
                        new Op("tombstone", "u:p1", "k:P1"),
                        new Op("other", "id:5", null)))
                .containsExactly(List.of("upsert"), List.of("tombstone", "other"));
        assertThat(rounds(new Op("a", null, null), new Op("b", null, null))).containsExactly(List.of("a", "b"));
    }
}
