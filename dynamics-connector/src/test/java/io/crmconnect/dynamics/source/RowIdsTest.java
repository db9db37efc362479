package io.crmconnect.dynamics.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class RowIdsTest {
    @Test
    void setSemanticsAndRoundTripThroughTheOffsets() {
        Random rnd = new Random(1);
        RowIds ids = new RowIds();
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            UUID u = new UUID(rnd.nextLong(), rnd.nextLong());
            all.add(u);
            ids.add(u);
        }
        for (int i = 0; i < 5_000; i++) {
            ids.remove(all.get(i));
        }
        assertThat(ids.size()).isEqualTo(15_000);
        assertThat(ids.contains(all.get(4_999))).isFalse();
        assertThat(ids.contains(all.get(5_000))).isTrue();
        RowIds restored = new RowIds();
        for (int b : ids.dirtyBuckets()) {
            restored.restoreBucket(b, ids.encodeBucket(b));
        }
        assertThat(restored.size()).isEqualTo(15_000);
        GuidSet listed = new GuidSet();
        for (int i = 5_000; i < 19_990; i++) {
            listed.add(all.get(i));
        }
        assertThat(restored.missingFrom(listed)).containsExactlyInAnyOrderElementsOf(all.subList(19_990, 20_000));
        restored.replaceWith(listed);
        assertThat(restored.size()).isEqualTo(14_990);
    }

    @Test
    void offsetsWrittenByUsersAreChecked() {
        Offsets.validate(
                "contact",
                Map.of(
                        "v",
                        1,
                        "phase",
                        "delta",
                        "link",
                        "https://org.crm.dynamics.com/api/data/v9.2/contacts?$deltatoken=1"));
        Offsets.validate("contact", Map.of("v", 1, "phase", "wm", "since", 1_700_000_000_000L));
        Offsets.validate("contact#ids", Map.of("v", 1, "ids", new GuidSet().encode()));
        assertThatThrownBy(() -> Offsets.validate("contact", Map.of("v", 1, "phase", "delta")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("\"link\"");
        assertThatThrownBy(() -> Offsets.validate("contact", Map.of("v", 1, "phase", "later")))
                .hasMessageContaining("\"phase\"");
        assertThatThrownBy(() -> Offsets.validate("contact#ids", Map.of("v", 1, "ids", "abc")))
                .hasMessageContaining("\"ids\"");
    }
}
