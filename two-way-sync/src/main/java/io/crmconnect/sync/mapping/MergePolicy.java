package io.crmconnect.sync.mapping;

/** How a change is applied to the other side's value. */
public enum MergePolicy {
    /** The other side's value is replaced. */
    OVERWRITE,
    /** The other side's value is written only while it is empty. */
    FILL_IF_MISSING
}
