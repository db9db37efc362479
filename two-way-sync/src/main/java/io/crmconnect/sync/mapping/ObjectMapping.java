package io.crmconnect.sync.mapping;

import java.util.List;

/**
 * How one kind of record is linked and synced: where each side keeps the other's id (the link) and the sync state
 * (fingerprints of the values last in sync), the match key used to link records the first time, the integration
 * users whose writes are the sync's own, the field rules, and which way deletions travel ({@code deletes}: a record
 * deleted on a side the direction allows is deleted on the other side too; {@link Direction#NONE} by default).
 */
public record ObjectMapping(
        String name, SideSpec hubspot, SideSpec dynamics, List<FieldRule> fields, Direction deletes) {

    /** Deletions stay on their side. */
    public ObjectMapping(String name, SideSpec hubspot, SideSpec dynamics, List<FieldRule> fields) {
        this(name, hubspot, dynamics, fields, Direction.NONE);
    }

    /**
     * One side's view of the object. {@code object} is the HubSpot object or Dynamics 365 table; {@code idField}
     * the field of its source records holding its own id; {@code linkField} the property/column holding the other
     * side's id; {@code stateField} the property/column holding the sync state; {@code matchKey} the field compared
     * (normalized) for first-time linking; {@code modifiedField} the record's last-modified time;
     * {@code integrationUser} the id the sync writes as (empty when the side does not expose one).
     */
    public record SideSpec(
            String object,
            String idField,
            String linkField,
            String stateField,
            String matchKey,
            String modifiedField,
            String modifiedByField,
            String integrationUser) {}

    public SideSpec side(Side s) {
        return s == Side.HUBSPOT ? hubspot : dynamics;
    }

    public FieldRule field(String fieldName) {
        for (FieldRule f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        return null;
    }
}
