package io.crmconnect.dynamics.source;

import org.apache.kafka.connect.header.ConnectHeaders;

/** Provenance headers on every record, named like the HubSpot source's ({@code hubspot.*}). */
final class Headers {
    static final String SYSTEM = "dynamics.system";
    static final String ENVIRONMENT = "dynamics.environment";
    static final String TABLE = "dynamics.table";
    static final String CHANGE = "dynamics.change";

    /** Change kinds. */
    static final String LOAD = "load";

    static final String UPSERT = "upsert";
    static final String DELETE = "delete";
    static final String RESNAPSHOT = "resnapshot";
    static final String RESNAPSHOT_DELETE = "resnapshot-delete";
    static final String RECONCILE_DELETE = "reconcile-delete";
    static final String CHECKPOINT = "checkpoint";

    private Headers() {}

    static ConnectHeaders of(String environment, String table, String change) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString(SYSTEM, "dynamics");
        h.addString(ENVIRONMENT, environment);
        h.addString(TABLE, table);
        h.addString(CHANGE, change);
        return h;
    }
}
