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

/**
 * One command: starts the HubSpot simulator in its own JVM (100,000 contacts × 300 custom properties, professional
 * limits 190/10 s, rate limits ON), then runs the HubSpot source task in a second JVM capped at -Xmx256m
 * ({@link TaskRunner}), which does the initial load and then measures change → record latency under a steady
 * mutation rate. Prints the task's figures and the simulator's 429 count.
 *
 * <p>Options: {@code --contacts N} (default 100000), {@code --properties N} (300), {@code --latency-seconds N} (30),
 * {@code --mutations-per-second N} (20), {@code --sim-heap 6g}.
 */
public final class HubSpotSourceBenchmark {
    public static void main(String[] args) throws Exception {
        int contacts = 100_000;
        int properties = 300;
        int latencySeconds = 30;
        double mutations = 20;
        String simHeap = "6g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--properties" -> properties = Integer.parseInt(args[++i]);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(args[++i]);
                case "--mutations-per-second" -> mutations = Double.parseDouble(args[++i]);
                case "--sim-heap" -> simHeap = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path root = Path.of(System.getProperty("crmconnect.repo.root", "."));
        Path simJar = root.resolve("simulators/target/hubspot-simulator.jar");
        if (!Files.exists(simJar)) {
            throw new IllegalStateException("missing " + simJar + ": run benchmarks/run.sh hubspot-source");
        }
        String self = new File(HubSpotSourceBenchmark.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).getPath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("java.version"));
        System.out.printf("starting the HubSpot simulator: %,d contacts x %d custom properties, PROFESSIONAL limits "
                + "(190/10 s), rate limits on%n", contacts, properties);
        Process sim = new ProcessBuilder(java, "-Xmx" + simHeap, "-jar", simJar.toString(), "--port",
                Integer.toString(port), "--contacts", Integer.toString(contacts), "--companies", "0", "--deals", "0",
                "--tickets", "0", "--wide-properties", Integer.toString(properties), "--tier", "PROFESSIONAL",
                "--index-lag-ms", "0").redirectErrorStream(true).start();
        String base = "http://127.0.0.1:" + port;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(),
                    StandardCharsets.UTF_8));
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

            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseG1GC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-cp", self,
                    TaskRunner.class.getName(), base, Integer.toString(contacts), Integer.toString(latencySeconds),
                    Double.toString(mutations)));
            Process task = new ProcessBuilder(cmd).inheritIO().start();
            if (!task.waitFor(30, TimeUnit.MINUTES) || task.exitValue() != 0) {
                throw new IllegalStateException("the task runner failed (exit " + task.exitValue() + ")");
            }
            HttpClient http = HttpClient.newHttpClient();
            String stats = http.send(HttpRequest.newBuilder(URI.create(base + "/_sim/stats")).GET()
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
            System.out.println("simulator stats: " + stats);
            String results = Files.readString(Path.of(System.getProperty("java.io.tmpdir"), "hubspot-source-bench."
                    + port + ".txt"));
            String served429 = stats.replaceAll(".*\"served429\":(\\d+).*", "$1");
            System.out.print(results.replace("${429}", served429));
        } finally {
            sim.destroy();
            sim.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
