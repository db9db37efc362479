package io.crmconnect.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The long fast path of the binary numeric encoder writes exactly the bytes of the general (BigInteger text) one. */
class PgBinaryTest {

    private static byte[] fast(BigDecimal v) {
        RowStream.Bytes out = new RowStream.Bytes(16);
        PgBinary.numeric(out, v);
        return out.toByteArray();
    }

    private static byte[] general(BigDecimal v) {
        RowStream.Bytes out = new RowStream.Bytes(16);
        PgBinary.numericGeneral(out, v);
        return out.toByteArray();
    }

    @Test
    void knownEncodings() {
        // 12.5000: ndigits 2, weight 0, sign +, dscale 4, digits 12, 5000
        assertThat(fast(new BigDecimal("12.5000")))
                .containsExactly(0, 0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 4, 0, 12, 0x13, (byte) 0x88);
        // -0.00001: ndigits 1, weight -2, sign -, dscale 5, digit 1000
        assertThat(fast(new BigDecimal("-0.00001")))
                .containsExactly(0, 0, 0, 10, 0, 1, (byte) 0xff, (byte) 0xfe, 0x40, 0, 0, 5, 0x03, (byte) 0xe8);
        // 0.00: no digits, dscale 2
        assertThat(fast(new BigDecimal("0.00"))).containsExactly(0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 2);
    }

    @Test
    void fastPathMatchesGeneralEncoder() {
        List<BigDecimal> values = new ArrayList<>();
        for (String s : new String[] {
            "0",
            "1",
            "-1",
            "9999",
            "10000",
            "-10000",
            "12345.6789",
            "0.0001",
            "0.00001",
            "100000000",
            "1E+7",
            "99999999999999.9",
            "999999999999999",
            "-999999999999999",
            "1000000000000000",
            "123456789012345678",
            "-99999999999999.9999",
            "0.000000000000000000000000000001",
            "5.5E-30",
            "-123.456e-20",
            "1E+20",
            "9223372036854775807",
            "-9223372036854775808",
            "0.10",
            "1.000000"
        }) {
            values.add(new BigDecimal(s));
        }
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int digits = 1 + random.nextInt(20);
            BigInteger unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            values.add(new BigDecimal(unscaled, random.nextInt(40) - 4));
        }
        for (BigDecimal v : values) {
            assertThat(fast(v)).as(v.toString()).containsExactly(general(v));
        }
    }
}
