package io.crmconnect.simulator.dynamics;

import io.crmconnect.simulator.common.CommandLine;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Standalone simulator: {@code java -jar simulators/target/dynamics-simulator.jar --port 8090 --contacts 1000}.
 * Runs until killed (Ctrl-C).
 */
public final class DynamicsSimulatorMain {
    private DynamicsSimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        DynamicsSimulator.Builder b = DynamicsSimulator.builder().port(8090);
        Set<String> given = new HashSet<>();
        int[] contacts = {0};
        CommandLine cli = new CommandLine(usage());
        cli.option("--port", v -> b.port(Integer.parseInt(v)))
                .option("--seed", v -> b.seed(Long.parseLong(v)))
                .option("--contacts", v -> {
                    contacts[0] = Integer.parseInt(v);
                    b.contacts(contacts[0]);
                })
                .flag("--no-auth", () -> b.auth(false))
                .option("--client", v -> {
                    String[] kv = v.split(":", 2);
                    if (kv.length != 2) {
                        cli.fail("--client needs CLIENT_ID:SECRET");
                    }
                    b.oauthClient(kv[0], kv[1]);
                })
                .option("--token-lifetime-seconds", v -> b.tokenLifetime(Duration.ofSeconds(Long.parseLong(v))))
                .flag("--no-service-protection", () -> b.serviceProtection(false))
                .option("--dop-hint", v -> b.dopHint(Integer.parseInt(v)))
                .option("--delta-token-retention-days", v -> b.deltaTokenRetention(Duration.ofDays(Long.parseLong(v))))
                .option("--mutator", v -> b.mutator(Double.parseDouble(v)))
                .option("--threads", v -> b.threads(Integer.parseInt(v)));
        ROWS.forEach((option, table) -> cli.option(option, v -> {
            b.rows(table, Integer.parseInt(v));
            given.add(option);
        }));
        if (!cli.parse(args)) {
            return;
        }
        // Standalone default: a realistic mix derived from --contacts unless the other counts are given.
        if (!given.contains("--accounts")) {
            b.accounts(contacts[0] / 10);
        }
        if (!given.contains("--leads")) {
            b.leads(contacts[0] / 5);
        }
        if (!given.contains("--opportunities")) {
            b.opportunities(contacts[0] / 10);
        }
        if (!given.contains("--projects")) {
            b.projects(contacts[0] / 20);
        }
        DynamicsSimulator sim = b.start();
        System.out.println("Dynamics 365 (Dataverse Web API) simulator listening on " + sim.baseUrl() + " (started in "
                + sim.startupMillis() + " ms)");
        System.out.println("Web API:      " + sim.apiUrl());
        System.out.println("Token URL:    " + sim.tokenUrl());
        System.out.println("Client id:    " + sim.clientId());
        System.out.println("Client secret (simulator default, not a real secret): " + sim.clientSecret());
        System.out.println("Scope:        " + sim.scope());
        System.out.println("Rows:         " + sim.counts());
        CommandLine.serveUntilKilled(sim);
    }

    /** Table logical names of the count options. */
    private static final Map<String, String> ROWS = Map.of(
            "--accounts", "account", "--leads", "lead", "--opportunities", "opportunity", "--projects", "crmc_project");

    static String usage() {
        return "usage: java -jar dynamics-simulator.jar [options]\n"
                + "  --port N                      TCP port on 127.0.0.1 (default 8090; 0 = any free port)\n"
                + "  --seed N                      data, ids, faults and mutator seed (default 42)\n"
                + "  --contacts N                  contacts (accounts default to N/10, leads N/5, opportunities N/10,\n"
                + "                                crmc_projects N/20 unless given)\n"
                + "  --accounts N --leads N --opportunities N --projects N\n"
                + "  --client ID:SECRET            another OAuth client (its own application user and limits)\n"
                + "  --token-lifetime-seconds N    fixed access-token lifetime (default: random 60-90 minutes)\n"
                + "  --no-auth                     accept requests without a bearer token\n"
                + "  --no-service-protection       no 429s (default limits: 6000 requests and 1,200 s execution per\n"
                + "                                300 s, 52 concurrent, per user)\n"
                + "  --dop-hint N                  x-ms-dop-hint header value (default 5)\n"
                + "  --delta-token-retention-days N  change-tracking token lifetime (default 7)\n"
                + "  --mutator OPS_PER_SECOND      edit/create/delete rows continuously as a human user\n"
                + "  --threads N                   HTTP worker threads (default 64)\n"
                + "  --help                        this text\n"
                + "Admin API (no auth): /_sim/health, /_sim/counts, /_sim/state/{table}, /_sim/requests, /_sim/routes,\n"
                + "  /_sim/stats, /_sim/faults, /_sim/clock, /_sim/config, /_sim/mutator, /_sim/reset, /_sim/token";
    }
}
