package io.crmconnect.hubspot.client;

/**
 * Supplies the bearer token of every request. Implementations never log or expose the token in
 * {@code toString()}.
 */
public interface TokenProvider {
    /** The access token to send now (may refresh it first). */
    String accessToken();

    /** Called after a 401: the token was rejected, fetch a fresh one on the next {@link #accessToken()} if possible. */
    default boolean invalidate() {
        return false;
    }

    /** A private-app (or service key) token: static, never refreshed. */
    static TokenProvider privateApp(String token) {
        return new TokenProvider() {
            @Override
            public String accessToken() {
                return token;
            }

            @Override
            public String toString() {
                return "PrivateAppToken[hidden]";
            }
        };
    }
}
