package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    private static SinkRow row(String email, boolean delete) {
        LinkedHashMap<String, Object> key = new LinkedHashMap<>();
        key.put("emailaddress1", email);
        return new SinkRow(null, delete, RowIdentity.ofKey(key), new LinkedHashMap<>(), Map.of());
    }

    @Test
    void aRowAddressedTwiceStartsANewSegmentKeysCompareCaseInsensitively() {
        List<List<SinkRow>> s = Segments.split(List.of(
                row("a@x.com", false),
                row("b@x.com", false),
                row("A@X.com", true),
                row("c@x.com", false),
                row("a@x.com", false)));
        assertThat(s).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(s.get(1).get(0).delete()).isTrue();
    }
}
