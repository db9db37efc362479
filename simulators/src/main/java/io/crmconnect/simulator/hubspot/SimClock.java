package io.crmconnect.simulator.hubspot;

import io.crmconnect.simulator.common.SimulatedClock;

/**
 * The HubSpot simulator's clock ({@link SimulatedClock}): record timestamps, the 90-day recycle bin, OAuth token
 * expiry and rate-limit windows all read it.
 */
public final class SimClock extends SimulatedClock {}
