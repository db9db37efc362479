package io.crmconnect.common.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefreshingTokenTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger issued = new AtomicInteger();

    private RefreshingToken token(long lifetimeMillis) {
        return new RefreshingToken(
                () -> new RefreshingToken.Issued("t" + issued.incrementAndGet(), lifetimeMillis), now::get);
    }

    @Test
    void aTokenIsRefreshedBeforeItExpires() {
        RefreshingToken t = token(3_600_000); // one hour: refreshed five minutes ahead
        assertThat(t.get()).isEqualTo("t1");
        assertThat(t.expiresAtMillis()).isEqualTo(now.get() + 3_600_000);
        now.addAndGet(3_600_000 - 300_001);
        assertThat(t.get()).isEqualTo("t1");
        now.addAndGet(1);
        assertThat(t.get()).isEqualTo("t2");
        assertThat(t.fetched()).isEqualTo(2);
    }

    @Test
    void shortLivedTokensAreRefreshedAQuarterOfTheirLifeAhead() {
        RefreshingToken t = token(20_000);
        t.get();
        now.addAndGet(14_999);
        assertThat(t.get()).isEqualTo("t1");
        now.addAndGet(1);
        assertThat(t.get()).isEqualTo("t2");
    }

    @Test
    void anInvalidatedTokenIsFetchedAgainAndAFailedFetchKeepsNothing() {
        RefreshingToken t = token(3_600_000);
        t.get();
        t.invalidate();
        assertThat(t.get()).isEqualTo("t2");
        RefreshingToken failing = new RefreshingToken(
                () -> {
                    throw new CrmException("token endpoint down", "test", 503, null, null, null);
                },
                now::get);
        assertThatThrownBy(failing::get).isInstanceOf(CrmException.class);
        assertThat(failing.fetched()).isZero();
        assertThat(t.toString()).doesNotContain("t2");
    }
}
