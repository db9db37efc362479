package io.crmconnect.simulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratedPropsTest {
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static GeneratedProps.Layout layout() {
        List<PropertyDef> defs = new ArrayList<>();
        String[] types = {"string", "number", "date", "datetime", "enumeration", "bool"};
        for (int i = 1; i <= 60; i++) {
            String type = types[i % types.length];
            defs.add(new PropertyDef(
                    String.format("wide_prop_%03d", i),
                    "W" + i,
                    type,
                    "text",
                    "wide_properties",
                    type.equals("enumeration")
                            ? List.of(new String[] {"Low", "LOW"}, new String[] {"High", "HIGH"})
                            : List.of(),
                    false,
                    false,
                    false,
                    false,
                    "",
                    i,
                    NOW));
        }
        return new GeneratedProps.Layout(defs);
    }

    static GeneratedProps props(long seed) {
        Map<String, String> base = new HashMap<>();
        base.put("email", "a@example.com");
        base.put("hs_object_id", "101");
        return new GeneratedProps(base, layout(), seed, NOW);
    }

    @Test
    void everyReadGivesTheSameValuesAndTheMapIsConsistent() {
        GeneratedProps a = props(7);
        Map<String, String> copy = new LinkedHashMap<>(a); // iterates entrySet
        assertThat(copy).hasSize(a.size()).containsEntry("email", "a@example.com");
        for (Map.Entry<String, String> e : copy.entrySet()) {
            assertThat(a.get(e.getKey())).isEqualTo(e.getValue());
            assertThat(a.containsKey(e.getKey())).isTrue();
        }
        assertThat(props(7)).isEqualTo(copy).isEqualTo(a);
        assertThat(props(8)).isNotEqualTo(a);
        long wide =
                copy.keySet().stream().filter(k -> k.startsWith("wide_prop_")).count();
        assertThat(wide).as("about 7 in 10 wide properties have a value").isBetween(25L, 57L);
        assertThat(a.get("wide_prop_999")).isNull();
        assertThat(a.containsKey("nope")).isFalse();
        assertThatThrownBy(() -> a.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void valuesAreValidForTheirPropertyTypes() {
        GeneratedProps.Layout l = layout();
        int checked = 0;
        for (long seed = 1; seed <= 50; seed++) {
            GeneratedProps p = new GeneratedProps(Map.of(), l, GeneratedProps.mix(seed), NOW);
            for (int i = 0; i < l.names.length; i++) {
                String v = p.get(l.names[i]);
                if (v == null) {
                    continue;
                }
                checked++;
                switch (l.kinds[i]) {
                    case 'n' -> assertThat(Long.parseLong(v)).isBetween(0L, 99_999L);
                    case 'd' -> assertThat(LocalDate.parse(v).toEpochDay()).isBetween(15_000L, 19_999L);
                    case 't' -> assertThat(Instant.parse(v).toEpochMilli()).isBetween(NOW - 300L * 86_400_000L, NOW);
                    case 'e' -> assertThat(v).isIn("LOW", "HIGH");
                    case 'b' -> assertThat(v).isIn("true", "false");
                    default -> assertThat(v).matches("\\S+ [0-9a-f]{1,5}");
                }
            }
        }
        assertThat(checked).isGreaterThan(1500);
    }
}
