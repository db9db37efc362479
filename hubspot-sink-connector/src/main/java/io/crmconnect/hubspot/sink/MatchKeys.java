package io.crmconnect.hubspot.sink;

import io.crmconnect.common.normalize.Normalizers;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Normalized match keys for tiered matching. Every rule comes from {@link Normalizers} (the same rules as the
 * MatchKeys transform), so a key built from a Kafka record equals the key built from HubSpot's stored value.
 */
final class MatchKeys {
    static final Set<String> NORMALIZERS = Set.of("email", "name", "date", "address", "postal_code", "phone", "text");
    /** Normalizers whose normalized value is also how HubSpot compares the stored value (safe for IN searches). */
    static final Set<String> BLOCKING = Set.of("email", "date", "postal_code");

    private MatchKeys() {}

    /** The default normalizer of a property by its name and HubSpot type. */
    static String defaultFor(String property, String hubspotType) {
        String p = property.toLowerCase(Locale.ROOT);
        if (p.equals("email") || p.endsWith("_email") || p.endsWith("email_address")) {
            return "email";
        }
        if ("date".equals(hubspotType)
                || p.equals("date_of_birth")
                || p.endsWith("_dob")
                || p.equals("dob")
                || p.equals("birthdate")) {
            return "date";
        }
        if (p.equals("zip") || p.contains("postal") || p.contains("zipcode") || p.equals("postcode")) {
            return "postal_code";
        }
        if (p.startsWith("address") || p.contains("street")) {
            return "address";
        }
        if (p.contains("phone")) {
            return "phone";
        }
        return "name";
    }

    /**
     * The normalized form of one value; null when nothing meaningful is left.
     *
     * @throws IllegalArgumentException for a date that matches none of the formats
     */
    static String normalize(String normalizer, Object value, Normalizers.DateFormats dates) {
        if (value == null) {
            return null;
        }
        switch (normalizer) {
            case "email":
                return Normalizers.email(value.toString());
            case "date":
                if (value instanceof CharSequence s && isEpochMillis(s.toString())) {
                    return LocalDate.ofEpochDay(
                                    Math.floorDiv(Long.parseLong(s.toString().trim()), 86_400_000L))
                            .toString();
                }
                return Normalizers.dateOfBirth(value, dates);
            case "address":
                return Normalizers.postalAddress(value.toString());
            case "postal_code":
                return Normalizers.postalCode(value.toString());
            case "phone":
                return Normalizers.phone(value.toString());
            case "text": {
                String t = value.toString().trim().toLowerCase(Locale.ROOT);
                return t.isEmpty() ? null : t;
            }
            default:
                return Normalizers.personName(value.toString());
        }
    }

    private static boolean isEpochMillis(String s) {
        String t = s.trim();
        if (t.length() < 9 || t.length() > 14) {
            return false;
        }
        for (int i = t.charAt(0) == '-' ? 1 : 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A tier key: the normalized components joined with a unit separator; null when any component is missing, so a
     * partial key never matches.
     */
    static String tierKey(List<String> normalizedComponents, List<Boolean> optional) {
        String[] parts = new String[normalizedComponents.size()];
        boolean any = false;
        for (int i = 0; i < parts.length; i++) {
            String c = normalizedComponents.get(i);
            if (c == null && optional.get(i)) {
                c = "";
            } else if (c != null) {
                any = true;
            }
            parts[i] = c;
        }
        return any ? Normalizers.composite("\u001f", parts) : null;
    }
}
