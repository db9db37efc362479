package io.crmconnect.simulator.hubspot;

/** HubSpot account tiers and their private-app API limits (burst per 10 s per app, daily per account). */
public enum Tier {
    STARTER(100, 250_000),
    PROFESSIONAL(190, 625_000),
    ENTERPRISE(190, 1_000_000),
    /** Enterprise with one API limit increase pack. */
    API_ADD_ON(250, 2_000_000);

    public final int burstPer10s;
    public final long daily;

    Tier(int burstPer10s, long daily) {
        this.burstPer10s = burstPer10s;
        this.daily = daily;
    }

    /** Public (marketplace) OAuth apps: 110 per 10 s per installing account, no daily header. */
    public static final int OAUTH_BURST_PER_10S = 110;
    /** CRM search: 5 requests per second per account. */
    public static final int SEARCH_PER_SECOND = 5;
}
