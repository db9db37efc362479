package io.crmconnect.sync.mapping;

import java.util.Locale;

/** Which way a field's changes may travel. */
public enum Direction {
    HUBSPOT_TO_D365,
    D365_TO_HUBSPOT,
    BOTH,
    NONE;

    /** Whether a change made on {@code from} may be written to the other side. */
    public boolean allows(Side from) {
        return switch (this) {
            case BOTH -> true;
            case NONE -> false;
            case HUBSPOT_TO_D365 -> from == Side.HUBSPOT;
            case D365_TO_HUBSPOT -> from == Side.DYNAMICS;
        };
    }

    static Direction parse(String s) {
        return Direction.valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
