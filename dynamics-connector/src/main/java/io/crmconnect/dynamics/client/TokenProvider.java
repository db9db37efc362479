package io.crmconnect.dynamics.client;

/**
 * Supplies the bearer token of every request. Implementations never log the token or expose it in
 * {@code toString()}.
 */
public interface TokenProvider {
    /** The access token to send now (fetched or refreshed first when needed). */
    String accessToken();

    /** Called after a 401: the token was rejected; fetch a fresh one next time if possible. */
    default boolean invalidate() {
        return false;
    }

    /** A fixed token (tests, or a token minted elsewhere). */
    static TokenProvider fixed(String token) {
        return new TokenProvider() {
            @Override
            public String accessToken() {
                return token;
            }

            @Override
            public String toString() {
                return "FixedToken[hidden]";
            }
        };
    }
}
