package io.crmconnect.simulator.dynamics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A table's metadata (EntityMetadata): columns, alternate keys, names used in URLs and JSON. */
final class TableDef {
    /** An alternate key (EntityKeyMetadata). */
    record Key(String logicalName, String schemaName, List<String> attributes, UUID metadataId) {}

    /** A single-valued navigation property: its lookup column and target table. */
    record Nav(String name, Attr attr, String target) {}

    final String logicalName;
    final String schemaName;
    final String entitySetName;
    final String displayName;
    final String displayCollectionName;
    final int objectTypeCode;
    final UUID metadataId;
    final List<Attr> attrs = new ArrayList<>();
    final Map<String, Attr> byLogical = new LinkedHashMap<>();
    final Map<String, Attr> byJson = new LinkedHashMap<>();
    final Map<String, Nav> navs = new LinkedHashMap<>();
    final List<Key> keys = new ArrayList<>();
    String primaryIdAttribute;
    String primaryNameAttribute;
    boolean changeTracking = true;
    boolean custom;
    boolean readOnly;
    String ownershipType = "UserOwned";

    TableDef(
            String logicalName,
            String schemaName,
            String entitySetName,
            String displayName,
            String displayCollectionName,
            int objectTypeCode) {
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.entitySetName = entitySetName;
        this.displayName = displayName;
        this.displayCollectionName = displayCollectionName;
        this.objectTypeCode = objectTypeCode;
        this.metadataId = UUID.nameUUIDFromBytes(("entity:" + logicalName).getBytes(StandardCharsets.UTF_8));
        this.custom = logicalName.startsWith("crmc_");
    }

    Attr add(Attr a) {
        a.index = attrs.size();
        attrs.add(a);
        byLogical.put(a.logicalName, a);
        byJson.put(a.jsonName, a);
        return a;
    }

    /** Indexes the navigation properties once every column is defined. */
    void seal() {
        navs.clear();
        for (Attr a : attrs) {
            for (Map.Entry<String, String> e : a.navByTarget.entrySet()) {
                navs.put(e.getValue(), new Nav(e.getValue(), a, e.getKey()));
            }
        }
    }

    Attr attr(String logical, String schema, AttrType type, String display) {
        return add(new Attr(logicalName, logical, schema, type, display));
    }

    void key(String schemaName, String... attributes) {
        keys.add(new Key(
                schemaName.toLowerCase(Locale.ROOT),
                schemaName,
                List.of(attributes),
                UUID.nameUUIDFromBytes(("key:" + logicalName + "." + schemaName).getBytes(StandardCharsets.UTF_8))));
    }

    Attr primaryId() {
        return byLogical.get(primaryIdAttribute);
    }

    Attr primaryName() {
        return primaryNameAttribute == null ? null : byLogical.get(primaryNameAttribute);
    }

    /** The Web API type name used in messages: {@code Microsoft.Dynamics.CRM.contact}. */
    String qualifiedType() {
        return "Microsoft.Dynamics.CRM." + logicalName;
    }

    int width() {
        return attrs.size();
    }
}
