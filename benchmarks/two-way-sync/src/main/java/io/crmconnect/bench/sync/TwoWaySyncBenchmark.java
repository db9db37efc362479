package io.crmconnect.bench.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.simulator.dynamics.DynamicsSimulator;
import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import io.crmconnect.testharness.ConnectCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Steady-state two-way sync: {@code contacts} HubSpot contacts are linked to Dynamics 365 rows by the sync itself
 * (the four connector samples the two-way-sync archive ships, in a real Connect worker on the built archives, against
 * both simulators in this JVM); then for {@code minutes} people edit {@code percent} % of the contacts per minute on
 * each side (HubSpot: first name, {@code most_recent_wins}; Dynamics 365: job title, one way), each edit on a record
 * with no edit in flight. A checker looks every 100 ms for each edit's value on the other side.
 *
 * <p>Measured over the edits made after {@code warmup} seconds: the p50 / p95 / max time from an edit to its value
 * on the other side, the edits that never arrived, and the sync's writes per edit (the audit topic's {@code write}
 * events planned in the window, over the edits; goal 1.0: no echo is written back). The simulators' rate limits are
 * off: the figure is the pipeline's own latency; the requests each edit costs are printed with what HubSpot's
 * Professional burst limit (190 per 10 s) allows at that cost.
 *
 * <p>RESULT: value = p95 in ms; ceiling = 60,000 ms (one change period: an edit must cross before the next minute's
 * wave); ratio = value / ceiling (lower is better).
 *
 * <p>Usage: benchmarks/run.sh two-way-sync [contacts=1000] [percent=5] [minutes=2] [warmup=20]
 */
public final class TwoWaySyncBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

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
                new HashMap<>(Map.of("contacts", "1000", "percent", "5", "minutes", "2", "warmup", "20"));
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
        api.createProperty(
                "contacts", "d365_contactid", "Dynamics 365 contact id", "string", "text", "contactinformation");
        api.createProperty("contacts", "crmconnect_sync_state", "Sync state", "string", "text", "contactinformation");
        api.createProperty("contacts", "crm_contact_method", "Contact method", "string", "text", "contactinformation");
        for (int i = 0; i < contacts; i += 100) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int j = i; j < Math.min(contacts, i + 100); j++) {
                batch.add(input(
                        null,
                        Map.of(
                                "email",
                                "person" + j + "@example.com",
                                "firstname",
                                "First" + j,
                                "lastname",
                                "Last" + j,
                                "city",
                                "City" + j,
                                "country",
                                j % 2 == 0 ? "US" : "DE",
                                "crm_contact_method",
                                "email")));
            }
            api.batchCreate("contacts", batch);
        }

        Path etc = sampleDir();
        Path secrets = Files.createTempFile("sync-secrets", ".properties");
        Files.writeString(
                secrets,
                "hubspot.access.token=" + hs.token() + "\ndynamics.client.secret=" + d365.clientSecret() + "\n");
        Path mapping = Files.createTempFile("two-way-sync-contacts", ".yaml");
        Files.writeString(
                mapping,
                Files.readString(etc.resolve("two-way-sync-contacts.yaml"))
                        .replace("00000000-0000-0000-0000-000000000000", d365.applicationUserId()));
        Map<String, String> hsSource = sample(etc, "sync-hubspot-source.json", secrets, mapping);
        hsSource.put("poll.interval.ms", "1000");
        hsSource.put("search.index.lag.overlap.ms", "2000");
        Map<String, String> dSource = sample(etc, "sync-dynamics-source.json", secrets, mapping);
        dSource.put("poll.interval.ms", "1000");
        cluster.createTopic("sync.audit", 1);
        cluster.configureConnector("sync-hs-source", hsSource);
        cluster.configureConnector("sync-d-source", dSource);
        cluster.configureConnector("sync-to-d365", sample(etc, "sync-hubspot-to-dynamics.json", secrets, mapping));
        cluster.configureConnector("sync-to-hubspot", sample(etc, "sync-dynamics-to-hubspot.json", secrets, mapping));
        for (String c : List.of("sync-hs-source", "sync-d-source", "sync-to-d365", "sync-to-hubspot")) {
            cluster.awaitRunning(c, 1, Duration.ofSeconds(120));
        }

        long linkStart = System.currentTimeMillis();
        List<String> hsIds = new ArrayList<>(hs.ids("contacts"));
        Map<String, String> dynamicsOf = new HashMap<>();
        cluster.awaitCondition("every contact linked both ways", Duration.ofMinutes(60), () -> {
            for (String id : hsIds) {
                if (!dynamicsOf.containsKey(id)) {
                    String link = hs.record("contacts", id).get("d365_contactid");
                    if (link == null || link.isEmpty() || d365.row("contact", link) == null) {
                        return false;
                    }
                    dynamicsOf.put(id, link);
                }
            }
            return true;
        });
        System.out.printf(
                Locale.ROOT,
                "linked %d contacts in %.1f s%n",
                contacts,
                (System.currentTimeMillis() - linkStart) / 1000.0);
        awaitQuiet(); // the linking's echoes and link write-backs drain before the edits start
        System.out.printf(Locale.ROOT, "quiet after %.1f s%n", (System.currentTimeMillis() - linkStart) / 1000.0);

        double perSecond = contacts * percent / 100.0 / 60.0;
        long gapMs = Math.max(1, Math.round(1000.0 / perSecond));
        Map<String, Edit> pending = new ConcurrentHashMap<>();
        List<long[]> arrived = Collections.synchronizedList(new ArrayList<>());
        Thread checker = new Thread(() -> check(pending, arrived), "edit-checker");
        checker.setDaemon(true);
        checker.start();
        long hsRequestsBefore = hubSpotRequests();
        long start = System.currentTimeMillis();
        long measureFrom = start + warmupMs;
        long end = start + Math.round(minutes * 60_000);
        Random rnd = new Random(16);
        int seq = 0;
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
        long hsRequests = hubSpotRequests() - hsRequestsBefore;

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
        for (ConsumerRecord<byte[], byte[]> r : cluster.consumeAll(Duration.ofSeconds(30), "sync.audit")) {
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
                "HubSpot requests per edit (both directions, sources included): %.1f; "
                        + "HubSpot's Professional burst limit (190 / 10 s) allows %.1f edits/s at that cost%n",
                requestsPerEdit,
                19.0 / Math.max(0.01, requestsPerEdit));
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

    /**
     * Waits until the transforms stop deciding: the audit topic (one event per decision) grows by nothing over three
     * checks 5 s apart: the echoes of the sinks' writes keep arriving from the sources for a while.
     */
    private static void awaitQuiet() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            TopicPartition audit = new TopicPartition("sync.audit", 0);
            int quietChecks = 0;
            long last = -1;
            long deadline = System.currentTimeMillis() + 3_600_000;
            while (quietChecks < 3 && System.currentTimeMillis() < deadline) {
                long end = admin.listOffsets(Map.of(audit, OffsetSpec.latest()))
                        .partitionResult(audit)
                        .get()
                        .offset();
                quietChecks = end == last ? quietChecks + 1 : 0;
                last = end;
                Thread.sleep(5_000);
            }
        }
    }

    /** Every request HubSpot served, by any client (the route counters are not capped like the request log). */
    private static long hubSpotRequests() {
        return hs.routeCounters().values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(Long::longValue)
                .sum();
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

    /** The etc/ directory of the unpacked two-way-sync archive. */
    private static Path sampleDir() throws IOException {
        try (Stream<Path> dirs = Files.list(cluster.pluginPath())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("crmconnect-two-way-sync-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no two-way-sync archive on the plugin.path"))
                    .resolve("etc");
        }
    }

    /** A shipped connector sample with the simulators' addresses, the secrets file and the mapping file. */
    private static Map<String, String> sample(Path etc, String file, Path secrets, Path mapping) throws IOException {
        Map<String, String> out = new HashMap<>();
        JSON.readTree(etc.resolve(file).toFile())
                .get("config")
                .fields()
                .forEachRemaining(e -> out.put(
                        e.getKey(),
                        e.getValue()
                                .asText()
                                .replace("http://127.0.0.1:8089", hs.baseUrl())
                                .replace("http://127.0.0.1:8090", d365.baseUrl())
                                .replace("127.0.0.1:9092", cluster.bootstrapServers())
                                .replace("/etc/kafka-connect/secrets.properties", secrets.toString())
                                .replace("/etc/kafka-connect/two-way-sync-contacts.yaml", mapping.toString())));
        return out;
    }
}
