package io.crmconnect.hubspot.client;

import io.crmconnect.common.Backoff;
import java.time.Duration;

/**
 * Builds the {@link HubSpotClient}s of a HubSpot plugin from its {@link HubSpotConnectionConfig}, so that every plugin
 * and every caller within a plugin (task, connector, {@code validate()}) gets the same credentials, timeouts, budget
 * arithmetic and retry policy. Three uses differ only in their budget and retry bounds:
 * <ul>
 *   <li>{@link #taskClient}: a task's even share of the connector's budget, retries for {@code hubspot.retry.budget.ms};
 *   <li>{@link #connectorClient}: the connector's own rare calls (custom object discovery), same retries;
 *   <li>{@link #validationClient}: {@code validate()}'s few bounded calls: at most 3 attempts within 10 s.
 * </ul>
 */
public final class HubSpotClientFactory {
    /** First and longest pause between two attempts of one call. */
    static final Duration RETRY_INITIAL = Duration.ofMillis(200);

    static final Duration RETRY_MAX = Duration.ofSeconds(10);
    /** Attempts of one call; in practice the time budget ends retries first. */
    static final int RETRY_ATTEMPTS = 50;
    /** validate() answers a REST call: it must stay short. */
    static final Duration VALIDATION_BUDGET = Duration.ofSeconds(10);

    static final int VALIDATION_ATTEMPTS = 3;

    private final HubSpotConnectionConfig config;

    public HubSpotClientFactory(HubSpotConnectionConfig config) {
        this.config = config;
    }

    public HubSpotConnectionConfig config() {
        return config;
    }

    /** The client of one of {@code taskCount} tasks: 1/taskCount of the connector's burst and daily budget. */
    public HubSpotClient taskClient(int taskCount) {
        return build(budget(1.0 / Math.max(1, taskCount)), retries(config.retryBudget(), RETRY_ATTEMPTS, RETRY_MAX));
    }

    /** The connector's own calls, a few per hour: the connector's budget, the configured retry budget. */
    public HubSpotClient connectorClient() {
        return build(budget(1.0), retries(config.retryBudget(), RETRY_ATTEMPTS, RETRY_MAX));
    }

    /** For {@code validate()}: transient faults are retried at most 3 times within 10 s. */
    public HubSpotClient validationClient() {
        RateBudget budget = new RateBudget(burst(), config.tier().daily, 1.0, 1.0);
        return build(budget, retries(VALIDATION_BUDGET, VALIDATION_ATTEMPTS, Duration.ofSeconds(2)));
    }

    /** The budget of a caller that may use {@code taskShare} of the connector's burst and daily shares. */
    public RateBudget budget(double taskShare) {
        return new RateBudget(burst(), config.tier().daily, config.dailyShare(), taskShare);
    }

    /** The connector's 10-second burst: its share of the app's tier limit. */
    private int burst() {
        return Math.max(1, (int) Math.floor(config.tier().burstPer10s * config.burstShare()));
    }

    static Backoff retries(Duration budget, int attempts, Duration maxPause) {
        return new Backoff(RETRY_INITIAL, maxPause, attempts, budget);
    }

    private HubSpotClient build(RateBudget budget, Backoff backoff) {
        HubSpotClient.Builder b = HubSpotClient.builder()
                .baseUrl(config.baseUrl())
                .rateBudget(budget)
                .backoff(backoff)
                .timeouts(config.connectTimeout(), config.readTimeout());
        if (config.usesAccessToken()) {
            b.accessToken(config.accessToken());
        } else {
            b.oauth(config.oauthClientId(), config.oauthClientSecret(), config.oauthRefreshToken());
        }
        return b.build();
    }
}
