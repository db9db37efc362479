package io.crmconnect.hubspot.client;

import java.util.List;

/**
 * A property definition from the properties API. {@code type}: bool, enumeration, date, datetime, string, number,
 * phone_number, object_coordinates, json. {@code fieldType} "checkbox" on an enumeration means multi-valued
 * (values joined with ';'). {@code options}: the values of an enumeration's options (empty otherwise).
 */
public record PropertyDefinition(
        String name,
        String label,
        String type,
        String fieldType,
        String groupName,
        boolean hubspotDefined,
        boolean calculated,
        boolean hasUniqueValue,
        boolean readOnlyValue,
        boolean archived,
        List<String> options) {

    public PropertyDefinition {
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** A definition without enumeration options. */
    public PropertyDefinition(
            String name,
            String label,
            String type,
            String fieldType,
            String groupName,
            boolean hubspotDefined,
            boolean calculated,
            boolean hasUniqueValue,
            boolean readOnlyValue,
            boolean archived) {
        this(
                name,
                label,
                type,
                fieldType,
                groupName,
                hubspotDefined,
                calculated,
                hasUniqueValue,
                readOnlyValue,
                archived,
                List.of());
    }

    public boolean isMultiValued() {
        return "enumeration".equals(type) && "checkbox".equals(fieldType);
    }
}
