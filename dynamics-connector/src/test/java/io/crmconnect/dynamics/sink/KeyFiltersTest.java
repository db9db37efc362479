package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyFiltersTest {
    @Test
    void quotesAreDoubledCompoundKeysGroupedAndLongListsSplit() {
        LinkedHashMap<String, Object> k = new LinkedHashMap<>();
        k.put("firstname", "O'Brien");
        k.put("numberofchildren", 2);
        assertThat(KeyFilters.term(RowIdentity.ofKey(k), "contactid"))
                .isEqualTo("(firstname eq 'O''Brien' and numberofchildren eq 2)");
        assertThat(KeyFilters.term(RowIdentity.ofId("AAAAAAAA-0000-0000-0000-000000000001"), "contactid"))
                .isEqualTo("contactid eq aaaaaaaa-0000-0000-0000-000000000001");
        List<RowIdentity> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            LinkedHashMap<String, Object> e = new LinkedHashMap<>();
            e.put("emailaddress1", "person" + i + "@example.com");
            ids.add(RowIdentity.ofKey(e));
        }
        List<String> filters = KeyFilters.build(ids, "contactid");
        assertThat(filters).allMatch(f -> f.length() <= KeyFilters.MAX_CHARS);
        assertThat(String.join(" or ", filters).split(" or ")).hasSize(600);
    }
}
