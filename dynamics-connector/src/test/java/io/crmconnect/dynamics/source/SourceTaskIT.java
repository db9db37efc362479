package io.crmconnect.dynamics.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source task driven as a worker drives it (poll, acknowledge, restart from the acknowledged offsets) against the
 * Dataverse simulator over HTTP: typed values, an exact resume in the middle of the initial load, change tracking
 * with deletes, a re-snapshot after an expired delta token, and the watermark fallback.
 */
class SourceTaskIT {
    private DynamicsSimulator sim;
    private final List<DynamicsSourceTask> running = new ArrayList<>();

    @BeforeEach
    void startSim() {
        sim = DynamicsSimulator.builder().seed(11).contacts(1_100).accounts(40).start();
    }

    @AfterEach
    void stop() {
        running.forEach(DynamicsSourceTask::stop);
        running.clear();
        sim.close();
    }

    private Map<String, String> config(String tables, String mode) {
        Map<String, String> c = new HashMap<>();
        c.put("dynamics.url", sim.baseUrl());
        c.put("dynamics.tenant.id", sim.tenantId());
        c.put("dynamics.client.id", sim.clientId());
        c.put("dynamics.client.secret", sim.clientSecret());
        c.put("dynamics.token.url", sim.tokenUrl());
        c.put("tables", tables);
        c.put("page.size", "250");
        c.put("poll.interval.ms", "200");
        c.put("change.mode", mode);
        c.put("watermark.overlap.ms", "5000");
        return c;
    }

    private DynamicsSourceTask start(Map<String, String> config, OffsetContext ctx) {
        DynamicsSourceTask t = new DynamicsSourceTask();
        t.initialize(ctx);
        t.start(config);
        running.add(t);
        return t;
    }

    /** Polls until {@code done} holds for what was collected (or the time is up), acknowledging everything. */
    private static List<SourceRecord> pollUntil(
            DynamicsSourceTask t, OffsetContext ctx, Predicate<List<SourceRecord>> done, Duration max)
            throws InterruptedException {
        List<SourceRecord> out = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.test(out) && System.nanoTime() < deadline) {
            List<SourceRecord> batch = t.poll();
            if (batch != null) {
                out.addAll(batch);
                ctx.commit(batch);
            }
        }
        return out;
    }

    private static List<SourceRecord> rows(List<SourceRecord> records) {
        return records.stream().filter(r -> !"checkpoint".equals(change(r))).toList();
    }

    private static String change(SourceRecord r) {
        return r.headers().lastWithName("dynamics.change").value().toString();
    }

    private static Predicate<List<SourceRecord>> loadComplete(DynamicsSourceTask t, String table) {
        return x -> t.metrics().get("initial-load-complete", table) == 1;
    }

    @Test
    void initialLoadIsTypedAndCompleteThenChangesAndDeletesFollow() throws Exception {
        Map<String, String> cfg = config("contact,account", "auto");
        OffsetContext ctx = new OffsetContext(cfg);
        DynamicsSourceTask t = start(cfg, ctx);
        List<SourceRecord> load = pollUntil(
                t,
                ctx,
                x -> t.metrics().get("initial-load-complete", "contact") == 1
                        && t.metrics().get("initial-load-complete", "account") == 1,
                Duration.ofSeconds(60));
        Map<String, Struct> contacts = latest(load, "dynamics.contact");
        assertThat(contacts.keySet()).containsExactlyInAnyOrderElementsOf(sim.ids("contact"));
        assertThat(latest(load, "dynamics.account").keySet()).containsExactlyInAnyOrderElementsOf(sim.ids("account"));

        // typed values, compared with the simulator's row
        Struct withChoice = contacts.values().stream()
                .filter(s -> s.get("gendercode") != null)
                .findFirst()
                .orElseThrow();
        assertThat(withChoice.get("gendercode")).isInstanceOf(Integer.class);
        assertThat(withChoice.getString("gendercode_label")).isNotBlank();
        Struct withParent = contacts.values().stream()
                .filter(s -> s.get("parentcustomerid") != null)
                .findFirst()
                .orElseThrow();
        assertThat(withParent.getString("parentcustomerid_entity")).isIn("account", "contact");
        Struct withMoney = contacts.values().stream()
                .filter(s -> s.get("creditlimit") != null)
                .findFirst()
                .orElseThrow();
        assertThat(withMoney.get("creditlimit")).isInstanceOf(BigDecimal.class);
        Map<String, Object> simRow = sim.row("contact", withMoney.getString("contactid"));
        assertThat(((BigDecimal) withMoney.get("creditlimit"))
                        .compareTo(new BigDecimal(simRow.get("creditlimit").toString())))
                .isZero();
        Struct withBirth = contacts.values().stream()
                .filter(s -> s.get("birthdate") != null)
                .findFirst()
                .orElseThrow();
        assertThat(withBirth.get("birthdate")).isInstanceOf(Date.class);
        assertThat(withBirth.schema().field("birthdate").schema().name())
                .isEqualTo("org.apache.kafka.connect.data.Date");
        assertThat(withBirth.schema().field("modifiedon").schema().name())
                .isEqualTo("org.apache.kafka.connect.data.Timestamp");

        List<String> ids = sim.ids("contact");
        sim.update("contact", ids.get(5), Map.of("lastname", "Updated"));
        sim.delete("contact", ids.get(6));
        String created = sim.create("contact", Map.of("lastname", "New", "emailaddress1", "new@example.com"));
        List<SourceRecord> changes = pollUntil(t, ctx, x -> rows(x).size() >= 3, Duration.ofSeconds(30));
        assertThat(rows(changes))
                .extracting(r -> r.key().toString() + ":" + change(r))
                .containsExactlyInAnyOrder(ids.get(5) + ":upsert", created + ":upsert", ids.get(6) + ":delete");
        SourceRecord tomb = rows(changes).stream()
                .filter(r -> r.value() == null)
                .findFirst()
                .orElseThrow();
        assertThat(tomb.key()).isEqualTo(ids.get(6));
    }

    @Test
    void restartInTheMiddleOfTheLoadResumesExactly() throws Exception {
        Map<String, String> cfg = config("contact", "change_tracking");
        OffsetContext ctx = new OffsetContext(cfg);
        DynamicsSourceTask first = start(cfg, ctx);
        // acknowledge only part of a page: the worker may commit any prefix of what it was given
        List<SourceRecord> sent = new ArrayList<>();
        while (sent.size() < 600) {
            List<SourceRecord> b = first.poll();
            if (b != null) {
                sent.addAll(b);
            }
        }
        List<SourceRecord> acked = new ArrayList<>(sent.subList(0, 430));
        ctx.commit(acked);
        first.stop();
        running.remove(first);

        DynamicsSourceTask second = start(cfg, ctx);
        List<SourceRecord> rest = pollUntil(second, ctx, loadComplete(second, "contact"), Duration.ofSeconds(60));
        List<String> keys = new ArrayList<>();
        rows(acked).forEach(r -> keys.add(r.key().toString()));
        rows(rest).stream()
                .filter(r -> "load".equals(change(r)))
                .forEach(r -> keys.add(r.key().toString()));
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(keys).containsExactlyInAnyOrderElementsOf(sim.ids("contact"));
    }

    @Test
    void expiredDeltaTokenReSnapshotsAndTombstonesRowsGoneMeanwhile() throws Exception {
        Map<String, String> cfg = config("account", "auto");
        OffsetContext ctx = new OffsetContext(cfg);
        DynamicsSourceTask t = start(cfg, ctx);
        // the id set is saved in the offsets right after the load's listing
        List<SourceRecord> load = pollUntil(
                t, ctx, x -> x.stream().anyMatch(r -> "checkpoint".equals(change(r))), Duration.ofSeconds(30));
        List<SourceRecord> checkpoints =
                load.stream().filter(r -> "checkpoint".equals(change(r))).toList();
        assertThat(checkpoints).anyMatch(r -> r.sourcePartition().get("table").equals("account#ids"));
        // the delta link the load ended with is saved too (no tombstone carried it)
        assertThat(checkpoints)
                .anyMatch(r -> r.sourcePartition().equals(Map.of("table", "account"))
                        && "delta".equals(r.sourceOffset().get("phase")));
        t.stop();
        running.remove(t);

        // the connector is down longer than change tracking keeps changes
        List<String> ids = sim.ids("account");
        sim.delete("account", ids.get(0));
        sim.delete("account", ids.get(1));
        sim.update("account", ids.get(2), Map.of("name", "Renamed while down"));
        sim.setDeltaTokenRetention(Duration.ofSeconds(30));
        sim.advanceClock(Duration.ofSeconds(60));

        DynamicsSourceTask again = start(cfg, ctx);
        List<SourceRecord> out = pollUntil(
                again,
                ctx,
                x -> again.metrics().get("resnapshots-total", "account") == 1
                        && rows(x).stream().filter(r -> r.value() == null).count() == 2
                        && again.streams().get(0).phase() instanceof DeltaPhase,
                Duration.ofSeconds(60));
        Set<String> tombstones = new HashSet<>();
        rows(out).stream().filter(r -> r.value() == null).forEach(r -> {
            tombstones.add(r.key().toString());
            assertThat(change(r)).isEqualTo("resnapshot-delete");
        });
        assertThat(tombstones).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(latest(out, "dynamics.account").get(ids.get(2)).getString("name"))
                .isEqualTo("Renamed while down");
        assertThat(again.metrics().get("resnapshot-tombstones-total", "account"))
                .isEqualTo(2);
    }

    @Test
    void watermarkModeReadsEveryRowOnceThenChangesIncludingRowsStampedInThePast() throws Exception {
        Map<String, String> cfg = config("contact", "watermark");
        OffsetContext ctx = new OffsetContext(cfg);
        DynamicsSourceTask t = start(cfg, ctx);
        List<SourceRecord> load = pollUntil(t, ctx, loadComplete(t, "contact"), Duration.ofSeconds(60));
        List<String> keys = rows(load).stream().map(r -> r.key().toString()).toList();
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sim.ids("contact"));

        List<String> ids = sim.ids("contact");
        // three rows changed within one clock tick: equal modifiedon
        sim.clock().freeze();
        try {
            sim.update("contact", ids.get(1), Map.of("lastname", "Same ms 1"));
            sim.update("contact", ids.get(2), Map.of("lastname", "Same ms 2"));
            sim.update("contact", ids.get(3), Map.of("lastname", "Same ms 3"));
        } finally {
            sim.clock().unfreeze();
        }
        List<SourceRecord> changes = pollUntil(t, ctx, x -> rows(x).size() >= 3, Duration.ofSeconds(30));
        assertThat(rows(changes))
                .extracting(r -> r.key().toString())
                .containsExactlyInAnyOrder(ids.get(1), ids.get(2), ids.get(3));
        // a pass later sends nothing again
        Thread.sleep(600);
        assertThat(rows(pollUntil(t, ctx, x -> false, Duration.ofSeconds(1)))).isEmpty();
    }

    private static Map<String, Struct> latest(List<SourceRecord> records, String topic) {
        Map<String, Struct> out = new LinkedHashMap<>();
        for (SourceRecord r : records) {
            if (r.topic().equals(topic)) {
                if (r.value() == null) {
                    out.remove(r.key().toString());
                } else {
                    out.put(r.key().toString(), (Struct) r.value());
                }
            }
        }
        return out;
    }
}
