package io.crmconnect.dynamics.client;

import java.util.List;
import java.util.Map;

/**
 * One column of a table as {@code EntityDefinitions} describes it, with what the typed casts add: options of choice
 * columns (value to label), the date-time behaviour, the precision of money and decimal columns, lookup targets.
 *
 * @param attributeType     {@code AttributeType}: String, Picklist, Lookup, Virtual, ...
 * @param attributeTypeName {@code AttributeTypeName.Value}: StringType, MultiSelectPicklistType, ...
 * @param attributeOf       the column this one is derived from (e.g. {@code parentcustomeridname}), or null
 * @param dateTimeBehavior  UserLocal, DateOnly, TimeZoneIndependent, or null when unknown
 * @param format            the DateTime format (DateOnly, DateAndTime), or null
 * @param precision         digits after the decimal point of money and decimal columns, or null when unknown
 * @param options           option value to label for choice columns (empty when unknown)
 * @param targets           tables a lookup may point at
 */
public record ColumnMetadata(
        String logicalName,
        String attributeType,
        String attributeTypeName,
        boolean validForRead,
        boolean validForCreate,
        boolean validForUpdate,
        String attributeOf,
        boolean primaryId,
        String dateTimeBehavior,
        String format,
        Integer precision,
        Map<Integer, String> options,
        List<String> targets) {

    /** What a column holds, as the connector maps it. */
    public enum Kind {
        STRING,
        MEMO,
        BOOLEAN,
        INTEGER,
        BIGINT,
        DOUBLE,
        DECIMAL,
        MONEY,
        DATETIME,
        DATE_ONLY,
        CHOICE,
        MULTI_CHOICE,
        LOOKUP,
        UNIQUEIDENTIFIER,
        ENTITY_NAME,
        UNSUPPORTED
    }

    public Kind kind() {
        String t = attributeType == null ? "" : attributeType;
        switch (t) {
            case "String":
                return Kind.STRING;
            case "Memo":
                return Kind.MEMO;
            case "EntityName":
                return Kind.ENTITY_NAME;
            case "Boolean":
                return Kind.BOOLEAN;
            case "Integer":
                return Kind.INTEGER;
            case "BigInt":
                return Kind.BIGINT;
            case "Double":
                return Kind.DOUBLE;
            case "Decimal":
                return Kind.DECIMAL;
            case "Money":
                return Kind.MONEY;
            case "DateTime":
                return "DateOnly".equals(dateTimeBehavior) ? Kind.DATE_ONLY : Kind.DATETIME;
            case "Picklist":
            case "State":
            case "Status":
                return Kind.CHOICE;
            case "Lookup":
            case "Customer":
            case "Owner":
                return Kind.LOOKUP;
            case "Uniqueidentifier":
                return Kind.UNIQUEIDENTIFIER;
            case "Virtual":
                return "MultiSelectPicklistType".equals(attributeTypeName) ? Kind.MULTI_CHOICE : Kind.UNSUPPORTED;
            default:
                return Kind.UNSUPPORTED;
        }
    }

    /** The property name in Web API JSON: {@code _x_value} for lookups, else the logical name. */
    public String jsonName() {
        return kind() == Kind.LOOKUP ? "_" + logicalName + "_value" : logicalName;
    }

    /** Whether the connector reads this column: readable, a type it maps, not a shadow of another column. */
    public boolean readable() {
        return validForRead && attributeOf == null && kind() != Kind.UNSUPPORTED;
    }
}
