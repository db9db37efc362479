package io.crmconnect.simulator.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The known loss bugs of timestamp-polling sources, reproduced on the commit-versioned model (each test shows the
 * polling design losing rows), next to the model's own change sets, which lose nothing in the same scenario. The
 * connector's tests run its change capture through the same scenarios.
 */
class TimestampPollingLossTest {
    static final List<Column> USERS =
            List.of(Column.number("ID", 38, 0), Column.of("EMAIL", "TEXT"), Column.of("UPDATED_AT", "TIMESTAMP_LTZ"));

    static Warehouse warehouse() {
        Warehouse wh = new Warehouse();
        wh.clock().freeze();
        wh.createTable("USERS", USERS, List.of("ID"), Duration.ofDays(1), true);
        wh.clock().advance(Duration.ofSeconds(1));
        return wh;
    }

    static Set<Long> ids(List<Object[]> rows) {
        Set<Long> out = new HashSet<>();
        rows.forEach(r -> out.add((Long) r[0]));
        return out;
    }

    /** kafka-connect-jdbc #172 / #915 / #1015: a transaction stamps its rows, another commits first, the poll
     * moves past the stamp, the first commits: its rows are never read. */
    @Test
    void lateCommittingTransactionIsSkipped_kafkaConnectJdbc172() {
        Warehouse wh = warehouse();
        TimestampPoller poller = new TimestampPoller(wh, "USERS", "UPDATED_AT", "ID", true);
        Instant t0 = wh.clock().now();
        Transaction slow = wh.begin();
        slow.insert("USERS", 1L, "a@x.io", slow.startTime());
        wh.clock().advance(Duration.ofSeconds(1));
        Transaction fast = wh.begin();
        fast.insert("USERS", 2L, "b@x.io", fast.startTime());
        fast.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        List<Object[]> seen = new ArrayList<>(poller.poll(100));
        slow.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        seen.addAll(poller.poll(100));
        wh.clock().advance(Duration.ofSeconds(1));
        seen.addAll(poller.poll(100));

        assertThat(ids(seen)).as("the polling source lost the late commit").containsExactly(2L);
        Instant end = wh.clock().now();
        assertThat(wh.table("USERS").changes(t0, end, false))
                .extracting(c -> c.row()[0])
                .as("the net change set between the two versions has both")
                .containsExactly(1L, 2L);
    }

    /** kafka-connect-jdbc #598 (fixed by CCDB-4141): timestamp mode stores only the timestamp; rows sharing it
     * beyond the batch limit are skipped after a restart ({@code ts > :ts}). */
    @Test
    void equalTimestampsBeyondOneBatchAreSkippedAfterARestart_kafkaConnectJdbc598() {
        Warehouse wh = warehouse();
        Instant t0 = wh.clock().now();
        Transaction tx = wh.begin();
        for (long i = 1; i <= 5; i++) {
            tx.insert("USERS", i, "u" + i + "@x.io", tx.startTime());
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        TimestampPoller poller = new TimestampPoller(wh, "USERS", "UPDATED_AT", "ID", false);
        List<Object[]> seen = new ArrayList<>(poller.poll(2));
        TimestampPoller restarted = new TimestampPoller(wh, "USERS", "UPDATED_AT", "ID", false);
        restarted.ts = poller.ts; // the committed offset holds the timestamp only
        seen.addAll(restarted.poll(100));

        assertThat(ids(seen))
                .as("three rows sharing the timestamp were skipped")
                .hasSize(2);
        assertThat(wh.table("USERS").changes(t0, wh.clock().now(), false)).hasSize(5);
    }

    /** kafka-connect-jdbc CCDB-5069: the in-memory offset advanced past rows that a transient failure kept from
     * being delivered; the next poll starts after them. */
    @Test
    void inMemoryOffsetAheadOfUndeliveredRowsAfterATransientError_ccdb5069() {
        Warehouse wh = warehouse();
        Transaction tx = wh.begin();
        for (long i = 1; i <= 4; i++) {
            tx.insert("USERS", i, "u" + i + "@x.io", tx.startTime().plusMillis(i));
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        TimestampPoller poller = new TimestampPoller(wh, "USERS", "UPDATED_AT", "ID", true);
        List<Object[]> delivered = new ArrayList<>(poller.poll(2)); // delivered
        poller.poll(2); // read, then the send failed with a transient SQLException: dropped
        delivered.addAll(poller.poll(100));

        assertThat(ids(delivered)).as("rows 3 and 4 were lost").containsExactlyInAnyOrder(1L, 2L);
    }

    /** airbytehq/airbyte #83778: a TIMESTAMP_NTZ cursor read in a non-UTC JVM zone and bound back as UTC wall clock
     * moves eight hours ahead; the rows in between are never read. */
    @Test
    void ntzCursorShiftedByTheSessionTimeZoneSkipsAWindow_airbyte83778() {
        LocalDateTime cursor = LocalDateTime.parse("2026-08-01T10:00:00");
        LocalDateTime rebound = TimestampPoller.ntzCursorRoundTrip(cursor, ZoneId.of("America/Los_Angeles"));
        List<LocalDateTime> rows = List.of(cursor.plusHours(1), cursor.plusHours(4), cursor.plusHours(9));
        long read = rows.stream().filter(r -> r.isAfter(rebound)).count();

        assertThat(rebound).isEqualTo(cursor.plusHours(7)); // PDT = UTC-7 in August
        assertThat(read)
                .as("two of three later rows fall behind the shifted cursor")
                .isEqualTo(1);
        assertThat(TimestampPoller.ntzCursorRoundTrip(cursor, ZoneId.of("UTC"))).isEqualTo(cursor);
    }

    /**
     * Random transactions of random length, some committing late, updates and deletes; the polling source is run
     * between commits, and the change sets between consecutive poll points are applied to a replica. The replica
     * always equals the table; the polling source, on the same histories, misses rows.
     */
    @Test
    void netChangeSetsBetweenConsecutivePointsReplayToTheTableWhilePollingLoses() {
        int pollingLost = 0;
        for (int seed = 0; seed < 40; seed++) {
            Random rnd = new Random(seed);
            Warehouse wh = warehouse();
            TimestampPoller poller = new TimestampPoller(wh, "USERS", "UPDATED_AT", "ID", true);
            Map<Long, Object[]> replica = new HashMap<>();
            Set<Long> polled = new HashSet<>();
            Instant last = wh.clock().now();
            List<Transaction> open = new ArrayList<>();
            long nextId = 1;
            for (int step = 0; step < 60; step++) {
                wh.clock().advance(Duration.ofMillis(rnd.nextInt(3))); // 0 ms: equal timestamps
                int op = rnd.nextInt(10);
                if (op < 4) {
                    Transaction tx = wh.begin();
                    for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                        tx.insert("USERS", nextId++, "u@x.io", tx.startTime());
                    }
                    open.add(tx);
                } else if (op < 6 && nextId > 1) {
                    Transaction tx = wh.begin();
                    tx.update(
                            "USERS",
                            new Key(1L + rnd.nextInt((int) nextId - 1)),
                            Map.of("EMAIL", "v" + step + "@x.io", "UPDATED_AT", tx.startTime()));
                    open.add(tx);
                } else if (op < 7 && nextId > 1) {
                    Transaction tx = wh.begin();
                    tx.delete("USERS", 1L + rnd.nextInt((int) nextId - 1));
                    open.add(tx);
                } else if (op < 9 && !open.isEmpty()) {
                    open.remove(rnd.nextInt(open.size())).commit(); // any order: late commits
                } else {
                    Instant now = wh.clock().now();
                    apply(replica, wh.table("USERS").changes(last, now, false));
                    last = now;
                    poller.poll(1000).forEach(r -> polled.add((Long) r[0]));
                }
            }
            open.forEach(Transaction::commit);
            wh.clock().advance(Duration.ofSeconds(1));
            Instant now = wh.clock().now();
            apply(replica, wh.table("USERS").changes(last, now, false));
            poller.poll(1000).forEach(r -> polled.add((Long) r[0]));
            Map<Long, Object[]> table = new HashMap<>();
            wh.table("USERS").snapshot(now).forEach(r -> table.put((Long) r[0], r));
            assertThat(replica.keySet()).as("seed %d", seed).isEqualTo(table.keySet());
            table.forEach((k, v) -> assertThat(replica.get(k)).isEqualTo(v));
            if (!polled.containsAll(table.keySet())) {
                pollingLost++;
            }
        }
        assertThat(pollingLost)
                .as("histories in which the polling source missed a live row")
                .isPositive();
    }

    static void apply(Map<Long, Object[]> replica, List<RowChange> changes) {
        for (RowChange c : changes) {
            if (c.action().equals("DELETE")) {
                replica.remove((Long) c.row()[0]);
            }
        }
        for (RowChange c : changes) {
            if (c.action().equals("INSERT")) {
                replica.put((Long) c.row()[0], c.row());
            }
        }
    }

    @Test
    void timeTravelOutsideRetentionAndChangesWithoutTrackingAreErrors() {
        Warehouse wh = warehouse();
        VersionedTable t = wh.table("USERS");
        Instant created = t.created();
        wh.insert("USERS", new Object[] {1L, "a@x.io", wh.clock().now()});
        wh.clock().advance(Duration.ofDays(2));
        assertThatThrownBy(() ->
                        t.checkTimeTravel(created.plusSeconds(1), wh.clock().now()))
                .isInstanceOfSatisfying(
                        WarehouseException.class,
                        e -> assertThat(e.kind()).isEqualTo(WarehouseException.Kind.TIME_TRAVEL_UNAVAILABLE));
        wh.changeTracking("USERS", false);
        assertThatThrownBy(() ->
                        t.changes(wh.clock().now().minusSeconds(1), wh.clock().now(), false))
                .isInstanceOfSatisfying(
                        WarehouseException.class,
                        e -> assertThat(e.kind()).isEqualTo(WarehouseException.Kind.CHANGE_TRACKING_OFF));
    }

    @Test
    void updatesAreDeleteInsertPairsKeyChangesIncludedAndInsertThenDeleteVanishes() {
        Warehouse wh = warehouse();
        Instant t0 = wh.insert(
                "USERS", new Object[] {1L, "a@x.io", Instant.EPOCH}, new Object[] {2L, "b@x.io", Instant.EPOCH});
        wh.clock().advance(Duration.ofSeconds(1));
        wh.begin().update("USERS", 1L, "EMAIL", "a2@x.io").commit();
        wh.begin().update("USERS", 2L, "ID", 20L).commit(); // the key itself changes
        wh.begin().insert("USERS", 3L, "c@x.io", Instant.EPOCH).commit();
        wh.begin().delete("USERS", 3L).commit();
        wh.clock().advance(Duration.ofSeconds(1));
        Instant t1 = wh.clock().now();
        List<RowChange> ch = wh.table("USERS").changes(t0, t1, false);
        assertThat(ch)
                .extracting(c -> c.row()[0] + ":" + c.action() + ":" + c.isUpdate())
                .containsExactly("1:DELETE:true", "1:INSERT:true", "2:DELETE:true", "20:INSERT:true");
        List<ChangeEvent> ev = wh.table("USERS").changeEvents(t0.plusNanos(1000), t1, false);
        assertThat(ev)
                .extracting(e -> e.row()[0] + ":" + e.type())
                .containsExactly("1:UPDATE", "20:UPDATE", "3:INSERT", "3:DELETE");
        assertThat(wh.table("USERS").changeEvents(t0, t1, true))
                .extracting(e -> e.row()[0])
                .containsExactly(1L, 2L, 3L);
        assertThat(wh.table("USERS").snapshot(t0)).extracting(r -> r[1]).containsExactly("a@x.io", "b@x.io");
    }
}
