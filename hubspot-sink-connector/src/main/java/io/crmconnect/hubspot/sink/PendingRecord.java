package io.crmconnect.hubspot.sink;

import io.crmconnect.hubspot.client.CrmObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/** One record on its way to HubSpot: its values, what identifies it, and what became of it. */
final class PendingRecord {
    final SinkRecord record;
    /** Mapped values by HubSpot property, as in the record. */
    final Map<String, Object> raw = new LinkedHashMap<>();

    final Map<String, Schema> schemas = new HashMap<>();
    /** Values in HubSpot's formats by property; after the field rules, exactly what is sent. */
    final Map<String, String> props = new LinkedHashMap<>();
    /** Association rule field -> the record's value. */
    final Map<String, Object> assocValues = new HashMap<>();

    String hubspotId;
    String uniqueValue;
    String email;
    /** The HubSpot record this one resolved to; null = none (create). */
    CrmObject existing;

    String resolvedBy;
    /** The HubSpot id written (created, updated or unchanged), for associations. */
    String writtenId;
    /** Dead-lettered (no further work). */
    boolean done;

    PendingRecord(SinkRecord record) {
        this.record = record;
    }

    boolean isTombstone() {
        return record.value() == null;
    }

    /** The identity known before any HubSpot call, for ordering the operations of one batch. */
    String identityKey() {
        if (hubspotId != null) {
            return "id:" + hubspotId;
        }
        if (uniqueValue != null) {
            return "u:" + uniqueValue;
        }
        if (email != null) {
            return "e:" + email;
        }
        return null;
    }
}
