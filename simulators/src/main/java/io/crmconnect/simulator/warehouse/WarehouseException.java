package io.crmconnect.simulator.warehouse;

/** An error the warehouse reports to the client; {@link Kind} says which, the fakes map it to the vendor's code. */
public final class WarehouseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The requested point is older than the table's time-travel retention or its creation. */
        TIME_TRAVEL_UNAVAILABLE,
        /** Change tracking (Snowflake) / change history (BigQuery) was not on for the requested period. */
        CHANGE_TRACKING_OFF,
        /** The requested point lies in the future or the interval is empty / reversed. */
        INVALID_INTERVAL,
        NO_SUCH_TABLE,
        SYNTAX
    }

    private final Kind kind;

    public WarehouseException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
