package io.crmconnect.warehouse.source.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class PositionTest {
    static final Instant T = Instant.parse("2026-12-05T10:00:00.123456789Z");

    /** Connect's OffsetUtils refuses offsets holding anything but primitives: a list made every commit fail. */
    @Test
    void offsetsHoldOnlyPrimitiveValuesAndReadBackEqual() {
        List<String> awkward = Arrays.asList("4\"2", null, "a\\b,c", "line\nbreak", "");
        for (Position p : List.of(
                Position.snapshot(T, List.of("42")),
                Position.changes(T, T.plusSeconds(1), awkward),
                Position.changes(T, null, null),
                Position.watermark(T, List.of("7", "x")))) {
            Map<String, Object> m = p.toMap();
            assertThat(m.values())
                    .allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Number.class, Boolean.class));
            assertThat(Position.fromMap("T", m)).isEqualTo(p);
        }
        assertThat(Position.changes(T, T, List.of("42")).toMap().get("after")).isEqualTo("[\"42\"]");
    }

    @Test
    void aMalformedKeyIsRefusedNamingTheField() {
        Map<String, Object> m = Map.of("v", 1, "phase", "snapshot", "t0", T.toString(), "after", "[42]");
        assertThatThrownBy(() -> Position.fromMap("T", m))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("\"after\"");
    }
}
