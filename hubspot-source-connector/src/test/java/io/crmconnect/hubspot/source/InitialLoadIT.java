package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.Page;
import io.crmconnect.hubspot.client.PropertyDefinition;
import io.crmconnect.hubspot.client.RateBudget;
import io.crmconnect.hubspot.client.SearchPage;
import io.crmconnect.hubspot.client.SearchRequest;
import io.crmconnect.hubspot.client.Tier;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link InitialLoad} against the HubSpot simulator over real HTTP: id ranges read in parallel hand every record over
 * exactly once, a restart from the last handed-over record's offset neither repeats nor skips a record (also for
 * records created during the load and v1 offsets), and cursors that are not ids fall back to one chain.
 */
class InitialLoadIT {
    private static final List<String> PROPS = List.of("email", "firstname", "lastmodifieddate", "hs_object_id");
    private static HubSpotSimulator sim;
    private static HubSpotClient client;
    private static SchemaMapper mapper;

    @BeforeAll
    static void start() {
        sim = HubSpotSimulator.builder()
                .seed(11)
                .contacts(2_500)
                .companies(0)
                .deals(0)
                .tickets(0)
                .rateLimits(false)
                .start();
        client = HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(Tier.API_ADD_ON, 1.0, 1.0))
                .build();
        mapper = new SchemaMapper("contacts", true, 2, true);
        List<PropertyDefinition> defs = new ArrayList<>();
        for (PropertyDefinition d : client.properties("contacts")) {
            if (PROPS.contains(d.name())) {
                defs.add(d);
            }
        }
        mapper.update(defs);
    }

    @AfterAll
    static void stop() {
        client.close();
        sim.close();
    }

    static final Map<String, Object> FINAL = Map.of("v", 1, "phase", "inc", "since", 1L);

    static InitialLoad load(Map<String, Object> offset, InitialLoad.Lister lister, boolean bounds) {
        InitialLoad l =
                new InitialLoad("contacts", 7L, offset, lister, mapper::toStruct, Set.of("hs_object_id"), FINAL, 4, 3);
        if (bounds) {
            SearchPage first = client.search(
                    "contacts", SearchRequest.of(List.of(), "hs_object_id", true, List.of("hs_object_id"), 1, null));
            SearchPage last = client.search(
                    "contacts", SearchRequest.of(List.of(), "hs_object_id", false, List.of("hs_object_id"), 1, null));
            l.bounds(
                    first.total(),
                    Long.parseLong(first.results().get(0).id()),
                    Long.parseLong(last.results().get(0).id()));
        }
        l.start();
        return l;
    }

    static InitialLoad.Lister direct() {
        return after -> client.list("contacts", PROPS, null, after, ObjectStream.LIST_PAGE, false);
    }

    /** What a run handed over: ids in order, the last offset, the most ranges seen in one offset. */
    static final class Run {
        final List<String> ids = new ArrayList<>();
        Map<String, Object> lastOffset;
        int maxRanges;
        boolean finished;
    }

    /** Takes up to {@code pages} pages (all when negative) the way ObjectStream does. */
    static Run take(InitialLoad l, int pages) throws InterruptedException {
        Run run = new Run();
        long deadline = System.currentTimeMillis() + 60_000;
        int n = 0;
        while (!run.finished && (pages < 0 || n < pages) && System.currentTimeMillis() < deadline) {
            InitialLoad.Batch b = l.next(200);
            if (b == null) {
                continue;
            }
            n++;
            assertThat(b.offsets()).hasSameSizeAs(b.objects());
            assertThat(b.values()).hasSameSizeAs(b.objects());
            for (int i = 0; i < b.objects().size(); i++) {
                CrmObject o = b.objects().get(i);
                Struct v = b.values().get(i);
                assertThat(v.get("id")).isEqualTo(o.id());
                assertThat(v.get("email")).as("values converted by the readers").isNotNull();
                assertThat(o.properties().keySet()).containsOnly("hs_object_id");
                run.ids.add(o.id());
                run.lastOffset = b.offsets().get(i);
                Object segs = run.lastOffset.get("segs");
                if (segs instanceof String s && !s.isEmpty()) {
                    run.maxRanges = Math.max(run.maxRanges, s.split(",").length);
                }
            }
            run.finished = b.last();
        }
        return run;
    }

    @Test
    void parallelRangesHandEveryRecordOverOnceAndARestartResumesExactly() throws Exception {
        InitialLoad first = load(null, direct(), true);
        Run a = take(first, 9);
        first.close();
        assertThat(a.finished).isFalse();
        assertThat(a.maxRanges).as("id ranges read in parallel").isGreaterThan(1);
        assertThat(a.lastOffset)
                .containsEntry("v", 2)
                .containsEntry("phase", "load")
                .containsKey("segs");
        OffsetCodec.validate("contacts", a.lastOffset);

        // records created while the load was stopped get ids above the search's maximum: the open range reads them
        List<ObjectNode> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode in = JsonNodeFactory.instance.objectNode();
            in.putObject("properties").put("email", "late" + i + "@example.com");
            inputs.add(in);
        }
        client.batchCreate("contacts", inputs);

        InitialLoad second = load(new LinkedHashMap<>(a.lastOffset), direct(), true);
        Run b = take(second, -1);
        second.close();
        assertThat(b.finished).isTrue();
        assertThat(b.lastOffset).isEqualTo(FINAL);

        Set<String> before = new HashSet<>(a.ids);
        assertThat(before).hasSameSizeAs(a.ids);
        assertThat(b.ids).doesNotHaveDuplicates().doesNotContainAnyElementsOf(before);
        Set<String> all = new TreeSet<>(a.ids);
        all.addAll(b.ids);
        assertThat(all).isEqualTo(new TreeSet<>(sim.ids("contacts")));
        assertThat(all).hasSize(2_503);
    }

    @Test
    void versionOneOffsetsAndLoadsWithoutBoundsStillWork() throws Exception {
        List<String> ids = sim.ids("contacts");
        String from = ids.get(1_000);
        Map<String, Object> v1 = new LinkedHashMap<>();
        v1.put("v", 1);
        v1.put("phase", "load");
        v1.put("after", from);
        v1.put("loadStart", 7L);
        InitialLoad l = load(v1, direct(), false); // no bounds: one chain, never split
        Run r = take(l, -1);
        l.close();
        assertThat(r.finished).isTrue();
        assertThat(r.maxRanges).isLessThanOrEqualTo(1);
        assertThat(r.ids).isEqualTo(ids.subList(1_000, ids.size()));
    }

    /** The simulator's list, with cursors turned into opaque tokens as HubSpot's spec example shows. */
    static InitialLoad.Lister opaque() {
        return after -> {
            String real = after == null
                    ? null
                    : new String(Base64.getUrlDecoder().decode(after.substring(2)), StandardCharsets.UTF_8);
            Page<CrmObject> p = client.list("contacts", PROPS, null, real, ObjectStream.LIST_PAGE, false);
            return new Page<>(
                    p.results(),
                    p.after() == null
                            ? null
                            : "c:"
                                    + Base64.getUrlEncoder()
                                            .encodeToString(p.after().getBytes(StandardCharsets.UTF_8)));
        };
    }

    @Test
    void opaqueCursorsFallBackToOneChainThatResumesAtItsLastPage() throws Exception {
        InitialLoad first = load(null, opaque(), true);
        Run a = take(first, 5);
        first.close();
        assertThat(a.lastOffset).containsKey("after").doesNotContainKey("segs");
        assertThat((String) a.lastOffset.get("after")).startsWith("c:");
        OffsetCodec.validate("contacts", a.lastOffset);

        InitialLoad second = load(new LinkedHashMap<>(a.lastOffset), opaque(), true);
        Run b = take(second, -1);
        second.close();
        assertThat(b.finished).isTrue();
        List<String> ids = sim.ids("contacts");
        assertThat(a.ids).isEqualTo(ids.subList(0, a.ids.size()));
        // the last record of a page carries the next page's cursor: the chain resumes right after it
        assertThat(b.ids).isEqualTo(ids.subList(a.ids.size(), ids.size()));
    }
}
