package io.crmconnect.common.sink;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * The exception reported with a dead-lettered record. Its message is the dead letter's summary (reason code first),
 * and it has no cause: Connect copies the message and stack trace into the DLQ's {@code __connect.errors.*}
 * headers, and neither may carry the target system's raw text.
 */
public final class DeadLetterException extends ConnectException {
    private static final long serialVersionUID = 1L;
    private final transient DeadLetter deadLetter;

    public DeadLetterException(DeadLetter deadLetter) {
        super(deadLetter.summary());
        this.deadLetter = deadLetter;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}
