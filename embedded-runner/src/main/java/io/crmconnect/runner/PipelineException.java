package io.crmconnect.runner;

/** A failure that ends the run with a given exit code; its message is the first line the user sees. */
public final class PipelineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ExitCode code;

    public PipelineException(ExitCode code, String message) {
        super(message);
        this.code = code;
    }

    public PipelineException(ExitCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ExitCode code() {
        return code;
    }
}
