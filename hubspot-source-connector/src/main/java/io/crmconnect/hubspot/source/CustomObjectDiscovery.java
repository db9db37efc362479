package io.crmconnect.hubspot.source;

import io.crmconnect.hubspot.client.HubSpotApiException;
import io.crmconnect.hubspot.client.HubSpotClient;
import io.crmconnect.hubspot.client.HubSpotException;
import io.crmconnect.hubspot.client.HubSpotRetriableException;
import io.crmconnect.hubspot.client.ObjectSchema;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the connector's list of the portal's custom objects current. At start the schemas are read with the client's
 * retries (transient faults retried with backoff for {@code hubspot.retry.budget.ms}); a failure that outlives them
 * stops the connector with an actionable message instead of silently reading standard objects only. Afterwards the
 * schemas are re-read every {@code custom.objects.refresh.interval.ms} on a daemon thread, and a changed list is
 * handed to the listener (the connector then has Connect reconfigure its tasks); a failed refresh keeps the last list.
 */
final class CustomObjectDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CustomObjectDiscovery.class);
    private final HubSpotSourceConfig config;
    private final HubSpotClient client;
    private final String connector;
    private volatile List<ObjectSchema> schemas = List.of();
    private ScheduledExecutorService refresher;
    private volatile boolean closed;

    /** @param client the connector's client; closed with this */
    CustomObjectDiscovery(HubSpotSourceConfig config, HubSpotClient client, String connector) {
        this.config = config;
        this.client = client;
        this.connector = connector;
    }

    /**
     * Reads the schemas once, for the connector's start.
     *
     * @throws ConnectException when they cannot be read and custom objects are wanted: the first line says what failed
     *                          and what to do
     */
    List<ObjectSchema> discover() {
        try {
            schemas = List.copyOf(client.schemas());
            LOG.info("HubSpot source {}: custom objects {}", connector, names(schemas));
        } catch (HubSpotApiException e) {
            if (e.isMissingScopes() && !explicit()) {
                // a permanent answer: keep reading the standard objects; the refresh picks them up once granted
                LOG.warn(
                        "HubSpot source {}: custom objects are not read: the app lacks the scope to read their "
                                + "schemas (crm.schemas.custom.read; {}). Grant it (they are then picked up within {} ms) or "
                                + "set objects.exclude=custom.",
                        connector,
                        e.getMessage(),
                        refreshInterval());
                return schemas;
            }
            throw new ConnectException(
                    "HubSpot custom objects cannot be discovered: HubSpot rejected the schemas "
                            + "request (HTTP " + e.status() + " " + e.category() + "). " + fix(e) + " Then restart the "
                            + "connector. Details: " + e.getMessage(),
                    e);
        } catch (HubSpotException e) {
            throw new ConnectException(
                    "HubSpot custom objects cannot be discovered: the schemas API kept failing for "
                            + config.connection().retryBudget().toMillis()
                            + " ms (hubspot.retry.budget.ms). Check that "
                            + config.connection().baseUrl() + " is reachable, then restart the connector, or set "
                            + "objects.exclude=custom to read standard objects only. Last error: " + e.getMessage(),
                    e);
        }
        return schemas;
    }

    /** Re-reads the schemas every refresh interval; {@code onChange} gets each changed list. */
    void startRefreshing(Consumer<List<ObjectSchema>> onChange) {
        long interval = refreshInterval();
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hubspot-source-custom-objects-" + connector);
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> refresh(onChange), interval, interval, TimeUnit.MILLISECONDS);
    }

    private void refresh(Consumer<List<ObjectSchema>> onChange) {
        List<ObjectSchema> fresh;
        try {
            fresh = List.copyOf(client.schemas());
        } catch (HubSpotException e) {
            if (closed) {
                return; // interrupted by stop()
            }
            LOG.warn(
                    "HubSpot source {}: custom objects could not be re-read ({}{}); still reading {}",
                    connector,
                    e instanceof HubSpotRetriableException ? "transient: " : "",
                    e.getMessage(),
                    names(schemas));
            return;
        } catch (RuntimeException e) {
            LOG.warn("HubSpot source {}: custom objects could not be re-read ({})", connector, e.toString());
            return;
        }
        if (!closed && !names(fresh).equals(names(schemas))) {
            LOG.info(
                    "HubSpot source {}: custom objects changed from {} to {}", connector, names(schemas), names(fresh));
            schemas = fresh;
            onChange.accept(fresh);
        }
    }

    /** The objects that are live (not archived), as typeId:name; what decides whether the tasks change. */
    private static Set<String> names(List<ObjectSchema> list) {
        Set<String> out = new TreeSet<>();
        for (ObjectSchema s : list) {
            if (!s.archived()) {
                out.add(s.objectTypeId() + ":" + s.name());
            }
        }
        return out;
    }

    /** Whether objects.include names custom objects (all of them, or one by name or id). */
    private boolean explicit() {
        for (String inc : config.getList(HubSpotSourceConfig.OBJECTS_INCLUDE)) {
            if (!HubSpotSourceConfig.STANDARD_OBJECTS.contains(inc)
                    && !inc.equals("owners")
                    && !inc.equals("pipelines")) {
                return true;
            }
        }
        return false;
    }

    private String fix(HubSpotApiException e) {
        if (e.isAuthentication()) {
            return "Check " + config.connection().credentialKey() + ".";
        }
        if (e.isMissingScopes()) {
            return "Grant the app the crm.schemas.custom.read scope, or remove the custom objects from "
                    + "objects.include.";
        }
        return "Check hubspot.base.url and the custom objects in objects.include.";
    }

    private long refreshInterval() {
        return config.getLong(HubSpotSourceConfig.CUSTOM_OBJECTS_REFRESH_MS);
    }

    @Override
    public void close() {
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }
}
