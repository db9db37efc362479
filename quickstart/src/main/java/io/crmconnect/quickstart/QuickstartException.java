package io.crmconnect.quickstart;

/** A failure the user can act on; its message is printed alone, without a stack trace. */
final class QuickstartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QuickstartException(String message) {
        super(message);
    }

    QuickstartException(String message, Throwable cause) {
        super(message, cause);
    }
}
