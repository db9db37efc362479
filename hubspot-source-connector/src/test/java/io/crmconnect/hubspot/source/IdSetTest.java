package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IdSetTest {
    @Test
    void behavesLikeASetAcrossCompactions() {
        IdSet s = new IdSet();
        TreeSet<Long> ref = new TreeSet<>();
        Random r = new Random(7);
        for (int i = 0; i < 60_000; i++) {
            long id = 1 + r.nextInt(20_000);
            if (r.nextInt(4) == 0) {
                s.remove(id);
                ref.remove(id);
            } else {
                s.add(id);
                ref.add(id);
            }
            if (i % 9_973 == 0) {
                assertThat(s.size()).isEqualTo(ref.size());
            }
        }
        for (long id = 0; id <= 20_001; id++) {
            assertThat(s.contains(id)).as("id %d", id).isEqualTo(ref.contains(id));
        }
        List<Long> all = new ArrayList<>();
        s.forEach(all::add);
        assertThat(all).containsExactlyElementsOf(ref);
    }

    @Test
    void hundredThousandHubSpotIdsEncodeSmallAndRoundTrip() {
        IdSet s = new IdSet();
        Random r = new Random(3);
        long id = 51_000_000_001L;
        List<Long> want = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            id += 1 + r.nextInt(200); // gaps like a busy portal's ids
            s.add(id);
            want.add(id);
        }
        String enc = s.encode();
        System.out.println("100,000 ids encode to " + enc.length() + " chars");
        assertThat(enc.length()).isLessThan(200_000).isLessThan(TopicIds.CHECKPOINT_MAX_CHARS);
        IdSet back = IdSet.decode(enc);
        List<Long> got = new ArrayList<>();
        back.forEach(got::add);
        assertThat(got).isEqualTo(want);
        assertThat(IdSet.decode(new IdSet().encode()).size()).isZero();
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> IdSet.decode("not-a-checkpoint")).isInstanceOf(IllegalArgumentException.class);
    }
}
