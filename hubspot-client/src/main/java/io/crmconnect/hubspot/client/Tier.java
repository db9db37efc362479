package io.crmconnect.hubspot.client;

/** HubSpot private-app limits per account tier: requests per rolling 10 s per app, and requests per day per account. */
public enum Tier {
    STARTER(100, 250_000),
    PROFESSIONAL(190, 625_000),
    ENTERPRISE(190, 1_000_000),
    /** Any tier with the API limit increase add-on. */
    API_ADD_ON(250, 2_000_000);

    /** CRM search: requests per second per account, independent of the tier. */
    public static final int SEARCH_PER_SECOND = 5;

    public final int burstPer10s;
    public final long daily;

    Tier(int burstPer10s, long daily) {
        this.burstPer10s = burstPer10s;
        this.daily = daily;
    }
}
