package io.crmconnect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesAndIsCapped() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 10, Duration.ofMinutes(1));
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(4)).isEqualTo(800);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(60)).isEqualTo(1000);
    }

    @Test
    void jitteredDelayStaysBetweenHalfAndFullCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), 10, Duration.ofMinutes(1));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delayMillis(3)).isBetween(200L, 400L);
        }
    }

    @Test
    void stopsAfterMaxAttempts() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 3, Duration.ofMinutes(1));
        Backoff.Attempts attempts = backoff.start();
        assertThat(attempts.nextDelayMillis()).isGreaterThanOrEqualTo(0);
        assertThat(attempts.nextDelayMillis()).isGreaterThanOrEqualTo(0);
        assertThat(attempts.nextDelayMillis()).isEqualTo(-1);
        assertThat(attempts.failures()).isEqualTo(3);
    }

    @Test
    void stopsWhenTheNextWaitWouldExceedTheBudget() {
        // Margins of seconds, so a slow machine between start() and the calls cannot change the outcome.
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 100, Duration.ofSeconds(10));
        Backoff.Attempts attempts = backoff.start();
        assertThat(attempts.nextDelayMillis(4_000)).isEqualTo(4_000);
        assertThat(attempts.nextDelayMillis(20_000)).isEqualTo(-1);
    }

    @Test
    void serverRequestedDelayWinsWhenLonger() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 5, Duration.ofSeconds(10));
        assertThat(backoff.start().nextDelayMillis(2_000)).isEqualTo(2_000);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(10), Duration.ofMillis(5), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
