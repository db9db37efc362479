package io.crmconnect.common.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.common.RuntimeSupport;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class HandledOffsetsTest {
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("a", 1);

    @Test
    void addReportsFirstTimeOnlyAndPartitionsAreSeparate() {
        HandledOffsets h = new HandledOffsets();
        assertThat(h.add(A, 100)).isTrue();
        assertThat(h.add(A, 100)).isFalse();
        assertThat(h.contains(A, 100)).isTrue();
        assertThat(h.contains(B, 100)).isFalse();
        assertThat(h.add(B, 100)).isTrue();
        assertThat(h.add(A, 97)).isTrue(); // below the first one kept: the window widens
        assertThat(h.contains(A, 97)).isTrue();
        assertThat(h.contains(A, 98)).isFalse();
        assertThat(h.contains(A, 100)).isTrue();
        assertThat(h.size()).isEqualTo(3);
    }

    @Test
    void pruneAndForget() {
        HandledOffsets h = new HandledOffsets();
        for (long o = 10; o < 20; o++) {
            h.add(A, o);
            h.add(B, o);
        }
        h.pruneBelow(A, 15);
        assertThat(h.contains(A, 14)).isFalse();
        assertThat(h.contains(A, 15)).isTrue();
        assertThat(h.contains(A, 19)).isTrue();
        h.pruneBelow(A, 1_000);
        assertThat(h.contains(A, 19)).isFalse();
        assertThat(h.add(A, 5)).isTrue(); // a fresh window after everything was pruned
        h.forget(List.of(B));
        assertThat(h.contains(B, 12)).isFalse();
        assertThat(h.size()).isEqualTo(1);
    }

    @Test
    void matchesASetUnderRandomUse() {
        HandledOffsets h = new HandledOffsets();
        TreeSet<Long> model = new TreeSet<>();
        Random random = new Random(7);
        long floor = 1_000;
        for (int i = 0; i < 20_000; i++) {
            int op = random.nextInt(10);
            if (op < 7) {
                long o = floor + random.nextInt(5_000) - 200;
                assertThat(h.add(A, o)).as("add %d", o).isEqualTo(model.add(o));
            } else if (op < 9) {
                long o = floor + random.nextInt(6_000) - 300;
                assertThat(h.contains(A, o)).as("contains %d", o).isEqualTo(model.contains(o));
            } else {
                floor += random.nextInt(300);
                h.pruneBelow(A, floor);
                model.headSet(floor).clear();
            }
        }
        assertThat(h.size()).isEqualTo(model.size());
    }

    @Test
    void aPartitionKeepsAtMostMaxSpanOffsets() {
        HandledOffsets h = new HandledOffsets();
        h.add(A, 0);
        h.add(A, 10);
        h.add(A, HandledOffsets.MAX_SPAN + 5L); // the oldest entries are forgotten, not an unbounded window
        assertThat(h.contains(A, 0)).isFalse();
        assertThat(h.contains(A, 10)).isTrue();
        assertThat(h.contains(A, HandledOffsets.MAX_SPAN + 5L)).isTrue();
        assertThat(h.add(A, 3)).isTrue(); // far below the window: not kept
        assertThat(h.contains(A, 3)).isFalse();
        h.add(A, 4L * HandledOffsets.MAX_SPAN);
        assertThat(h.size()).isEqualTo(1);
    }

    @Test
    void originalCoordinatesSurviveATopicRename() {
        SinkRecord consumed = new SinkRecord(
                "orders",
                3,
                Schema.STRING_SCHEMA,
                "k",
                Schema.STRING_SCHEMA,
                "v",
                42L,
                null,
                TimestampType.NO_TIMESTAMP_TYPE,
                new ConnectHeaders());
        SinkRecord renamed =
                consumed.newRecord("db.orders", 0, Schema.STRING_SCHEMA, "k", Schema.STRING_SCHEMA, "v", null);
        assertThat(RuntimeSupport.originalTopicPartition(renamed)).isEqualTo(new TopicPartition("orders", 3));
        assertThat(RuntimeSupport.originalOffset(renamed)).isEqualTo(42L);
    }
}
