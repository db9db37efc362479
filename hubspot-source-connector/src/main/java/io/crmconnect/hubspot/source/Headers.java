package io.crmconnect.hubspot.source;

import org.apache.kafka.connect.header.ConnectHeaders;

/** Provenance headers on every record. */
final class Headers {
    static final String SYSTEM = "hubspot.system";
    static final String PORTAL = "hubspot.portal";
    static final String OBJECT = "hubspot.object";
    static final String CHANGE = "hubspot.change";
    static final String MERGED_INTO = "hubspot.merged.into";

    private Headers() {}

    static ConnectHeaders of(String portal, String object, String change) {
        ConnectHeaders h = new ConnectHeaders();
        h.addString(SYSTEM, "hubspot");
        h.addString(PORTAL, portal);
        h.addString(OBJECT, object);
        h.addString(CHANGE, change);
        return h;
    }
}
