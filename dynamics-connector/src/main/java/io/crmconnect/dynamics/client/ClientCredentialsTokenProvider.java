package io.crmconnect.dynamics.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.common.client.Failures;
import io.crmconnect.common.client.RefreshingToken;
import io.crmconnect.common.client.RetryAfter;
import java.io.IOException;
import java.util.function.LongSupplier;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 client credentials against Microsoft Entra ID ({@code POST /{tenant}/oauth2/v2.0/token},
 * {@code scope={environment}/.default}). The token is kept in connect-common's {@link RefreshingToken}, which fetches
 * it again <b>before</b> it expires: Entra gives tokens a random 60-90 minute life, and a token that expires in the
 * middle of a long initial load or a throttled retry must not fail the call. A 401 from Dataverse forces a new token.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCredentialsTokenProvider.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OkHttpClient http;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final RefreshingToken token;

    public ClientCredentialsTokenProvider(
            OkHttpClient http, String tokenUrl, String clientId, String clientSecret, String scope) {
        this(http, tokenUrl, clientId, clientSecret, scope, System::currentTimeMillis);
    }

    ClientCredentialsTokenProvider(
            OkHttpClient http,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            LongSupplier clock) {
        this.http = http;
        this.tokenUrl = HttpUrl.get(tokenUrl);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.token = new RefreshingToken(this::fetch, clock);
    }

    @Override
    public String accessToken() {
        return token.get();
    }

    @Override
    public boolean invalidate() {
        token.invalidate();
        return true;
    }

    /** When the current token expires (epoch ms), 0 before the first fetch. */
    public long expiresAtMillis() {
        return token.expiresAtMillis();
    }

    private RefreshingToken.Issued fetch() {
        FormBody body = new FormBody.Builder()
                .add("grant_type", "client_credentials")
                .add("client_id", clientId)
                .add("client_secret", clientSecret)
                .add("scope", scope)
                .build();
        Request req = new Request.Builder()
                .url(tokenUrl)
                .post(body)
                .header("Accept", "application/json")
                .build();
        try (Response resp = http.newCall(req).execute()) {
            ResponseBody rb = resp.body();
            byte[] bytes = rb == null ? new byte[0] : rb.bytes();
            if (!resp.isSuccessful()) {
                DataverseErrors.Error err = DataverseErrors.parse(bytes);
                String msg = "The token endpoint refused client credentials for client id " + clientId + " (HTTP "
                        + resp.code() + (err.code() == null ? "" : " " + err.code()) + "): " + err.message();
                if (Failures.isTransientStatus(resp.code())) {
                    throw new DynamicsRetriableException(
                            msg, resp.code(), err.code(), null, RetryAfter.millis(resp.header("Retry-After")), null);
                }
                throw new DynamicsApiException(msg, 401, err.code(), null);
            }
            JsonNode n = MAPPER.readTree(bytes);
            String access = n.path("access_token").asText("");
            if (access.isEmpty()) {
                throw new DynamicsRetriableException(
                        "The token endpoint answered without an access_token", resp.code(), null, null, 0, null);
            }
            long lifetime = Math.max(1, n.path("expires_in").asLong(3599)) * 1000L;
            LOG.debug("Fetched a Dataverse access token for client id {} valid for {} s", clientId, lifetime / 1000);
            return new RefreshingToken.Issued(access, lifetime);
        } catch (IOException e) {
            throw new DynamicsRetriableException(
                    "The token endpoint could not be reached (" + e.getClass().getSimpleName() + ")",
                    0,
                    null,
                    null,
                    0,
                    e);
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsTokenProvider[clientId=" + clientId + ", secret and tokens hidden]";
    }
}
