package io.crmconnect.common.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void transientStatuses() {
        assertThat(Failures.isTransientStatus(429)).isTrue();
        assertThat(Failures.isTransientStatus(408)).isTrue();
        assertThat(Failures.isTransientStatus(500)).isTrue();
        assertThat(Failures.isTransientStatus(503)).isTrue();
        assertThat(Failures.isTransientStatus(501)).isFalse();
        assertThat(Failures.isTransientStatus(400)).isFalse();
        assertThat(Failures.isTransientStatus(401)).isFalse();
        assertThat(Failures.isTransientStatus(404)).isFalse();
    }

    @Test
    void onlyFailuresBeforeSendingAreNeverSent() {
        assertThat(Failures.neverSent(new ConnectException("Connection refused")))
                .isTrue();
        assertThat(Failures.neverSent(new UnknownHostException("crm.example"))).isTrue();
        assertThat(Failures.neverSent(new SocketTimeoutException("connect timed out")))
                .isTrue();
        assertThat(Failures.neverSent(new SocketTimeoutException("timeout"))).isFalse();
        assertThat(Failures.neverSent(new IOException("unexpected end of stream")))
                .isFalse();
    }

    @Test
    void descriptionsMaskQuotedValues() {
        assertThat(Failures.describe(new SocketTimeoutException("Read timed out")))
                .isEqualTo("timeout (SocketTimeoutException)");
        assertThat(Failures.describe(new IOException("bad 'ann@example.org'")))
                .startsWith("I/O error IOException")
                .doesNotContain("ann@example.org");
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertThat(RetryAfter.millis("2")).isEqualTo(2_000);
        assertThat(RetryAfter.millis(" 0.5 ")).isEqualTo(500);
        assertThat(RetryAfter.millis(null)).isZero();
        assertThat(RetryAfter.millis("soon")).isZero();
        assertThat(RetryAfter.millis("-3")).isZero();
        long now = 1_796_457_600_000L;
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(Instant.ofEpochMilli(now + 7_000), ZoneOffset.UTC));
        assertThat(RetryAfter.millis(date, now)).isEqualTo(7_000);
    }
}
