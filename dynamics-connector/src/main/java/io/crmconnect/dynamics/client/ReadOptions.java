package io.crmconnect.dynamics.client;

/**
 * The {@code Prefer} preferences of a read: page size (Dataverse caps it at 5,000), change tracking, and the
 * annotations the source needs (choice labels, lookup table names).
 */
public record ReadOptions(int maxPageSize, boolean trackChanges, boolean annotations) {
    public static final int MAX_PAGE_SIZE = 5_000;
    static final String ANNOTATIONS =
            "OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname";

    public ReadOptions {
        if (maxPageSize < 1 || maxPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE_SIZE + ": " + maxPageSize);
        }
    }

    String prefer() {
        StringBuilder b = new StringBuilder();
        if (trackChanges) {
            b.append("odata.track-changes,");
        }
        b.append("odata.maxpagesize=").append(maxPageSize);
        if (annotations) {
            b.append(",odata.include-annotations=\"").append(ANNOTATIONS).append('"');
        }
        return b.toString();
    }
}
