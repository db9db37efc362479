package io.crmconnect.chaos;

import io.crmconnect.simulator.hubspot.HubSpotSimulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Scenario sizes (CI or the {@code chaos} profile) and the connector configurations the scenarios share. */
final class Chaos {
    static final String SOURCE = "io.crmconnect.hubspot.source.HubSpotSourceConnector";
    static final String HUBSPOT_SINK = "io.crmconnect.hubspot.sink.HubSpotSinkConnector";
    static final String JDBC_SINK = "io.crmconnect.jdbc.JdbcSinkConnector";
    /**
     * Long enough for any convergence on a loaded 2-core machine; waits end as soon as the condition holds. The
     * profile's scenarios are 7 to 20 times larger and, under 429 storms, write a few thousand records a minute: an
     * hour, not the CI scenarios' 5 minutes.
     */
    static final Duration CONVERGE = full() ? Duration.ofMinutes(60) : Duration.ofMinutes(5);

    static final Duration MOVE = Duration.ofMinutes(3);

    private Chaos() {}

    /** True under {@code mvn -Pchaos}: the 100,000-record and 60-second scenarios. */
    static boolean full() {
        return Boolean.getBoolean("crmconnect.chaos.full");
    }

    /** How long a database stays stopped or black-holed: 60 s in the profile, less in CI. */
    static Duration outage() {
        return full() ? Duration.ofSeconds(60) : Duration.ofSeconds(15);
    }

    static Map<String, String> source(HubSpotSimulator sim, String topicPrefix, String objects) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", SOURCE);
        c.put("tasks.max", "1");
        c.put("hubspot.base.url", sim.baseUrl());
        c.put("hubspot.access.token", sim.token());
        c.put("hubspot.tier", "professional");
        c.put("hubspot.portal.id", Long.toString(sim.portalId()));
        c.put("objects.include", objects);
        c.put("associations", "");
        c.put("topic.format", topicPrefix + ".${object}");
        c.put("number.mapping", "double");
        c.put("poll.interval.ms", "1000");
        c.put("search.index.lag.overlap.ms", "3000");
        c.put("deletes.interval.ms", "2000");
        c.put("snapshot.interval.ms", "3000");
        c.put("reconcile.interval.ms", "20000");
        c.put("topic.creation.default.replication.factor", "1");
        c.put("topic.creation.default.partitions", "1");
        c.put("topic.creation.default.cleanup.policy", "compact");
        return c;
    }
}
