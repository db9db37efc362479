package io.crmconnect.simulator.dynamics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Metadata: {@code EntityDefinitions} (with {@code Attributes}, {@code Keys}, casts to attribute metadata types and
 * {@code OptionSet}), the CSDL {@code $metadata} document and the service document.
 */
final class Metadata {
    private final Schema schema;

    Metadata(Schema schema) {
        this.schema = schema;
    }

    // ------------------------------------------------------------------ EntityDefinitions

    Http.Resp entityDefinitions(Http.Req req, ODataPath path, String api) {
        Map<String, List<String>> q = req.query;
        List<String> select = list(Query.first(q, "$select"));
        Map<String, String> expands = expands(Query.first(q, "$expand"));
        if (path.key == null) {
            if (!path.rest.isEmpty()) {
                throw DataverseException.segment(path.rest.get(0));
            }
            String filter = Query.first(q, "$filter");
            ArrayNode arr = Json.arr();
            for (TableDef t : schema.tables()) {
                ObjectNode full = entity(t, List.of(), expands);
                if (filter == null || MetaFilter.test(filter, full)) {
                    arr.add(entity(t, select, expands));
                }
            }
            ObjectNode n = Json.obj();
            n.put("@odata.context", api + "/$metadata#EntityDefinitions" + ctx(select));
            n.set("value", arr);
            return Http.Resp.json(200, n);
        }
        TableDef t = entityByKey(path.key);
        if (path.rest.isEmpty()) {
            ObjectNode n = Json.obj();
            n.put("@odata.context", api + "/$metadata#EntityDefinitions" + ctx(select) + "/$entity");
            n.setAll(entity(t, select, expands));
            return Http.Resp.json(200, n);
        }
        String seg = path.rest.get(0);
        String cast = path.rest.size() > 1 ? path.rest.get(1) : null;
        String segHead = seg;
        String segKey = null;
        int p = seg.indexOf('(');
        if (p > 0 && seg.endsWith(")")) {
            segHead = seg.substring(0, p);
            segKey = seg.substring(p + 1, seg.length() - 1);
        }
        String base = api + "/$metadata#EntityDefinitions('" + t.logicalName + "')/" + segHead;
        if (segHead.equals("Attributes")) {
            String castType = null;
            if (cast != null) {
                if (!cast.startsWith("Microsoft.Dynamics.CRM.") || path.rest.size() > 2) {
                    throw DataverseException.segment(cast);
                }
                castType = cast.substring("Microsoft.Dynamics.CRM.".length());
                base += "/" + cast;
            }
            boolean optionSet = expands.containsKey("OptionSet") || expands.containsKey("GlobalOptionSet");
            if (segKey == null) {
                ArrayNode arr = Json.arr();
                String filter = Query.first(q, "$filter");
                for (Attr a : t.attrs) {
                    if (castType != null && !castMatches(a, castType)) {
                        continue;
                    }
                    ObjectNode full = attribute(t, a, List.of(), optionSet);
                    if (filter == null || MetaFilter.test(filter, full)) {
                        arr.add(attribute(t, a, select, optionSet));
                    }
                }
                ObjectNode n = Json.obj();
                n.put("@odata.context", base + ctx(select));
                n.set("value", arr);
                return Http.Resp.json(200, n);
            }
            Attr a = attributeByKey(t, segKey);
            if (castType != null && !castMatches(a, castType)) {
                throw DataverseException.segment(cast);
            }
            ObjectNode n = Json.obj();
            n.put("@odata.context", base + ctx(select) + "/$entity");
            n.setAll(attribute(t, a, select, optionSet));
            return Http.Resp.json(200, n);
        }
        if (segHead.equals("Keys")) {
            if (cast != null) {
                throw DataverseException.segment(cast);
            }
            if (segKey == null) {
                ArrayNode arr = Json.arr();
                for (TableDef.Key k : t.keys) {
                    arr.add(key(t, k, select));
                }
                ObjectNode n = Json.obj();
                n.put("@odata.context", base + ctx(select));
                n.set("value", arr);
                return Http.Resp.json(200, n);
            }
            String name = unquote(ODataPath.keyParts(segKey)
                    .getOrDefault("LogicalName", ODataPath.keyParts(segKey).get("")));
            for (TableDef.Key k : t.keys) {
                if (k.logicalName().equals(name) || k.metadataId().toString().equals(name)) {
                    ObjectNode n = Json.obj();
                    n.put("@odata.context", base + ctx(select) + "/$entity");
                    n.setAll(key(t, k, select));
                    return Http.Resp.json(200, n);
                }
            }
            throw new DataverseException(
                    404,
                    DataverseException.OBJECT_DOES_NOT_EXIST,
                    "Could not find key '" + name + "' of entity '" + t.logicalName + "'.");
        }
        throw DataverseException.segment(seg);
    }

    private static boolean castMatches(Attr a, String castType) {
        if (castType.equals("AttributeMetadata")) {
            return true;
        }
        if (castType.equals("EnumAttributeMetadata")) {
            return a.type.isChoice() || a.type == AttrType.MULTISELECT || a.type == AttrType.BOOLEAN;
        }
        return a.type.metadataType.equals(castType);
    }

    private TableDef entityByKey(String key) {
        Map<String, String> parts = ODataPath.keyParts(key);
        String v = unquote(parts.containsKey("LogicalName") ? parts.get("LogicalName") : parts.get(""));
        for (TableDef t : schema.tables()) {
            if (parts.containsKey("LogicalName") && t.logicalName.equals(v)
                    || !parts.containsKey("LogicalName")
                            && t.metadataId.toString().equalsIgnoreCase(v)) {
                return t;
            }
        }
        throw new DataverseException(
                404,
                DataverseException.OBJECT_DOES_NOT_EXIST,
                "Could not find an entity " + "with "
                        + (parts.containsKey("LogicalName") ? "LogicalName '" : "MetadataId '") + v + "'.");
    }

    private static Attr attributeByKey(TableDef t, String key) {
        Map<String, String> parts = ODataPath.keyParts(key);
        String v = unquote(parts.containsKey("LogicalName") ? parts.get("LogicalName") : parts.get(""));
        for (Attr a : t.attrs) {
            if (a.logicalName.equals(v) || a.metadataId.toString().equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new DataverseException(
                404,
                DataverseException.OBJECT_DOES_NOT_EXIST,
                "Could not find attribute '" + v + "' of entity '" + t.logicalName + "'.");
    }

    private static String unquote(String v) {
        if (v == null) {
            return "";
        }
        return v.startsWith("'") ? v.substring(1) : v;
    }

    private static String ctx(List<String> select) {
        return select.isEmpty() ? "" : "(" + String.join(",", select) + ")";
    }

    private static List<String> list(String s) {
        return s == null ? List.of() : Query.splitTop(s);
    }

    /** $expand=Attributes($select=a,b),Keys -> name -> inner $select ("" for all). */
    private static Map<String, String> expands(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : list(s)) {
            int p = item.indexOf('(');
            String name = p < 0 ? item : item.substring(0, p);
            String sel = "";
            if (p > 0) {
                for (String o : item.substring(p + 1, item.length() - 1).split(";")) {
                    if (o.trim().startsWith("$select=")) {
                        sel = o.trim().substring("$select=".length());
                    }
                }
            }
            if (!Set.of(
                            "Attributes",
                            "Keys",
                            "OptionSet",
                            "GlobalOptionSet",
                            "ManyToOneRelationships",
                            "OneToManyRelationships",
                            "ManyToManyRelationships")
                    .contains(name.trim())) {
                throw DataverseException.query("Could not find a property named '" + name.trim() + "' on type "
                        + "'Microsoft.Dynamics.CRM.EntityMetadata'.");
            }
            out.put(name.trim(), sel);
        }
        return out;
    }

    static ObjectNode label(String text, UUID id) {
        ObjectNode l = Json.obj();
        l.put("Label", text);
        l.put("LanguageCode", 1033);
        l.put("IsManaged", true);
        l.put("MetadataId", id.toString());
        l.putNull("HasChanged");
        ObjectNode n = Json.obj();
        n.putArray("LocalizedLabels").add(l);
        n.set("UserLocalizedLabel", l.deepCopy());
        return n;
    }

    private static ObjectNode managed(boolean value, String name) {
        ObjectNode n = Json.obj();
        n.put("Value", value);
        n.put("CanBeChanged", false);
        n.put("ManagedPropertyLogicalName", name);
        return n;
    }

    ObjectNode entity(TableDef t, List<String> select, Map<String, String> expands) {
        ObjectNode n = Json.obj();
        n.put("MetadataId", t.metadataId.toString());
        n.put("LogicalName", t.logicalName);
        n.put("SchemaName", t.schemaName);
        n.put("EntitySetName", t.entitySetName);
        n.put("LogicalCollectionName", t.entitySetName);
        n.put("CollectionSchemaName", t.schemaName + "s");
        n.put("PrimaryIdAttribute", t.primaryIdAttribute);
        n.put("PrimaryNameAttribute", t.primaryNameAttribute);
        n.put("ObjectTypeCode", t.objectTypeCode);
        n.put("ChangeTrackingEnabled", t.changeTracking);
        n.set("CanChangeTrackingBeEnabled", managed(true, "canchangetrackingbeenabled"));
        n.put("IsCustomEntity", t.custom);
        n.put("IsManaged", !t.custom);
        n.put("IsOptimisticConcurrencyEnabled", true);
        n.put("IsActivity", false);
        n.put("IsIntersect", false);
        n.put("IsPrivate", false);
        n.put("IsLogicalEntity", false);
        n.put("IsValidForAdvancedFind", true);
        n.put("TableType", "Standard");
        n.put("OwnershipType", t.ownershipType);
        n.put("HasActivities", !t.readOnly);
        n.put("HasNotes", !t.readOnly);
        n.put(
                "IsAuditEnabled",
                managed(false, "canmodifyauditsettings").get("Value").asBoolean());
        n.set("DisplayName", label(t.displayName, t.metadataId));
        n.set("DisplayCollectionName", label(t.displayCollectionName, t.metadataId));
        n.set("Description", label("", t.metadataId));
        if (!select.isEmpty()) {
            ObjectNode s = Json.obj();
            s.set("MetadataId", n.get("MetadataId"));
            for (String f : select) {
                if (!n.has(f)) {
                    throw DataverseException.query("Could not find a property named '" + f + "' on type "
                            + "'Microsoft.Dynamics.CRM.EntityMetadata'.");
                }
                s.set(f, n.get(f));
            }
            n = s;
        }
        if (expands.containsKey("Attributes")) {
            List<String> sel = list(expands.get("Attributes"));
            ArrayNode arr = n.putArray("Attributes");
            for (Attr a : t.attrs) {
                arr.add(attribute(t, a, sel, false));
            }
        }
        if (expands.containsKey("Keys")) {
            List<String> sel = list(expands.get("Keys"));
            ArrayNode arr = n.putArray("Keys");
            for (TableDef.Key k : t.keys) {
                arr.add(key(t, k, sel));
            }
        }
        return n;
    }

    ObjectNode attribute(TableDef t, Attr a, List<String> select, boolean optionSet) {
        ObjectNode n = Json.obj();
        n.put("@odata.type", "#Microsoft.Dynamics.CRM." + a.type.metadataType);
        n.put("MetadataId", a.metadataId.toString());
        n.put("LogicalName", a.logicalName);
        n.put("SchemaName", a.schemaName);
        n.put("EntityLogicalName", t.logicalName);
        n.put("AttributeType", a.type.attributeType);
        ObjectNode tn = n.putObject("AttributeTypeName");
        tn.put("Value", a.type.typeName);
        n.putNull("AttributeOf");
        n.put("ColumnNumber", a.index + 1);
        n.put("IsPrimaryId", a.primaryId);
        n.put("IsPrimaryName", a.primaryName);
        n.put("IsCustomAttribute", a.custom);
        n.put("IsLogical", false);
        n.put("IsValidForCreate", a.validForCreate);
        n.put("IsValidForRead", true);
        n.put("IsValidForUpdate", a.validForUpdate);
        n.put("IsValidODataAttribute", true);
        ObjectNode rl = n.putObject("RequiredLevel");
        rl.put("Value", a.requiredLevel);
        rl.put("CanBeChanged", !"SystemRequired".equals(a.requiredLevel));
        rl.put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
        n.set("DisplayName", label(a.displayName, a.metadataId));
        switch (a.type) {
            case STRING -> {
                n.put("MaxLength", a.maxLength);
                n.put(
                        "Format",
                        a.logicalName.startsWith("emailaddress") || a.logicalName.equals("internalemailaddress")
                                ? "Email"
                                : a.logicalName.startsWith("telephone") || a.logicalName.equals("mobilephone")
                                        ? "Phone"
                                        : a.logicalName.equals("websiteurl") ? "Url" : "Text");
                n.put("DatabaseLength", a.maxLength * 2);
            }
            case MEMO -> {
                n.put("MaxLength", a.maxLength);
                n.put("Format", "TextArea");
            }
            case INTEGER -> {
                n.put("MinValue", Integer.MIN_VALUE);
                n.put("MaxValue", Integer.MAX_VALUE);
                n.put("Format", "None");
            }
            case BIGINT -> {
                n.put("MinValue", Long.MIN_VALUE);
                n.put("MaxValue", Long.MAX_VALUE);
            }
            case DECIMAL, DOUBLE -> {
                n.put("Precision", a.precision);
                n.put("MinValue", -100_000_000_000L);
                n.put("MaxValue", 100_000_000_000L);
            }
            case MONEY -> {
                n.put("Precision", a.precision);
                n.put("PrecisionSource", 2);
                n.put("MinValue", -922_337_203_685_477L);
                n.put("MaxValue", 922_337_203_685_477L);
            }
            case DATETIME -> {
                n.put("Format", a.dateOnly() ? "DateOnly" : "DateAndTime");
                ObjectNode b = n.putObject("DateTimeBehavior");
                b.put("Value", a.dateBehavior);
                n.put(
                        "CanChangeDateTimeBehavior",
                        managed(false, "canchangedatetimebehavior").get("Value").asBoolean());
            }
            case LOOKUP, CUSTOMER, OWNER -> {
                ArrayNode targets = n.putArray("Targets");
                a.navByTarget.keySet().forEach(targets::add);
            }
            case PICKLIST, STATE, STATUS, MULTISELECT, BOOLEAN -> {
                if (a.defaultValue != null && a.type != AttrType.BOOLEAN) {
                    n.put("DefaultFormValue", a.defaultValue);
                }
                if (optionSet) {
                    n.set("OptionSet", optionSet(t, a));
                }
            }
            default -> {}
        }
        if (!select.isEmpty()) {
            ObjectNode s = Json.obj();
            s.set("@odata.type", n.get("@odata.type"));
            s.set("MetadataId", n.get("MetadataId"));
            for (String f : select) {
                if (n.has(f)) {
                    s.set(f, n.get(f));
                } else if (!isAttributeProperty(f)) {
                    throw DataverseException.query("Could not find a property named '" + f + "' on type "
                            + "'Microsoft.Dynamics.CRM.AttributeMetadata'.");
                }
            }
            if (n.has("OptionSet")) {
                s.set("OptionSet", n.get("OptionSet"));
            }
            return s;
        }
        return n;
    }

    /** Properties of derived attribute metadata types: selecting them on other types is allowed (absent). */
    private static boolean isAttributeProperty(String f) {
        return Set.of(
                        "MaxLength",
                        "Format",
                        "MinValue",
                        "MaxValue",
                        "Precision",
                        "PrecisionSource",
                        "DateTimeBehavior",
                        "Targets",
                        "DefaultFormValue",
                        "OptionSet",
                        "DatabaseLength",
                        "CanChangeDateTimeBehavior",
                        "Description",
                        "IsAuditEnabled",
                        "IsSecured",
                        "IsSearchable",
                        "IsFilterable",
                        "IsSortableEnabled")
                .contains(f);
    }

    private static ObjectNode optionSet(TableDef t, Attr a) {
        ObjectNode os = Json.obj();
        os.put(
                "MetadataId",
                UUID.nameUUIDFromBytes(
                                ("optionset:" + t.logicalName + "." + a.logicalName).getBytes(StandardCharsets.UTF_8))
                        .toString());
        os.put("Name", t.logicalName + "_" + a.logicalName);
        os.put("IsGlobal", false);
        os.put("IsCustomOptionSet", a.custom);
        os.put(
                "OptionSetType",
                a.type == AttrType.BOOLEAN
                        ? "Boolean"
                        : a.type == AttrType.STATE ? "State" : a.type == AttrType.STATUS ? "Status" : "Picklist");
        if (a.type == AttrType.BOOLEAN) {
            os.set("TrueOption", option(1, a.options.get(1), a));
            os.set("FalseOption", option(0, a.options.get(0), a));
            return os;
        }
        ArrayNode opts = os.putArray("Options");
        a.options.forEach((v, l) -> {
            ObjectNode o = option(v, l, a);
            if (a.type == AttrType.STATUS) {
                o.put("State", a.statusState.get(v));
            }
            opts.add(o);
        });
        return os;
    }

    private static ObjectNode option(int value, String label, Attr a) {
        ObjectNode o = Json.obj();
        o.put("Value", value);
        o.set(
                "Label",
                label(label, UUID.nameUUIDFromBytes((a.metadataId + ":" + value).getBytes(StandardCharsets.UTF_8))));
        o.put("IsManaged", !a.custom);
        return o;
    }

    private static ObjectNode key(TableDef t, TableDef.Key k, List<String> select) {
        ObjectNode n = Json.obj();
        n.put("MetadataId", k.metadataId().toString());
        n.put("LogicalName", k.logicalName());
        n.put("SchemaName", k.schemaName());
        n.put("EntityLogicalName", t.logicalName);
        ArrayNode ka = n.putArray("KeyAttributes");
        k.attributes().forEach(ka::add);
        n.put("EntityKeyIndexStatus", "Active");
        n.put("IsManaged", false);
        n.set("DisplayName", label(k.schemaName(), k.metadataId()));
        if (!select.isEmpty()) {
            ObjectNode s = Json.obj();
            s.set("MetadataId", n.get("MetadataId"));
            for (String f : select) {
                if (!n.has(f)) {
                    throw DataverseException.query("Could not find a property named '" + f + "' on type "
                            + "'Microsoft.Dynamics.CRM.EntityKeyMetadata'.");
                }
                s.set(f, n.get(f));
            }
            return s;
        }
        return n;
    }

    // ------------------------------------------------------------------ service document and CSDL

    Http.Resp serviceDocument(String api) {
        ObjectNode n = Json.obj();
        n.put("@odata.context", api + "/$metadata");
        ArrayNode arr = n.putArray("value");
        for (TableDef t : schema.tables()) {
            ObjectNode e = arr.addObject();
            e.put("name", t.entitySetName);
            e.put("kind", "EntitySet");
            e.put("url", t.entitySetName);
        }
        ObjectNode ed = arr.addObject();
        ed.put("name", "EntityDefinitions");
        ed.put("kind", "EntitySet");
        ed.put("url", "EntityDefinitions");
        return Http.Resp.json(200, n);
    }

    /** The CSDL document: entity types with keys, properties and navigation properties; the container. */
    Http.Resp csdl() {
        StringBuilder x = new StringBuilder(32_768);
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edmx:Edmx Version=\"4.0\" "
                + "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n<edmx:DataServices>\n"
                + "<Schema Namespace=\"Microsoft.Dynamics.CRM\" Alias=\"mscrm\" "
                + "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
        x.append("<EntityType Name=\"crmbaseentity\" Abstract=\"true\"/>\n");
        for (TableDef t : schema.tables()) {
            x.append("<EntityType Name=\"").append(t.logicalName).append("\" BaseType=\"mscrm.crmbaseentity\">\n");
            x.append("<Key><PropertyRef Name=\"").append(t.primaryIdAttribute).append("\"/></Key>\n");
            for (Attr a : t.attrs) {
                x.append("<Property Name=\"")
                        .append(a.jsonName)
                        .append("\" Type=\"")
                        .append(a.edm())
                        .append('"');
                if (a.type == AttrType.MONEY || a.type == AttrType.DECIMAL) {
                    x.append(" Scale=\"Variable\"");
                }
                x.append(
                        a.computed
                                ? "><Annotation Term=\"Org.OData.Core.V1.Computed\" Bool=\"true\"/></Property>\n"
                                : "/>\n");
            }
            for (TableDef.Nav nav : t.navs.values()) {
                x.append("<NavigationProperty Name=\"")
                        .append(nav.name())
                        .append("\" Type=\"mscrm.")
                        .append(nav.target())
                        .append("\"><ReferentialConstraint Property=\"")
                        .append(nav.attr().jsonName)
                        .append("\" ReferencedProperty=\"")
                        .append(schema.table(nav.target()).primaryIdAttribute)
                        .append("\"/></NavigationProperty>\n");
            }
            x.append("</EntityType>\n");
        }
        x.append("<ComplexType Name=\"WhoAmIResponse\"><Property Name=\"BusinessUnitId\" Type=\"Edm.Guid\" "
                + "Nullable=\"false\"/><Property Name=\"UserId\" Type=\"Edm.Guid\" Nullable=\"false\"/>"
                + "<Property Name=\"OrganizationId\" Type=\"Edm.Guid\" Nullable=\"false\"/></ComplexType>\n");
        x.append("<ComplexType Name=\"CreateMultipleResponse\"><Property Name=\"Ids\" Type=\"Collection(Edm.Guid)\" "
                + "Nullable=\"false\"/></ComplexType>\n");
        x.append("<Function Name=\"WhoAmI\"><ReturnType Type=\"mscrm.WhoAmIResponse\" Nullable=\"false\"/>"
                + "</Function>\n");
        for (String m : new String[] {"CreateMultiple", "UpdateMultiple", "UpsertMultiple"}) {
            x.append("<Action Name=\"")
                    .append(m)
                    .append("\" IsBound=\"true\"><Parameter Name=\"entityset\" "
                            + "Type=\"Collection(mscrm.crmbaseentity)\" Nullable=\"false\"/><Parameter Name=\"Targets\" "
                            + "Type=\"Collection(mscrm.crmbaseentity)\" Nullable=\"false\"/>");
            if (m.equals("CreateMultiple")) {
                x.append("<ReturnType Type=\"mscrm.CreateMultipleResponse\" Nullable=\"false\"/>");
            }
            x.append("</Action>\n");
        }
        x.append("<EntityContainer Name=\"System\">\n");
        for (TableDef t : schema.tables()) {
            x.append("<EntitySet Name=\"")
                    .append(t.entitySetName)
                    .append("\" EntityType=\"mscrm.")
                    .append(t.logicalName)
                    .append("\">");
            for (TableDef.Nav nav : t.navs.values()) {
                x.append("<NavigationPropertyBinding Path=\"")
                        .append(nav.name())
                        .append("\" Target=\"")
                        .append(schema.table(nav.target()).entitySetName)
                        .append("\"/>");
            }
            x.append("</EntitySet>\n");
        }
        x.append("<FunctionImport Name=\"WhoAmI\" Function=\"mscrm.WhoAmI\"/>\n");
        x.append("</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n");
        Http.Resp r = new Http.Resp(200, x.toString().getBytes(StandardCharsets.UTF_8));
        r.contentType = "application/xml";
        return r;
    }

    /** A small $filter evaluator over metadata JSON: {@code Prop[/Sub] op literal} joined by and/or. */
    static final class MetaFilter {
        private MetaFilter() {}

        static boolean test(String filter, JsonNode n) {
            String f = filter.trim();
            List<String> ors = splitWord(f, " or ");
            for (String o : ors) {
                boolean all = true;
                for (String a : splitWord(o, " and ")) {
                    if (!cmp(a.trim(), n)) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        private static List<String> splitWord(String s, String w) {
            List<String> out = new ArrayList<>();
            int from = 0;
            boolean q = false;
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == '\'') {
                    q = !q;
                }
                if (!q && s.regionMatches(true, i, w, 0, w.length())) {
                    out.add(s.substring(from, i));
                    from = i + w.length();
                    i = from - 1;
                }
            }
            out.add(s.substring(from));
            return out;
        }

        private static boolean cmp(String c, JsonNode n) {
            String s = c;
            while (s.startsWith("(") && s.endsWith(")")) {
                s = s.substring(1, s.length() - 1).trim();
            }
            String[] w = s.split("\\s+", 3);
            if (w.length != 3) {
                throw DataverseException.query("Syntax error at position " + c.length() + " in '" + c + "'.");
            }
            JsonNode v = n;
            for (String p : w[0].split("/")) {
                v = v == null ? null : v.get(p);
            }
            String lit = w[2];
            String actual = v == null || v.isNull() ? null : v.asText();
            String expected = lit.equals("null")
                    ? null
                    : lit.startsWith("'") && lit.endsWith("'")
                            ? lit.substring(1, lit.length() - 1).replace("''", "'")
                            : lit;
            boolean eq = actual == null
                    ? expected == null
                    : expected != null && (v.isTextual() ? actual.equals(expected) : actual.equalsIgnoreCase(expected));
            return switch (w[1].toLowerCase(Locale.ROOT)) {
                case "eq" -> eq;
                case "ne" -> !eq;
                default ->
                    throw DataverseException.query(
                            "The operator '" + w[1] + "' is not supported in metadata " + "queries by this simulator.");
            };
        }
    }
}
