package io.crmconnect.simulator.hubspot;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone simulator: {@code java -jar simulators/target/hubspot-simulator.jar --port 8089 --seed 42 --contacts 1000}.
 * Runs until killed (Ctrl-C).
 */
public final class HubSpotSimulatorMain {
    private HubSpotSimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        HubSpotSimulatorBuilder b = HubSpotSimulator.builder().port(8089);
        Set<String> given = new HashSet<>();
        int contacts = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> {
                    b.port(Integer.parseInt(v));
                    i++;
                }
                case "--seed" -> {
                    b.seed(Long.parseLong(v));
                    i++;
                }
                case "--contacts",
                        "--companies",
                        "--deals",
                        "--tickets",
                        "--products",
                        "--line_items",
                        "--calls",
                        "--emails",
                        "--meetings",
                        "--notes",
                        "--tasks" -> {
                    b.records(a.substring(2), Integer.parseInt(v));
                    given.add(a.substring(2));
                    if (a.equals("--contacts")) {
                        contacts = Integer.parseInt(v);
                    }
                    i++;
                }
                case "--owners" -> {
                    b.owners(Integer.parseInt(v));
                    i++;
                }
                case "--wide-properties" -> {
                    b.wideProperties(Integer.parseInt(v));
                    i++;
                }
                case "--no-rate-limits" -> b.rateLimits(false);
                case "--tier" -> {
                    b.tier(Tier.valueOf(v.toUpperCase(Locale.ROOT)));
                    i++;
                }
                case "--limiter" -> {
                    b.limiter(LimiterMode.valueOf(v.toUpperCase(Locale.ROOT)));
                    i++;
                }
                case "--index-lag-ms" -> {
                    b.indexLag(Duration.ofMillis(Long.parseLong(v)));
                    i++;
                }
                case "--no-auth" -> b.auth(false);
                case "--token" -> {
                    b.privateAppToken(v);
                    i++;
                }
                case "--validate-requests" -> b.validateRequests(true);
                case "--mutator" -> {
                    b.mutator(Double.parseDouble(v));
                    i++;
                }
                case "--help", "-h" -> {
                    System.out.println(usage());
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a + "\n" + usage());
                    System.exit(2);
                }
            }
        }
        // Standalone default: a realistic mix derived from --contacts unless the other counts are given.
        if (!given.contains("companies")) {
            b.companies(contacts / 10);
        }
        if (!given.contains("deals")) {
            b.deals(contacts / 10);
        }
        if (!given.contains("tickets")) {
            b.tickets(contacts / 20);
        }
        HubSpotSimulator sim = b.start();
        System.out.println("HubSpot simulator listening on " + sim.baseUrl() + " (started in " + sim.startupMillis()
                + " ms: " + sim.startupBreakdown() + ")");
        System.out.println("Bearer token: " + sim.token());
        System.out.println("Counts: " + sim.counts());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            done.countDown();
        }));
        done.await();
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
