package io.crmconnect.dynamics.client;

import java.util.List;

/** A table's metadata: names used in URLs and JSON, its columns, alternate keys and lookup relationships. */
public record TableMetadata(
        String logicalName,
        String entitySetName,
        String primaryIdAttribute,
        String primaryNameAttribute,
        boolean changeTrackingEnabled,
        List<ColumnMetadata> columns,
        List<AlternateKey> keys,
        List<LookupRelation> relations) {

    public ColumnMetadata column(String logicalName) {
        for (ColumnMetadata c : columns) {
            if (c.logicalName().equals(logicalName)) {
                return c;
            }
        }
        return null;
    }

    /** The alternate key with exactly these columns (any order), or null. */
    public AlternateKey keyWithColumns(List<String> cols) {
        for (AlternateKey k : keys) {
            if (k.columns().size() == cols.size() && k.columns().containsAll(cols)) {
                return k;
            }
        }
        return null;
    }

    public AlternateKey key(String logicalName) {
        for (AlternateKey k : keys) {
            if (k.logicalName().equalsIgnoreCase(logicalName)) {
                return k;
            }
        }
        return null;
    }

    /** The navigation property with this name, or null. */
    public LookupRelation relationByNavigation(String navigationProperty) {
        for (LookupRelation r : relations) {
            if (r.navigationProperty().equals(navigationProperty)) {
                return r;
            }
        }
        return null;
    }
}
