package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class OffsetCodecTest {
    @Test
    void acceptsTheShapesTheConnectorWrites() {
        assertThatCode(() ->
                        OffsetCodec.validate("contacts", Map.of("v", 1, "phase", "inc", "since", 1_700_000_000_000L)))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        OffsetCodec.validate("contacts", Map.of("v", 1, "phase", "inc", "since", 5L, "afterId", 9L)))
                .doesNotThrowAnyException();
        Map<String, Object> load = new HashMap<>(Map.of("v", 1, "phase", "load", "loadStart", 5L));
        load.put("after", null);
        assertThatCode(() -> OffsetCodec.validate("deals", load)).doesNotThrowAnyException();
        assertThatCode(() -> OffsetCodec.validate("deals#deletes", Map.of("v", 1, "since", 5L)))
                .doesNotThrowAnyException();
        IdSet ids = new IdSet();
        ids.add(42);
        assertThatCode(() -> OffsetCodec.validate("deals#ids", Map.of("v", 1, "ids", ids.encode())))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> OffsetCodec.validate("deals#ids", Map.of("v", 1, "ids", "%%%")))
                .hasMessageContaining("ids");
        assertThatThrownBy(() -> OffsetCodec.validate("deals#ids", Map.of("v", 1)))
                .hasMessageContaining("ids");
    }

    @Test
    void rejectsWrongVersionPhaseOrTypes() {
        assertThatThrownBy(() -> OffsetCodec.validate("contacts", Map.of("v", 2, "phase", "inc", "since", 1L)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("\"v\"");
        assertThatThrownBy(() -> OffsetCodec.validate("contacts", Map.of("v", 1, "phase", "full", "since", 1L)))
                .hasMessageContaining("phase");
        assertThatThrownBy(() -> OffsetCodec.validate("contacts", Map.of("v", 1, "phase", "inc", "since", "x")))
                .hasMessageContaining("since");
        assertThatThrownBy(
                        () -> OffsetCodec.validate("contacts", Map.of("v", 1, "phase", "inc", "since", Long.MAX_VALUE)))
                .hasMessageContaining("plausible");
        assertThatThrownBy(() -> OffsetCodec.validate("contacts#deletes", Map.of("v", 1)))
                .hasMessageContaining("since");
    }

    @Test
    void loadOffsetsOfVersionTwoCarryIdRangesOrAChainCursor() {
        assertThatCode(() -> OffsetCodec.validate(
                        "contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", "0-")))
                .doesNotThrowAnyException();
        assertThatCode(() -> OffsetCodec.validate(
                        "contacts",
                        Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", "101-5000,5000-9000,9120-")))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        OffsetCodec.validate("contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", "")))
                .doesNotThrowAnyException();
        assertThatCode(() -> OffsetCodec.validate(
                        "contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "after", "NTI1Cg%3D%3D")))
                .doesNotThrowAnyException();
        for (String bad : new String[] {
            "x-",
            "5",
            "10-5",
            "0-,100-",
            "100-200,150-300",
            "-5-",
            "1-2,3-4,5-6,7-8," + "9-10,11-12,13-14,15-16,17-18,19-20,21-22,23-24,25-26,27-28,29-30,31-32,33-"
        }) {
            assertThatThrownBy(() -> OffsetCodec.validate(
                            "contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", bad)))
                    .as(bad)
                    .isInstanceOf(ConnectException.class)
                    .hasMessageContaining("segs");
        }
        assertThatThrownBy(() ->
                        OffsetCodec.validate("contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", 7)))
                .hasMessageContaining("segs");
        assertThatThrownBy(() -> OffsetCodec.validate(
                        "contacts", Map.of("v", 2, "phase", "load", "loadStart", 5L, "segs", "0-", "after", "9")))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> OffsetCodec.validate("contacts", Map.of("v", 2, "phase", "load", "segs", "0-")))
                .hasMessageContaining("loadStart");
        assertThatThrownBy(() -> OffsetCodec.validate(
                        "contacts", Map.of("v", 3, "phase", "load", "loadStart", 5L, "segs", "0-")))
                .hasMessageContaining("\"v\"");
    }

    @Test
    void theConnectorRejectsForeignPartitions() {
        HubSpotSourceConnector c = new HubSpotSourceConnector();
        assertThatThrownBy(() -> c.alterOffsets(Map.of(), Map.of(Map.of("table", "x"), Map.of("v", 1))))
                .hasMessageContaining("Unknown source partition");
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(Map.of("stream", "contacts"), null);
        assertThatCode(() -> c.alterOffsets(Map.of(), reset)).doesNotThrowAnyException();
    }
}
