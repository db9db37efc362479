package io.crmconnect.dynamics.client;

import java.util.List;

/**
 * An alternate key of a table ({@code EntityKeyMetadata}): the columns whose values identify a row.
 *
 * @param status {@code EntityKeyIndexStatus}: Active once its unique index is built (Pending, InProgress, Failed
 *               before that)
 */
public record AlternateKey(String logicalName, List<String> columns, String status) {
    public boolean active() {
        return status == null || "Active".equalsIgnoreCase(status);
    }
}
