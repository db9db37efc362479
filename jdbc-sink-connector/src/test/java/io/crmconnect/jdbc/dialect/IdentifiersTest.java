package io.crmconnect.jdbc.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.jdbc.dialect.Identifiers.UnrepresentableNameException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Names the databases keep as written: byte and character limits, hash suffixes, refused names. */
class IdentifiersTest {
    private final Identifiers pg = new PostgresDialect().identifiers();
    private final Identifiers maria = new MariaDbDialect().identifiers();

    @Test
    void namesThatFitAreKept() {
        String sixtyThree = "c".repeat(63);
        assertThat(pg.name(sixtyThree)).isEqualTo(sixtyThree);
        assertThat(maria.name("c".repeat(64))).isEqualTo("c".repeat(64));
        assertThat(pg.name("Order")).isEqualTo("Order");
    }

    @Test
    void longNamesAreCutWithAHashOfTheWholeNameWithinEachDatabasesLimit() {
        String a = "property_" + "x".repeat(60) + "_first";
        String b = "property_" + "x".repeat(60) + "_second";
        assertThat(pg.name(a)).hasSize(63).startsWith("property_xxx").matches(".*_[0-9a-f]{8}");
        assertThat(pg.name(a)).isEqualTo(pg.name(a)).isNotEqualTo(pg.name(b));
        assertThat(maria.name(a)).hasSize(64).isNotEqualTo(maria.name(b));
        assertThat(pg.name("c".repeat(64))).hasSize(63);
    }

    @Test
    void postgresCountsBytesAndNeverSplitsACharacter() {
        String umlauts = "ä".repeat(40); // 40 characters, 80 UTF-8 bytes
        String stored = pg.name(umlauts);
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(stored).startsWith("ää").matches("ä+_[0-9a-f]{8}");
        assertThat(maria.name(umlauts)).isEqualTo(umlauts); // 40 characters fit MariaDB's 64
        String emoji = "\uD83D\uDE00".repeat(20); // 80 bytes
        assertThat(pg.name(emoji)).matches("(\uD83D\uDE00)+_[0-9a-f]{8}");
    }

    @Test
    void namesNoQuotingCanCarryAreRefusedWithTheReason() {
        assertThatThrownBy(() -> pg.name(""))
                .isInstanceOf(UnrepresentableNameException.class)
                .hasMessageContaining("empty name");
        assertThatThrownBy(() -> pg.name("a\u0000b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> maria.name("smile\uD83D\uDE00")).hasMessageContaining("Basic Multilingual Plane");
        assertThatThrownBy(() -> maria.name("trailing ")).hasMessageContaining("ending with a space");
        assertThat(pg.name("smile\uD83D\uDE00")).isEqualTo("smile\uD83D\uDE00");
    }

    @Test
    void mariaDbTreatsNamesDifferingInCaseAsOne() {
        assertThat(maria.sameNameKey("Email")).isEqualTo(maria.sameNameKey("email"));
        assertThat(pg.sameNameKey("Email")).isNotEqualTo(pg.sameNameKey("email"));
    }
}
