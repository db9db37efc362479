package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written ISO-8601 formatter agrees with java.time for every epoch millisecond we may meet. */
class JsonIsoTest {
    private static final DateTimeFormatter REF =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void matchesJavaTime() {
        SplittableRandom r = new SplittableRandom(7);
        long[] fixed = {
            0,
            1,
            999,
            1000,
            86_399_999,
            86_400_000,
            951_782_400_000L,
            1_700_000_000_000L,
            253_402_300_799_999L,
            -1,
            -86_400_001
        };
        for (long ms : fixed) {
            assertThat(Json.iso(ms)).as(Long.toString(ms)).isEqualTo(REF.format(Instant.ofEpochMilli(ms)));
        }
        for (int i = 0; i < 100_000; i++) {
            long ms = r.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            assertThat(Json.iso(ms)).isEqualTo(REF.format(Instant.ofEpochMilli(ms)));
        }
    }

    @Test
    void parsesWhatItWrites() {
        long ms = 1_732_000_123_456L;
        assertThat(Store.parseTime(Json.iso(ms), false)).isEqualTo(ms);
        assertThat(Store.parseTime(Long.toString(ms), false)).isEqualTo(ms);
        assertThat(Store.parseTime("2024-05-01", true)).isEqualTo(1_714_521_600_000L);
        assertThat(Store.parseTime("2024-05-01T02:00:00+02:00", false)).isEqualTo(1_714_521_600_000L);
    }
}
