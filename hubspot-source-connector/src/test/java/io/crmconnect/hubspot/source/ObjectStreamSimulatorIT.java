package io.crmconnect.hubspot.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.RateBudget;
import io.crmconnect.hubspot.client.Tier;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * One {@link ObjectStream} driven directly (no Connect) against the HubSpot simulator over real HTTP: property history
 * on the initial load and for changes, and reconciliation that survives a restart through the id checkpoint.
 */
class ObjectStreamSimulatorIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, String> config(HubSpotSimulator sim, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>();
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("poll.interval.ms", "200");
        c.put("search.index.lag.overlap.ms", "1000");
        c.put("deletes.interval.ms", "500");
        c.put("reconcile.interval.ms", "1000");
        c.put("reconcile.checkpoint.interval.ms", "1000");
        c.putAll(extra);
        return c;
    }

    static ObjectStream stream(Map<String, String> props, HubSpotClient client) {
        HubSpotSourceConfig config = new HubSpotSourceConfig(props);
        return new ObjectStream(
                config, client, "contacts", "contacts", new SourceMetrics(Optional.empty(), client.budget()));
    }

    static HubSpotClient client(HubSpotSimulator sim) {
        return HubSpotClient.builder()
                .baseUrl(sim.baseUrl())
                .accessToken(sim.token())
                .rateBudget(new RateBudget(Tier.PROFESSIONAL, 1.0, 1.0))
                .build();
    }

    /** Steps the stream until {@code done} holds for the records so far (or the timeout). */
    static List<SourceRecord> run(
            ObjectStream s, List<SourceRecord> sink, Duration timeout, Predicate<List<SourceRecord>> done)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end && !done.test(sink)) {
            long now = System.currentTimeMillis();
            if (s.nextDue() <= now) {
                sink.addAll(s.step(now));
            } else {
                Thread.sleep(20);
            }
        }
        return sink;
    }

    /** What Connect would have committed: the last offset per source partition. */
    static Map<Map<String, Object>, Map<String, Object>> committed(List<SourceRecord> records) {
        Map<Map<String, Object>, Map<String, Object>> out = new HashMap<>();
        for (SourceRecord r : records) {
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) r.sourcePartition();
            @SuppressWarnings("unchecked")
            Map<String, Object> o = (Map<String, Object>) r.sourceOffset();
            out.put(p, o);
        }
        return out;
    }

    static String header(SourceRecord r, String key) {
        var h = r.headers().lastWithName(key);
        return h == null ? null : (String) h.value();
    }

    @Test
    void propertyHistoryOnTheInitialLoadAndForEveryChange() throws Exception {
        try (HubSpotSimulator sim =
                        HubSpotSimulator.builder().seed(21).contacts(120).start();
                HubSpotClient client = client(sim)) {
            ObjectStream s = stream(config(sim, Map.of("property.history", "contacts.email,*.jobtitle")), client);
            s.restore(Map.of());
            List<SourceRecord> out = new ArrayList<>();
            run(s, out, Duration.ofSeconds(30), r -> !s.loading());
            List<SourceRecord> hist = out.stream()
                    .filter(r -> r.topic().equals("hubspot.contacts.property_history"))
                    .toList();
            long withEmail = sim.ids("contacts").stream()
                    .filter(id -> sim.record("contacts", id).get("email") != null)
                    .count();
            long withTitle = sim.ids("contacts").stream()
                    .filter(id -> sim.record("contacts", id).get("jobtitle") != null)
                    .count();
            // generated records carry one (implied) value per property: one history record each, nothing else
            assertThat(hist).hasSize((int) (withEmail + withTitle));
            assertThat(hist)
                    .allSatisfy(r -> assertThat(((Struct) r.value()).getString("property"))
                            .isIn("email", "jobtitle"));
            // values set in the CRM UI name the user who set them
            assertThat(hist).allSatisfy(r -> {
                Struct v = (Struct) r.value();
                assertThat(v.getString("sourceType")).isEqualTo("CRM_UI");
                assertThat(v.getInt64("updatedByUserId")).isEqualTo(1L);
            });

            // two changes of one contact's email through the API: two more history records, oldest first
            String id = sim.ids("contacts").get(5);
            String original = sim.record("contacts", id).get("email");
            update(client, id, "first-change@example.com");
            Thread.sleep(5);
            update(client, id, "second-change@example.com");
            run(s, out, Duration.ofSeconds(30), r -> historyOf(r, id, "email").size() >= 3);
            List<Struct> emails = historyOf(out, id, "email");
            assertThat(emails)
                    .extracting(v -> v.getString("value"))
                    .containsExactly(original, "first-change@example.com", "second-change@example.com");
            assertThat(emails.get(2).getString("sourceType")).isEqualTo("API");
            assertThat(emails.get(2).getString("objectId")).isEqualTo(id);
            SourceRecord last = out.stream()
                    .filter(r -> r.topic().endsWith("property_history")
                            && ((Struct) r.value()).getString("value").equals("second-change@example.com"))
                    .findFirst()
                    .orElseThrow();
            assertThat(last.key())
                    .isEqualTo(id + ":email:" + ((Date) ((Struct) last.value()).get("timestamp")).getTime());
            assertThat(header(last, "hubspot.change")).isEqualTo("history");
            // a history record comes before the record version it belongs to, never after it
            int histAt = out.indexOf(last);
            int recAt = -1;
            for (int i = 0; i < out.size(); i++) {
                SourceRecord r = out.get(i);
                if (r.topic().equals("hubspot.contacts")
                        && id.equals(r.key())
                        && r.value() != null
                        && "second-change@example.com".equals(((Struct) r.value()).get("email"))) {
                    recAt = i;
                }
            }
            assertThat(recAt).isGreaterThan(histAt);

            // a restart resumes from the committed offsets: changes older than the incremental watermark are not
            // sent again (the overlap window may repeat, on the same keys)
            ObjectStream again = stream(config(sim, Map.of("property.history", "contacts.email,*.jobtitle")), client);
            again.restore(committed(out));
            List<SourceRecord> out2 = new ArrayList<>();
            Thread.sleep(1_500);
            run(again, out2, Duration.ofSeconds(3), r -> false);
            assertThat(out2.stream()
                            .filter(r -> r.topic().endsWith("property_history"))
                            .count())
                    .as("history records sent again after the restart")
                    .isLessThanOrEqualTo(2);
            assertThat(sim.contractViolations()).isEmpty();
        }
    }

    @Test
    void reconciliationAfterARestartTombstonesRecordsHardDeletedOutsideTheArchive() throws Exception {
        try (HubSpotSimulator sim =
                        HubSpotSimulator.builder().seed(22).contacts(250).start();
                HubSpotClient client = client(sim)) {
            ObjectStream first = stream(config(sim, Map.of()), client);
            first.restore(Map.of());
            List<SourceRecord> out = new ArrayList<>();
            run(first, out, Duration.ofSeconds(30), r -> !first.loading());
            run(
                    first,
                    out,
                    Duration.ofSeconds(5),
                    r -> r.stream()
                            .anyMatch(x ->
                                    "contacts#ids".equals(x.sourcePartition().get("stream"))));
            SourceRecord carrier = out.stream()
                    .filter(x -> "contacts#ids".equals(x.sourcePartition().get("stream")))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(carrier.sourceOffset().get("count")).isEqualTo(250);
            assertThat(header(carrier, "hubspot.change")).isEqualTo("checkpoint");
            assertThat(carrier.topic()).isEqualTo("hubspot.contacts");
            assertThat(((String) carrier.sourceOffset().get("ids")).length()).isLessThan(2_000);
            first.close();
            Map<Map<String, Object>, Map<String, Object>> offsets = committed(out);

            // after the "restart": a contact sent before it is GDPR-deleted (permanent, never in the archive)
            String gone = sim.ids("contacts").get(17);
            gdprDelete(sim, gone);
            assertThat(sim.dump("contacts", true)).noneMatch(r -> gone.equals(r.get("id")));

            ObjectStream restarted = stream(config(sim, Map.of()), client);
            restarted.restore(offsets);
            List<SourceRecord> out2 = new ArrayList<>();
            Predicate<List<SourceRecord>> tombstone = r -> r.stream()
                    .anyMatch(x -> gone.equals(x.key())
                            && x.value() == null
                            && "reconcile-delete".equals(header(x, "hubspot.change")));
            run(restarted, out2, Duration.ofSeconds(20), tombstone);
            assertThat(tombstone.test(out2))
                    .as("reconcile-delete tombstone for %s after the restart", gone)
                    .isTrue();
            assertThat(out2.stream()
                            .filter(x -> x.value() == null && "reconcile-delete".equals(header(x, "hubspot.change"))))
                    .hasSize(1);

            // control: without the checkpoint the restarted task cannot know the id was ever sent
            String gone2 = sim.ids("contacts").get(30);
            gdprDelete(sim, gone2);
            Map<Map<String, Object>, Map<String, Object>> noCheckpoint = new HashMap<>(offsets);
            noCheckpoint.remove(Map.of("stream", "contacts#ids"));
            ObjectStream blind = stream(config(sim, Map.of()), client);
            blind.restore(noCheckpoint);
            List<SourceRecord> out3 = new ArrayList<>();
            run(blind, out3, Duration.ofSeconds(4), r -> false);
            assertThat(out3).noneMatch(x -> gone2.equals(x.key()) && x.value() == null);
        }
    }

    /**
     * Offsets committed by earlier versions resume the phase they describe: a v1 load offset (one chain at an id
     * cursor, with loadStart), a v2 load offset (unfinished id ranges) and v1 incremental + deletes + id checkpoint offsets. Every
     * offset the stream writes is one {@code alterOffsets} accepts, with the same fields as before.
     */
    @Test
    void committedOffsetsOfEveryVersionResumeTheirPhase() throws Exception {
        try (HubSpotSimulator sim =
                        HubSpotSimulator.builder().seed(23).contacts(300).start();
                HubSpotClient client = client(sim)) {
            List<Long> ids =
                    sim.ids("contacts").stream().map(Long::parseLong).sorted().toList();
            long loadStart = System.currentTimeMillis() - 60_000;

            // v1 load: {v:1, phase:load, after, loadStart}
            long from = ids.get(120);
            List<SourceRecord> v1 = resume(
                    sim,
                    client,
                    Map.of(
                            Map.of("stream", "contacts"),
                            Map.of("v", 1, "phase", "load", "after", Long.toString(from), "loadStart", loadStart)));
            assertThat(keys(v1, "load"))
                    .containsExactlyInAnyOrderElementsOf(ids.stream()
                            .filter(i -> i >= from)
                            .map(String::valueOf)
                            .toList());

            // v2 load: {v:2, phase:load, loadStart, segs} with two unfinished ranges, the last one open
            long a = ids.get(10);
            long b = ids.get(50);
            long c = ids.get(200);
            List<SourceRecord> v2 = resume(
                    sim,
                    client,
                    Map.of(
                            Map.of("stream", "contacts"),
                            Map.of(
                                    "v",
                                    2,
                                    "phase",
                                    "load",
                                    "loadStart",
                                    loadStart,
                                    "segs",
                                    a + "-" + b + "," + c + "-")));
            assertThat(keys(v2, "load"))
                    .containsExactlyInAnyOrderElementsOf(ids.stream()
                            .filter(i -> (i >= a && i < b) || i >= c)
                            .map(String::valueOf)
                            .toList());
            for (List<SourceRecord> run : List.of(v1, v2)) {
                SourceRecord last = run.stream()
                        .filter(r -> "load".equals(header(r, "hubspot.change")))
                        .reduce((x, y) -> y)
                        .orElseThrow();
                assertThat(last.sourceOffset().get("phase")).isEqualTo("inc");
                assertThat(last.sourceOffset().get("v")).isEqualTo(1);
            }

            // v1 incremental, deletes and id checkpoint: no load; changes and deletes since the watermarks arrive
            long since = System.currentTimeMillis() - 2_000;
            IdSet known = new IdSet();
            ids.forEach(known::add);
            String changed = Long.toString(ids.get(7));
            String archived = Long.toString(ids.get(8));
            update(client, changed, "resumed@example.com");
            client.batchArchive("contacts", List.of(archived));
            Map<Map<String, Object>, Map<String, Object>> inc = Map.of(
                    Map.of("stream", "contacts"), Map.of("v", 1, "phase", "inc", "since", since),
                    Map.of("stream", "contacts#deletes"), Map.of("v", 1, "since", since),
                    Map.of("stream", "contacts#ids"),
                            Map.of("v", 1, "count", known.size(), "at", since, "ids", known.encode()));
            // (no reconciliation pass here: it would tombstone the archived id before the delayed delete scan)
            ObjectStream s = stream(config(sim, Map.of("reconcile.interval.ms", "600000")), client);
            s.restore(inc);
            assertThat(s.loading()).isFalse();
            List<SourceRecord> out = new ArrayList<>();
            run(
                    s,
                    out,
                    Duration.ofSeconds(20),
                    r -> keys(r, "upsert").contains(changed)
                            && keys(r, "delete").contains(archived));
            assertThat(keys(out, "load")).isEmpty();
            assertThat(keys(out, "upsert")).containsExactly(changed);
            assertThat(keys(out, "delete")).containsExactly(archived);

            // every offset written (load, incremental, deletes, checkpoint) is one alterOffsets accepts
            List<SourceRecord> all = new ArrayList<>(v1);
            all.addAll(v2);
            all.addAll(out);
            for (SourceRecord r : all) {
                OffsetCodec.validate((String) r.sourcePartition().get("stream"), r.sourceOffset());
                String stream = (String) r.sourcePartition().get("stream");
                assertThat(r.sourceOffset().keySet())
                        .as(stream)
                        .isSubsetOf(
                                stream.endsWith("#ids")
                                        ? Set.of("v", "count", "at", "ids")
                                        : stream.endsWith("#deletes")
                                                ? Set.of("v", "since")
                                                : Set.of(
                                                        "v",
                                                        "phase",
                                                        "loadStart",
                                                        "segs",
                                                        "after",
                                                        "since",
                                                        "afterId"));
            }
            // the id checkpoint: whether a run above wrote one depends on timing (a resumed load checkpoints after
            // its reconciliation pass), so the checkpoint of this run's ids is written here directly
            TopicIds checkpoint = new TopicIds("contacts", 60_000);
            checkpoint.restore(inc.get(Map.of("stream", "contacts#ids")), System.currentTimeMillis());
            checkpoint.checkpointSoon();
            List<SourceRecord> carried = new ArrayList<>(out.subList(0, 1));
            checkpoint.maybeCheckpoint(carried, System.currentTimeMillis(), out.get(0));
            SourceRecord saved = carried.stream()
                    .filter(r -> "contacts#ids".equals(r.sourcePartition().get("stream")))
                    .findFirst()
                    .orElseThrow();
            OffsetCodec.validate("contacts#ids", saved.sourceOffset());
            assertThat(saved.sourceOffset().get("count")).isEqualTo(known.size());
            assertThat(saved.sourceOffset().keySet()).containsExactlyInAnyOrder("v", "count", "at", "ids");
        }
    }

    /** A stream restored from {@code offsets}, run until its load is done. */
    static List<SourceRecord> resume(
            HubSpotSimulator sim, HubSpotClient client, Map<Map<String, Object>, Map<String, Object>> offsets)
            throws InterruptedException {
        ObjectStream s = stream(config(sim, Map.of()), client);
        s.restore(offsets);
        assertThat(s.loading()).isTrue();
        List<SourceRecord> out = new ArrayList<>();
        run(s, out, Duration.ofSeconds(30), r -> !s.loading());
        s.close();
        assertThat(s.loading()).isFalse();
        return out;
    }

    /** Keys of the object's records with this change header. */
    static List<String> keys(List<SourceRecord> records, String change) {
        return records.stream()
                .filter(r -> r.topic().equals("hubspot.contacts") && change.equals(header(r, "hubspot.change")))
                .map(r -> (String) r.key())
                .toList();
    }

    static List<Struct> historyOf(List<SourceRecord> records, String id, String property) {
        List<Struct> out = new ArrayList<>();
        for (SourceRecord r : records) {
            if (r.topic().endsWith("property_history")) {
                Struct v = (Struct) r.value();
                if (v.getString("objectId").equals(id)
                        && v.getString("property").equals(property)
                        && out.stream().noneMatch(x -> x.equals(v))) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    static void update(HubSpotClient client, String id, String email) {
        ObjectNode u = JSON.createObjectNode().put("id", id);
        u.putObject("properties").put("email", email);
        client.batchUpdate("contacts", List.of(u));
    }

    static void gdprDelete(HubSpotSimulator sim, String id) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/crm/v3/objects/contacts/gdpr-delete"))
                                .header("Authorization", "Bearer " + sim.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"objectId\":\"" + id + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
}
