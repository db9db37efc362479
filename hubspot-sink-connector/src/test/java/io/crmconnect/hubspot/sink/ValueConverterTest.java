package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class ValueConverterTest {
    final ValueConverter ny = new ValueConverter(ZoneId.of("America/New_York"));
    final PropertyCatalog.Prop date = new PropertyCatalog.Prop("d", "date", false, false, false, Set.of());
    final PropertyCatalog.Prop datetime = new PropertyCatalog.Prop("t", "datetime", false, false, false, Set.of());
    final PropertyCatalog.Prop bool = new PropertyCatalog.Prop("b", "bool", false, false, false, Set.of());
    final PropertyCatalog.Prop number = new PropertyCatalog.Prop("n", "number", false, false, false, Set.of());
    final PropertyCatalog.Prop select =
            new PropertyCatalog.Prop("s", "enumeration", false, false, false, Set.of("open", "closed"));
    final PropertyCatalog.Prop checkbox =
            new PropertyCatalog.Prop("c", "enumeration", true, false, false, Set.of("a", "b", "c"));

    static String midnight(String isoDate) {
        return Long.toString(LocalDate.parse(isoDate).toEpochDay() * 86_400_000L);
    }

    @Test
    void datesBecomeMidnightUtcMillisAfterTheZone() {
        assertThat(ny.convert("d", "2024-03-10", null, date)).isEqualTo(midnight("2024-03-10"));
        assertThat(ny.convert("d", "03/05/1980", null, date)).isEqualTo(midnight("1980-03-05"));
        // 03:30 UTC on March 11 is still March 10 in New York
        Date late = Date.from(Instant.parse("2024-03-11T03:30:00Z"));
        assertThat(ny.convert("d", late, Timestamp.SCHEMA, date)).isEqualTo(midnight("2024-03-10"));
        assertThat(ny.convert("d", "2024-03-11T03:30:00Z", null, date)).isEqualTo(midnight("2024-03-10"));
        assertThat(ny.convert("d", "2024-03-10T23:59:00", null, date)).isEqualTo(midnight("2024-03-10"));
        // a Connect Date is a calendar date, no zone shift
        Date connectDate = Date.from(Instant.parse("2024-03-11T00:00:00Z"));
        assertThat(ny.convert("d", connectDate, org.apache.kafka.connect.data.Date.SCHEMA, date))
                .isEqualTo(midnight("2024-03-11"));
        assertThat(ny.convert("d", Long.parseLong(midnight("2020-02-29")), null, date))
                .isEqualTo(midnight("2020-02-29"));
        assertThatThrownBy(() -> ny.convert("d", "next tuesday", null, date))
                .isInstanceOf(ValueConverter.ConversionException.class)
                .hasMessageContaining("d");
    }

    @Test
    void datetimesAreEpochMillisWithLocalTimesInTheZone() {
        assertThat(ny.convert("t", "2024-07-01 09:15:00", null, datetime))
                .isEqualTo(Long.toString(Instant.parse("2024-07-01T13:15:00Z").toEpochMilli()));
        assertThat(ny.convert("t", "2024-01-15T09:15:00", null, datetime))
                .isEqualTo(Long.toString(Instant.parse("2024-01-15T14:15:00Z").toEpochMilli()));
        assertThat(ny.convert("t", "2024-07-01T09:15:00+02:00", null, datetime))
                .isEqualTo(Long.toString(Instant.parse("2024-07-01T07:15:00Z").toEpochMilli()));
        assertThat(ny.convert("t", 1_700_000_000_123L, null, datetime)).isEqualTo("1700000000123");
    }

    @Test
    void booleansNumbersAndEnumerations() {
        assertThat(ny.convert("b", true, null, bool)).isEqualTo("true");
        assertThat(ny.convert("b", "Yes", null, bool)).isEqualTo("true");
        assertThat(ny.convert("b", 0, null, bool)).isEqualTo("false");
        assertThatThrownBy(() -> ny.convert("b", "maybe", null, bool))
                .isInstanceOf(ValueConverter.ConversionException.class);
        assertThat(ny.convert("n", new BigDecimal("10.500"), null, number)).isEqualTo("10.5");
        assertThat(ny.convert("n", 1e3, null, number)).isEqualTo("1000");
        assertThat(ny.convert("n", " 42 ", null, number)).isEqualTo("42");
        assertThatThrownBy(() -> ny.convert("n", "4x", null, number))
                .isInstanceOf(ValueConverter.ConversionException.class);
        assertThat(ny.convert("s", "open", null, select)).isEqualTo("open");
        assertThatThrownBy(() -> ny.convert("s", "Open", null, select))
                .isInstanceOf(ValueConverter.ConversionException.class)
                .satisfies(e -> assertThat(((ValueConverter.ConversionException) e).reason)
                        .isEqualTo("INVALID_OPTION"));
        assertThat(ny.convert("c", List.of("a", "c"), null, checkbox)).isEqualTo("a;c");
        assertThat(ny.convert("c", "b;c", null, checkbox)).isEqualTo("b;c");
        assertThatThrownBy(() -> ny.convert("c", List.of("a", "z"), null, checkbox))
                .hasMessageContaining("\"z\"");
    }
}
