package io.crmconnect.simulator.hubspot;

/**
 * How the simulator counts requests against HubSpot's ten-second (and search per-second) limits. HubSpot documents a
 * rolling window ({@code TEN_SECONDLY_ROLLING}); a client that paces correctly must stay under both kinds.
 */
public enum LimiterMode {
    /** Every request counts for exactly 10 s (1 s for search) after it was handled: HubSpot's documented policy. */
    SLIDING,
    /** Requests count per fixed 10 s (1 s for search) window aligned to the clock, reset at each window's start. */
    FIXED
}
