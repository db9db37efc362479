package io.crmconnect.simulator.dynamics;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** One column of a table: its metadata and where its value sits in a {@link Row}. */
final class Attr {
    /** DateTime behaviours (DateTimeAttributeMetadata.DateTimeBehavior). */
    static final String USER_LOCAL = "UserLocal";

    static final String DATE_ONLY = "DateOnly";
    static final String TZ_INDEPENDENT = "TimeZoneIndependent";

    final String logicalName;
    final String schemaName;
    final AttrType type;
    final String displayName;
    /** Property name in Web API JSON: the logical name, or {@code _x_value} for lookups. */
    final String jsonName;

    final UUID metadataId;
    int index = -1;
    int maxLength = 100;
    int precision = 2;
    String dateBehavior = USER_LOCAL;
    /** Option value -> label for Picklist, State, Status and multi-select columns. */
    final Map<Integer, String> options = new LinkedHashMap<>();
    /** Referenced tables of a lookup and the single-valued navigation property for each. */
    final Map<String, String> navByTarget = new LinkedHashMap<>();

    boolean validForCreate = true;
    boolean validForUpdate = true;
    String requiredLevel = "None";
    boolean primaryId;
    boolean primaryName;
    boolean custom;
    /** Calculated by the platform (fullname, versionnumber, createdon...): writes are ignored. */
    boolean computed;
    /** For State/Status: the statecode each statuscode belongs to. */
    final Map<Integer, Integer> statusState = new LinkedHashMap<>();

    Integer defaultValue;

    Attr(String table, String logicalName, String schemaName, AttrType type, String displayName) {
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.type = type;
        this.displayName = displayName;
        this.jsonName = type.isLookup() ? "_" + logicalName + "_value" : logicalName;
        this.metadataId =
                UUID.nameUUIDFromBytes(("attr:" + table + "." + logicalName).getBytes(StandardCharsets.UTF_8));
        this.custom = logicalName.startsWith(Schema.PREFIX);
    }

    Attr max(int n) {
        this.maxLength = n;
        return this;
    }

    Attr precision(int p) {
        this.precision = p;
        return this;
    }

    Attr behavior(String b) {
        this.dateBehavior = b;
        return this;
    }

    Attr option(int value, String label) {
        options.put(value, label);
        return this;
    }

    Attr status(int value, String label, int state) {
        options.put(value, label);
        statusState.put(value, state);
        return this;
    }

    Attr target(String table, String navigationProperty) {
        navByTarget.put(table, navigationProperty);
        return this;
    }

    Attr readOnly() {
        this.validForCreate = false;
        this.validForUpdate = false;
        this.computed = true;
        return this;
    }

    Attr createOnly() {
        this.validForUpdate = false;
        return this;
    }

    Attr required(String level) {
        this.requiredLevel = level;
        return this;
    }

    Attr dflt(int v) {
        this.defaultValue = v;
        return this;
    }

    boolean dateOnly() {
        return type == AttrType.DATETIME && DATE_ONLY.equals(dateBehavior);
    }

    /** The Edm type of the Web API property. */
    String edm() {
        return dateOnly() ? "Edm.Date" : type.edm;
    }
}
