package io.crmconnect.hubspot.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.common.normalize.Normalizers;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatchKeysTest {
    static String key(List<String> norms, List<Boolean> optional, Object... values) {
        String[] parts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            parts[i] = MatchKeys.normalize(norms.get(i), values[i], Normalizers.DateFormats.DEFAULT);
        }
        return MatchKeys.tierKey(Arrays.asList(parts), optional);
    }

    @Test
    void recordAndHubSpotSpellingsGiveTheSameKey() {
        List<String> nameDob = List.of("name", "name", "date");
        List<Boolean> none = List.of(false, false, false);
        assertThat(key(nameDob, none, "José", "Núñez", "03/05/1980"))
                .isEqualTo(key(nameDob, none, "jose", "NUNEZ", "1980-03-05"))
                .isEqualTo(key(nameDob, none, " Jose ", "Nunez", Long.toString(3716L * 86_400_000L)));
        List<String> addr = List.of("address", "address", "name", "name", "postal_code");
        List<Boolean> line2Optional = List.of(false, true, false, false, false);
        assertThat(key(addr, line2Optional, "12 North Main Street", "Apt 4", "Springfield", "IL", "62701"))
                .isEqualTo(key(addr, line2Optional, "12 N. Main St", "Apartment 4", "springfield", "il", "62701-1234"));
        assertThat(key(addr, line2Optional, "1 Elm St", null, "Springfield", "IL", "62701"))
                .isEqualTo(key(addr, line2Optional, "1 Elm Street", "", "Springfield", "IL", "62701"))
                .isNotNull();
    }

    @Test
    void aMissingRequiredComponentMeansNoKey() {
        List<String> nameDob = List.of("name", "name", "date");
        assertThat(key(nameDob, List.of(false, false, false), "Ann", "Lee", null))
                .isNull();
        assertThat(key(List.of("email"), List.of(false), "   ")).isNull();
        assertThat(key(List.of("email"), List.of(false), " Ann.Lee@Example.COM "))
                .isEqualTo("ann.lee@example.com");
    }

    @Test
    void defaultNormalizersFollowPropertyNamesAndTypes() {
        assertThat(MatchKeys.defaultFor("email", "string")).isEqualTo("email");
        assertThat(MatchKeys.defaultFor("date_of_birth", "date")).isEqualTo("date");
        assertThat(MatchKeys.defaultFor("visit_day", "date")).isEqualTo("date");
        assertThat(MatchKeys.defaultFor("zip", "string")).isEqualTo("postal_code");
        assertThat(MatchKeys.defaultFor("address2", "string")).isEqualTo("address");
        assertThat(MatchKeys.defaultFor("city", "string")).isEqualTo("name");
    }
}
