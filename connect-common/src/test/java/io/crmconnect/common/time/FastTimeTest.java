package io.crmconnect.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written fast paths must agree with java.time on everything they accept. */
class FastTimeTest {
    static final ZoneId NY = ZoneId.of("America/New_York");

    @Test
    void formattingMatchesJavaTimeOnRandomInstants() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long millis = random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L);
            if (i % 3 == 0) {
                millis -= Math.floorMod(millis, 1000); // whole seconds too
            }
            assertThat(FastTime.isoInstant(millis))
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
            long day = Math.floorDiv(millis, 86_400_000L);
            assertThat(FastTime.isoDate(day))
                    .isEqualTo(LocalDate.ofEpochDay(day).toString());
        }
    }

    @Test
    void parsingMatchesJavaTime() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(-30_000_000_000_000L, 200_000_000_000_000L));
            String z = instant.toString();
            assertThat(FastTime.isoEpochMillis(z, null)).as(z).isEqualTo(instant.toEpochMilli());
            OffsetDateTime odt = instant.atOffset(ZoneOffset.ofHoursMinutes(-5, -30));
            assertThat(FastTime.isoEpochMillis(odt.toString(), null))
                    .as(odt.toString())
                    .isEqualTo(instant.toEpochMilli());
            LocalDateTime local = LocalDateTime.ofInstant(instant, NY);
            String text = local.toString().replace('T', ' ');
            assertThat(FastTime.isoEpochMillis(text, NY))
                    .as(text)
                    .isEqualTo(LocalDateTime.parse(local.toString())
                            .atZone(NY)
                            .toInstant()
                            .toEpochMilli());
        }
        assertThat(FastTime.isoEpochMillis("2024-03-10", NY))
                .isEqualTo(Instant.parse("2024-03-10T05:00:00Z").toEpochMilli());
        assertThat(FastTime.isoEpochMillis("2024-03-10T01:30:00-0500", null))
                .isEqualTo(Instant.parse("2024-03-10T06:30:00Z").toEpochMilli());
        assertThat(FastTime.isoEpochMillis("2024-02-30T00:00:00Z", null)).isNull();
        assertThat(FastTime.isoEpochMillis("2024-03-10T25:00:00Z", null)).isNull();
        assertThat(FastTime.isoEpochMillis("2024-03-10T01:30:00[Europe/Paris]", null))
                .isNull();
        assertThat(FastTime.isoEpochMillis("10/03/2024", null)).isNull();
    }

    @Test
    void datesMatchJavaTimeOnEveryDayOfYears0000To9999AndBeyond() {
        // every day of the first 400-year cycle (all leap rules), of 1900-2100 and of the last years; every
        // 5th day in between (5 is coprime with the month lengths and the leap cycle, so every position is seen)
        for (long day = FastTime.MIN_DAY - 800;
                day <= FastTime.MAX_DAY + 800;
                day += day < FastTime.MIN_DAY + 146_097 || day > -25_600 && day < 47_500 || day > FastTime.MAX_DAY - 800
                        ? 1
                        : 5) {
            String expected = LocalDate.ofEpochDay(day).toString();
            String actual = FastTime.isoDate(day);
            if (!actual.equals(expected)) {
                assertThat(actual).as("epoch day %d", day).isEqualTo(expected);
            }
        }
        for (long millis : new long[] {
            -62_167_219_200_000L,
            -62_167_219_200_001L,
            253_402_300_799_999L,
            253_402_300_800_000L,
            0L,
            -1L,
            951_782_400_000L
        }) {
            assertThat(FastTime.isoInstant(millis))
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
        }
    }
}
