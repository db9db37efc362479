package io.crmconnect.hubspot.client;

import java.util.List;

/** All associations of one record to one object type (v4 batch read), with labels. */
public record Associations(String fromId, List<Associated> to) {
    /** One associated record and every type (label) linking it. */
    public record Associated(String toObjectId, List<AssociationType> types) {}
}
