package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.SearchRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncrementalCursorTest {
    static final String LM = "hs_lastmodifieddate";

    static CrmObject rec(long id, long lm) {
        return new CrmObject(
                Long.toString(id),
                Map.of(LM, Long.toString(lm), "hs_object_id", Long.toString(id)),
                Instant.ofEpochMilli(lm),
                Instant.ofEpochMilli(lm),
                false,
                null,
                Map.of());
    }

    static List<CrmObject> sameMs(long firstId, int n, long lm) {
        List<CrmObject> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rec(firstId + i, lm));
        }
        return out;
    }

    @Test
    void everyQueryStartsAtOffsetZeroAndMovesTheLowerBoundToTheLastTimestamp() {
        IncrementalCursor c = new IncrementalCursor(LM, 1_000, null);
        c.startCycle(100_000, 10_000);
        SearchRequest r = c.nextRequest(List.of("email"), 3);
        assertThat(r.after()).isNull();
        assertThat(r.sortProperty()).isEqualTo(LM);
        assertThat(r.filterGroups().get(0)).containsExactly(SearchRequest.Filter.of(LM, "GTE", "1000"));
        assertThat(c.onPage(List.of(rec(1, 1_000), rec(2, 1_500), rec(3, 2_000)), 3))
                .isFalse();
        assertThat(c.nextRequest(List.of(), 3).filterGroups().get(0))
                .containsExactly(SearchRequest.Filter.of(LM, "GTE", "2000"));
        assertThat(c.onPage(List.of(rec(3, 2_000)), 3)).isTrue();
        // a finished pass moves the watermark to now - overlap, never past it
        assertThat(c.since()).isEqualTo(90_000);
    }

    @Test
    void aFullPageSharingOneMillisecondDrillsIntoItByIdAndThenContinuesAfterIt() {
        IncrementalCursor c = new IncrementalCursor(LM, 5_000, null);
        c.startCycle(100_000, 10_000);
        c.nextRequest(List.of(), 3);
        assertThat(c.onPage(sameMs(10, 3, 5_000), 3)).isFalse();
        assertThat(c.drilling()).isTrue();
        SearchRequest drill = c.nextRequest(List.of(), 3);
        assertThat(drill.sortProperty()).isEqualTo("hs_object_id");
        assertThat(drill.filterGroups().get(0))
                .containsExactly(
                        SearchRequest.Filter.of(LM, "EQ", "5000"), SearchRequest.Filter.of("hs_object_id", "GT", "0"));
        assertThat(c.onPage(sameMs(10, 3, 5_000), 3)).isFalse();
        assertThat(c.nextRequest(List.of(), 3).filterGroups().get(0))
                .contains(SearchRequest.Filter.of("hs_object_id", "GT", "12"));
        // offsets inside a drill resume the drill after the last id
        assertThat(c.offsetFor(rec(13, 5_000))).containsEntry("since", 5_000L).containsEntry("afterId", 13L);
        assertThat(c.onPage(sameMs(13, 2, 5_000), 3)).isFalse();
        assertThat(c.drilling()).isFalse();
        assertThat(c.nextRequest(List.of(), 3).filterGroups().get(0))
                .containsExactly(SearchRequest.Filter.of(LM, "GTE", "5001"));
    }

    @Test
    void offsetsNeverClaimMoreThanTheIndexLagAllows() {
        IncrementalCursor c = new IncrementalCursor(LM, 0, null);
        c.startCycle(100_000, 30_000);
        // a record modified after now - overlap may have neighbours not yet indexed: the offset stays at 70,000
        assertThat(c.offsetFor(rec(1, 95_000))).containsEntry("since", 70_000L).doesNotContainKey("afterId");
        assertThat(c.offsetFor(rec(1, 50_000))).containsEntry("since", 50_000L);
    }

    @Test
    void recordsAlreadySentWithTheSameTimestampAreNotSentAgainButNewVersionsAre() {
        IncrementalCursor c = new IncrementalCursor(LM, 0, null);
        CrmObject v1 = rec(7, 1_000);
        assertThat(c.isNew(v1)).isTrue();
        c.markSent(v1);
        assertThat(c.isNew(rec(7, 1_000))).isFalse();
        assertThat(c.isNew(rec(7, 1_001))).isTrue();
    }

    @Test
    void aResumedDrillContinuesAfterTheStoredId() {
        IncrementalCursor c = new IncrementalCursor(LM, 5_000, 42L);
        c.startCycle(100_000, 1_000);
        assertThat(c.nextRequest(List.of(), 100).filterGroups().get(0))
                .containsExactly(
                        SearchRequest.Filter.of(LM, "EQ", "5000"), SearchRequest.Filter.of("hs_object_id", "GT", "42"));
    }

    @Test
    void aPassSlowedByThrottlingLeavesTheWatermarkWhereItsWalkReachedNotWhereItBegan() {
        IncrementalCursor c = new IncrementalCursor(LM, 1_000, null);
        c.startCycle(100_000, 3_000); // began at 100 s; throttling stretches the pass over two minutes
        assertThat(c.onPage(List.of(rec(1, 50_000), rec(2, 99_000), rec(3, 150_000)), 3, 100_000))
                .isFalse();
        assertThat(c.progress())
                .as("page 1 read at 100 s covers what was indexed then")
                .isEqualTo(97_000);
        assertThat(c.onPage(List.of(rec(3, 150_000), rec(4, 180_000), rec(5, 200_000)), 3, 210_000))
                .isFalse();
        assertThat(c.progress())
                .as("page 2 read at 210 s covers up to its last record")
                .isEqualTo(97_000);
        // a record of the current page: the offset claims only what the pages before it covered
        assertThat(c.offsetFor(rec(9, 215_000))).containsEntry("since", 97_001L);
        assertThat(c.onPage(List.of(rec(5, 200_000), rec(6, 215_000)), 3, 220_000))
                .isTrue();
        // page 1 covered up to 97 s, and page 2 began at 150 s > 97 s + 1: the gap between was read only at 100 s
        assertThat(c.since()).isEqualTo(97_000);
    }

    @Test
    void contiguousPagesReadLateAdvanceTheWatermarkToTheLastPageReadTimeLessTheOverlap() {
        IncrementalCursor c = new IncrementalCursor(LM, 1_000, null);
        c.startCycle(100_000, 3_000);
        // the walk is still in the past when each page is read: each covers up to its last record
        assertThat(c.onPage(List.of(rec(1, 10_000), rec(2, 20_000), rec(3, 30_000)), 3, 100_000))
                .isFalse();
        assertThat(c.progress()).isEqualTo(29_999);
        assertThat(c.onPage(List.of(rec(3, 30_000), rec(4, 40_000), rec(5, 60_000)), 3, 150_000))
                .isFalse();
        assertThat(c.progress()).isEqualTo(59_999);
        assertThat(c.offsetFor(rec(7, 170_000)))
                .as("a later record of the next page")
                .containsEntry("since", 97_000L);
        // the last page, read at 220 s, is short: everything indexed then (up to 217 s) was seen
        assertThat(c.onPage(List.of(rec(5, 60_000), rec(6, 170_000)), 3, 220_000))
                .isTrue();
        assertThat(c.since())
                .as("not the pass's start (97 s): the next pass re-reads only the overlap")
                .isEqualTo(217_000);
    }
}
