package io.crmconnect.hubspot.sink;

import org.apache.kafka.connect.errors.ConnectException;

/** The exception reported with a dead-lettered record; its message starts with the reason code. */
public final class HubSpotSinkRecordException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public HubSpotSinkRecordException(String message) {
        super(message);
    }
}
