package io.crmconnect.hubspot.client;

/**
 * A property definition from the properties API. {@code type}: bool, enumeration, date, datetime, string, number,
 * phone_number, object_coordinates, json. {@code fieldType} "checkbox" on an enumeration means multi-valued
 * (values joined with ';').
 */
public record PropertyDefinition(String name, String label, String type, String fieldType, String groupName,
        boolean hubspotDefined, boolean calculated, boolean hasUniqueValue, boolean readOnlyValue, boolean archived) {

    public boolean isMultiValued() {
        return "enumeration".equals(type) && "checkbox".equals(fieldType);
    }
}
