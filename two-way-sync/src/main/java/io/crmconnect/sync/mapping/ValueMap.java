package io.crmconnect.sync.mapping;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Value translations of one field, e.g. HubSpot enumeration options to Dynamics 365 choice labels, HubSpot owner
 * ids to Dynamics 365 systemuser ids, ISO country codes to country names. Matching is case-insensitive; the
 * canonical form of a value is its HubSpot spelling, so both sides' values compare equal after translation.
 */
public final class ValueMap {
    public static final ValueMap IDENTITY = new ValueMap(Map.of());

    private final Map<String, String> hubspotToDynamics;
    private final Map<String, String> dynamicsToHubspot = new LinkedHashMap<>();
    private final Map<String, String> hubspotByLower = new LinkedHashMap<>();

    /** {@code hubspotToDynamics}: HubSpot value -> Dynamics 365 value; must be one to one. */
    public ValueMap(Map<String, String> hubspotToDynamics) {
        this.hubspotToDynamics = Collections.unmodifiableMap(new LinkedHashMap<>(hubspotToDynamics));
        for (Map.Entry<String, String> e : hubspotToDynamics.entrySet()) {
            String prev = dynamicsToHubspot.put(e.getValue().toLowerCase(Locale.ROOT), e.getKey());
            if (prev != null) {
                throw new IllegalArgumentException("values '" + prev + "' and '" + e.getKey()
                        + "' map to the same Dynamics 365 value; a value map must be one to one");
            }
            hubspotByLower.put(e.getKey().toLowerCase(Locale.ROOT), e.getKey());
        }
    }

    public boolean isIdentity() {
        return hubspotToDynamics.isEmpty();
    }

    public Map<String, String> entries() {
        return hubspotToDynamics;
    }

    /** The canonical (HubSpot) form of a value read on {@code side}; null when the map has no entry for it. */
    public String toCanonical(Side side, String value) {
        if (value == null || isIdentity()) {
            return value;
        }
        String k = value.toLowerCase(Locale.ROOT);
        return side == Side.HUBSPOT ? hubspotByLower.get(k) : dynamicsToHubspot.get(k);
    }

    /** The value to write on {@code side} for a canonical value. */
    public String fromCanonical(Side side, String canonical) {
        if (canonical == null || isIdentity() || side == Side.HUBSPOT) {
            return canonical;
        }
        return hubspotToDynamics.get(canonical);
    }
}
