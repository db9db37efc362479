package io.crmconnect.testharness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The four connector samples and the mapping the two-way-sync archive ships, pointed at this machine's simulators,
 * broker and a secrets file, and the wait the tests and the benchmark that run them share: every contact linked
 * both ways.
 */
public final class TwoWaySyncSamples {
    /** The audit topic the samples name. */
    public static final String AUDIT_TOPIC = "sync.audit";
    /** The samples' placeholder for the Dynamics 365 application user's systemuserid in the mapping. */
    static final String USER_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectCluster cluster;
    private final Path etc;
    private final Map<String, String> replacements = new HashMap<>();

    /**
     * @param dynamicsUserId the systemuserid of the application user the sync writes Dynamics 365 as
     */
    public TwoWaySyncSamples(
            ConnectCluster cluster,
            String hubspotUrl,
            String hubspotToken,
            String dynamicsUrl,
            String dynamicsSecret,
            String dynamicsUserId) {
        this.cluster = cluster;
        try {
            this.etc = sampleDir(cluster);
            Path secrets = Files.createTempFile("sync-secrets", ".properties");
            Files.writeString(
                    secrets,
                    "hubspot.access.token=" + hubspotToken + "\ndynamics.client.secret=" + dynamicsSecret + "\n");
            Path mapping = Files.createTempFile("two-way-sync-contacts", ".yaml");
            Files.writeString(
                    mapping,
                    Files.readString(etc.resolve("two-way-sync-contacts.yaml"))
                            .replace(USER_PLACEHOLDER, dynamicsUserId));
            replacements.put("http://127.0.0.1:8089", hubspotUrl);
            replacements.put("http://127.0.0.1:8090", dynamicsUrl);
            replacements.put("127.0.0.1:9092", cluster.bootstrapServers());
            replacements.put("/etc/kafka-connect/secrets.properties", secrets.toString());
            replacements.put("/etc/kafka-connect/two-way-sync-contacts.yaml", mapping.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shipped connector sample's config ({@code sync-hubspot-source.json} etc.) with this machine's coordinates. */
    public Map<String, String> config(String file) {
        Map<String, String> out = new HashMap<>();
        try {
            JSON.readTree(etc.resolve(file).toFile()).get("config").fields().forEachRemaining(e -> {
                String v = e.getValue().asText();
                for (Map.Entry<String, String> r : replacements.entrySet()) {
                    v = v.replace(r.getKey(), r.getValue());
                }
                out.put(e.getKey(), v);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Waits until every HubSpot contact holds the id of a Dynamics 365 row that exists; returns HubSpot id → row id.
     *
     * @param linkOf a HubSpot contact's {@code d365_contactid}, null or empty when not linked yet
     * @param rowExists whether a Dynamics 365 contact row with that id exists
     */
    public Map<String, String> awaitLinked(
            Collection<String> hubspotIds,
            Function<String, String> linkOf,
            Predicate<String> rowExists,
            Duration timeout) {
        Map<String, String> linked = new HashMap<>();
        cluster.awaitCondition("every contact linked both ways", timeout, () -> {
            for (String id : hubspotIds) {
                if (!linked.containsKey(id)) {
                    String link = linkOf.apply(id);
                    if (link == null || link.isEmpty() || !rowExists.test(link)) {
                        return false;
                    }
                    linked.put(id, link);
                }
            }
            return true;
        });
        return linked;
    }

    /** The etc/ directory of the unpacked two-way-sync archive on the cluster's plugin.path. */
    private static Path sampleDir(ConnectCluster cluster) throws IOException {
        try (Stream<Path> dirs = Files.list(cluster.pluginPath())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("crmconnect-two-way-sync-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no two-way-sync archive on the plugin.path"))
                    .resolve("etc");
        }
    }
}
