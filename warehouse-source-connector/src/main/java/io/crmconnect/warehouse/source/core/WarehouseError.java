package io.crmconnect.warehouse.source.core;

/** A warehouse failure, classified so the core knows whether to retry, re-snapshot or stop. */
public final class WarehouseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The classes of failure the core treats differently. */
    public enum Kind {
        /** Network, throttling, warehouse busy: retry with backoff. */
        TRANSIENT,
        /** The point asked for is outside the table's time travel (retention or creation). */
        TIME_TRAVEL_UNAVAILABLE,
        /** Change tracking / change history is off, or was off in the interval. */
        CHANGE_TRACKING_OFF,
        /** Anything else: bad credentials, missing table or privilege, SQL the warehouse refuses. */
        PERMANENT
    }

    private final Kind kind;

    public WarehouseError(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
