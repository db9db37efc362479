package io.crmconnect.bench.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.CrmObject;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import io.crmconnect.testharness.TwoWaySyncSamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Steady-state two-way sync: {@code contacts} HubSpot contacts already linked to Dynamics 365 rows (seeded in both
 * simulators with each other's id and the sync state the sync would have written, through their APIs with the rate
 * limits off, not through the connectors), synced by the four connector samples the two-way-sync archive ships in a
 * real Connect worker on the built archives; for {@code minutes} people edit {@code percent} % of the contacts per
 * minute on each side (HubSpot: first name, {@code most_recent_wins}; Dynamics 365: job title, one way), each edit on
 * a record with no edit in flight. A checker looks every 100 ms for each edit's value on the other side.
 *
 * <p>The sources' initial loads (every seeded record once, nothing to sync) are skipped by the sinks, which start at
 * the topics' ends once the loads are in: the figure is the steady state. The clients' request budgets are widened
 * (HubSpot {@code api_add_on} tier, every share 1.0; Dynamics 365 shares 1.0) because the samples' shares cannot carry
 * the rate; the requests each edit costs are printed with what HubSpot's Professional burst limit (190 per
 * 10 s for the whole account) allows at that cost.
 *
 * <p>Measured over the edits made after {@code warmup} seconds: the p50 / p95 / max time from an edit to its value
 * on the other side, the edits that never arrived, the sync's writes per edit (the audit topic's {@code write}
 * events in the window over the edits; goal 1.0: no echo is written back) and HubSpot / Dynamics 365 requests per
 * edit (every request the simulators served during the edits and their drain, sources' polling included, over the
 * edits), by route.
 *
 * <p>RESULT: value = p95 in ms; ceiling = 60,000 ms (one change period: an edit must cross before the next minute's
 * wave); ratio = value / ceiling (lower is better).
 *
 * <p>Usage: benchmarks/run.sh two-way-sync [contacts=10000] [percent=5] [minutes=3] [warmup=30]
 */
public final class TwoWaySyncBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HS_TOPIC = "sync.hubspot.contacts";
    private static final String D_TOPIC = "sync.dynamics.contact";

    private static HubSpotSimulator hs;
    private static DynamicsSimulator d365;
    private static ConnectCluster cluster;

    private TwoWaySyncBenchmark() {}

    /** One edit waiting for its value on the other side. */
    private record Edit(boolean fromHubSpot, String hsId, String dId, String value, long at) {}

    public static void main(String[] args) throws Exception {
        int status = 1;
        try {
            status = run(args);
        } finally {
            System.exit(status); // the embedded broker and worker leave non-daemon threads behind
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> opt =
                new HashMap<>(Map.of("contacts", "10000", "percent", "5", "minutes", "3", "warmup", "30"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opt.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int contacts = Integer.parseInt(opt.get("contacts"));
        double percent = Double.parseDouble(opt.get("percent"));
        double minutes = Double.parseDouble(opt.get("minutes"));
        long warmupMs = Long.parseLong(opt.get("warmup")) * 1000;
        System.setProperty("log4j2.configurationFile", "sync-bench-log4j2.xml");
        Path root = Path.of(System.getProperty("crmconnect.repo.root", "."));
        System.setProperty(
                ConnectCluster.PLUGIN_PATH_PROPERTY,
                root.resolve("benchmarks/two-way-sync/target/plugin-path").toString());

        hs = HubSpotSimulator.builder()
                .seed(16)
                .contacts(0)
                .companies(0)
                .deals(0)
                .tickets(0)
                .rateLimits(false)
                .start();
        d365 = DynamicsSimulator.builder().seed(16).serviceProtection(false).start();
        try (HubSpotClient api = HubSpotClient.builder()
                .baseUrl(hs.baseUrl())
                .accessToken(hs.token())
                .build()) {
            cluster = ConnectCluster.start(
                    "two-way-sync-bench",
                    Map.of(
                            "config.providers",
                            "file",
                            "config.providers.file.class",
                            "org.apache.kafka.common.config.provider.FileConfigProvider"));
            return measure(api, contacts, percent, minutes, warmupMs);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            hs.close();
            d365.close();
        }
    }

    private static int measure(HubSpotClient api, int contacts, double percent, double minutes, long warmupMs)
            throws Exception {
        long seedStart = System.currentTimeMillis();
        Map<String, String> dynamicsOf = seed(api, contacts);
        List<String> hsIds = new ArrayList<>(dynamicsOf.keySet());
        Collections.sort(hsIds);
        System.out.printf(
                Locale.ROOT,
                "seeded %d linked pairs in %.1f s%n",
                contacts,
                (System.currentTimeMillis() - seedStart) / 1000.0);

        TwoWaySyncSamples samples = new TwoWaySyncSamples(
                cluster, hs.baseUrl(), hs.token(), d365.baseUrl(), d365.clientSecret(), d365.applicationUserId());
        Map<String, String> hsSource = widened(samples.config("sync-hubspot-source.json"));
        hsSource.put("poll.interval.ms", "1000");
        hsSource.put("search.index.lag.overlap.ms", "2000");
        Map<String, String> dSource = widened(samples.config("sync-dynamics-source.json"));
        dSource.put("poll.interval.ms", "1000");
        cluster.createTopic(TwoWaySyncSamples.AUDIT_TOPIC, 1);
        long loadStart = System.currentTimeMillis();
        cluster.configureConnector("sync-hs-source", hsSource);
        cluster.configureConnector("sync-d-source", dSource);
        for (String c : List.of("sync-hs-source", "sync-d-source")) {
            cluster.awaitRunning(c, 1, Duration.ofSeconds(120));
        }
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            cluster.awaitCondition(
                    "both sources' initial loads in their topics",
                    Duration.ofMinutes(20),
                    () -> endOffset(admin, HS_TOPIC) >= contacts && endOffset(admin, D_TOPIC) >= contacts);
            System.out.printf(
                    Locale.ROOT,
                    "initial loads in the topics after %.1f s%n",
                    (System.currentTimeMillis() - loadStart) / 1000.0);
            // The sinks start at the topics' ends: the loads hold nothing to sync (every pair is seeded in sync).
            Map<String, String> toD = widened(samples.config("sync-hubspot-to-dynamics.json"));
            Map<String, String> toH = widened(samples.config("sync-dynamics-to-hubspot.json"));
            toD.put("consumer.override.auto.offset.reset", "latest");
            toH.put("consumer.override.auto.offset.reset", "latest");
            cluster.configureConnector("sync-to-d365", toD);
            cluster.configureConnector("sync-to-hubspot", toH);
            for (String c : List.of("sync-to-d365", "sync-to-hubspot")) {
                cluster.awaitRunning(c, 1, Duration.ofSeconds(120));
            }
            cluster.awaitCondition(
                    "both sinks positioned on their topics",
                    Duration.ofMinutes(5),
                    () -> positioned(admin, "connect-sync-to-d365", HS_TOPIC)
                            && positioned(admin, "connect-sync-to-hubspot", D_TOPIC));
            Thread.sleep(5_000); // their first fetch sets the position at the end (the warm-up edits are not measured)
        }

        double perSecond = contacts * percent / 100.0 / 60.0;
        long gapMs = Math.max(1, Math.round(1000.0 / perSecond));
        Map<String, Edit> pending = new ConcurrentHashMap<>();
        List<long[]> arrived = Collections.synchronizedList(new ArrayList<>());
        Thread checker = new Thread(() -> check(pending, arrived), "edit-checker");
        checker.setDaemon(true);
        checker.start();
        Map<String, Long> hsBefore = routes(hs.routeCounters());
        Map<String, Long> dBefore = routes(d365.routeCounters());
        long start = System.currentTimeMillis();
        long measureFrom = start + warmupMs;
        long end = start + Math.round(minutes * 60_000);
        Random rnd = new Random(16);
        int seq = 0;
        int hsEdits = 0;
        int measuredEdits = 0;
        long next = start;
        while (System.currentTimeMillis() < end) {
            for (boolean fromHubSpot : new boolean[] {true, false}) {
                String hsId = hsIds.get(rnd.nextInt(hsIds.size()));
                if (pending.containsKey(hsId)) {
                    continue; // one edit in flight per record: its arrival is unambiguous
                }
                String dId = dynamicsOf.get(hsId);
                String value = (fromHubSpot ? "Hf" : "Dj") + seq++;
                long at = System.currentTimeMillis();
                pending.put(hsId, new Edit(fromHubSpot, hsId, dId, value, at));
                if (fromHubSpot) {
                    hsEdits++;
                    api.batchUpdate("contacts", List.of(input(hsId, Map.of("firstname", value))));
                } else {
                    d365.update("contact", dId, Map.of("jobtitle", value));
                }
                if (at >= measureFrom) {
                    measuredEdits++;
                }
            }
            next += gapMs;
            long sleep = next - System.currentTimeMillis();
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        long editsEnd = System.currentTimeMillis();
        long drainUntil = editsEnd + 120_000;
        while (!pending.isEmpty() && System.currentTimeMillis() < drainUntil) {
            Thread.sleep(200);
        }
        Thread.sleep(5_000); // echoes of the last writes
        Map<String, Long> hsRoutes = minus(routes(hs.routeCounters()), hsBefore);
        Map<String, Long> dRoutes = minus(routes(d365.routeCounters()), dBefore);
        // the people's HubSpot edits are API calls (one batch update each) and not the sync's; their Dynamics 365
        // edits go through the simulator's in-process API, which its request counters do not see
        long hsRequests = hsRoutes.values().stream().mapToLong(Long::longValue).sum() - hsEdits;
        long dRequests = dRoutes.values().stream().mapToLong(Long::longValue).sum();

        List<Long> latencies = new ArrayList<>();
        synchronized (arrived) {
            for (long[] a : arrived) {
                if (a[0] >= measureFrom) {
                    latencies.add(a[1]);
                }
            }
        }
        long lost = pending.values().stream().filter(e -> e.at() >= measureFrom).count();
        Collections.sort(latencies);
        long writes = 0;
        Map<String, Integer> outcomes = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r :
                cluster.consumeAll(Duration.ofSeconds(30), TwoWaySyncSamples.AUDIT_TOPIC)) {
            JsonNode e = JSON.readTree(new String(r.value(), StandardCharsets.UTF_8));
            if (e.path("at").asLong() >= measureFrom) {
                outcomes.merge(e.path("outcome").asText(), 1, Integer::sum);
                if ("write".equals(e.path("outcome").asText())) {
                    writes++;
                }
            }
        }
        long p50 = percentile(latencies, 0.50);
        long p95 = percentile(latencies, 0.95);
        long max = latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1);
        double requestsPerEdit = hsRequests / (double) Math.max(1, seq);
        System.out.printf(
                Locale.ROOT,
                "edits: %d measured (of %d; %.2f/s per side), arrived %d, never arrived %d%n",
                measuredEdits,
                seq,
                perSecond,
                latencies.size(),
                lost);
        System.out.printf(Locale.ROOT, "edit -> other side: p50 %d ms, p95 %d ms, max %d ms%n", p50, p95, max);
        System.out.printf(
                Locale.ROOT,
                "sync writes per edit: %.2f (%d writes; audit outcomes after warm-up %s)%n",
                writes / (double) Math.max(1, measuredEdits),
                writes,
                outcomes);
        System.out.printf(
                Locale.ROOT,
                "HubSpot requests per edit (the sync's, both directions, sources' polling included): %.2f (%d requests, %d edits);"
                        + " HubSpot's Professional burst limit (190 / 10 s) allows %.1f edits/s at that cost%n",
                requestsPerEdit,
                hsRequests,
                seq,
                19.0 / Math.max(0.01, requestsPerEdit));
        System.out.printf(Locale.ROOT, "  HubSpot by route (people's edits included): %s%n", perEdit(hsRoutes, seq));
        System.out.printf(
                Locale.ROOT,
                "Dynamics 365 requests per edit (the sync's): %.2f (%d requests); by route: %s%n",
                dRequests / (double) Math.max(1, seq),
                dRequests,
                perEdit(dRoutes, seq));
        System.out.printf(
                Locale.ROOT,
                "load average at the end: %s%n",
                Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(
                Locale.ROOT,
                "RESULT name=two-way-sync value=%d unit=ms ceiling=60000 ratio=%.3f%n",
                p95,
                p95 / 60_000.0);
        return lost == 0 && !latencies.isEmpty() ? 0 : 1;
    }

    /** Looks for each pending edit's value on the other side every 100 ms; records its latency when it arrives. */
    private static void check(Map<String, Edit> pending, List<long[]> arrived) {
        while (true) {
            for (Edit e : pending.values()) {
                String there = e.fromHubSpot()
                        ? String.valueOf(d365.row("contact", e.dId()).get("firstname"))
                        : hs.record("contacts", e.hsId()).get("jobtitle");
                if (e.value().equals(there)) {
                    arrived.add(new long[] {e.at(), System.currentTimeMillis() - e.at()});
                    pending.remove(e.hsId());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static ObjectNode input(String id, Map<String, String> props) {
        ObjectNode n = JSON.createObjectNode();
        if (id != null) {
            n.put("id", id);
        }
        ObjectNode p = n.putObject("properties");
        props.forEach(p::put);
        return n;
    }

    /** Every request a simulator served, per route (the route counters are not capped like the request logs). */
    private static Map<String, Long> routes(Map<String, Map<Integer, Long>> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((route, byStatus) -> out.put(
                route, byStatus.values().stream().mapToLong(Long::longValue).sum()));
        return out;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((route, n) -> {
            long d = n - before.getOrDefault(route, 0L);
            if (d > 0) {
                out.put(route, d);
            }
        });
        return out;
    }

    private static String perEdit(Map<String, Long> routes, int edits) {
        StringJoiner j = new StringJoiner(", ");
        routes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> j.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / (double) edits)));
        return j.toString();
    }

    /** The sample with budgets that can carry the rate (the simulators' own limits are off). */
    private static Map<String, String> widened(Map<String, String> config) {
        Map<String, String> out = new HashMap<>(config);
        for (String k : config.keySet()) {
            if (k.endsWith("hubspot.tier")) {
                out.put(k, "api_add_on");
            } else if (k.endsWith("hubspot.burst.budget.share") || k.endsWith("dynamics.budget.share")) {
                out.put(k, "1.0");
            }
        }
        return out;
    }

    private static long endOffset(Admin admin, String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get()
                    .offset();
        } catch (Exception e) {
            return -1; // not created yet
        }
    }

    /** Whether a sink's consumer group has its partition assigned (so a change produced from now on is consumed). */
    private static boolean positioned(Admin admin, String group, String topic) {
        try {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().stream()
                    .anyMatch(m -> m.assignment().topicPartitions().contains(new TopicPartition(topic, 0)));
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Creates {@code contacts} HubSpot contacts and their Dynamics 365 rows (as the sync's application user, as the
     * sync creates them), each holding the other's id and the sync state of values in sync; returns HubSpot id →
     * Dynamics 365 id.
     */
    private static Map<String, String> seed(HubSpotClient api, int contacts) throws Exception {
        api.createProperty(
                "contacts", "d365_contactid", "Dynamics 365 contact id", "string", "text", "contactinformation");
        api.createProperty("contacts", "crmconnect_sync_state", "Sync state", "string", "text", "contactinformation");
        api.createProperty("contacts", "crm_contact_method", "Contact method", "string", "text", "contactinformation");
        Map<String, String> hsIdOfEmail = new HashMap<>();
        for (int i = 0; i < contacts; i += 100) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int j = i; j < Math.min(contacts, i + 100); j++) {
                Map<String, String> p = new HashMap<>(values(j));
                p.put("crm_contact_method", p.remove("method"));
                batch.add(input(null, p));
            }
            for (CrmObject o : api.batchCreate("contacts", batch).results()) {
                hsIdOfEmail.put(o.property("email"), o.id());
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        String token = d365.accessToken();
        long syncedAt = System.currentTimeMillis();
        Map<String, String> dynamicsOf = new HashMap<>();
        List<ObjectNode> links = new ArrayList<>();
        for (int j = 0; j < contacts; j++) {
            Map<String, String> v = values(j);
            String hsId = hsIdOfEmail.get(v.get("email"));
            String state = state(v, syncedAt);
            ObjectNode row = JSON.createObjectNode()
                    .put("emailaddress1", v.get("email"))
                    .put("firstname", v.get("firstname"))
                    .put("lastname", v.get("lastname"))
                    .put("address1_city", v.get("city"))
                    .put("address1_country", v.get("country").equals("US") ? "United States" : "Germany")
                    .put("preferredcontactmethodcode", 2)
                    .put("crmc_hubspotid", hsId)
                    .put("crmc_syncstate", state);
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(d365.apiUrl() + "/contacts"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(row)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String entity = r.headers()
                    .firstValue("OData-EntityId")
                    .orElseThrow(() -> new IllegalStateException(
                            "Dynamics 365 seed create failed: " + r.statusCode() + " " + r.body()));
            String dId = entity.substring(entity.lastIndexOf('(') + 1, entity.length() - 1);
            dynamicsOf.put(hsId, dId);
            links.add(input(hsId, Map.of("d365_contactid", dId, "crmconnect_sync_state", state)));
            if (links.size() == 100 || j == contacts - 1) {
                api.batchUpdate("contacts", links);
                links = new ArrayList<>();
            }
        }
        return dynamicsOf;
    }

    /** Contact j's values under the shipped mapping's field names, HubSpot spelling. */
    private static Map<String, String> values(int j) {
        return Map.of(
                "email", "person" + j + "@example.com",
                "firstname", "First" + j,
                "lastname", "Last" + j,
                "city", "City" + j,
                "country", j % 2 == 0 ? "US" : "DE",
                "method", "email");
    }

    /**
     * The state the sync writes for values in sync (fields without a value: empty), in the text form of the sync's
     * {@code SyncState} (s1;t=..;h=..;field=first 32 bits of SHA-256(field, 0, value) in hex, "-" when empty). Not
     * the engine's class: two-way-sync on this classpath would shadow the plugin's. A state that drifted from the
     * engine's would show here as writes on the first edits (writes per edit above 1.0), not as a faster figure.
     */
    private static String state(Map<String, String> values, long syncedAt) throws Exception {
        Map<String, String> fp = new TreeMap<>();
        for (String f : List.of("email", "firstname", "lastname", "city", "jobtitle", "phone", "country", "method")) {
            String v = values.get(f);
            if (v == null || v.isEmpty()) {
                fp.put(f, "-");
            } else {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(f.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                fp.put(f, HexFormat.of().formatHex(md.digest(v.getBytes(StandardCharsets.UTF_8)), 0, 4));
            }
        }
        StringBuilder b = new StringBuilder("s1;t=").append(syncedAt).append(";h=0");
        fp.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
        return b.toString();
    }
}
