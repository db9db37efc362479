package io.crmconnect.hubspot.client;

import java.util.List;

/** One page of a cursor-paged list; {@code after} is the cursor of the next page, null on the last page. */
public record Page<T>(List<T> results, String after) {
    public boolean hasMore() {
        return after != null;
    }
}
