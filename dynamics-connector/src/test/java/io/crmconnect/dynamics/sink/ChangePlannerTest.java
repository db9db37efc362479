package io.crmconnect.dynamics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.Lookup;
import io.crmconnect.dynamics.sink.DynamicsSinkConfig.WriteMode;
import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangePlannerTest {
    private static final String ACCOUNT_ID = "11111111-1111-1111-1111-111111111111";
    private static final TargetTable.BoundLookup PARENT = new TargetTable.BoundLookup(
            new Lookup("company", "parentcustomerid_account", null, "accountnumber"),
            "parentcustomerid",
            "account",
            "accounts",
            "accountid",
            Fixtures.account().column("accountnumber"));

    private static TargetTable target(Set<String> protectedCols, Set<String> fill) throws Exception {
        Constructor<TargetTable> c = TargetTable.class.getDeclaredConstructor(
                io.crmconnect.dynamics.client.TableMetadata.class, List.class, String.class, Set.class, Set.class);
        c.setAccessible(true);
        return c.newInstance(Fixtures.contact(), List.of("emailaddress1"), "email_key", protectedCols, fill);
    }

    private static SinkRow row(Map<String, Object> cols, Object company) {
        LinkedHashMap<String, Object> key = new LinkedHashMap<>();
        key.put("emailaddress1", cols.get("emailaddress1"));
        Map<TargetTable.BoundLookup, Object> lookups = company == null ? Map.of() : Map.of(PARENT, company);
        return new SinkRow(null, false, RowIdentity.ofKey(key), new LinkedHashMap<>(cols), lookups);
    }

    private static ObjectNode current() {
        return JsonNodeFactory.instance
                .objectNode()
                .put("contactid", "22222222-2222-2222-2222-222222222222")
                .put("emailaddress1", "a@example.com")
                .put("firstname", "Ann")
                .put("lastname", "Lee")
                .put("jobtitle", "CEO")
                .put("gendercode", 2)
                .put("creditlimit", new BigDecimal("1000.0000"))
                .put("_parentcustomerid_value", ACCOUNT_ID);
    }

    private static Map<TargetTable.BoundLookup, Map<String, LookupResolver.Resolution>> resolved(String id, int n) {
        return Map.of(PARENT, Map.of("abc-1", new LookupResolver.Resolution(id, n, 0)));
    }

    @Test
    void onlyChangedColumnsAreSentAndAnUnchangedRowIsSkipped() throws Exception {
        ChangePlanner p = new ChangePlanner(target(Set.of(), Set.of()), WriteMode.UPSERT, true);
        Map<String, Object> same = new LinkedHashMap<>();
        same.put("emailaddress1", "a@example.com");
        same.put("firstname", "Ann");
        same.put("gendercode", 2);
        same.put("creditlimit", new BigDecimal("1000"));
        WritePlan unchanged = p.plan(row(same, "ABC-1"), current(), true, resolved(ACCOUNT_ID, 1));
        assertThat(unchanged.action()).isEqualTo(WritePlan.Action.SKIP_UNCHANGED);

        Map<String, Object> changed = new LinkedHashMap<>(same);
        changed.put("lastname", "Lee-Smith");
        WritePlan update = p.plan(row(changed, "ABC-1"), current(), true, resolved(ACCOUNT_ID, 1));
        assertThat(update.action()).isEqualTo(WritePlan.Action.UPDATE);
        assertThat(update.existingId()).isEqualTo("22222222-2222-2222-2222-222222222222");
        assertThat(update.body().toString()).isEqualTo("{\"lastname\":\"Lee-Smith\"}");
    }

    @Test
    void protectedNeverFillOnlyWhenEmptyLookupsBound() throws Exception {
        ChangePlanner p =
                new ChangePlanner(target(Set.of("jobtitle"), Set.of("firstname", "lastname")), WriteMode.UPSERT, true);
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("emailaddress1", "a@example.com");
        cols.put("jobtitle", "Intern");
        cols.put("firstname", "Bob");
        ObjectNode cur = current().putNull("lastname");
        cols.put("lastname", "Filled");
        WritePlan w = p.plan(row(cols, "ABC-1"), cur, true, resolved("33333333-3333-3333-3333-333333333333", 1));
        assertThat(w.body().toString())
                .isEqualTo("{\"lastname\":\"Filled\",\"parentcustomerid_account@odata.bind\":"
                        + "\"/accounts(33333333-3333-3333-3333-333333333333)\"}");
    }

    @Test
    void lookupWithNoOrManyRowsAndModesDecide() throws Exception {
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("emailaddress1", "new@example.com");
        cols.put("lastname", "New");
        ChangePlanner upsert = new ChangePlanner(target(Set.of(), Set.of()), WriteMode.UPSERT, true);
        assertThat(upsert.plan(row(cols, "ABC-1"), null, true, resolved(null, 0))
                        .failure()
                        .reason())
                .isEqualTo(RecordFailure.LOOKUP_NOT_FOUND);
        assertThat(upsert.plan(row(cols, "ABC-1"), null, true, resolved(null, 2))
                        .failure()
                        .reason())
                .isEqualTo(RecordFailure.AMBIGUOUS_MATCH);
        WritePlan create = upsert.plan(row(cols, null), null, true, Map.of());
        assertThat(create.action()).isEqualTo(WritePlan.Action.CREATE);
        assertThat(create.body().has("emailaddress1")).isTrue();
        assertThat(new ChangePlanner(target(Set.of(), Set.of()), WriteMode.CREATE_ONLY, true)
                        .plan(row(cols, null), current(), true, Map.of())
                        .action())
                .isEqualTo(WritePlan.Action.SKIP_EXISTS);
        assertThat(new ChangePlanner(target(Set.of(), Set.of()), WriteMode.UPDATE_ONLY, true)
                        .plan(row(cols, null), null, true, Map.of())
                        .failure()
                        .reason())
                .isEqualTo(RecordFailure.NOT_FOUND);
        assertThat(upsert.plan(row(cols, null), null, false, Map.of()).action()).isEqualTo(WritePlan.Action.UPSERT);
    }
}
