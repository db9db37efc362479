package io.crmconnect.smt.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written decimal parser must give exactly what {@code new BigDecimal(String)} gives, or step aside. */
class ConversionFastPathTest {

    @Test
    void simpleDecimalsEqualTheJdkParserInValueAndScale() {
        for (String t : new String[] {
            "0",
            "-0",
            "+7",
            "1000.5",
            "1000.50",
            "007.250",
            "-12.345",
            ".5",
            "5.",
            "+.5",
            "-.25",
            "999999999999999999",
            "-999999999999999999",
            "0.00000000000000001"
        }) {
            BigDecimal fast = Conversion.simpleDecimal(t);
            assertThat(fast).as(t).isNotNull();
            assertThat(fast).as(t).isEqualTo(new BigDecimal(t)); // equals compares the scale too
            assertThat(Conversion.parseDecimal(t)).as(t).isEqualTo(new BigDecimal(t));
        }
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 100_000; i++) {
            long unscaled = random.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L);
            String t = new BigDecimal(BigInteger.valueOf(unscaled), random.nextInt(12)).toPlainString();
            assertThat(Conversion.simpleDecimal(t)).as(t).isEqualTo(new BigDecimal(t));
        }
    }

    @Test
    void otherShapesTakeTheJdkParser() {
        // exponents, 19+ digits, signs only, two dots, spaces: not the fast path, still parsed (or refused) as before
        for (String t : new String[] {
            "1e3",
            "1E-2",
            "1234567890123456789",
            "0.000000000000000001",
            "12345678901234567.89",
            "",
            "-",
            ".",
            "+",
            "1.2.3",
            "1 000",
            "0x10",
            "--1",
            "１２"
        }) {
            assertThat(Conversion.simpleDecimal(t)).as(t).isNull();
        }
        assertThat(Conversion.parseDecimal("1e3")).isEqualTo(new BigDecimal("1e3"));
        assertThat(Conversion.parseDecimal("12345678901234567.89")).isEqualTo(new BigDecimal("12345678901234567.89"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Conversion.parseDecimal("1.2.3"))
                .isInstanceOf(Conversion.Failure.class);
    }
}
