package io.crmconnect.hubspot.client;

import io.crmconnect.common.EnumValidator;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The HubSpot connection settings every HubSpot plugin shares: credentials (private-app token or OAuth), base URL,
 * account tier, budget shares, retry budget and timeouts. {@link #define} adds the keys to a plugin's ConfigDef (group
 * {@value #GROUP}); an instance reads them back from the plugin's parsed config and feeds
 * {@link HubSpotClientFactory}.
 */
public final class HubSpotConnectionConfig {
    public static final String BASE_URL = "hubspot.base.url";
    public static final String ACCESS_TOKEN = "hubspot.access.token";
    public static final String OAUTH_CLIENT_ID = "hubspot.oauth.client.id";
    public static final String OAUTH_CLIENT_SECRET = "hubspot.oauth.client.secret";
    public static final String OAUTH_REFRESH_TOKEN = "hubspot.oauth.refresh.token";
    public static final String TIER = "hubspot.tier";
    public static final String DAILY_SHARE = "hubspot.daily.budget.share";
    public static final String BURST_SHARE = "hubspot.burst.budget.share";
    public static final String RETRY_BUDGET_MS = "hubspot.retry.budget.ms";
    public static final String CONNECT_TIMEOUT_MS = "hubspot.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "hubspot.read.timeout.ms";

    public static final String GROUP = "HubSpot connection";
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";

    private final String baseUrl;
    private final String accessToken;
    private final String oauthClientId;
    private final String oauthClientSecret;
    private final String oauthRefreshToken;
    private final Tier tier;
    private final double dailyShare;
    private final double burstShare;
    private final Duration retryBudget;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * Reads the connection keys from a plugin's parsed config (whose ConfigDef went through {@link #define}).
     *
     * @throws ConfigException on {@value #ACCESS_TOKEN} when neither a token nor the three OAuth settings are given
     */
    public HubSpotConnectionConfig(AbstractConfig config) {
        this.baseUrl = config.getString(BASE_URL).trim();
        this.accessToken = secret(config.getPassword(ACCESS_TOKEN));
        String clientId = config.getString(OAUTH_CLIENT_ID);
        this.oauthClientId = clientId == null || clientId.isBlank() ? null : clientId.trim();
        this.oauthClientSecret = secret(config.getPassword(OAUTH_CLIENT_SECRET));
        this.oauthRefreshToken = secret(config.getPassword(OAUTH_REFRESH_TOKEN));
        this.tier = EnumValidator.parse(Tier.class, config.getString(TIER));
        this.dailyShare = config.getDouble(DAILY_SHARE);
        this.burstShare = config.getDouble(BURST_SHARE);
        this.retryBudget = Duration.ofMillis(config.getLong(RETRY_BUDGET_MS));
        this.connectTimeout = Duration.ofMillis(config.getInt(CONNECT_TIMEOUT_MS));
        this.readTimeout = Duration.ofMillis(config.getInt(READ_TIMEOUT_MS));
        if (accessToken == null && (oauthClientId == null || oauthClientSecret == null || oauthRefreshToken == null)) {
            throw new ConfigException(
                    ACCESS_TOKEN,
                    "[hidden]",
                    "Set " + ACCESS_TOKEN + " (a private-app token), or all " + "of " + OAUTH_CLIENT_ID + ", "
                            + OAUTH_CLIENT_SECRET + " and " + OAUTH_REFRESH_TOKEN);
        }
    }

    /** Adds the connection keys to {@code def}, in their own group, and returns it. */
    public static ConfigDef define(ConfigDef def) {
        int o = 0;
        def.define(
                ACCESS_TOKEN,
                Type.PASSWORD,
                null,
                Importance.HIGH,
                "Private-app access token (or service key). Either this or the three hubspot.oauth.* settings. "
                        + "Scopes: crm.objects.<object>.read (and .write for the sink), crm.schemas.<object>.read, "
                        + "crm.objects.custom.* and crm.schemas.custom.read for custom objects.",
                GROUP,
                ++o,
                Width.LONG,
                "Access token");
        def.define(
                OAUTH_CLIENT_ID,
                Type.STRING,
                null,
                Importance.MEDIUM,
                "OAuth app client id (with hubspot.oauth.client.secret and hubspot.oauth.refresh.token, instead of "
                        + "an access token).",
                GROUP,
                ++o,
                Width.MEDIUM,
                "OAuth client id");
        def.define(
                OAUTH_CLIENT_SECRET,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "OAuth app client secret.",
                GROUP,
                ++o,
                Width.MEDIUM,
                "OAuth client secret");
        def.define(
                OAUTH_REFRESH_TOKEN,
                Type.PASSWORD,
                null,
                Importance.MEDIUM,
                "OAuth refresh token; access tokens are fetched with it and refreshed before they expire or when "
                        + "HubSpot answers 401.",
                GROUP,
                ++o,
                Width.LONG,
                "OAuth refresh token");
        def.define(
                BASE_URL,
                Type.STRING,
                DEFAULT_BASE_URL,
                HttpUrlValidator.INSTANCE,
                Importance.LOW,
                "HubSpot API base URL (override for a proxy or the simulator).",
                GROUP,
                ++o,
                Width.LONG,
                "Base URL");
        def.define(
                TIER,
                Type.STRING,
                "starter",
                new EnumValidator(Tier.class),
                Importance.HIGH,
                "Account tier; sets the 10-second burst limit: starter 100, professional and enterprise 190, "
                        + "api_add_on 250 requests per 10 s, and the daily quota: 250,000, 625,000, 1,000,000, "
                        + "2,000,000. The connector's budget is split evenly across its tasks.",
                GROUP,
                ++o,
                Width.SHORT,
                "Tier");
        def.define(
                DAILY_SHARE,
                Type.DOUBLE,
                0.5,
                ConfigDef.Range.between(0.01, 1.0),
                Importance.HIGH,
                "Largest share of the account's daily request quota this connector may use (0.4 = 40%), split "
                        + "across tasks. Every app of the account shares the daily quota: leave the rest to the "
                        + "other integrations.",
                GROUP,
                ++o,
                Width.SHORT,
                "Daily budget share");
        def.define(
                BURST_SHARE,
                Type.DOUBLE,
                1.0,
                ConfigDef.Range.between(0.01, 1.0),
                Importance.MEDIUM,
                "Share of the app's 10-second burst limit this connector may use, split across tasks. HubSpot "
                        + "counts the burst per app: when several connectors (say a source and a sink) use the "
                        + "same private or OAuth app, give each a share so that they add up to at most 1.",
                GROUP,
                ++o,
                Width.SHORT,
                "Burst budget share");
        def.define(
                RETRY_BUDGET_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How long one API call is retried (429, 423, 5xx, timeouts, connection resets, cut or malformed "
                        + "bodies), with exponential backoff from 200 ms up to 10 s, before the task hands a "
                        + "retriable error to Connect (the source polls again, the sink's batch is redelivered).",
                GROUP,
                ++o,
                Width.SHORT,
                "Retry budget (ms)");
        def.define(
                CONNECT_TIMEOUT_MS,
                Type.INT,
                10_000,
                ConfigDef.Range.between(100, 120_000),
                Importance.LOW,
                "TCP connect timeout of one HubSpot call, in milliseconds.",
                GROUP,
                ++o,
                Width.SHORT,
                "Connect timeout (ms)");
        def.define(
                READ_TIMEOUT_MS,
                Type.INT,
                30_000,
                ConfigDef.Range.between(1_000, 300_000),
                Importance.LOW,
                "Longest wait for HubSpot's answer to one call, in milliseconds (a whole call may take twice "
                        + "this). A timeout is retried within hubspot.retry.budget.ms.",
                GROUP,
                ++o,
                Width.SHORT,
                "Read timeout (ms)");
        return def;
    }

    private static String secret(Password p) {
        return p == null || p.value() == null || p.value().isEmpty() ? null : p.value();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** True when a private-app token is set (it wins over OAuth settings). */
    public boolean usesAccessToken() {
        return accessToken != null;
    }

    /** The key on which a rejected credential is reported. */
    public String credentialKey() {
        return usesAccessToken() ? ACCESS_TOKEN : OAUTH_REFRESH_TOKEN;
    }

    String accessToken() {
        return accessToken;
    }

    String oauthClientId() {
        return oauthClientId;
    }

    String oauthClientSecret() {
        return oauthClientSecret;
    }

    String oauthRefreshToken() {
        return oauthRefreshToken;
    }

    public Tier tier() {
        return tier;
    }

    public double dailyShare() {
        return dailyShare;
    }

    public double burstShare() {
        return burstShare;
    }

    public Duration retryBudget() {
        return retryBudget;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public String toString() {
        return "HubSpotConnectionConfig[" + baseUrl + ", "
                + (usesAccessToken() ? "access token" : "OAuth client " + oauthClientId) + ", tier "
                + EnumValidator.configName(tier) + ", credentials hidden]";
    }

    /** An absolute http(s) URL. */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        static final HttpUrlValidator INSTANCE = new HttpUrlValidator();

        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            try {
                URI u = new URI(s);
                if (("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                        && u.getHost() != null) {
                    return;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ConfigException(name, s, "must be an absolute http(s) URL such as " + DEFAULT_BASE_URL);
        }

        @Override
        public String toString() {
            return "an absolute http(s) URL";
        }
    }
}
