package io.crmconnect.simulator.hubspot;

/** One entry of the simulator's request log ({@link HubSpotSimulator#requestLog()}, {@code GET /_sim/requests}). */
public record LoggedRequest(
        long seq,
        String time,
        String method,
        String path,
        String query,
        String route,
        String objectType,
        int status,
        long micros,
        String fault) {}
