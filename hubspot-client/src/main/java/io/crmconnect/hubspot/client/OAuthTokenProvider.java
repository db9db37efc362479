package io.crmconnect.hubspot.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OAuth 2.0 refresh-token flow ({@code POST /oauth/v1/token}, grant_type=refresh_token). Access tokens are cached
 * until a minute before {@code expires_in}; a 401 forces a refresh. HubSpot may rotate the refresh token: the newest
 * one is kept in memory.
 */
public final class OAuthTokenProvider implements TokenProvider {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OkHttpClient http;
    private final HttpUrl tokenUrl;
    private final String clientId;
    private final String clientSecret;
    private volatile String refreshToken;
    private String accessToken;
    private long expiresAtMillis;

    public OAuthTokenProvider(OkHttpClient http, String baseUrl, String clientId, String clientSecret,
            String refreshToken) {
        this.http = http;
        this.tokenUrl = HttpUrl.get(baseUrl).newBuilder().addPathSegments("oauth/v1/token").build();
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
    }

    @Override
    public synchronized String accessToken() {
        if (accessToken == null || System.currentTimeMillis() >= expiresAtMillis) {
            refresh();
        }
        return accessToken;
    }

    @Override
    public synchronized boolean invalidate() {
        accessToken = null;
        return true;
    }

    private void refresh() {
        FormBody body = new FormBody.Builder().add("grant_type", "refresh_token").add("client_id", clientId)
                .add("client_secret", clientSecret).add("refresh_token", refreshToken).build();
        Request req = new Request.Builder().url(tokenUrl).post(body).build();
        try (Response resp = http.newCall(req).execute()) {
            ResponseBody rb = resp.body();
            String text = rb == null ? "" : rb.string();
            JsonNode n = text.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
            if (!resp.isSuccessful()) {
                String status = n.path("status").asText("");
                String msg = "OAuth token refresh failed (HTTP " + resp.code() + " " + status + "): "
                        + n.path("message").asText("");
                if (resp.code() >= 500 || resp.code() == 429) {
                    throw new HubSpotRetriableException(msg, resp.code(), status, n.path("correlationId").asText(null),
                            0, null);
                }
                throw new HubSpotApiException(msg, 401, "INVALID_AUTHENTICATION", status,
                        n.path("correlationId").asText(null));
            }
            accessToken = n.path("access_token").asText();
            String rotated = n.path("refresh_token").asText("");
            if (!rotated.isEmpty()) {
                refreshToken = rotated;
            }
            long expiresIn = n.path("expires_in").asLong(1800);
            expiresAtMillis = System.currentTimeMillis() + Math.max(30, expiresIn - 60) * 1000L;
        } catch (IOException e) {
            throw new HubSpotRetriableException("OAuth token refresh failed: " + e.getClass().getSimpleName(), 0,
                    null, null, 0, e);
        }
    }

    @Override
    public String toString() {
        return "OAuthTokenProvider[clientId=" + clientId + ", tokens hidden]";
    }
}
