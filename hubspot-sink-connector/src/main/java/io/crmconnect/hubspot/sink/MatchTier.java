package io.crmconnect.hubspot.sink;

import java.util.List;

/**
 * One match tier: HubSpot properties compared after normalization, in order. {@code uniqueLookup}: a
 * single-property tier on a unique property (contacts' email), answered by a batch read instead of a search.
 */
record MatchTier(
        int number, List<String> properties, List<String> normalizers, List<Boolean> optional, boolean uniqueLookup) {

    String label() {
        return "tier " + number + " (" + String.join(",", properties) + ")";
    }
}
