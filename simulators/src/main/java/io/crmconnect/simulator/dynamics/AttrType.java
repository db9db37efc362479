package io.crmconnect.simulator.dynamics;

/** Dataverse attribute types (AttributeTypeCode) with their Web API (Edm) type and metadata class. */
enum AttrType {
    BOOLEAN(0, "Boolean", "Edm.Boolean", "BooleanAttributeMetadata", "BooleanType"),
    CUSTOMER(1, "Customer", "Edm.Guid", "LookupAttributeMetadata", "CustomerType"),
    DATETIME(2, "DateTime", "Edm.DateTimeOffset", "DateTimeAttributeMetadata", "DateTimeType"),
    DECIMAL(3, "Decimal", "Edm.Decimal", "DecimalAttributeMetadata", "DecimalType"),
    DOUBLE(4, "Double", "Edm.Double", "DoubleAttributeMetadata", "DoubleType"),
    INTEGER(5, "Integer", "Edm.Int32", "IntegerAttributeMetadata", "IntegerType"),
    LOOKUP(6, "Lookup", "Edm.Guid", "LookupAttributeMetadata", "LookupType"),
    MEMO(7, "Memo", "Edm.String", "MemoAttributeMetadata", "MemoType"),
    MONEY(8, "Money", "Edm.Decimal", "MoneyAttributeMetadata", "MoneyType"),
    OWNER(9, "Owner", "Edm.Guid", "LookupAttributeMetadata", "OwnerType"),
    PICKLIST(11, "Picklist", "Edm.Int32", "PicklistAttributeMetadata", "PicklistType"),
    STATE(12, "State", "Edm.Int32", "StateAttributeMetadata", "StateType"),
    STATUS(13, "Status", "Edm.Int32", "StatusAttributeMetadata", "StatusType"),
    STRING(14, "String", "Edm.String", "StringAttributeMetadata", "StringType"),
    UNIQUEIDENTIFIER(15, "Uniqueidentifier", "Edm.Guid", "UniqueIdentifierAttributeMetadata", "UniqueidentifierType"),
    /** Multi-select choice: AttributeType Virtual, AttributeTypeName MultiSelectPicklistType. */
    MULTISELECT(17, "Virtual", "Edm.String", "MultiSelectPicklistAttributeMetadata", "MultiSelectPicklistType"),
    BIGINT(18, "BigInt", "Edm.Int64", "BigIntAttributeMetadata", "BigIntType");

    final int code;
    final String attributeType;
    final String edm;
    final String metadataType;
    final String typeName;

    AttrType(int code, String attributeType, String edm, String metadataType, String typeName) {
        this.code = code;
        this.attributeType = attributeType;
        this.edm = edm;
        this.metadataType = metadataType;
        this.typeName = typeName;
    }

    boolean isLookup() {
        return this == LOOKUP || this == CUSTOMER || this == OWNER;
    }

    boolean isChoice() {
        return this == PICKLIST || this == STATE || this == STATUS;
    }
}
