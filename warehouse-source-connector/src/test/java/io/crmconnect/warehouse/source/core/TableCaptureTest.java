package io.crmconnect.warehouse.source.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmconnect.simulator.warehouse.Column;
import io.crmconnect.simulator.warehouse.Key;
import io.crmconnect.simulator.warehouse.Transaction;
import io.crmconnect.simulator.warehouse.Warehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * The capture core against the commit-versioned model, through the scenarios in which timestamp-polling sources
 * lose rows (simulators' TimestampPollingLossTest reproduces the losses): here nothing is lost.
 */
class TableCaptureTest {
    static final List<Column> USERS =
            List.of(Column.number("ID", 38, 0), Column.of("EMAIL", "TEXT"), Column.of("UPDATED_AT", "TIMESTAMP_LTZ"));
    static final Duration LAG = Duration.ofMillis(1);

    static Warehouse warehouse(Duration retention) {
        Warehouse wh = new Warehouse();
        wh.clock().freeze();
        wh.createTable("USERS", USERS, List.of("ID"), retention, true);
        wh.clock().advance(Duration.ofSeconds(1));
        return wh;
    }

    static TableCapture capture(Warehouse wh, CaptureMode mode, int chunk, Duration wmDelay, RetentionAction ra) {
        CaptureSettings s = new CaptureSettings(mode, chunk, LAG, wmDelay, Duration.ZERO, ra);
        return new TableCapture(
                new TableSpec("USERS", List.of("ID"), "UPDATED_AT"),
                new ModelChangeSource(wh, "USERS", "UPDATED_AT"),
                s,
                new CaptureMetrics(Optional.empty()));
    }

    static TableCapture capture(Warehouse wh, CaptureMode mode, int chunk) {
        return capture(wh, mode, chunk, Duration.ZERO, RetentionAction.FAIL);
    }

    /** Applies records like a compacted topic / an upserting sink would. */
    static final class Replica {
        final Map<Long, Object[]> rows = new HashMap<>();
        final List<Emit> log = new ArrayList<>();

        void apply(List<Emit> emits) {
            for (Emit e : emits) {
                log.add(e);
                if (e.values() == null) {
                    rows.remove((Long) e.key()[0]);
                } else {
                    rows.put((Long) e.key()[0], e.values());
                }
            }
        }

        void drain(TableCapture c) {
            for (int i = 0; i < 10_000; i++) {
                Position before = c.position();
                List<Emit> out = c.step(0);
                apply(out);
                if (out.isEmpty() && before != null && before.equals(c.position())) {
                    return;
                }
            }
            throw new AssertionError("capture did not settle");
        }
    }

    static Map<Long, Object[]> table(Warehouse wh) {
        Map<Long, Object[]> out = new HashMap<>();
        wh.table("USERS").snapshot(wh.clock().now()).forEach(r -> out.put((Long) r[0], r));
        return out;
    }

    static void assertEqual(Replica r, Warehouse wh) {
        Map<Long, Object[]> t = table(wh);
        assertThat(r.rows.keySet()).isEqualTo(t.keySet());
        t.forEach((k, v) -> assertThat(r.rows.get(k)).as("row %d", k).isEqualTo(v));
    }

    @Test
    void lateCommittingTransactionIsCaptured_notKafkaConnectJdbc172() {
        Warehouse wh = warehouse(Duration.ofDays(1));
        TableCapture c = capture(wh, CaptureMode.CHANGES, 100);
        Replica r = new Replica();
        r.drain(c);
        Transaction slow = wh.begin();
        slow.insert("USERS", 1L, "a@x.io", slow.startTime());
        wh.clock().advance(Duration.ofSeconds(1));
        Transaction fast = wh.begin();
        fast.insert("USERS", 2L, "b@x.io", fast.startTime());
        fast.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        r.drain(c);
        slow.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        r.drain(c);
        assertEqual(r, wh);
        assertThat(r.rows).containsKeys(1L, 2L);
    }

    @Test
    void equalTimestampsAcrossARestartAtEveryRecord_notKafkaConnectJdbc598() {
        Warehouse wh = warehouse(Duration.ofDays(1));
        Transaction tx = wh.begin();
        for (long i = 1; i <= 7; i++) {
            tx.insert("USERS", i, "u" + i + "@x.io", tx.startTime());
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        for (CaptureMode mode : List.of(CaptureMode.WATERMARK, CaptureMode.CHANGES)) {
            Replica full = new Replica();
            full.drain(capture(wh, mode, 2));
            for (int cut = 0; cut < full.log.size(); cut++) {
                Replica r = new Replica();
                r.apply(full.log.subList(0, cut + 1));
                TableCapture restarted = capture(wh, mode, 2);
                restarted.restore(full.log.get(cut).offset());
                r.drain(restarted);
                assertEqual(r, wh);
                assertThat(r.log.size() - (cut + 1))
                        .as("re-sent after a restart at %d", cut)
                        .isLessThanOrEqualTo(full.log.size() - (cut + 1));
            }
        }
    }

    @Test
    void aTransientErrorMidIntervalMovesNothing_notCcdb5069() {
        Warehouse wh = warehouse(Duration.ofDays(1));
        ModelChangeSource src = new ModelChangeSource(wh, "USERS", "UPDATED_AT");
        TableCapture c = new TableCapture(
                new TableSpec("USERS", List.of("ID"), null),
                src,
                new CaptureSettings(CaptureMode.CHANGES, 2, LAG, Duration.ZERO, Duration.ZERO, RetentionAction.FAIL),
                new CaptureMetrics(Optional.empty()));
        Replica r = new Replica();
        r.drain(c);
        Transaction tx = wh.begin();
        for (long i = 1; i <= 6; i++) {
            tx.insert("USERS", i, "u@x.io", tx.startTime());
        }
        tx.commit();
        wh.clock().advance(Duration.ofSeconds(1));
        r.apply(c.step(0));
        Position before = c.position();
        src.failNext = 1;
        assertThatThrownBy(() -> c.step(0)).isInstanceOf(WarehouseError.class);
        assertThat(c.position()).isEqualTo(before);
        r.drain(c);
        assertEqual(r, wh);
        assertThat(r.log).hasSize(6);
    }

    @Test
    void updatesDeletesAndKeyChangesBecomeUpsertsAndTombstones() {
        Warehouse wh = warehouse(Duration.ofDays(1));
        wh.insert(
                "USERS",
                new Object[] {1L, "a@x.io", Instant.EPOCH},
                new Object[] {2L, "b@x.io", Instant.EPOCH},
                new Object[] {3L, "c@x.io", Instant.EPOCH});
        wh.clock().advance(Duration.ofSeconds(1));
        TableCapture c = capture(wh, CaptureMode.CHANGES, 2);
        Replica r = new Replica();
        r.drain(c);
        wh.begin().update("USERS", 1L, "EMAIL", "a2@x.io").commit();
        wh.begin().update("USERS", 2L, "ID", 20L).commit();
        wh.begin().delete("USERS", 3L).commit();
        wh.clock().advance(Duration.ofSeconds(1));
        int before = r.log.size();
        r.drain(c);
        assertThat(r.log.subList(before, r.log.size()))
                .extracting(e -> e.key()[0] + ":" + e.change())
                .containsExactly("1:upsert", "2:delete", "3:delete", "20:upsert");
        assertEqual(r, wh);
    }

    @Test
    void watermarkModeCatchesCommitsWithinTheDelayAndNotBeyondIt() {
        for (int delaySeconds : new int[] {5, 1}) {
            Warehouse wh = warehouse(Duration.ofDays(1));
            TableCapture c =
                    capture(wh, CaptureMode.WATERMARK, 100, Duration.ofSeconds(delaySeconds), RetentionAction.FAIL);
            Replica r = new Replica();
            Transaction slow = wh.begin(); // commits 3 s after stamping its row
            slow.insert("USERS", 1L, "a@x.io", slow.startTime());
            wh.clock().advance(Duration.ofSeconds(1));
            Transaction fast = wh.begin();
            fast.insert("USERS", 2L, "b@x.io", fast.startTime());
            fast.commit();
            for (int s = 0; s < 2; s++) {
                wh.clock().advance(Duration.ofSeconds(1));
                r.apply(c.step(0));
            }
            slow.commit();
            for (int s = 0; s < 8; s++) {
                wh.clock().advance(Duration.ofSeconds(1));
                r.apply(c.step(0));
            }
            if (delaySeconds == 5) {
                assertEqual(r, wh);
            } else {
                assertThat(r.rows.keySet())
                        .as("documented limit: a commit later than the delay")
                        .containsOnly(2L);
            }
        }
    }

    @Test
    void positionOlderThanRetentionFailsWithAnActionableFirstLineOrTakesANewSnapshot() {
        Warehouse wh = warehouse(Duration.ofHours(1));
        wh.insert("USERS", new Object[] {1L, "a@x.io", Instant.EPOCH});
        wh.clock().advance(Duration.ofSeconds(1));
        TableCapture c = capture(wh, CaptureMode.CHANGES, 10);
        Replica r = new Replica();
        r.drain(c);
        Map<String, Object> committed = r.log.get(r.log.size() - 1).offset();
        wh.clock().advance(Duration.ofHours(2));
        wh.insert("USERS", new Object[] {2L, "b@x.io", Instant.EPOCH});
        wh.clock().advance(Duration.ofSeconds(1));

        TableCapture failing = capture(wh, CaptureMode.CHANGES, 10);
        failing.restore(committed);
        assertThatThrownBy(() -> failing.step(0))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Table USERS: the stored position")
                .hasMessageContaining("retention.exceeded.action=resnapshot");

        TableCapture resnap = capture(wh, CaptureMode.CHANGES, 10, Duration.ZERO, RetentionAction.RESNAPSHOT);
        resnap.restore(committed);
        r.drain(resnap);
        assertEqual(r, wh);
    }

    /**
     * A table created less than changes.lag.ms before the connector starts has no version at now - lag: the first
     * run must wait for a later point instead of failing as if its position had left time travel.
     */
    @Test
    void aTableNewerThanTheChangesLagIsSnapshotAtALaterPoint() {
        Warehouse wh = new Warehouse();
        wh.clock().freeze();
        wh.createTable("USERS", USERS, List.of("ID"), Duration.ofDays(1), true);
        wh.insert("USERS", new Object[] {1L, "a@x.io", Instant.EPOCH});
        Duration lag = Duration.ofSeconds(5);
        TableCapture c = new TableCapture(
                new TableSpec("USERS", List.of("ID"), null),
                new ModelChangeSource(wh, "USERS", null),
                new CaptureSettings(CaptureMode.CHANGES, 10, lag, Duration.ZERO, Duration.ZERO, RetentionAction.FAIL),
                new CaptureMetrics(Optional.empty()));
        assertThat(c.step(0)).isEmpty();
        assertThat(c.nextDue()).isGreaterThan(lag.toMillis());
        wh.clock().advance(Duration.ofSeconds(2));
        assertThat(c.step(c.nextDue())).as("still inside the lag: no point yet").isEmpty();
        wh.clock().advance(lag);
        wh.insert("USERS", new Object[] {2L, "b@x.io", Instant.EPOCH});
        Replica r = new Replica();
        r.drain(c);
        wh.clock().advance(lag.plusSeconds(1));
        r.drain(c);
        assertEqual(r, wh);
    }

    /** Retention 0: no point after the table was first read has time travel either, so it fails and says why. */
    @Test
    void aTableWithoutTimeTravelFailsWithAnActionableFirstLine() {
        Warehouse wh = new Warehouse();
        wh.clock().freeze();
        wh.createTable("USERS", USERS, List.of("ID"), Duration.ZERO, true);
        wh.insert("USERS", new Object[] {1L, "a@x.io", Instant.EPOCH});
        wh.clock().advance(Duration.ofSeconds(30));
        TableCapture c = new TableCapture(
                new TableSpec("USERS", List.of("ID"), null),
                new ModelChangeSource(wh, "USERS", null),
                new CaptureSettings(
                        CaptureMode.CHANGES,
                        10,
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ZERO,
                        RetentionAction.RESNAPSHOT),
                new CaptureMetrics(Optional.empty()));
        assertThat(c.step(0)).isEmpty();
        wh.clock().advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> c.step(c.nextDue()))
                .isInstanceOf(ConnectException.class)
                .hasMessageStartingWith("Table USERS: time travel is not available at")
                .hasMessageContaining("DATA_RETENTION_TIME_IN_DAYS");
    }

    /**
     * Random histories (late commits in any order, equal timestamps, updates, deletes, key changes) with the
     * capture restarted from a random committed offset now and then: the replica always ends equal to the table.
     */
    @Test
    void randomHistoriesWithRestartsFromAnyCommittedOffsetConverge() {
        for (int seed = 0; seed < 60; seed++) {
            Random rnd = new Random(seed);
            Warehouse wh = warehouse(Duration.ofDays(1));
            int chunk = 1 + rnd.nextInt(4);
            TableCapture c = capture(wh, CaptureMode.CHANGES, chunk);
            Replica r = new Replica();
            List<Transaction> open = new ArrayList<>();
            long nextId = 1;
            for (int step = 0; step < 80; step++) {
                wh.clock().advance(Duration.ofMillis(rnd.nextInt(3)));
                int op = rnd.nextInt(12);
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
                    try {
                        open.remove(rnd.nextInt(open.size())).commit();
                    } catch (IllegalStateException duplicateKey) {
                        // two open transactions inserted or renamed to one key: the later one fails, as in SQL
                    }
                } else if (op < 11) {
                    r.apply(c.step(0));
                } else if (!r.log.isEmpty()) {
                    int cut = rnd.nextInt(r.log.size());
                    c = capture(wh, CaptureMode.CHANGES, chunk);
                    c.restore(r.log.get(cut).offset());
                    r.log.subList(cut + 1, r.log.size()).clear(); // only what the committed offset covers
                }
            }
            for (Transaction tx : open) {
                try {
                    tx.commit();
                } catch (IllegalStateException duplicateKey) {
                    // see above
                }
            }
            wh.clock().advance(Duration.ofSeconds(1));
            r.drain(c);
            Map<Long, Object[]> t = table(wh);
            int s = seed;
            assertThat(r.rows.keySet()).as("seed %d", s).isEqualTo(t.keySet());
            t.forEach((k, v) ->
                    assertThat(r.rows.get(k)).as("seed %d row %d", s, k).isEqualTo(v));
        }
    }
}
