package io.crmconnect.bench.hubspotsource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command: starts the HubSpot simulator in its own JVM (100,000 contacts × 300 custom properties, professional
 * limits 190/10 s, rate limits ON), then runs the HubSpot source task in a second JVM capped at -Xmx256m
 * ({@link TaskRunner}), which does the initial load and then measures change → record latency under a steady
 * mutation rate. Prints the task's figures and the simulator's 429 count.
 *
 * <p>Options: {@code --contacts N} (default 100000), {@code --properties N} (300), {@code --latency-seconds N} (30),
 * {@code --mutations-per-second N} (20), {@code --sim-heap 6g}, {@code --limiter sliding|fixed} (the simulator's
 * ten-second window), {@code --repeat N} (1): N runs, each with a fresh simulator; the last RESULT line is the worst
 * run (lowest rate, most 429s), for short runs where the start of the run decides.
 */
public final class HubSpotSourceBenchmark {
    private static final Pattern RATE = Pattern.compile("name=hubspot-source-initial-load value=(\\d+)");
    private static final Pattern HTTP429 = Pattern.compile("http429=(\\d+)");

    public static void main(String[] args) throws Exception {
        int contacts = 100_000;
        int properties = 300;
        int latencySeconds = 30;
        double mutations = 20;
        String simHeap = "6g";
        String limiter = "sliding";
        int repeat = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--properties" -> properties = Integer.parseInt(args[++i]);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--mutations-per-second" -> mutations = Double.parseDouble(args[++i]);
                case "--sim-heap" -> simHeap = args[++i];
                case "--limiter" -> limiter = args[++i];
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Path.of(System.getProperty("crmconnect.repo.root", "."));
        Path simJar = root.resolve("simulators/target/hubspot-simulator.jar");
        if (!Files.exists(simJar)) {
            throw new IllegalStateException("missing " + simJar + ": run benchmarks/run.sh hubspot-source");
        }
        System.out.printf(
                "machine: %d cores, %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("java.version"));
        String worst = null;
        long worstRate = Long.MAX_VALUE;
        long most429 = 0;
        List<String> summary = new ArrayList<>();
        for (int run = 1; run <= repeat; run++) {
            String results = runOnce(simJar, contacts, properties, latencySeconds, mutations, simHeap, limiter);
            if (repeat == 1) {
                System.out.print(results);
                return;
            }
            String load = results.lines()
                    .filter(l -> l.contains("hubspot-source-initial-load"))
                    .findFirst()
                    .orElseThrow();
            long rate = Long.parseLong(group(RATE, load));
            long http429 = Long.parseLong(group(HTTP429, load));
            summary.add(String.format("run %d: %,d records/s, http429=%d", run, rate, http429));
            most429 = Math.max(most429, http429);
            if (rate < worstRate) {
                worstRate = rate;
                worst = load;
            }
        }
        summary.forEach(System.out::println);
        System.out.println("worst of " + repeat + " runs: the lowest rate, with the most 429s of any run");
        System.out.println(worst.strip().replaceAll("http429=\\d+", "http429=" + most429) + " runs=" + repeat
                + " limiter=" + limiter);
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " in " + s);
        }
        return m.group(1);
    }

    /** One simulator and one task run; returns the RESULT lines. */
    private static String runOnce(
            Path simJar,
            int contacts,
            int properties,
            int latencySeconds,
            double mutations,
            String simHeap,
            String limiter)
            throws Exception {
        String self = new File(HubSpotSourceBenchmark.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "starting the HubSpot simulator: %,d contacts x %d custom properties, PROFESSIONAL limits "
                        + "(190/10 s, %s window), rate limits on%n",
                contacts, properties, limiter);
        Process sim = new ProcessBuilder(
                        java,
                        "-Xmx" + simHeap,
                        "-jar",
                        simJar.toString(),
                        "--port",
                        Integer.toString(port),
                        "--contacts",
                        Integer.toString(contacts),
                        "--companies",
                        "0",
                        "--deals",
                        "0",
                        "--tickets",
                        "0",
                        "--wide-properties",
                        Integer.toString(properties),
                        "--tier",
                        "PROFESSIONAL",
                        "--limiter",
                        limiter,
                        "--index-lag-ms",
                        "0")
                .redirectErrorStream(true)
                .start();
        String base = "http://127.0.0.1:" + port;
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("HubSpot simulator listening")) {
                    System.out.println(line);
                    break;
                }
            }
            if (line == null) {
                throw new IllegalStateException("the simulator did not start");
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (Exception e) {
                    // process ended
                }
            });
            drain.setDaemon(true);
            drain.start();

            List<String> cmd = new ArrayList<>(List.of(
                    java,
                    "-Xmx256m",
                    "-XX:+UseG1GC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                    "-cp",
                    self,
                    TaskRunner.class.getName(),
                    base,
                    Integer.toString(contacts),
                    Integer.toString(latencySeconds),
                    Double.toString(mutations)));
            Process task = new ProcessBuilder(cmd).inheritIO().start();
            if (!task.waitFor(30, TimeUnit.MINUTES) || task.exitValue() != 0) {
                throw new IllegalStateException("the task runner failed (exit " + task.exitValue() + ")");
            }
            HttpClient http = HttpClient.newHttpClient();
            String stats = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/_sim/stats"))
                                    .GET()
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            System.out.println("simulator stats: " + stats);
            String results = Files.readString(
                    Path.of(System.getProperty("java.io.tmpdir"), "hubspot-source-bench." + port + ".txt"));
            String served429 = stats.replaceAll(".*\"served429\":(\\d+).*", "$1");
            return results.replace("${429}", served429);
        } finally {
            sim.destroy();
            sim.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
