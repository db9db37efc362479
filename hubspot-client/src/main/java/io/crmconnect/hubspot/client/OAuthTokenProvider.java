package io.crmconnect.hubspot.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmconnect.common.client.Failures;
import io.crmconnect.common.client.RefreshingToken;
import io.crmconnect.common.client.RetryAfter;
import java.io.IOException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OAuth 2.0 refresh-token flow ({@code POST /oauth/v1/token}, grant_type=refresh_token). The access token is kept in
 * connect-common's {@link RefreshingToken}, which refreshes it before {@code expires_in} runs out (a quarter of its
 * lifetime, at most five minutes ahead); a 401 forces a refresh. HubSpot may rotate the refresh token: the newest one
 * is kept in memory.
 */
public final class OAuthTokenProvider implements TokenProvider {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OkHttpClient http;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private volatile String refreshToken;
    private final RefreshingToken token = new RefreshingToken(this::refresh);

    public OAuthTokenProvider(
            OkHttpClient http, String baseUrl, String clientId, String clientSecret, String refreshToken) {
        this.http = http;
        this.tokenUrl = HttpUrl.get(baseUrl)
                .newBuilder()
                .addPathSegments("oauth/v1/token")
                .build();
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
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

    private RefreshingToken.Issued refresh() {
        FormBody body = new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("client_id", clientId)
                .add("client_secret", clientSecret)
                .add("refresh_token", refreshToken)
                .build();
        Request req = new Request.Builder().url(tokenUrl).post(body).build();
        try (Response resp = http.newCall(req).execute()) {
            ResponseBody rb = resp.body();
            String text = rb == null ? "" : rb.string();
            JsonNode n = text.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
            if (!resp.isSuccessful()) {
                String status = n.path("status").asText("");
                String msg = "OAuth token refresh failed (HTTP " + resp.code() + " " + status + "): "
                        + n.path("message").asText("");
                if (Failures.isTransientStatus(resp.code())) {
                    throw new HubSpotRetriableException(
                            msg,
                            resp.code(),
                            status,
                            n.path("correlationId").asText(null),
                            RetryAfter.millis(resp.header("Retry-After")),
                            null);
                }
                throw new HubSpotApiException(
                        msg,
                        401,
                        "INVALID_AUTHENTICATION",
                        status,
                        n.path("correlationId").asText(null));
            }
            String rotated = n.path("refresh_token").asText("");
            if (!rotated.isEmpty()) {
                refreshToken = rotated;
            }
            return new RefreshingToken.Issued(
                    n.path("access_token").asText(), n.path("expires_in").asLong(1800) * 1000L);
        } catch (IOException e) {
            throw new HubSpotRetriableException(
                    "OAuth token refresh failed: " + e.getClass().getSimpleName(), 0, null, null, 0, e);
        }
    }

    @Override
    public String toString() {
        return "OAuthTokenProvider[clientId=" + clientId + ", tokens hidden]";
    }
}
