package io.crmconnect.dynamics.client;

import io.crmconnect.common.Backoff;
import io.crmconnect.common.ErrorSanitizer;
import io.crmconnect.common.client.Failures;
import io.crmconnect.common.client.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Collection;
import java.util.List;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one Dataverse call with pacing, authentication and bounded retries. Transient failures (429 with its
 * Retry-After, 5xx, SQL timeouts and deadlocks, timeouts, resets, truncated or malformed bodies) are retried with
 * {@link Backoff} inside its attempt and time budget, then surface as {@link DynamicsRetriableException}; other 4xx
 * answers are {@link DynamicsApiException} at once. A 401 fetches a new token once.
 *
 * <p>Every call the connector makes is idempotent (PATCH upserts by key, DELETE, UpsertMultiple, $batch of those,
 * GETs), so resending after a lost answer never duplicates a row.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

    private final OkHttpClient http;
    private final TokenProvider tokens;
    private final ServiceProtectionBudget budget;
    private final Backoff backoff;
    private volatile ErrorSanitizer sanitizer = DataverseErrors.keeping(List.of());

    Transport(OkHttpClient http, TokenProvider tokens, ServiceProtectionBudget budget, Backoff backoff) {
        this.http = http;
        this.tokens = tokens;
        this.budget = budget;
        this.backoff = backoff;
    }

    /** Reads a 2xx answer; an IOException (malformed or cut body) is retried like a transient fault. */
    interface BodyReader<T> {
        T read(int status, Headers headers, byte[] body) throws IOException;
    }

    /** Names (a table's columns) to keep readable in error messages; every other quoted text is masked. */
    void sanitizeKeeping(Collection<String> names) {
        sanitizer = DataverseErrors.keeping(names);
    }

    ErrorSanitizer sanitizer() {
        return sanitizer;
    }

    ServiceProtectionBudget budget() {
        return budget;
    }

    <T> T call(Request.Builder rb, String what, BodyReader<T> reader) {
        Backoff.Attempts attempts = backoff.start();
        boolean refreshedToken = false;
        String lastProblem;
        int lastStatus;
        String lastCode = null;
        String lastRequestId = null;
        long retryHint = 0;
        while (true) {
            long serverDelay = 0;
            String token;
            try {
                token = tokens.accessToken();
            } catch (DynamicsRetriableException e) {
                lastStatus = e.status();
                lastProblem = e.getMessage();
                long d = attempts.nextDelayMillis(e.retryAfterMillis());
                if (d < 0) {
                    break;
                }
                sleep(d);
                continue;
            }
            Request req = rb.header("Authorization", "Bearer " + token).build();
            long ticket;
            try {
                ticket = budget.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DynamicsRetriableException(
                        "interrupted while waiting for the service protection budget (" + what + ")",
                        0,
                        null,
                        null,
                        0,
                        e);
            }
            long started = System.nanoTime();
            boolean released = false;
            try (Response resp = http.newCall(req).execute()) {
                int code = resp.code();
                observe(resp);
                ResponseBody body = resp.body();
                byte[] bytes = body == null ? new byte[0] : body.bytes(); // throws on truncated bodies
                budget.release(ticket, (System.nanoTime() - started) / 1_000_000L);
                released = true;
                lastRequestId = requestId(resp);
                if (code >= 200 && code < 300) {
                    try {
                        return reader.read(code, resp.headers(), bytes);
                    } catch (IOException e) {
                        lastStatus = code;
                        lastProblem = "malformed body in a " + code + " answer ("
                                + e.getClass().getSimpleName() + ")";
                    }
                } else {
                    DataverseErrors.Error err = DataverseErrors.parse(bytes, sanitizer);
                    lastCode = err.code();
                    lastStatus = code;
                    lastProblem = "HTTP " + code + (err.code() == null ? "" : " " + err.code()) + ": " + err.message();
                    if (code == 401 && !refreshedToken && tokens.invalidate()) {
                        refreshedToken = true;
                        continue;
                    }
                    if (code == 429) {
                        serverDelay = RetryAfter.millis(resp.header("Retry-After"));
                        if (serverDelay <= 0) {
                            serverDelay = 1_000L * Math.min(30, attempts.failures() + 1);
                        }
                        budget.pause(serverDelay);
                    } else if (!isTransient(code, err.code())) {
                        throw new DynamicsApiException(
                                "Dataverse rejected " + what + " (" + lastProblem + ")"
                                        + (lastRequestId == null ? "" : " requestId=" + lastRequestId),
                                code,
                                err.code(),
                                lastRequestId);
                    }
                }
            } catch (IOException e) {
                if (e instanceof InterruptedIOException
                        && Thread.currentThread().isInterrupted()) {
                    throw new DynamicsRetriableException("interrupted during " + what, 0, null, null, 0, e);
                }
                lastStatus = 0;
                lastProblem = Failures.describe(e);
            } finally {
                if (!released) {
                    budget.release(ticket, (System.nanoTime() - started) / 1_000_000L);
                }
            }
            retryHint = serverDelay;
            long d = attempts.nextDelayMillis(serverDelay);
            if (d < 0) {
                break;
            }
            LOG.debug("Dataverse {} failed ({}); retry {} in {} ms", what, lastProblem, attempts.failures(), d);
            sleep(d);
        }
        throw new DynamicsRetriableException(
                "Dataverse " + what + " still failing after " + attempts.failures() + " attempts in "
                        + attempts.elapsedMillis() + " ms: " + lastProblem,
                lastStatus,
                lastCode,
                lastRequestId,
                retryHint,
                null);
    }

    /**
     * connect-common's transient statuses (429, 408, 5xx but 501 / 505), and the SQL timeout / deadlock and service
     * protection codes Dataverse answers to concurrent or oversized writes.
     */
    static boolean isTransient(int status, String code) {
        if (Failures.isTransientStatus(status)) {
            return true;
        }
        return DataverseErrors.SQL_TIMEOUT.equalsIgnoreCase(code)
                || DataverseErrors.SQL_ERROR.equalsIgnoreCase(code)
                || DataverseErrors.REQUESTS_LIMIT.equalsIgnoreCase(code)
                || DataverseErrors.EXECUTION_TIME_LIMIT.equalsIgnoreCase(code)
                || DataverseErrors.CONCURRENCY_LIMIT.equalsIgnoreCase(code);
    }

    private void observe(Response resp) {
        long dop = HttpCalls.longHeader(resp.header("x-ms-dop-hint"));
        if (dop > 0) {
            budget.observeDopHint((int) dop);
        }
        long reqLeft = HttpCalls.longHeader(resp.header("x-ms-ratelimit-burst-remaining-xrm-requests"));
        long timeLeft = HttpCalls.longHeader(resp.header("x-ms-ratelimit-time-remaining-xrm-requests"));
        if (reqLeft >= 0 || timeLeft >= 0) {
            budget.observeRemaining(reqLeft, timeLeft);
        }
    }

    private static String requestId(Response resp) {
        String id = resp.header("REQ_ID");
        return id != null ? id : resp.header("x-ms-service-request-id");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DynamicsRetriableException("interrupted during retry backoff", 0, null, null, 0, e);
        }
    }
}
