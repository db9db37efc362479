package io.crmconnect.simulator.dynamics;

import io.crmconnect.simulator.common.SimulatedClock;

/**
 * The Dynamics 365 simulator's clock ({@link SimulatedClock}): row timestamps, delta-token expiry, OAuth token
 * expiry and the service-protection windows all read it.
 */
public final class DynamicsClock extends SimulatedClock {}
