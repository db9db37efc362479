package io.crmconnect.sync.mapping;

/** One of the two CRMs a sync links. */
public enum Side {
    HUBSPOT,
    DYNAMICS;

    public Side other() {
        return this == HUBSPOT ? DYNAMICS : HUBSPOT;
    }
}
