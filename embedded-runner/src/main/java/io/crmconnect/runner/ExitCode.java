package io.crmconnect.runner;

/** What the process exit status says, for cron and scripts. */
public enum ExitCode {
    /** Stopped cleanly: --once caught up, or a signal stopped a continuous run after committing. */
    OK(0),
    /** An error the runner did not expect (a bug: see the log). */
    INTERNAL(1),
    /** The command line is wrong. */
    USAGE(2),
    /** The pipeline or a connector config is invalid, or a plugin named in it is not installed. */
    CONFIG(3),
    /** Another run of the same pipeline holds its state directory. */
    ALREADY_RUNNING(4),
    /** The source connector or task failed. */
    SOURCE_FAILED(5),
    /** The sink connector or task failed (including records it could not write with no dead-letter queue). */
    SINK_FAILED(6),
    /** The offsets could not be read or written. */
    OFFSETS_FAILED(7),
    /** A signal stopped a --once run before it had caught up (what was written is committed). */
    INTERRUPTED(8);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
