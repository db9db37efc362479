package io.crmconnect.simulator.hubspot;

import java.util.List;

/** A property definition as the Properties API describes it. */
final class PropertyDef {
    final String name;
    final String label;
    final String type; // string, number, date, datetime, enumeration, bool, phone_number
    final String fieldType; // text, textarea, number, date, select, radio, checkbox, booleancheckbox, phonenumber,
    // calculation_equation
    final String groupName;
    final List<String[]> options; // {label, value}
    final boolean hasUniqueValue;
    final boolean calculated;
    final boolean readOnlyValue;
    final boolean hubspotDefined;
    final String description;
    final int displayOrder;
    final long createdAt;
    volatile boolean archived;
    volatile long archivedAt;

    PropertyDef(
            String name,
            String label,
            String type,
            String fieldType,
            String groupName,
            List<String[]> options,
            boolean hasUniqueValue,
            boolean calculated,
            boolean readOnlyValue,
            boolean hubspotDefined,
            String description,
            int displayOrder,
            long createdAt) {
        this.name = name;
        this.label = label;
        this.type = type;
        this.fieldType = fieldType;
        this.groupName = groupName;
        this.options = options == null ? List.of() : List.copyOf(options);
        this.hasUniqueValue = hasUniqueValue;
        this.calculated = calculated;
        this.readOnlyValue = readOnlyValue;
        this.hubspotDefined = hubspotDefined;
        this.description = description == null ? "" : description;
        this.displayOrder = displayOrder;
        this.createdAt = createdAt;
    }

    boolean isMultiValued() {
        return "enumeration".equals(type) && "checkbox".equals(fieldType);
    }
}
