package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.dynamics.client.TableMetadata;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueEncoderTest {
    private final TableMetadata md = Fixtures.contact();

    private Object enc(String col, Object v) {
        return ValueEncoder.encode(md.column(col), v);
    }

    @Test
    void choicesByValueOrLabelMultiChoicesAsCommaList() {
        assertThat(enc("gendercode", "female")).isEqualTo(2);
        assertThat(enc("gendercode", " Male ")).isEqualTo(1);
        assertThat(enc("gendercode", 2L)).isEqualTo(2);
        assertThat(enc("gendercode", "2")).isEqualTo(2);
        assertThat(enc("crmc_interests", List.of("Hiking", 100000001))).isEqualTo("100000000,100000001");
        assertThat(enc("crmc_interests", "cooking;hiking")).isEqualTo("100000001,100000000");
        assertThatThrownBy(() -> enc("gendercode", "Jane Doe"))
                .isInstanceOfSatisfying(ValueEncoder.ConversionException.class, e -> {
                    assertThat(e.reason()).isEqualTo("INVALID_CHOICE");
                    assertThat(e.getMessage()).contains("gendercode").doesNotContain("Jane");
                });
        assertThatThrownBy(() -> enc("gendercode", 7)).isInstanceOf(ValueEncoder.ConversionException.class);
    }

    @Test
    void moneyKeepsDigitsDatesAreExplicit() {
        assertThat(enc("creditlimit", new BigDecimal("12345678901234.5678")))
                .isEqualTo(new BigDecimal("12345678901234.5678"));
        assertThat(enc("creditlimit", "10.50")).isEqualTo(new BigDecimal("10.50"));
        assertThat(enc("birthdate", new Date(0))).isEqualTo("1970-01-01");
        assertThat(enc("birthdate", "1985-03-02T00:00:00Z")).isEqualTo("1985-03-02");
        assertThatThrownBy(() -> enc("birthdate", "02/03/1985"))
                .isInstanceOfSatisfying(
                        ValueEncoder.ConversionException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("1985"));
    }
}
