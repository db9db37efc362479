package io.crmconnect.simulator.common;

/**
 * Faults that act while a response is written rather than replacing it. A simulator's fault kinds that carry one of
 * these names behave as described here ({@link io.crmconnect.simulator.http.SimHttpServer} applies them).
 */
public enum WireFault {
    /** Sends headers promising a body, then closes the connection. */
    CONNECTION_RESET,
    /** Declares the full Content-Length, sends half of the body, closes the connection. */
    TRUNCATED_BODY,
    /** Answers 200 with a body that is not valid JSON. */
    MALFORMED_JSON,
    /** Sends the body in ten chunks with pauses (total about latencyMaxMillis, 1 s by default). */
    SLOW_BODY;

    /** The wire fault a simulator's fault kind stands for, or null when the kind does not act on the wire. */
    public static WireFault of(Enum<?> kind) {
        for (WireFault w : values()) {
            if (w.name().equals(kind.name())) {
                return w;
            }
        }
        return null;
    }
}
