package io.crmconnect.common.client;

import java.util.function.LongSupplier;

/**
 * An OAuth access token cached until shortly <b>before</b> it expires (a quarter of its lifetime, at most five
 * minutes ahead), so a token never runs out in the middle of a long load or a throttled retry; a 401 from the CRM
 * {@link #invalidate() invalidates} it. Both CRM clients' token providers keep their token here; how a token is
 * obtained (client credentials, refresh token) is theirs. Never exposes the token in {@code toString()}.
 */
public final class RefreshingToken {
    /** Refresh at most this long before expiry. */
    static final long MAX_REFRESH_AHEAD_MS = 5 * 60_000L;

    /** A token as the authorization server issued it. */
    public record Issued(String accessToken, long lifetimeMillis) {
        @Override
        public String toString() {
            return "Issued[token hidden, lifetimeMillis=" + lifetimeMillis + "]";
        }
    }

    /** Obtains a new token; throws the client's own (typed) exception when it cannot. */
    @FunctionalInterface
    public interface Fetcher {
        Issued fetch();
    }

    private final Fetcher fetcher;
    private final LongSupplier clock;
    private String token;
    private long refreshAtMillis;
    private long expiresAtMillis;
    private long fetched;

    public RefreshingToken(Fetcher fetcher) {
        this(fetcher, System::currentTimeMillis);
    }

    public RefreshingToken(Fetcher fetcher, LongSupplier clock) {
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** The token to send now, fetched first when there is none or it is due for refresh. */
    public synchronized String get() {
        if (token == null || clock.getAsLong() >= refreshAtMillis) {
            Issued issued = fetcher.fetch();
            long now = clock.getAsLong();
            long lifetime = Math.max(1_000L, issued.lifetimeMillis());
            token = issued.accessToken();
            expiresAtMillis = now + lifetime;
            refreshAtMillis = now + lifetime - Math.min(MAX_REFRESH_AHEAD_MS, lifetime / 4);
            fetched++;
        }
        return token;
    }

    /** Forgets the token (the CRM refused it): the next {@link #get()} fetches a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    /** Tokens fetched so far. */
    public synchronized long fetched() {
        return fetched;
    }

    /** When the current token expires (epoch ms), 0 before the first fetch. */
    public synchronized long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public String toString() {
        return "RefreshingToken[hidden]";
    }
}
