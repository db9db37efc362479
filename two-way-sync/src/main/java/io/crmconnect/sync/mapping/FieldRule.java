package io.crmconnect.sync.mapping;

/**
 * One synced field: its name in the mapping, the HubSpot property and the Dynamics 365 column it links, and the
 * rules that govern it.
 */
public record FieldRule(
        String name,
        String hubspot,
        String dynamics,
        Direction direction,
        MergePolicy merge,
        ConflictPolicy conflict,
        ValueMap values) {

    /** The field's name on a side. */
    public String on(Side side) {
        return side == Side.HUBSPOT ? hubspot : dynamics;
    }
}
