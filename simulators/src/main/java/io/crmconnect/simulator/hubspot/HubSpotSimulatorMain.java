package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.CommandLine;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Standalone simulator: {@code java -jar simulators/target/hubspot-simulator.jar --port 8089 --seed 42 --contacts 1000}.
 * Runs until killed (Ctrl-C).
 */
public final class HubSpotSimulatorMain {
    private HubSpotSimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        HubSpotSimulatorBuilder b = HubSpotSimulator.builder().port(8089);
        Map<String, Integer> given = new HashMap<>();
        CommandLine cli = new CommandLine(usage())
                .option("--port", v -> b.port(Integer.parseInt(v)))
                .option("--seed", v -> b.seed(Long.parseLong(v)))
                .option("--owners", v -> b.owners(Integer.parseInt(v)))
                .option("--wide-properties", v -> b.wideProperties(Integer.parseInt(v)))
                .flag("--no-rate-limits", () -> b.rateLimits(false))
                .option("--tier", v -> b.tier(Tier.valueOf(v.toUpperCase(Locale.ROOT))))
                .option("--limiter", v -> b.limiter(LimiterMode.valueOf(v.toUpperCase(Locale.ROOT))))
                .option("--index-lag-ms", v -> b.indexLag(Duration.ofMillis(Long.parseLong(v))))
                .flag("--no-auth", () -> b.auth(false))
                .option("--token", b::privateAppToken)
                .flag("--validate-requests", () -> b.validateRequests(true))
                .option("--mutator", v -> b.mutator(Double.parseDouble(v)));
        for (String type : List.of(
                "contacts",
                "companies",
                "deals",
                "tickets",
                "products",
                "line_items",
                "calls",
                "emails",
                "meetings",
                "notes",
                "tasks")) {
            cli.option("--" + type, v -> {
                b.records(type, Integer.parseInt(v));
                given.put(type, Integer.parseInt(v));
            });
        }
        if (!cli.parse(args)) {
            return;
        }
        // Standalone default: a realistic mix derived from --contacts unless the other counts are given.
        int contacts = given.getOrDefault("contacts", 0);
        if (!given.containsKey("companies")) {
            b.companies(contacts / 10);
        }
        if (!given.containsKey("deals")) {
            b.deals(contacts / 10);
        }
        if (!given.containsKey("tickets")) {
            b.tickets(contacts / 20);
        }
        HubSpotSimulator sim = b.start();
        System.out.println("HubSpot simulator listening on " + sim.baseUrl() + " (started in " + sim.startupMillis()
                + " ms: " + sim.startupBreakdown() + ")");
        System.out.println("Bearer token: " + sim.token());
        System.out.println("Counts: " + sim.counts());
        CommandLine.serveUntilKilled(sim);
    }

    static String usage() {
        return "usage: java -jar hubspot-simulator.jar (companies and deals default to contacts/10, tickets to"
                + " contacts/20)\n  [--port 8089] [--seed 42] [--contacts N] [--companies N]"
                + " [--deals N] [--tickets N] [--products N] [--line_items N] [--calls N] [--emails N]"
                + " [--meetings N] [--notes N] [--tasks N] [--owners N] [--wide-properties N] [--no-rate-limits]"
                + " [--tier STARTER|PROFESSIONAL|ENTERPRISE|API_ADD_ON]"
                + " [--limiter sliding|fixed] [--index-lag-ms N] [--no-auth]"
                + " [--token T] [--validate-requests] [--mutator OPS_PER_SECOND]";
    }
}
