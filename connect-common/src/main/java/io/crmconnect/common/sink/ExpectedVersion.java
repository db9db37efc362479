package io.crmconnect.common.sink;

import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The version of the target record a record was planned against, in the header {@value #HEADER}: a sink writes
 * such a record only while the target is still at that version (Dataverse: the row's {@code @odata.etag}, sent as
 * {@code If-Match}; HubSpot: the record's {@code updatedAt} in epoch milliseconds, compared right before the write).
 * When the target moved on, the sink does not write it and hands it to {@link SinkDelivery#consumeAgain}, so
 * whatever planned it (the two-way sync transforms) plans it again against the target as it is now.
 */
public final class ExpectedVersion {
    public static final String HEADER = "crmconnect.expected.version";

    private ExpectedVersion() {}

    /** The expected version the record carries, or null when it may be written over any version. */
    public static String of(SinkRecord r) {
        Header h = r.headers().lastWithName(HEADER);
        if (h == null || h.value() == null) {
            return null;
        }
        String v = h.value().toString().trim();
        return v.isEmpty() ? null : v;
    }
}
