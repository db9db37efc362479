package io.crmconnect.dynamics.connection;

import io.crmconnect.common.Backoff;
import io.crmconnect.dynamics.client.DynamicsClient;
import io.crmconnect.dynamics.client.ServiceProtectionBudget;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The Dynamics 365 connection settings both plugins share, defined once (names, docs, validators) and turned into a
 * {@link DynamicsClient}: the environment, Entra ID client credentials, the share of the application user's service
 * protection limits, and the retry budget.
 */
public final class DynamicsConnection {
    public static final String URL = "dynamics.url";
    public static final String API_VERSION = "dynamics.api.version";
    public static final String TENANT_ID = "dynamics.tenant.id";
    public static final String CLIENT_ID = "dynamics.client.id";
    public static final String CLIENT_SECRET = "dynamics.client.secret";
    public static final String TOKEN_URL = "dynamics.token.url";
    public static final String SCOPE = "dynamics.scope";
    public static final String BUDGET_SHARE = "dynamics.budget.share";
    public static final String RETRY_BUDGET_MS = "dynamics.retry.budget.ms";
    public static final String REQUEST_TIMEOUT_MS = "dynamics.request.timeout.ms";
    public static final String LIMIT_REQUESTS = "dynamics.limit.requests";
    public static final String LIMIT_EXECUTION_MS = "dynamics.limit.execution.ms";
    public static final String LIMIT_WINDOW_MS = "dynamics.limit.window.ms";
    public static final String LIMIT_CONCURRENCY = "dynamics.limit.concurrency";

    public static final String GROUP = "Dynamics 365 connection";

    /** Entra ID's token endpoint for a tenant. */
    static final String DEFAULT_TOKEN_URL = "https://login.microsoftonline.com/%s/oauth2/v2.0/token";

    private final String url;
    private final String apiVersion;
    private final String tenantId;
    private final String clientId;
    private final String clientSecret;
    private final String tokenUrl;
    private final String scope;
    private final double share;
    private final long retryBudgetMs;
    private final long requestTimeoutMs;
    private final ServiceProtectionBudget.Limits limits;

    private DynamicsConnection(AbstractConfig c) {
        this.url = stripSlash(c.getString(URL).trim());
        this.apiVersion = c.getString(API_VERSION).trim();
        this.tenantId = c.getString(TENANT_ID).trim();
        this.clientId = c.getString(CLIENT_ID).trim();
        Password p = c.getPassword(CLIENT_SECRET);
        this.clientSecret = p == null ? "" : p.value();
        String t = c.getString(TOKEN_URL).trim();
        this.tokenUrl = t.isEmpty() ? String.format(Locale.ROOT, DEFAULT_TOKEN_URL, tenantId) : t;
        String sc = c.getString(SCOPE).trim();
        this.scope = sc.isEmpty() ? null : sc;
        this.share = c.getDouble(BUDGET_SHARE);
        this.retryBudgetMs = c.getLong(RETRY_BUDGET_MS);
        this.requestTimeoutMs = c.getLong(REQUEST_TIMEOUT_MS);
        this.limits = new ServiceProtectionBudget.Limits(
                c.getInt(LIMIT_REQUESTS),
                c.getLong(LIMIT_EXECUTION_MS),
                c.getLong(LIMIT_WINDOW_MS),
                c.getInt(LIMIT_CONCURRENCY));
    }

    public static DynamicsConnection of(AbstractConfig c) {
        return new DynamicsConnection(c);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Adds the connection keys to a plugin's ConfigDef, in their own group. */
    public static ConfigDef define(ConfigDef d) {
        int o = 0;
        d.define(
                URL,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new HttpUrlValidator(),
                Importance.HIGH,
                "Environment URL, e.g. https://contoso.crm.dynamics.com (the Web API is under /api/data/<version>).",
                GROUP,
                ++o,
                Width.LONG,
                "Environment URL");
        d.define(
                TENANT_ID,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Microsoft Entra ID tenant (directory) id or domain of the app registration.",
                GROUP,
                ++o,
                Width.MEDIUM,
                "Tenant id");
        d.define(
                CLIENT_ID,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "Application (client) id of the app registration. The app needs an application user in the "
                        + "environment with a security role that can read (source) or write (sink) the tables.",
                GROUP,
                ++o,
                Width.MEDIUM,
                "Client id");
        d.define(
                CLIENT_SECRET,
                Type.PASSWORD,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonNullValidator(),
                Importance.HIGH,
                "Client secret of the app registration (OAuth 2.0 client credentials). Access "
                        + "tokens are fetched with it and renewed before they expire.",
                GROUP,
                ++o,
                Width.LONG,
                "Client secret");
        d.define(
                TOKEN_URL,
                Type.STRING,
                "",
                Importance.LOW,
                "Token endpoint; empty = https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.",
                GROUP,
                ++o,
                Width.LONG,
                "Token URL");
        d.define(
                SCOPE,
                Type.STRING,
                "",
                Importance.LOW,
                "OAuth scope of the token; empty = <environment URL>/.default. Set it when dynamics.url is a proxy "
                        + "or custom domain in front of the environment.",
                GROUP,
                ++o,
                Width.LONG,
                "Scope");
        d.define(
                API_VERSION,
                Type.STRING,
                "v9.2",
                ConfigDef.ValidString.in("v9.0", "v9.1", "v9.2"),
                Importance.LOW,
                "Web API version.",
                GROUP,
                ++o,
                Width.SHORT,
                "API version");
        d.define(
                BUDGET_SHARE,
                Type.DOUBLE,
                1.0,
                ConfigDef.Range.between(0.01, 1.0),
                Importance.MEDIUM,
                "Share of the application user's service protection limits (requests, execution time, concurrent "
                        + "requests per 5 minutes) this connector may use, split evenly across its tasks. Lower it "
                        + "when other integrations use the same application user.",
                GROUP,
                ++o,
                Width.SHORT,
                "Budget share");
        d.define(
                RETRY_BUDGET_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "How long one API call is retried (429 after its Retry-After, 5xx, timeouts, resets) before the "
                        + "task hands a retriable error to Connect (nothing is lost; the work is redone).",
                GROUP,
                ++o,
                Width.SHORT,
                "Retry budget (ms)");
        d.define(
                REQUEST_TIMEOUT_MS,
                Type.LONG,
                120_000L,
                ConfigDef.Range.between(1_000, 600_000),
                Importance.LOW,
                "Read timeout of one HTTP call (a 5,000-row page or a bulk write can take tens of seconds).",
                GROUP,
                ++o,
                Width.SHORT,
                "Request timeout (ms)");
        d.define(
                LIMIT_REQUESTS,
                Type.INT,
                6_000,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Service protection: requests per user per window (Dataverse: 6,000 per 5 minutes).",
                GROUP,
                ++o,
                Width.SHORT,
                "Requests per window");
        d.define(
                LIMIT_EXECUTION_MS,
                Type.LONG,
                1_200_000L,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Service protection: combined execution time per user per window (Dataverse: 20 minutes per 5).",
                GROUP,
                ++o,
                Width.SHORT,
                "Execution time per window (ms)");
        d.define(
                LIMIT_WINDOW_MS,
                Type.LONG,
                300_000L,
                ConfigDef.Range.atLeast(1_000),
                Importance.LOW,
                "Service protection: length of the sliding window (Dataverse: 300,000 ms).",
                GROUP,
                ++o,
                Width.SHORT,
                "Window (ms)");
        d.define(
                LIMIT_CONCURRENCY,
                Type.INT,
                52,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Service protection: concurrent requests per user (Dataverse: 52); the server's x-ms-dop-hint "
                        + "lowers it when smaller.",
                GROUP,
                ++o,
                Width.SHORT,
                "Concurrent requests");
        return d;
    }

    public String url() {
        return url;
    }

    public String tokenUrl() {
        return tokenUrl;
    }

    public String clientId() {
        return clientId;
    }

    /** The host name of the environment, written to the {@code dynamics.environment} header. */
    public String environmentHost() {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    public double share() {
        return share;
    }

    public long retryBudgetMs() {
        return retryBudgetMs;
    }

    public ServiceProtectionBudget.Limits limits() {
        return limits;
    }

    /**
     * A client with this task's share of the limits ({@code share / tasks}) and retries bounded by the configured
     * budget.
     */
    public DynamicsClient client(int tasks) {
        return client(
                new ServiceProtectionBudget(limits, share / Math.max(1, tasks)),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), 30, Duration.ofMillis(retryBudgetMs)),
                Duration.ofMillis(requestTimeoutMs));
    }

    /** A client for bounded checks ({@code validate()}): few attempts, short timeouts. */
    public DynamicsClient checkClient() {
        return client(
                new ServiceProtectionBudget(limits, share),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 3, Duration.ofSeconds(8)),
                Duration.ofSeconds(8));
    }

    private DynamicsClient client(ServiceProtectionBudget budget, Backoff backoff, Duration timeout) {
        return DynamicsClient.builder()
                .environmentUrl(url)
                .apiVersion(apiVersion)
                .clientCredentials(tokenUrl, clientId, clientSecret)
                .scope(scope)
                .budget(budget)
                .backoff(backoff)
                .timeouts(Duration.ofSeconds(10).compareTo(timeout) < 0 ? Duration.ofSeconds(10) : timeout, timeout)
                .build();
    }

    /** An http(s) URL with a host. */
    static final class HttpUrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String s = value == null ? "" : value.toString().trim();
            URI u;
            try {
                u = URI.create(s);
            } catch (IllegalArgumentException e) {
                u = null;
            }
            if (u == null || u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new ConfigException(name, s, "must be an http(s) URL such as https://contoso.crm.dynamics.com");
            }
        }

        @Override
        public String toString() {
            return "an http(s) URL, e.g. https://contoso.crm.dynamics.com";
        }
    }
}
