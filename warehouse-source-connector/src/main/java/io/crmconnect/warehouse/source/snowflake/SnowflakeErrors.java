package io.crmconnect.warehouse.source.snowflake;

import io.crmconnect.warehouse.source.core.WarehouseError;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/** Classifies the driver's SQLExceptions by Snowflake error code and SQL state. */
final class SnowflakeErrors {
    static final int TIME_TRAVEL_UNAVAILABLE = 707;
    static final int BAD_CREDENTIALS = 390100;

    private SnowflakeErrors() {}

    static WarehouseError classify(String what, SQLException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().replace('\n', ' ');
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        WarehouseError.Kind k;
        if (e.getErrorCode() == TIME_TRAVEL_UNAVAILABLE || msg.contains("Time travel data is not available")) {
            k = WarehouseError.Kind.TIME_TRAVEL_UNAVAILABLE;
        } else if (e.getErrorCode() == BAD_CREDENTIALS || e.getErrorCode() == 390144 /* JWT invalid */) {
            k = WarehouseError.Kind.PERMANENT;
        } else if (msg.contains("Change tracking is not enabled")) {
            k = WarehouseError.Kind.CHANGE_TRACKING_OFF;
        } else if (e instanceof SQLTransientException
                || state.startsWith("08")
                || state.startsWith("57")
                || e.getErrorCode() == 390114 /* session token expired */
                || msg.contains("HTTP status=5")
                || msg.contains("JDBC driver encountered communication error")) {
            k = WarehouseError.Kind.TRANSIENT;
        } else {
            k = WarehouseError.Kind.PERMANENT;
        }
        return new WarehouseError(
                k, "Snowflake " + what + ": " + msg + " (code " + e.getErrorCode() + ", state " + state + ")", e);
    }
}
