package io.crmconnect.common.client;

import io.crmconnect.common.ErrorSanitizer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * How both CRM clients classify a failed HTTP call before deciding to retry it inside their time budget
 * ({@link io.crmconnect.common.Backoff}) or to give up at once. Vendor-specific answers (HubSpot's 423 / 477 and
 * daily limit, Dataverse's SQL timeout codes) are added by each client on top of these rules.
 */
public final class Failures {
    private Failures() {}

    /**
     * An HTTP status that is worth retrying: 429 (rate limited), 408 (request timeout) and 5xx other than 501 / 505
     * (the server cannot do this at all).
     */
    public static boolean isTransientStatus(int status) {
        if (status == 429 || status == 408) {
            return true;
        }
        return status >= 500 && status != 501 && status != 505;
    }

    /**
     * The request never reached the server (no connection could be made), so even a call that must not run twice
     * (a create) can be resent.
     */
    public static boolean neverSent(IOException e) {
        if (e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return true;
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return e instanceof SocketTimeoutException && m.contains("connect");
    }

    /** A short description of an I/O failure for messages and logs, quoted values and addresses masked. */
    public static String describe(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "timeout (" + e.getClass().getSimpleName() + ")";
        }
        return "I/O error " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + ErrorSanitizer.sanitize(e.getMessage()));
    }
}
