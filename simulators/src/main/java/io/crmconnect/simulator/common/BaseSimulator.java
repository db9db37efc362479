package io.crmconnect.simulator.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.simulator.http.RawRequest;
import io.crmconnect.simulator.http.Response;
import io.crmconnect.simulator.http.SimHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What both simulators are besides their vendor's API: the loopback HTTP server, the simulated clock, the injected
 * faults, the request log, the mutator, and the {@code /_sim} endpoints over them ({@link #sharedAdmin}). Each
 * simulator builds its API, data and settings on top.
 *
 * @param <C> the simulator's clock type
 * @param <F> the simulator's fault type
 * @param <E> the simulator's request-log entry
 */
public abstract class BaseSimulator<C extends SimulatedClock, F extends FaultRule<?, F>, E> implements AutoCloseable {
    /** The admin endpoints {@link #sharedAdmin} serves, as "METHOD path". */
    public static final List<String> SHARED_ADMIN_ROUTES = List.of(
            "GET /_sim/requests",
            "DELETE /_sim/requests",
            "GET /_sim/routes",
            "GET /_sim/stats",
            "POST /_sim/reset",
            "GET /_sim/faults",
            "POST /_sim/faults",
            "DELETE /_sim/faults",
            "GET /_sim/clock",
            "POST /_sim/clock",
            "POST /_sim/mutator/start",
            "POST /_sim/mutator/stop",
            "GET /_sim/mutator",
            "POST /_sim/mutator");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** When construction began (start-up time is measured from here). */
    protected final long constructedNanos = System.nanoTime();

    protected final C clock;
    protected final FaultSet<F> faults;
    protected final RequestLog<E> log;
    protected final SimHttpServer server;
    protected final String baseUrl;
    /** Seed of the data, ids, fault draws and mutator. */
    protected final long seed;

    private final Class<F> faultType;
    private final List<F> startFaults;
    private final int threads;
    private final double mutatorOpsPerSecond;
    /** Milliseconds from construction until the server served. */
    protected volatile long startedMillis;

    /** Binds the port (0 = ephemeral) without serving yet, so the base URL is known before the data is built. */
    protected BaseSimulator(C clock, Class<F> faultType, SimulatorSettings<?, F> settings) throws IOException {
        this.clock = clock;
        this.faultType = faultType;
        this.seed = settings.seed;
        this.startFaults = List.copyOf(settings.faults);
        this.threads = settings.threads;
        this.mutatorOpsPerSecond = settings.mutatorOpsPerSecond;
        this.faults = new FaultSet<>(seed);
        faults.replaceWith(startFaults);
        this.log = new RequestLog<>(settings.requestLogSize);
        this.server = new SimHttpServer(settings.port);
        this.baseUrl = server.baseUrl();
    }

    /**
     * Starts serving on daemon threads named {@code threadPrefix-n} (see {@link SimHttpServer#start}), then the
     * mutator when the settings asked for it; the start-up time ends here.
     */
    protected void serve(
            String threadPrefix,
            Function<RawRequest, ? extends Response> handler,
            Function<Response, byte[]> malformedBody) {
        server.start(threads, threadPrefix, handler, malformedBody);
        if (mutatorOpsPerSecond > 0) {
            mutations().start(mutatorOpsPerSecond);
        }
        startedMillis = (System.nanoTime() - constructedNanos) / 1_000_000;
    }

    /** The simulator's current mutator (it is rebuilt with the data on reset). */
    protected abstract Mutations mutations();

    /** Runtime settings, counters and the mutator's state ({@code GET /_sim/stats}). */
    public abstract Map<String, Object> stats();

    /** Regenerates the seeded data and clears what the tests changed. */
    public abstract void reset();

    /** Time as the simulator's JSON writes it ({@code GET /_sim/clock}). */
    protected abstract String iso(long millis);

    /** Back to the clock, faults and request log of start-up (part of {@link #reset()}). */
    protected void resetShared() {
        mutations().stop();
        clock.reset();
        faults.replaceWith(startFaults);
        clearRequestLog();
    }

    /** e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.port();
    }

    public C clock() {
        return clock;
    }

    public void advanceClock(Duration d) {
        clock.advance(d);
    }

    /** Milliseconds the constructor took (server + generated data). */
    public long startupMillis() {
        return startedMillis;
    }

    public List<E> requestLog() {
        return log.entries();
    }

    public void clearRequestLog() {
        log.clear();
    }

    /** Route name ("METHOD /template") -> status -> count. */
    public Map<String, Map<Integer, Long>> routeCounters() {
        return log.routeCounters();
    }

    /** Calls of one route, any status. */
    public long routeCount(String routeName) {
        return log.routeCount(routeName);
    }

    public void addFault(F f) {
        faults.add(f);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<F> faults() {
        return faults.list();
    }

    public void startMutator(double opsPerSecond) {
        mutations().start(opsPerSecond);
    }

    public void stopMutator() {
        mutations().stop();
    }

    /** Applies n mutator operations now (sharing one timestamp), without the background thread. */
    public void mutateNow(int n) {
        mutations().applyBurst(n);
    }

    public Map<String, Object> mutatorStats() {
        return mutations().stats();
    }

    /** An admin answer: a status and a JSON body (none for 204). */
    public record AdminAnswer(int status, Object body) {}

    /**
     * Serves one of {@link #SHARED_ADMIN_ROUTES}, or answers null for any other. The simulator supplies the
     * request's {@code limit} parameter and JSON body as its API reads them, and the exception of a bad request.
     */
    protected AdminAnswer sharedAdmin(
            String method,
            String path,
            IntSupplier limit,
            Supplier<JsonNode> body,
            Function<String, RuntimeException> badRequest) {
        switch (method + " " + path) {
            case "GET /_sim/requests" -> {
                List<E> all = requestLog();
                int n = limit.getAsInt();
                return new AdminAnswer(200, Map.of("results", all.subList(Math.max(0, all.size() - n), all.size())));
            }
            case "DELETE /_sim/requests" -> {
                clearRequestLog();
                return new AdminAnswer(204, null);
            }
            case "GET /_sim/routes" -> {
                return new AdminAnswer(200, routeCounters());
            }
            case "GET /_sim/stats" -> {
                return new AdminAnswer(200, stats());
            }
            case "POST /_sim/reset" -> {
                reset();
                return new AdminAnswer(204, null);
            }
            case "GET /_sim/faults" -> {
                return new AdminAnswer(200, Map.of("results", faults()));
            }
            case "POST /_sim/faults" -> {
                F f;
                try {
                    f = MAPPER.treeToValue(body.get(), faultType);
                } catch (IOException e) {
                    throw badRequest.apply("Invalid fault: " + e.getMessage());
                }
                addFault(f);
                return new AdminAnswer(201, f);
            }
            case "DELETE /_sim/faults" -> {
                clearFaults();
                return new AdminAnswer(204, null);
            }
            case "GET /_sim/clock" -> {
                return clockAnswer();
            }
            case "POST /_sim/clock" -> {
                advanceClock(Duration.ofMillis(body.get().path("advanceMillis").asLong(0)));
                return clockAnswer();
            }
            case "POST /_sim/mutator/start" -> {
                startMutator(body.get().path("opsPerSecond").asDouble(10));
                return new AdminAnswer(200, mutatorStats());
            }
            case "POST /_sim/mutator/stop" -> {
                stopMutator();
                return new AdminAnswer(200, mutatorStats());
            }
            case "GET /_sim/mutator" -> {
                return new AdminAnswer(200, mutatorStats());
            }
            case "POST /_sim/mutator" -> {
                mutateNow(body.get().path("operations").asInt(1));
                return new AdminAnswer(200, mutatorStats());
            }
            default -> {
                return null;
            }
        }
    }

    private AdminAnswer clockAnswer() {
        return new AdminAnswer(200, Map.of("now", iso(clock.millis()), "offsetMillis", clock.offsetMillis()));
    }

    /** Stops the mutator and the server. */
    @Override
    public void close() {
        mutations().stop();
        server.close();
    }
}
